"""After set-up, through HTTP: the liaison office changes a 专委's units and lead, a unit (or the office) changes
its liaison party member, and one unit's adopted year-end grade is amended by a new vote of the assembly with its
letter produced again. Each change is an event shown in the page's history."""

from __future__ import annotations

import subprocess
from datetime import date

import pytest
from django.test import Client

from yishiting.alliances import services, work
from yishiting.alliances.choices import RatingStatus, VoteMatter
from yishiting.alliances.models import AssemblyVote, Committee, UnitRating
from yishiting.common.events import events_of

pytestmark = pytest.mark.django_db


def _client(world, name: str) -> Client:
    client = Client()
    client.force_login(world.users[name])
    return client


def _said(response) -> str:
    return " ".join(str(m) for m in response.context["messages"]) if response.context else ""


@pytest.fixture
def committee(world, setup) -> Committee:
    return work.committee_create(
        actor=world.users["community_staff"],
        alliance=setup.alliance,
        name="为民服务专委",
        lead=setup.members["unit_a"],
        members=[setup.members["unit_b"]],
    )


def test_the_office_changes_a_committees_units_and_lead(world, setup, committee):
    office, m = _client(world, "community_staff"), setup.members
    base = f"/alliances/committees/{committee.pk}"
    assert office.get(base + "/").status_code == 200
    # a unit that applied but was not admitted cannot join
    applicant = services.member_apply(
        actor=world.users["unit_d"],
        alliance=setup.alliance,
        organization=setup.orgs["unit_d"],
        liaison=setup.people["unit_d"],
        application="申请入盟",
        accepts_covenant=True,
    )
    refused = office.post(base + "/units/", {"member": applicant.pk}, follow=True)
    assert "该单位不是本联盟在册的成员单位，不能加入专委。" in _said(refused)
    assert office.post(base + "/units/", {"member": m["unit_c"].pk}).status_code == 302
    assert set(committee.members.values_list("pk", flat=True)) == {
        m["unit_a"].pk,
        m["unit_b"].pk,
        m["unit_c"].pk,
    }
    # removing the lead needs a new one
    refused = office.post(base + "/units/remove/", {"member": m["unit_a"].pk}, follow=True)
    assert "移出牵头单位须同时指定新的牵头单位。" in _said(refused)
    assert Committee.objects.get(pk=committee.pk).lead_id == m["unit_a"].pk
    office.post(
        base + "/units/remove/", {"member": m["unit_a"].pk, "new_lead": m["unit_b"].pk, "reason": "工作调整"}
    )
    committee.refresh_from_db()
    assert committee.lead_id == m["unit_b"].pk and not committee.members.filter(pk=m["unit_a"].pk).exists()
    office.post(base + "/lead/", {"lead": m["unit_c"].pk})
    committee.refresh_from_db()
    assert committee.lead_id == m["unit_c"].pk and committee.members.filter(pk=m["unit_b"].pk).exists()
    assert [e.kind for e in events_of(committee)] == [
        "committee.created",
        "committee.member_added",
        "committee.member_removed",
        "committee.lead_changed",
    ]
    page = office.get(base + "/").content.decode()
    for line in (
        "幸福苑派出所党支部加入专委",
        "市供电局党委退出专委，牵头单位改为第一中学党支部（工作调整）",
        "牵头单位由第一中学党支部改为幸福苑派出所党支部",
    ):
        assert line in page
    # a member unit's liaison sees the committee but may not change it
    liaison = _client(world, "unit_b")
    assert liaison.get(base + "/").status_code == 200
    refused = liaison.post(base + "/lead/", {"lead": m["unit_b"].pk}, follow=True)
    assert "联络办" in _said(refused) and Committee.objects.get(pk=committee.pk).lead_id == m["unit_c"].pk


def test_a_unit_or_the_office_changes_its_liaison(world, setup):
    member, new = setup.members["unit_a"], setup.people["unit_d"]  # 卢党员: a party member of the area
    url = f"/alliances/members/{member.pk}/"
    assert _client(world, "resident").get(url).status_code == 404
    other = _client(world, "unit_b").post(url + "liaison/", {"liaison": new.pk}, follow=True)
    assert "联络党员由本单位或联络办更换。" in _said(other)
    unit = _client(world, "unit_a")
    assert "更换联络党员" in unit.get(url).content.decode()
    assert "请从本联盟区域的党员中选择" in _said(
        unit.post(url + "liaison/", {"liaison": world.people["resident"].pk}, follow=True)
    )
    unit.post(url + "liaison/", {"liaison": new.pk})
    member.refresh_from_db()
    assert member.liaison_id == new.pk
    office = _client(world, "community_staff")
    office.post(url + "liaison/", {"liaison": setup.people["unit_a"].pk})
    member.refresh_from_db()
    assert member.liaison_id == setup.people["unit_a"].pk
    assert [e.kind for e in events_of(member)][-2:] == ["member.liaison_changed", "member.liaison_changed"]
    page = office.get(url).content.decode()
    assert "联络党员由林党员改为卢党员" in page and "联络党员由卢党员改为林党员" in page


def _adopt(world, setup, vote: AssemblyVote) -> None:
    staff = _client(world, "community_staff")
    for key in ("unit_a", "unit_b", "unit_c"):
        staff.post(f"/alliances/votes/{vote.pk}/cast/", {"choice": "yes", "member": setup.members[key].pk})
    staff.post(f"/alliances/votes/{vote.pk}/close/")


def test_one_units_grade_is_amended_by_a_new_vote_and_its_letter_follows(world, setup, tmp_path):
    staff, m, year = _client(world, "community_staff"), setup.members, date.today().year
    ratings = f"/alliances/{setup.alliance.pk}/ratings/?year={year}"
    staff.post(f"/alliances/members/{m['unit_a'].pk}/rate/", {"grade": "B", "year": year})
    staff.post(f"/alliances/members/{m['unit_b'].pk}/rate/", {"grade": "A", "year": year})
    staff.post(f"/alliances/{setup.alliance.pk}/ratings/submit/", {"year": year})
    _adopt(world, setup, AssemblyVote.objects.get(matter=VoteMatter.RATING, year=year))
    # one unit rated on its own after the year's list: its own vote adopts it, the others stay as they were
    staff.post(f"/alliances/members/{m['unit_c'].pk}/rate/", {"grade": "C", "year": year})
    staff.post(f"/alliances/{setup.alliance.pk}/ratings/submit/", {"year": year})
    second = AssemblyVote.objects.filter(matter=VoteMatter.RATING, year=year).order_by("-pk").first()
    assert list(UnitRating.objects.filter(status=RatingStatus.PROPOSED).values_list("member", flat=True)) == [
        m["unit_c"].pk
    ]
    _adopt(world, setup, second)
    grades = dict(UnitRating.objects.values_list("member", "grade"))
    assert grades == {m["unit_a"].pk: "B", m["unit_b"].pk: "A", m["unit_c"].pk: "C"}
    assert not UnitRating.objects.exclude(status=RatingStatus.ADOPTED).exists()

    rating = UnitRating.objects.get(member=m["unit_a"])
    assert "已由大会评定" in _said(
        staff.post(f"/alliances/members/{m['unit_a'].pk}/rate/", {"grade": "A", "year": year}, follow=True)
    )
    refused = staff.post(f"/alliances/ratings/{rating.pk}/amend/", {"grade": "A", "reason": ""}, follow=True)
    assert "请写明更正理由。" in _said(refused)
    response = staff.post(
        f"/alliances/ratings/{rating.pk}/amend/", {"grade": "A", "reason": "漏计第四季度服务时长"}
    )
    amendment = AssemblyVote.objects.get(matter=VoteMatter.AMENDMENT)
    assert response["Location"] == f"/alliances/votes/{amendment.pk}/"
    assert amendment.member_id == m["unit_a"].pk and amendment.year == year
    assert "年度等次由 B 更正为 A：漏计第四季度服务时长" in staff.get(response["Location"]).content.decode()
    rating.refresh_from_db()
    assert (rating.grade, rating.pending_grade) == (
        "B",
        "A",
    )  # the adopted grade stands while the vote is open
    assert "更正为 A 表决中" in staff.get(ratings).content.decode()
    _adopt(world, setup, amendment)
    rating.refresh_from_db()
    assert (rating.grade, rating.previous_grade, rating.pending_grade, rating.vote_id) == (
        "A",
        "B",
        "",
        amendment.pk,
    )
    assert [e.kind for e in events_of(rating)][-2:] == [
        "unit_rating.amendment_proposed",
        "unit_rating.amended",
    ]
    assert dict(UnitRating.objects.exclude(pk=rating.pk).values_list("member", "grade")) == {
        m["unit_b"].pk: "A",
        m["unit_c"].pk: "C",
    }
    letter = staff.get(f"/alliances/ratings/{rating.pk}/letter.pdf")
    assert letter.status_code == 200 and letter["Content-Type"] == "application/pdf"
    path = tmp_path / "letter.pdf"
    path.write_bytes(letter.content)
    text = subprocess.run(["pdftotext", str(path), "-"], check=True, capture_output=True, text=True).stdout
    flat = "".join(text.split())
    assert "A等" in flat and "原评定为B等" in flat and "漏计第四季度服务时长" in flat


def test_an_amendment_the_assembly_refuses_leaves_the_grade(world, setup):
    staff, m, year = world.users["community_staff"], setup.members, date.today().year
    work.rating_propose(actor=staff, member=m["unit_b"], year=year, grade="A")
    _adopt(world, setup, work.rating_submit(actor=staff, alliance=setup.alliance, year=year))
    rating = UnitRating.objects.get(member=m["unit_b"])
    vote = work.rating_amend(actor=staff, rating=rating, grade="C", reason="群众反映服务不到位")
    for key, choice in (("unit_a", "no"), ("unit_b", "no"), ("unit_c", "yes")):
        services.ballot_cast(actor=staff, vote=vote, choice=choice, member=m[key])
    services.vote_close(actor=staff, vote=vote)
    rating.refresh_from_db()
    assert (rating.grade, rating.pending_grade, rating.previous_grade) == ("A", "", "")
    assert [e.kind for e in events_of(rating)][-1] == "unit_rating.amendment_rejected"
