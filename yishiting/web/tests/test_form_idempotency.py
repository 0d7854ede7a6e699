"""A double tap or a resend on a weak network never files twice: every web form that creates something carries
a `form_key` when it is drawn, and a second POST with the same key goes where the first one went. A POST
without a key (an old page, a script) still works, unprotected; a form that came back with errors may be sent
again with its key."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import resolve, reverse
from django.utils import timezone

from yishiting.deliberation.models import (
    Meeting,
    MeetingStep,
    Opinion,
    ProcessTemplate,
    Resolution,
    Topic,
    Venue,
    Vote,
)
from yishiting.deliberation.services.meetings import venue_save
from yishiting.deliberation.services.topics import topic_propose
from yishiting.demands.models import Demand
from yishiting.handling.models import Notice, Objection, ProgressReport, Rating, SupervisionRecord, Task
from yishiting.handling.tests.tasks_world import assign, handling_topic
from yishiting.handling.tests.test_evaluation import evaluating_topic
from yishiting.handling.tests.world import resolved_topic
from yishiting.web.models import FormSubmission

from .pages import main
from .test_meeting_pages import meeting_under_way, plan_data
from .test_notice_pages import published
from .test_owners_vote_pages import owners  # noqa: F401  (the fixture: flats of 1单元 with their owners)

pytestmark = pytest.mark.usefixtures("file_media")


def form_key(client: Client, url: str, action: str | None = None) -> str:
    """The key the page drew into its form (the form posting to `action`, else the first one with a key)."""
    html = client.get(url).content.decode()
    forms = re.findall(r"<form\b.*?</form>", html, flags=re.S)
    chosen = [f for f in forms if action is None or f'action="{action}"' in f]
    keys = [m for f in chosen for m in re.findall(r'name="form_key" value="([0-9a-f]{32})"', f)]
    assert keys, f"no form_key in the form of {url}"
    return keys[0]


def twice(client: Client, url: str, data: dict, key: str) -> tuple:
    first = client.post(url, {**data, "form_key": key})
    second = client.post(url, {**data, "form_key": key})
    assert first.status_code == 302, main(first)
    assert second.status_code == 302 and second["Location"] == first["Location"]
    return first, second


def test_a_venue_registered_twice_with_one_key_is_one_venue(world, as_persona):
    client = as_persona("community_staff")
    data = {"name": "幸福苑议事点", "kind": "point", "area": world.areas["G1"].pk, "capacity": 12}
    _, second = twice(client, "/venues/", data, form_key(client, "/venues/"))
    assert Venue.objects.filter(name="幸福苑议事点").count() == 1
    assert "没有重复保存" in main(client.get(second["Location"]))
    # Without a key (an old page): still saved — and a resend files again, which the key is there to prevent.
    assert client.post("/venues/", {**data, "name": "无键的议事点"}).status_code == 302
    assert Venue.objects.filter(name="无键的议事点").count() == 1


def test_a_form_that_came_back_with_errors_may_be_sent_again_with_its_key(world, as_persona):
    client = as_persona("community_staff")
    key = form_key(client, "/venues/")
    bad = client.post("/venues/", {"name": "", "kind": "hall", "area": world.areas["C1"].pk, "capacity": 0,
                                   "form_key": key})
    assert bad.status_code == 400 and not FormSubmission.objects.exists()
    ok = client.post("/venues/", {"name": "议事厅二", "kind": "hall", "area": world.areas["C1"].pk, "capacity": 9,
                                  "form_key": key})
    assert ok.status_code == 302 and Venue.objects.filter(name="议事厅二").count() == 1


def test_a_resend_while_the_first_post_still_runs_creates_nothing(world, as_persona, monkeypatch):
    from yishiting.web import guard

    monkeypatch.setattr(guard, "REPLAY_WAIT_SECONDS", 0.3)
    key = "d" * 32
    FormSubmission.objects.create(user=world.users["community_staff"], key=key, path="/venues/")  # still running
    data = {"name": "等待中的议事点", "kind": "point", "area": world.areas["G1"].pk, "capacity": 5, "form_key": key}
    response = as_persona("community_staff").post("/venues/", data)
    assert response.status_code == 409 and "这张表单正在提交" in main(response)
    assert not Venue.objects.filter(name="等待中的议事点").exists()


def test_a_key_is_one_users_own(world, as_persona):
    data = {"name": "共用键议事点", "kind": "point", "area": world.areas["G1"].pk, "capacity": 5}
    key = "a" * 32
    assert as_persona("community_staff").post("/venues/", {**data, "form_key": key}).status_code == 302
    assert as_persona("community_secretary").post("/venues/", {**data, "form_key": key}).status_code == 302
    assert Venue.objects.filter(name="共用键议事点").count() == 2


def test_topic_proposed_twice_is_one_topic(world, as_persona):
    client = as_persona("community_secretary")
    template = ProcessTemplate.objects.get(code="nanchang-round-table").pk
    data = {"title": "停车位划线", "level_area": world.areas["C1"].pk, "template": template,
            "proposer": world.people["resident"].pk, "proposal_signed": "on"}
    first, _ = twice(client, "/topics/new/", data, form_key(client, "/topics/new/"))
    topic = Topic.objects.get(title="停车位划线")
    assert first["Location"] == f"/topics/{topic.pk}/"


def test_an_opinion_sent_twice_is_recorded_once(world, as_persona):
    topic = topic_propose(actor=world.users["community_secretary"], title="幸福苑3栋加装电梯", description="",
                          level_area=world.areas["C1"], scope_area=world.areas["B1"])
    client = as_persona("resident")
    url = f"/topics/{topic.pk}/opinion/"
    twice(client, url, {"stance": "support", "text": "家住6楼"}, form_key(client, f"/topics/{topic.pk}/", url))
    assert Opinion.objects.filter(topic=topic).count() == 1


def test_a_meeting_planned_twice_is_one_meeting(world, as_persona):
    topic = topic_propose(actor=world.users["community_secretary"], title="幸福苑3栋加装电梯", description="",
                          level_area=world.areas["C1"], scope_area=world.areas["B1"])
    venue = venue_save(actor=world.users["community_staff"], name="幸福苑社区议事厅", kind="hall",
                       area=world.areas["C1"], capacity=30)
    client = as_persona("community_secretary")
    url = f"/meetings/new/?topic={topic.pk}"
    first, _ = twice(client, url, {**plan_data(world, topic, venue), "plan": "1"}, form_key(client, url))
    assert Meeting.objects.count() == 1 and first["Location"] == f"/meetings/{Meeting.objects.get().pk}/"


def test_a_notice_drafted_twice_is_one_notice(world, as_persona):
    _, resolution = resolved_topic(world)
    client = as_persona("community_secretary")
    url = f"/notices/new/?resolution={resolution.pk}"
    data = {"title": "", "responsible": "孙书记", "plan-TOTAL_FORMS": "1", "plan-INITIAL_FORMS": "0",
            "plan-0-when": "12月1日—12月5日", "plan-0-what": "采购声控LED灯", "plan-0-who": "物业 钱经理"}
    first, _ = twice(client, url, data, form_key(client, url))
    assert Notice.objects.count() == 1 and first["Location"] == f"/notices/{Notice.objects.get().pk}/"


def test_an_objection_sent_twice_is_one_objection(world, as_persona):
    notice = published(world)
    client = as_persona("resident")
    url = f"/notices/{notice.pk}/objection/"
    twice(client, url, {"text": "施工噪音影响老人休息"}, form_key(client, f"/notices/{notice.pk}/public/", url))
    assert Objection.objects.count() == 1


def test_a_task_assigned_twice_is_one_task(world, as_persona):
    topic, _ = handling_topic(world)
    client = as_persona("community_staff")
    url = f"/topics/{topic.pk}/tasks/new/"
    data = {"title": "更换楼道灯", "area": world.areas["B1"].pk, "subject_kind": "community",
            "handler_role": world.people["handler"].pk, "deadline_days": "10",
            "milestones-TOTAL_FORMS": "1", "milestones-INITIAL_FORMS": "0", "milestones-0-title": "采购灯具",
            "milestones-0-day": (timezone.localdate() + timedelta(days=3)).isoformat()}
    first, _ = twice(client, url, data, form_key(client, url))
    assert Task.objects.count() == 1 and first["Location"] == f"/tasks/{Task.objects.get().pk}/"


def test_a_progress_report_and_a_supervision_record_sent_twice_are_kept_once(world, as_persona):
    task = assign(world, *handling_topic(world))
    handler = as_persona("handler")
    url = f"/tasks/{task.pk}/report/"
    twice(handler, url, {"text": "灯具已到货", "percent": "40"}, form_key(handler, f"/tasks/{task.pk}/", url))
    assert ProgressReport.objects.filter(task=task).count() == 1
    staff = as_persona("community_staff")
    url = f"/topics/{task.topic_id}/supervision/record/"
    data = {"kind": "visit", "happened_on": timezone.localdate(), "text": "走访3栋住户"}
    twice(staff, url, data, form_key(staff, f"/topics/{task.topic_id}/supervision/", url))
    assert SupervisionRecord.objects.count() == 1


def test_a_rating_sent_twice_goes_to_the_rating_not_to_an_error(world, as_persona):
    _, round_ = evaluating_topic(world)
    client = as_persona("resident")
    url = f"/evaluations/{round_.pk}/rate/"
    twice(client, url, {"value": "basic", "comment": "还行", "confirm": "1"}, form_key(client, url))
    assert Rating.objects.count() == 1


@pytest.mark.usefixtures("owners")
def test_an_owners_vote_opened_twice_is_one_vote(world, as_persona):
    topic = topic_propose(actor=world.users["community_secretary"], title="3栋1单元加装电梯", description="",
                          level_area=world.areas["C1"], scope_area=world.areas["B1"])
    client = as_persona("community_staff")
    url = f"/topics/{topic.pk}/owners-vote/"
    data = {"question": "是否同意1单元加装电梯", "matter": "rebuild", "scope_area": world.areas["U1"].pk}
    first, _ = twice(client, url, data, form_key(client, url))
    assert Vote.objects.count() == 1 and first["Location"] == f"/votes/{Vote.objects.get().pk}/"


def test_a_demand_submitted_or_entered_twice_is_one_demand(world, as_persona):
    """The demand forms carry their own key (`token`, checked with the content by demand_submit)."""
    client = as_persona("resident")
    page = client.get("/demands/new/").content.decode()
    token = re.search(r'name="token" value="([0-9a-f]{32})"', page).group(1)
    data = {"text": "3栋门口的路灯坏了，晚上很黑", "area": world.areas["U1"].pk, "urgency": "normal", "token": token}
    first, _ = twice(client, "/demands/new/", data, "b" * 32)
    assert Demand.objects.count() == 1 and first["Location"] == f"/demands/{Demand.objects.get().pk}/done/"
    worker = as_persona("grid_worker")
    page = worker.get("/demands/entry/").content.decode()
    token = re.search(r'name="token" value="([0-9a-f]{32})"', page).group(1)
    data = {"area": world.areas["B1"].pk, "text": "东门的垃圾桶满了没人清", "channel": "patrol",
            "urgency": "normal", "mode": "self", "token": token}
    twice(worker, "/demands/entry/", data, "c" * 32)
    assert Demand.objects.count() == 2


def test_a_meeting_step_and_a_resolution_sent_twice_are_recorded_once(world, as_persona):
    topic = topic_propose(actor=world.users["community_secretary"], title="幸福苑3栋加装电梯", description="",
                          level_area=world.areas["C1"], scope_area=world.areas["B1"])
    venue = venue_save(actor=world.users["community_staff"], name="幸福苑社区议事厅", kind="hall",
                       area=world.areas["C1"], capacity=30)
    secretary = as_persona("community_secretary")
    meeting = meeting_under_way(world, secretary, topic, venue)
    run = f"/meetings/{meeting.pk}/run/"
    steps = f"/meetings/{meeting.pk}/steps/"
    before = MeetingStep.objects.filter(meeting=meeting).count()
    twice(secretary, steps, {"kind": "opening", "topic": topic.pk, "text": "议题来自3栋居民联名"},
          form_key(secretary, run, steps))
    assert MeetingStep.objects.filter(meeting=meeting).count() == before + 1
    resolutions = f"/meetings/{meeting.pk}/resolutions/"
    twice(secretary, resolutions, {"topic": topic.pk, "text": "同意加装，申请补贴", "next_step": "publicity"},
          form_key(secretary, run, resolutions))
    assert Resolution.objects.filter(topic=topic).count() == 1


GUARDED = [("web:topic_new", []), ("web:topic_opinion", [1]), ("web:topic_door_opinion", [1]),
           ("web:venue_list", []), ("web:meeting_new", []), ("web:meeting_speak", [1]),
           ("web:meeting_participant_add", [1]), ("web:meeting_step", [1]), ("web:meeting_vote_open", [1]),
           ("web:meeting_resolution", [1]), ("web:owners_vote_new", [1]), ("web:vote_hands", [1]),
           ("web:vote_paper", [1]), ("web:vote_proxy", [1]), ("web:notice_new", []), ("web:notice_object", [1]),
           ("web:objection_answer", [1]), ("web:task_new", [1]), ("web:task_action", [1, "report"]),
           ("web:topic_supervision_action", [1, "record"]), ("web:evaluation_rate", [1]),
           ("web:evaluation_task_rate", [1]), ("web:evaluation_party", [1]), ("web:evaluation_org", [1])]


@pytest.mark.parametrize(("name", "args"), GUARDED)
def test_every_form_that_creates_something_is_guarded(name, args):
    assert getattr(resolve(reverse(name, args=args)).func, "idempotent", False), name
