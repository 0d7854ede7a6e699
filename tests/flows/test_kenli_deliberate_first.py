"""垦利 决策前置 through HTTP: a 物业管理 matter of 幸福苑小区 must be deliberated by the estate's 小区居民议事会
before the community records its decision.

The community office sets up the estate council on the pages (the estate's party branch secretary convenes; a
resident, the property company with its manager and the community's staff member sit in it). 张三 reports that
the property company stopped cleaning the bins; the secretary proposes the matter at community level for the
estate, and the demand joins it. The community's first meeting cannot decide it: the resolution is refused,
naming the estate council. The estate council meets (its branch secretary chairs, its members are at the table
and count for its quorum) and discusses the matter; the community meets again and the resolution is accepted.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from yishiting.accounts.services import token_create
from yishiting.api.tests.conftest import ApiClient
from yishiting.areas.choices import Role
from yishiting.areas.services import role_assign
from yishiting.bodies.models import Body, BodyKind
from yishiting.bodies.tests.conftest import add_person
from yishiting.deliberation.models import Meeting
from yishiting.deliberation.tests.test_meetings import meeting_day

from .http import follow, signed_in

pytestmark = pytest.mark.django_db


class Api:
    """One persona on the JSON API with a real token, each answer's status checked."""

    def __init__(self, world, name: str) -> None:
        self.client = ApiClient(token_create(actor=world.users[name], name="手机")[1])

    def __call__(self, method: str, path: str, body=None, expect: int = 200) -> dict:
        response = self.client.request(method, path, body)
        assert response.status_code == expect, f"{method} {path}: {response.status_code} {response.content.decode()[:1500]}"
        return response.json()


def _starts(days: int = 6) -> datetime:
    day = timezone.localdate() + timedelta(days=days)
    return timezone.make_aware(datetime(day.year, day.month, day.day, 19, 0))


def _estate_council(world) -> tuple[Body, list[int]]:
    """The community staff found the estate council and seat its members on the pages (the person picker's ids)."""
    staff = signed_in(world, "community_staff")
    estate_council = BodyKind.objects.get(code="estate_council")
    page = follow(staff, "/bodies/new/", {"kind": estate_council.pk, "area": world.areas["G1"].pk})
    assert "已设立“幸福苑小区小区居民议事会”" in page, page[:3000]
    body = Body.objects.get(area=world.areas["G1"])
    branch, manager = world.people["branch"], world.people["manager"]
    seats = [{"person": branch.pk, "role": "convener"}, {"person": world.people["resident"].pk, "role": "member"},
             {"organization": world.organizations["property"].pk, "representative": manager.pk, "role": "member"},
             {"person": world.people["community_staff"].pk, "role": "secretary"}]
    for seat in seats:
        page = follow(staff, f"/bodies/{body.pk}/members/", {**seat, "term_start": timezone.localdate().isoformat()})
        assert "已添加成员" in page, page[:3000]
    assert "幸福苑物业服务有限公司（代表 物业经理）" in page and "田支书" in page  # staff may unmask (audited)
    return body, [branch.pk, world.people["resident"].pk, manager.pk, world.people["community_staff"].pk]


def _meeting(world, secretary: Api, topic: dict, level: str, chair: int, people: list[tuple[int, str]], title: str):
    venue = secretary("POST", "/meetings/venues", {"name": "幸福苑社区议事厅", "kind": "hall", "capacity": 40,
                                                   "area_id": world.areas["C1"].pk}, expect=201)["id"] \
        if not Meeting.objects.exists() else Meeting.objects.first().venue_id
    starts = _starts(6 + Meeting.objects.count())
    meeting = secretary("POST", "/meetings", {
        "title": title, "form": "round_table", "template_code": "kenli-345", "level_area_id": world.areas[level].pk,
        "venue_id": venue, "starts_at": starts.isoformat(), "ends_at": (starts + timedelta(hours=2)).isoformat(),
        "chair_id": chair, "topic_ids": [topic["id"]],
        "participants": [{"person_id": pk, "party": party, "is_council_member": True} for pk, party in people]},
        expect=201)
    secretary("POST", f"/meetings/{meeting['id']}/notify")
    meeting_day(Meeting.objects.get(pk=meeting["id"]))  # the clock: the days of notice have passed
    clerk = Api(world, "community_staff")
    for p in clerk("GET", f"/meetings/{meeting['id']}")["participants"]:
        clerk("POST", f"/meetings/{meeting['id']}/sign-in", {"code": p["sign_in_code"]})
    return meeting


def _run(world, chair: Api, meeting: dict, topic: dict) -> None:
    url, clerk = f"/meetings/{meeting['id']}", Api(world, "community_staff")
    assert chair("POST", f"{url}/start")["status"] == "in_progress"
    for step in [{"kind": "opening", "text": "议题来源：居民诉求，物业停止清运垃圾桶"},
                 {"kind": "speech", "text": "同意由物业恢复每日清运", "speaker_id": world.people["resident"].pk},
                 {"kind": "summary", "text": "小区居民议事会意见：恢复每日清运，费用按合同执行"}]:
        clerk("POST", f"{url}/steps", {**step, "topic_id": topic["id"]}, expect=201)


def test_a_kenli_property_matter_needs_the_estate_council_before_the_community_decides(world):
    branch = add_person(world, "branch", "田支书", "13900000041", area="G1")
    role_assign(actor=None, person=branch, role=Role.ESTATE_BRANCH_SECRETARY, area=world.areas["G1"])
    add_person(world, "manager", "物业经理", "13900000042")
    body, members = _estate_council(world)

    resident, staff, secretary = Api(world, "resident"), Api(world, "community_staff"), Api(world, "community_secretary")
    category = next(c["id"] for c in resident("GET", "/categories") if c["name"] == "物业管理")
    demand = resident("POST", "/demands", {"text": "物业一个月没清运垃圾桶了，小区里味道很大", "category_id": category,
                                           "area_id": world.areas["B1"].pk}, expect=201)
    topic = secretary("POST", "/topics", {"title": "幸福苑小区垃圾清运", "description": "物业停止清运垃圾桶",
                                          "level_area_id": world.areas["C1"].pk, "scope_area_id": world.areas["G1"].pk,
                                          "template_code": "kenli-345"}, expect=201)
    staff("POST", f"/demands/{demand['id']}/screen", {"outcome": "topic", "nature": "public", "topic_id": topic["id"],
                                                      "reason": "涉及全小区住户"})
    secretary("POST", f"/topics/{topic['id']}/analysis", {"analysis": "物业合同约定每日清运。", "draft_plan": "恢复清运"})
    people = [(world.people["resident"].pk, "resident"), (world.people["grid_worker"].pk, "grid_worker")]

    # The community meets first: the decision is refused, naming the estate council that has not deliberated.
    first = _meeting(world, secretary, topic, "C1", world.people["community_secretary"].pk, people, "垃圾清运协商会")
    _run(world, secretary, first, topic)
    decision = {"topic_id": topic["id"], "text": "物业恢复每日清运。", "next_step": "publicity"}
    refused = secretary("POST", f"/meetings/{first['id']}/resolutions", decision, expect=409)
    assert refused["code"] == "deliberate_first" and "幸福苑小区小区居民议事会" in refused["message"], refused
    secretary("POST", f"/meetings/{first['id']}/close")

    # The estate council meets, chaired by its branch secretary; its members are at the table.
    estate = _meeting(world, secretary, topic, "G1", branch.pk,
                      [(pk, "resident") for pk in members[1:]], "小区居民议事会：垃圾清运")
    assert secretary("GET", f"/meetings/{estate['id']}/quorum")["met"] is True
    _run(world, secretary, estate, topic)
    secretary("POST", f"/meetings/{estate['id']}/close")

    # The community meets again and the decision is recorded.
    again = _meeting(world, secretary, topic, "C1", world.people["community_secretary"].pk, people, "垃圾清运决策会")
    _run(world, secretary, again, topic)
    resolution = secretary("POST", f"/meetings/{again['id']}/resolutions", decision, expect=201)
    assert resolution["next_step_label"] == "进入公示和办理"
    assert secretary("GET", f"/topics/{topic['id']}")["status_label"] == "已形成决议"
    # The body's page lists its meeting; a neighbour reads the members masked.
    assert "小区居民议事会：垃圾清运" in signed_in(world, "community_staff").get(f"/bodies/{body.pk}/").content.decode()
    seen = signed_in(world, "resident").get(f"/bodies/{body.pk}/").content.decode()
    assert "田**" in seen and "幸福苑物业服务有限公司（代表 物***）" in seen
    assert "田支书" not in seen, seen[seen.find("田支书") - 800:seen.find("田支书") + 100]
