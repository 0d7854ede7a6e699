"""党建联盟 through HTTP (seed 000, Nanjiang): the community office founds 幸福苑社区党建联盟 with three founding
units whose liaison party members adopt 盟约 v1 by the assembly's vote on their phones; 新华书店党支部 applies and
accepts the 盟约, the office reviews it and the assembly admits it by vote; at the assembly it is assigned a
quarterly task under a committee, reports progress and closes it with evidence; a resident rates the service; at
year end the office proposes B, the assembly adopts the ratings, and the result letter — a PDF with CJK fonts
addressed to the unit's superior party organisation — is produced. Residents of another community see nothing."""

from __future__ import annotations

import re
import subprocess
from datetime import timedelta

import pytest
from django.utils import timezone

from yishiting.alliances.models import Alliance, AssemblyVote, Member, Task, UnitRating
from yishiting.alliances.tests.conftest import UNITS, unit

from .http import follow, signed_in


def _vote_all(world, vote: AssemblyVote, voters: list[str], choice: str = "yes") -> None:
    for key in voters:
        page = follow(signed_in(world, key), f"/alliances/votes/{vote.pk}/cast/", {"choice": choice})
        assert "已投票" in page


def _pdf_text(content: bytes, tmp_path) -> tuple[str, str]:
    path = tmp_path / "letter.pdf"
    path.write_bytes(content)
    fonts = subprocess.run(["pdffonts", str(path)], check=True, capture_output=True, text=True, timeout=60).stdout
    text = subprocess.run(["pdftotext", str(path), "-"], check=True, capture_output=True, text=True, timeout=60).stdout
    return fonts, re.sub(r"\s+", "", text)


@pytest.mark.django_db
def test_a_unit_admitted_by_vote_is_assigned_a_task_rated_b_and_its_letter_produced(world, tmp_path):
    for key, name, superior, liaison, mobile in UNITS:
        unit(world, key, name, superior, liaison, mobile)
    office = signed_in(world, "community_staff")
    page = follow(office, "/alliances/new/", {
        "area": world.areas["C1"].pk, "name": "幸福苑社区党建联盟", "kind": "community", "grades": "ABC",
        "title": "幸福苑社区党建联盟盟约", "clauses": "资源共享，阵地共用。\n需求共商，每季度召开联席会。\n服务共担，任务按期销号。"})
    assert "联盟已设立" in page and "筹建中" in page
    alliance = Alliance.objects.get(name="幸福苑社区党建联盟")
    orgs = {o.name: o for o in world.areas["C1"].organizations.all()}
    for key, name, *_ in UNITS[:3]:
        person = Member._meta.get_field("liaison").related_model.objects.get(user=world.users[key])
        page = follow(office, f"/alliances/{alliance.pk}/units/new/", {"organization": orgs[name].pk,
                                                                       "liaison": person.pk})
        assert "发起单位已登记" in page
    version = alliance.versions.get()
    follow(office, f"/alliances/versions/{version.pk}/consult/")
    clause = version.clauses.get(number=2)
    page = follow(signed_in(world, "unit_b"), f"/alliances/clauses/{clause.pk}/comment/", {"text": "建议每月一次"})
    assert "意见已提交" in page and "第一中学党支部：建议每月一次" in page
    follow(office, f"/alliances/versions/{version.pk}/vote/")
    vote = AssemblyVote.objects.get(version=version)
    _vote_all(world, vote, ["unit_a", "unit_b", "unit_c"])
    page = follow(office, f"/alliances/votes/{vote.pk}/close/")
    assert "同意 3，反对 0，弃权 0" in page and "通过" in page
    assert "运行中" in office.get(f"/alliances/{alliance.pk}/").content.decode()

    # 新华书店党支部 applies on its liaison's phone and accepts the current 盟约
    applicant = signed_in(world, "unit_d")
    form = applicant.get(f"/alliances/{alliance.pk}/units/new/").content.decode()
    assert "申请入盟须承诺遵守现行盟约《幸福苑社区党建联盟盟约》（第 1 版）" in form
    liaison_d = Member._meta.get_field("liaison").related_model.objects.get(user=world.users["unit_d"])
    page = follow(applicant, f"/alliances/{alliance.pk}/units/new/", {
        "organization": orgs["新华书店党支部"].pk, "liaison": liaison_d.pk, "application": "愿意开放阅读空间",
        "accepts_covenant": "on"})
    assert "入盟申请已提交" in page
    member = Member.objects.get(organization=orgs["新华书店党支部"])
    page = follow(office, f"/alliances/members/{member.pk}/review/", {"approve": "1", "note": "材料齐全"})
    assert "审核通过，已提交联盟大会表决" in page
    vote = member.admission_votes.get()
    assert applicant.post(f"/alliances/votes/{vote.pk}/cast/", {"choice": "yes"}).status_code == 404  # no say yet
    _vote_all(world, vote, ["unit_a", "unit_b"])
    _vote_all(world, vote, ["unit_c"], "abstain")
    follow(office, f"/alliances/votes/{vote.pk}/close/")
    member.refresh_from_db()
    assert member.status == "admitted" and member.accepted_version == version
    page = applicant.get(f"/alliances/{alliance.pk}/").content.decode()
    assert "本单位：新华书店党支部" in page and "本单位承诺遵守的盟约：《幸福苑社区党建联盟盟约》第 1 版" in page

    # the quarter's task: collected, sorted, assigned at the assembly to the new unit under a committee
    today = timezone.localdate()
    quarter = (today.month - 1) // 3 + 1
    founders = list(alliance.members.exclude(pk=member.pk))
    follow(office, f"/alliances/{alliance.pk}/meetings/new/", {
        "kind": "assembly", "held_on": today.isoformat(), "place": "党群服务中心联盟阵地", "subject": "季度任务分派大会",
        "minutes": "会议审议了本季度任务清单。", "attendees": [m.pk for m in [*founders, member]]})
    follow(office, f"/alliances/{alliance.pk}/committees/new/", {
        "name": "文化共育专委", "lead": member.pk, "members": [founders[1].pk]})
    page = follow(office, f"/alliances/{alliance.pk}/tasks/new/", {
        "year": today.year, "quarter": quarter, "title": "社区少儿阅读角建设", "source": "community"})
    assert "任务已收集" in page
    task = Task.objects.get(title="社区少儿阅读角建设")
    follow(office, f"/alliances/tasks/{task.pk}/sort/", {"keep": "1"})
    page = follow(office, f"/alliances/tasks/{task.pk}/assign/", {
        "committee": alliance.committees.get().pk, "owner": member.pk, "meeting": alliance.meetings.get().pk,
        "deadline": (today + timedelta(days=30)).isoformat()})
    assert "任务已分派" in page
    page = follow(applicant, f"/alliances/tasks/{task.pk}/report/", {"progress": "60", "hours": "8", "note": "书架已到位"})
    assert "进展已填报" in page and "书架已到位" in page
    page = follow(applicant, f"/alliances/tasks/{task.pk}/complete/", {"evidence": "阅读角照片 6 张，验收单 1 份"})
    assert "任务已销号" in page and "已完成" in page
    page = follow(signed_in(world, "resident"), f"/alliances/tasks/{task.pk}/rate/", {"stars": "5"})
    assert "谢谢您的评价" in page

    # year end: B proposed, adopted by the assembly, the letter to 市新华书店党委
    ratings = f"/alliances/{alliance.pk}/ratings/?year={today.year}"
    page = follow(office, f"/alliances/members/{member.pk}/rate/", {"grade": "B", "year": today.year})
    assert "初评等次已保存" in page
    page = follow(office, f"/alliances/{alliance.pk}/ratings/submit/", {"year": today.year})
    vote = AssemblyVote.objects.get(matter="rating")
    _vote_all(world, vote, ["unit_a", "unit_b", "unit_c", "unit_d"])
    follow(office, f"/alliances/votes/{vote.pk}/close/")
    rating = UnitRating.objects.get(member=member)
    assert (rating.status, rating.grade, rating.tasks_done) == ("adopted", "B", 1)
    page = applicant.get(ratings).content.decode()
    assert "大会评定" in page and f"/alliances/ratings/{rating.pk}/letter.pdf" in page
    response = applicant.get(f"/alliances/ratings/{rating.pk}/letter.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    fonts, text = _pdf_text(response.content, tmp_path)
    assert any(face in fonts for face in ("Droid-Sans-Fallback", "CJK"))
    assert "市新华书店党委：" in text and "新华书店党支部" in text and "B等" in text and "完成联盟任务1项" in text
    assert signed_in(world, "unit_a").get(f"/alliances/ratings/{rating.pk}/letter.pdf").status_code == 404

    # people of another community see none of it
    outsider = signed_in(world, "resident3")
    assert "幸福苑社区党建联盟" not in outsider.get("/alliances/").content.decode()
    for url in (f"/alliances/{alliance.pk}/", f"/alliances/tasks/{task.pk}/", ratings, f"/alliances/votes/{vote.pk}/"):
        assert outsider.get(url).status_code == 404
