"""Meetings through the API as the personas: venues, the dry-run check, a plan from invitation to minutes,
and bad input — a chair not eligible, a venue clash, too little notice, unknown people — answered with a clear
error and nothing changed. Two plans racing for one venue slot (PostgreSQL, real requests): one wins."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
import requests

from yishiting.accounts.services import token_create
from yishiting.api.tests.conftest import assert_error
from yishiting.deliberation.choices import EIGHT_PARTIES, TopicStatus
from yishiting.deliberation.models import Meeting, MeetingStep, Participant, Resolution, Topic, Venue
from yishiting.deliberation.services.meetings import Invitee, venue_save
from yishiting.deliberation.tests.test_meetings import (
    make_topic,
    make_venue,
    meeting_day,
    party_people,
    some_day,
)
from yishiting.notifications.models import Notification

pytestmark = pytest.mark.django_db


def body(world, *, topics=None, venue=None, chair: str = "community_secretary", people=None, starts=None,
         **extra) -> dict:
    starts = starts or some_day()
    people = people if people is not None else party_people(world)
    return {"title": "加装电梯协商会", "form": "round_table", "template_code": "kenli-345",
            "level_area_id": world.areas["C1"].pk, "venue_id": (venue or make_venue(world)).pk,
            "starts_at": starts.isoformat(), "ends_at": (starts + timedelta(hours=2)).isoformat(),
            "chair_id": world.people[chair].pk,
            "topic_ids": [t.pk for t in (topics or [make_topic(world)])],
            "participants": [{"person_id": p.person.pk, "party": p.party, "is_council_member": p.is_council_member}
                             for p in people], **extra}


def planned(world, api_as, **kwargs) -> dict:
    response = api_as("community_secretary").post("/meetings", body(world, **kwargs))
    assert response.status_code == 201, response.content.decode()
    return response.json()


# ---- venues and cadence ---------------------------------------------------------------------------------

def test_the_office_registers_venues_and_residents_cannot(world, api_as):
    spec = {"name": "幸福苑社区议事厅", "kind": "hall", "area_id": world.areas["C1"].pk, "capacity": 40}
    created = api_as("community_secretary").post("/meetings/venues", spec)
    assert created.status_code == 201 and created.json()["kind_label"] == "议事厅"
    assert created.json()["capacity"] == 40
    assert api_as("resident").post("/meetings/venues", spec).status_code == 403
    assert_error(api_as("community_secretary").post("/meetings/venues", {**spec, "capacity": 0}), 422)
    assert_error(api_as("community_secretary").post("/meetings/venues", {**spec, "kind": "palace"}), 400,
                 "invalid_choice")
    listed = api_as("community_staff").get("/meetings/venues").json()
    assert [v["name"] for v in listed["items"]] == ["幸福苑社区议事厅"]
    assert api_as("resident3").get("/meetings/venues").json()["count"] == 0  # another street's resident


def test_a_venue_is_changed_or_retired_by_its_own_level_only(world, api_as):
    venue = make_venue(world, capacity=20)
    spec = {"name": "幸福苑社区议事厅", "kind": "hall", "area_id": world.areas["C1"].pk, "capacity": 30}
    changed = api_as("community_secretary").request("PUT", f"/meetings/venues/{venue.pk}",
                                                     {**spec, "is_active": False})
    assert changed.status_code == 200 and (changed.json()["capacity"], changed.json()["is_active"]) == (30, False)
    street = venue_save(actor=world.users["street_official"], name="东风街道议事厅", kind="hall",
                        area=world.areas["S1"], capacity=60)
    refused = api_as("community_secretary").request("PUT", f"/meetings/venues/{street.pk}", spec)
    assert_error(refused, 403)
    assert Venue.objects.get(pk=street.pk).capacity == 60
    error = assert_error(api_as("community_secretary").post("/meetings", body(world, venue=venue)), 400,
                         "venue_inactive")
    assert "已停用" in error["message"]


def test_a_community_may_use_the_street_hall(world, api_as):
    venue_save(actor=world.users["street_official"], name="东风街道议事厅", kind="hall", area=world.areas["S1"],
               capacity=60)
    names = [v["name"] for v in api_as("community_secretary").get("/meetings/venues").json()["items"]]
    assert names == ["东风街道议事厅"]


def test_cadence_proposes_kenli_dates_on_the_tens(world, api_as):
    response = api_as("community_staff").get("/meetings/cadence", template="kenli-345", start="2026-02-15", count=3)
    assert response.json()["dates"] == ["2026-02-20", "2026-02-28", "2026-03-10"]
    assert response.json()["cadence_label"].startswith("逢十议事")
    assert_error(api_as("community_staff").get("/meetings/cadence", template="nope", start="2026-02-15"), 400,
                 "invalid_choice")


# ---- check and plan -------------------------------------------------------------------------------------

def test_the_dry_run_lists_missing_parties_and_saves_nothing(world, api_as):
    few = party_people(world, EIGHT_PARTIES[:2])
    response = api_as("community_secretary").post("/meetings/check", body(world, people=few))
    report = response.json()
    assert response.status_code == 200 and report["ok"] is True and report["size"] == 3
    assert report["missing_parties"] == ["deputy", "property", "owners_committee", "social_org", "legal_adviser",
                                         "dual_registration"]
    assert report["warnings"][0]["code"] == "parties_missing"
    assert not Meeting.objects.exists() and Topic.objects.get().status == TopicStatus.OPEN


def test_a_meeting_from_invitation_to_minutes(world, api_as, messages_outbox, django_capture_on_commit_callbacks):
    resident = world.people["resident"]
    people = [Invitee(resident, "resident", True), *party_people(world, EIGHT_PARTIES[1:])]
    meeting = planned(world, api_as, people=people)
    secretary, clerk = api_as("community_secretary"), api_as("community_staff")
    assert meeting["status"] == "planned" and meeting["agenda"][0]["status"] == "scheduled"
    with django_capture_on_commit_callbacks(execute=True):
        notified = secretary.post(f"/meetings/{meeting['id']}/notify")
    assert notified.status_code == 200 and notified.json()["notified_at"] and len(messages_outbox) == 9
    meeting_day(Meeting.objects.get(pk=meeting["id"]))
    mine = api_as("resident").get(f"/meetings/{meeting['id']}").json()["participants"]
    shown = [p for p in mine if p["sign_in_code"]]
    assert [p["name"] for p in shown] == ["张*"]  # a resident sees only their own code
    own = api_as("resident").post(f"/meetings/{meeting['id']}/sign-in", {"code": shown[0]["sign_in_code"]})
    assert own.status_code == 200 and own.json()["signed_in_at"]
    for participant in Participant.objects.filter(meeting_id=meeting["id"], signed_in_at__isnull=True):
        assert clerk.post(f"/meetings/{meeting['id']}/sign-in", {"code": participant.sign_in_code}).status_code == 200
    quorum = clerk.get(f"/meetings/{meeting['id']}/quorum").json()
    assert (quorum["council_members"], quorum["council_present"], quorum["required"], quorum["met"]) == (8, 8, 6, True)
    assert clerk.post(f"/meetings/{meeting['id']}/start").json()["status"] == "in_progress"
    topic_id = meeting["agenda"][0]["topic_id"]
    steps = [{"kind": "opening", "text": "议题来源：3栋居民联名", "topic_id": topic_id},
             {"kind": "speech", "text": "我家在6楼，很需要", "speaker_id": resident.pk, "topic_id": topic_id},
             {"kind": "summary", "text": "多数支持，按楼层分摊", "topic_id": topic_id}]
    for step in steps:
        assert clerk.post(f"/meetings/{meeting['id']}/steps", step).status_code == 201
    resolution = secretary.post(f"/meetings/{meeting['id']}/resolutions", {
        "topic_id": topic_id, "text": "同意加装电梯，费用按楼层分摊", "next_step": "publicity"})
    assert resolution.status_code == 201 and resolution.json()["next_step_label"] == "进入公示和办理"
    assert Topic.objects.get(pk=topic_id).status == TopicStatus.RESOLVED
    assert secretary.post(f"/meetings/{meeting['id']}/close").json()["status"] == "closed"
    minutes = api_as("resident").get(f"/meetings/{meeting['id']}/minutes").json()
    assert minutes["chair"] == "孙书记" and minutes["venue"] == "幸福苑社区议事厅"
    topic = minutes["topics"][0]
    assert [s["seq"] for s in topic["steps"]] == [1, 2, 3] and topic["steps"][1]["speaker"] == "张*"
    assert topic["steps"][1]["party_label"] == "居民群众" and topic["resolution"]["text"].startswith("同意")
    assert "张三" not in str(minutes) and sum(len(a["present"]) for a in minutes["attendance"]) == 9


def test_meetings_list_with_filters(world, api_as):
    first = planned(world, api_as)
    planned(world, api_as, topics=[make_topic(world, title="停车难")], venue=make_venue(world, name="二号厅"))
    api = api_as("community_staff")
    assert api.get("/meetings").json()["count"] == 2
    assert api.get("/meetings", topic_id=first["agenda"][0]["topic_id"]).json()["items"][0]["id"] == first["id"]
    assert api.get("/meetings", status="closed").json()["count"] == 0
    assert api_as("resident3").get("/meetings").json()["count"] == 0
    assert api_as("resident3").get(f"/meetings/{first['id']}").status_code == 404


# ---- bad input: a clear error and nothing changed --------------------------------------------------------

def assert_nothing_planned() -> None:
    assert not Meeting.objects.exists() and not Participant.objects.exists()
    assert set(Topic.objects.values_list("status", flat=True)) <= {TopicStatus.OPEN}


def test_a_chair_not_eligible_is_refused(world, api_as):
    error = assert_error(api_as("community_secretary").post("/meetings", body(world, chair="community_staff")), 400,
                         "chair_not_eligible")
    assert "社区书记" in error["message"] and error["details"]["errors"][0]["field"] == "chair"
    assert_nothing_planned()


def test_a_venue_clash_is_a_conflict(world, api_as):
    venue = make_venue(world)
    planned(world, api_as, venue=venue)
    error = assert_error(api_as("community_secretary").post(
        "/meetings", body(world, venue=venue, topics=[make_topic(world, title="停车难")],
                          starts=some_day(hour=10))), 409, "venue_clash")
    assert "时间冲突" in error["message"]
    assert Meeting.objects.count() == 1 and Topic.objects.get(title="停车难").status == TopicStatus.OPEN


def test_too_little_notice_and_other_problems_are_listed_together(world, api_as):
    from django.utils import timezone

    error = assert_error(api_as("community_secretary").post("/meetings", body(
        world, starts=timezone.now() + timedelta(days=1), venue=make_venue(world, capacity=3))), 400, "plan_invalid")
    assert {p["code"] for p in error["details"]["errors"]} == {"notice_too_short", "venue_too_small"}
    assert_nothing_planned()


@pytest.mark.parametrize(("change", "status", "code"), [
    ({"participants": [{"person_id": 10**9, "party": "resident"}]}, 400, "invitee_not_allowed"),
    ({"participants": [{"person_id": "x", "party": "resident"}]}, 422, None),
    ({"form": "picnic"}, 400, "form_not_allowed"),
    ({"template_code": "nope"}, 400, "invalid_choice"),
    ({"topic_ids": []}, 400, "required"),
    ({"title": " "}, 400, "required"),
    ({"venue": 1}, 422, None),
])
def test_bad_plans_change_nothing(world, api_as, change, status, code):
    response = api_as("community_secretary").post("/meetings", {**body(world), **change})
    assert_error(response, status, code)
    assert_nothing_planned()


def test_a_bad_party_is_refused(world, api_as):
    spec = body(world)
    spec["participants"][0]["party"] = "mayor"
    assert_error(api_as("community_secretary").post("/meetings", spec), 400, "invalid_party")
    assert_nothing_planned()


@pytest.mark.parametrize("persona", ["resident", "grid_worker", "handler"])
def test_only_the_office_plans(world, api_as, persona):
    response = api_as(persona).post("/meetings", body(world))
    assert response.status_code in (403, 404)
    assert_nothing_planned()


def test_residents_cannot_record_steps_or_resolutions_and_steps_need_a_running_meeting(world, api_as):
    meeting = planned(world, api_as)
    topic_id = meeting["agenda"][0]["topic_id"]
    assert_error(api_as("community_staff").post(f"/meetings/{meeting['id']}/steps",
                                                {"kind": "opening", "text": "开始"}), 409, "meeting_not_running")
    assert_error(api_as("resident").post(f"/meetings/{meeting['id']}/steps", {"kind": "opening", "text": "开始"}),
                 403)
    assert_error(api_as("resident").post(f"/meetings/{meeting['id']}/resolutions", {
        "topic_id": topic_id, "text": "同意", "next_step": "publicity"}), 403)
    assert_error(api_as("community_staff").post(f"/meetings/{meeting['id']}/sign-in", {"code": "wrong"}), 400,
                 "invalid_code")
    assert not MeetingStep.objects.exists() and not Resolution.objects.exists()


# ---- concurrency ----------------------------------------------------------------------------------------

@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.races
def test_two_plans_racing_for_one_venue_slot_exactly_one_wins(world, live_server):
    venue = make_venue(world)
    headers = [{"Authorization": f"Bearer {token_create(actor=world.users[p], name='并发')[1]}"}
               for p in ("community_secretary", "street_official")]
    bodies = [body(world, venue=venue, topics=[make_topic(world, title=f"议题{i}")]) for i in range(2)]
    barrier, results = threading.Barrier(2), [None, None]

    def run(i: int) -> None:
        barrier.wait(timeout=10)
        results[i] = requests.post(f"{live_server.url}/api/v1/meetings", json=bodies[i], headers=headers[i],
                                   timeout=60)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(r.status_code for r in results) == [201, 409]
    loser = next(r for r in results if r.status_code == 409)
    assert loser.json()["code"] == "venue_clash"
    assert Meeting.objects.filter(venue=venue).count() == 1
    assert Topic.objects.filter(status=TopicStatus.SCHEDULED).count() == 1
    assert Notification.objects.count() == 0


# ---- query budgets --------------------------------------------------------------------------------------

def test_the_list_and_the_detail_cost_the_same_whatever_their_size(world, api_as, django_assert_max_num_queries):
    api = api_as("community_staff")
    first = planned(world, api_as)
    for i in range(3):
        planned(world, api_as, topics=[make_topic(world, title=f"议题{i}")], venue=make_venue(world, name=f"{i}号厅"))
    api.get("/meetings")  # warm the token and role caches
    with django_assert_max_num_queries(4):
        assert api.get("/meetings").json()["count"] == 4
    # 11: the meeting, agenda, participants, steps, votes, resolutions, the quorum's list, the level and its
    # standing body (quorum from its seats), and who really holds each party (roles, households): one each.
    with django_assert_max_num_queries(11):
        assert len(api.get(f"/meetings/{first['id']}").json()["participants"]) == 9
    with django_assert_max_num_queries(9):
        assert api.get(f"/meetings/{first['id']}/minutes").status_code == 200
