"""Tasks (办): assignment rules, progress with photos, return, extensions, 销号 and 重办 — through the services."""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
from django.utils import timezone
from PIL import Image

from yishiting.common.calendar import add_working_days
from yishiting.common.errors import Conflict, DomainError, PermissionDeniedError
from yishiting.common.events import events_of
from yishiting.deliberation.choices import TopicStatus
from yishiting.handling.choices import ExtensionStatus, FileKind, SubjectKind, TaskStatus
from yishiting.handling.models import Task, TaskFile
from yishiting.handling.services import tasks as services
from yishiting.notifications.models import Notification

from .tasks_world import assign, handling_topic, jpeg_with_gps, photo
from .world import resolved_topic

pytestmark = pytest.mark.usefixtures("file_media")


@pytest.fixture
def file_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def told(person, fragment: str) -> bool:
    return Notification.objects.filter(person=person, text__contains=fragment).exists()


def test_assign_from_a_topic_in_handling_tells_the_handler(world, messages_outbox, django_capture_on_commit_callbacks):
    topic, resolution = handling_topic(world)
    with django_capture_on_commit_callbacks(execute=True):
        task = assign(world, topic, resolution, accepted=False,
                      milestones=[("采购灯具", timezone.localdate() + timedelta(days=5))])
    assert (task.status, task.topic, task.resolution, task.path) == (TaskStatus.ASSIGNED, topic, resolution,
                                                                   world.areas["B1"].path)
    assert [m.title for m in task.milestones.all()] == ["采购灯具"]
    assert told(world.people["handler"], "新的办理任务")
    assert any("新的办理任务" in m.text and m.to == world.people["handler"].mobile for m in messages_outbox)
    assert [e.kind for e in events_of(task)] == ["task.assigned"]


def test_a_topic_still_in_publicity_cannot_get_tasks(world):
    topic, resolution = resolved_topic(world)
    with pytest.raises(Conflict, match="公示期满") as caught:
        assign(world, topic, resolution)
    assert caught.value.code == "topic_not_handling"
    assert not Task.objects.exists()


def test_deadline_in_working_days_uses_the_calendar(world):
    task = assign(world, days=5)
    assert task.deadline == add_working_days(timezone.localdate(), 5).date
    assert task.deadline_days == 5


@pytest.mark.parametrize("kwargs, code", [
    ({"deadline": date(2026, 12, 31), "days": 3}, "deadline_required"),
    ({"deadline": date(2020, 1, 1)}, "invalid_deadline"),
    ({"days": 0}, "invalid_deadline"),
    ({"title": "  "}, "required"),
    ({"subject_kind": "nobody"}, "invalid_choice"),
    ({"subject_kind": SubjectKind.UNIT, "organization": None}, "required"),
    ({"handler": "resident"}, "invalid_handler"),
    ({"milestones": [("验收", date(2099, 1, 1))]}, "invalid_milestone"),
])
def test_bad_assignments_are_refused_and_nothing_is_created(world, kwargs, code):
    with pytest.raises(DomainError) as caught:
        assign(world, **kwargs)
    assert caught.value.code == code
    assert not Task.objects.exists()


@pytest.mark.parametrize("persona, allowed", [("community_staff", True), ("community_secretary", True),
                                              ("street_official", True), ("district_official", True),
                                              ("grid_worker", False), ("handler", False), ("resident", False)])
def test_who_may_assign(world, persona, allowed):
    if allowed:
        assert assign(world, actor=persona).pk
    else:
        with pytest.raises(PermissionDeniedError):
            assign(world, actor=persona)


def test_staff_of_another_community_may_not_assign_here(world):
    with pytest.raises(PermissionDeniedError):
        assign(world, area=world.areas["C3"])  # community staff of C1, a task in 湖滨社区


def test_progress_photos_are_checked_stripped_and_hashed(world):
    task = assign(world)
    handler = world.users["handler"]
    report = services.task_report(actor=handler, task=task, text="已采购灯具", percent=30,
                                  photos=[("现场.jpg", jpeg_with_gps())])
    task.refresh_from_db()
    assert (task.status, task.percent) == (TaskStatus.IN_PROGRESS, 30)
    stored = TaskFile.objects.get(report=report)
    data = stored.file.read()
    assert stored.kind == FileKind.PROGRESS and len(stored.sha256) == 64
    assert 0x8825 not in Image.open(io.BytesIO(data)).getexif()  # the location is gone
    with pytest.raises(DomainError, match="JPEG、PNG 或 WebP"):
        services.task_report(actor=handler, task=task, text="再报", percent=40, photos=[("x.jpg", b"GIF89a....")])
    assert task.reports.count() == 1


def test_percent_only_goes_forward_and_a_retry_is_not_a_second_report(world):
    task = assign(world)
    handler = world.users["handler"]
    first = services.task_report(actor=handler, task=task, text="完成一半", percent=50, photos=[("a.png", photo(fmt="PNG"))])
    again = services.task_report(actor=handler, task=task, text="完成一半", percent=50, photos=[("a.png", photo(fmt="PNG"))])
    assert again.pk == first.pk and task.reports.count() == 1 and task.files.count() == 1
    for bad in (40, 101, "七十"):
        with pytest.raises(DomainError):
            services.task_report(actor=handler, task=task, text="倒退", percent=bad)
    assert Task.objects.get(pk=task.pk).percent == 50


def test_only_the_named_handler_works_a_task(world):
    task = assign(world)
    for persona in ("community_staff", "grid_worker", "resident"):
        with pytest.raises(PermissionDeniedError):
            services.task_report(actor=world.users[persona], task=task, text="x", percent=10)


def test_return_needs_a_reason_tells_the_assigner_and_reassign_tells_the_new_handler(world):
    task = assign(world, accepted=False)
    with pytest.raises(DomainError, match="理由"):
        services.task_return(actor=world.users["handler"], task=task, reason=" ")
    services.task_return(actor=world.users["handler"], task=task, reason="不属于执法队职责")
    assert Task.objects.get(pk=task.pk).status == TaskStatus.RETURNED
    assert told(world.people["community_staff"], "不属于执法队职责")
    services.task_reassign(actor=world.users["community_staff"], task=task, handler=world.people["grid_worker"],
                           reason="改由网格员协调物业")
    task.refresh_from_db()
    assert (task.status, task.handler) == (TaskStatus.ASSIGNED, world.people["grid_worker"])
    assert told(world.people["grid_worker"], "重新交办")


def test_extension_one_at_a_time_approved_moves_deadline_and_keeps_the_first(world):
    task = assign(world)
    first_deadline = task.deadline
    handler, staff = world.users["handler"], world.users["community_staff"]
    ext = services.extension_request(actor=handler, task=task, new_deadline=first_deadline + timedelta(days=7),
                                     reason="灯具缺货")
    assert told(world.people["community_staff"], "申请延期")
    with pytest.raises(Conflict, match="等候审批") as caught:
        services.extension_request(actor=handler, task=task, new_deadline=first_deadline + timedelta(days=9),
                                   reason="再延")
    assert caught.value.code == "extension_pending"
    with pytest.raises(PermissionDeniedError):
        services.extension_decide(actor=handler, extension=ext, approve=True)
    services.extension_decide(actor=staff, extension=ext, approve=True, note="同意")
    task.refresh_from_db()
    assert (task.deadline, task.original_deadline) == (first_deadline + timedelta(days=7), first_deadline)
    second = services.extension_request(actor=handler, task=task, new_deadline=task.deadline + timedelta(days=3),
                                        reason="安装工期顺延")
    with pytest.raises(DomainError, match="说明理由"):
        services.extension_decide(actor=staff, extension=second, approve=False, note="")
    services.extension_decide(actor=staff, extension=second, approve=False, note="不同意，请加派人手")
    task.refresh_from_db()
    assert (task.deadline, task.original_deadline) == (first_deadline + timedelta(days=7), first_deadline)
    assert second.status == ExtensionStatus.REFUSED and told(world.people["handler"], "未批准")


def test_a_named_supervisor_decides_alone(world):
    task = assign(world, supervisor=world.people["street_official"])
    ext = services.extension_request(actor=world.users["handler"], task=task,
                                     new_deadline=task.deadline + timedelta(days=3), reason="雨天")
    assert told(world.people["street_official"], "申请延期")
    with pytest.raises(PermissionDeniedError):
        services.extension_decide(actor=world.users["community_staff"], extension=ext, approve=True)
    assert services.extension_decide(actor=world.users["street_official"], extension=ext, approve=True).status == "approved"


def test_nobody_supervises_their_own_task(world):
    """A handler who is also office staff cannot extend or sign off (销号) their own task, nor be named its
    supervisor; the rest of the office can."""
    with pytest.raises(DomainError, match="核验人不能是经办人本人"):
        assign(world, handler="community_staff", supervisor=world.people["community_staff"],
               subject_kind=SubjectKind.COMMUNITY, organization=None)
    task = assign(world, handler="community_staff", subject_kind=SubjectKind.COMMUNITY, organization=None)
    own = world.users["community_staff"]
    services.task_submit(actor=own, task=task, evidence="已全部更换", files=[("a.jpg", photo())])
    with pytest.raises(PermissionDeniedError, match="经办人不能核验自己的任务"):
        services.task_verify(actor=own, task=task, approve=True)
    assert Task.objects.get(pk=task.pk).status == TaskStatus.VERIFYING
    assert services.task_verify(actor=world.users["community_secretary"], task=task, approve=True).status == "closed"


def test_closing_needs_evidence_and_verification_then_the_topic_moves_to_evaluation(world):
    topic, resolution = handling_topic(world)
    one, two = assign(world, topic, resolution), assign(world, topic, resolution, title="加装楼道感应开关")
    handler, staff = world.users["handler"], world.users["community_staff"]
    with pytest.raises(DomainError, match="至少一张"):
        services.task_submit(actor=handler, task=one, evidence="已全部更换", files=[])
    with pytest.raises(DomainError, match="佐证说明"):
        services.task_submit(actor=handler, task=one, evidence="", files=[("a.jpg", photo())])
    assert Task.objects.get(pk=one.pk).status == TaskStatus.IN_PROGRESS  # accepted, nothing submitted
    for task in (one, two):
        services.task_submit(actor=handler, task=task, evidence="已全部更换", files=[("验收.pdf", b"%PDF-1.4 test")])
    assert told(world.people["community_staff"], "提交销号")
    with pytest.raises(DomainError, match="说明原因"):
        services.task_verify(actor=staff, task=one, approve=False)
    services.task_verify(actor=staff, task=one, approve=False, note="3楼灯仍不亮")
    assert Task.objects.get(pk=one.pk).status == TaskStatus.IN_PROGRESS
    services.task_verify(actor=staff, task=two, approve=True)
    topic.refresh_from_db()
    assert topic.status == TopicStatus.HANDLING  # one task still open
    services.task_submit(actor=handler, task=one, evidence="3楼已修好", files=[])  # earlier files count
    closed = services.task_verify(actor=staff, task=one, approve=True)
    topic.refresh_from_db()
    assert closed.closed_at is not None and topic.status == TopicStatus.EVALUATING
    with pytest.raises(Conflict):  # a second verification changes nothing
        services.task_verify(actor=staff, task=one, approve=True)


def test_a_direct_handling_task_tells_the_reporter_when_closed(world):
    from yishiting.demands.choices import Nature, Outcome
    from yishiting.demands.screening import Decision, demand_screen
    from yishiting.demands.services import Submission, demand_submit

    demand = demand_submit(actor=world.users["resident"], submission=Submission(
        text="家门口路灯不亮", area=world.areas["B1"]))
    demand = demand_screen(actor=world.users["community_staff"], demand=demand, decision=Decision(
        outcome=Outcome.HANDLING, nature=Nature.INDIVIDUAL, handler=world.people["handler"],
        deadline=timezone.localdate() + timedelta(days=3)))
    task = demand.task
    services.task_accept(actor=world.users["handler"], task=task)
    services.task_submit(actor=world.users["handler"], task=task, evidence="已修复", files=[("a.jpg", photo())])
    services.task_verify(actor=world.users["community_staff"], task=task, approve=True)
    assert told(world.people["resident"], "已办结")


def test_reopen_sends_a_closed_task_back_with_a_reason(world):
    task = assign(world)
    services.task_submit(actor=world.users["handler"], task=task, evidence="好了", files=[("a.jpg", photo())])
    services.task_verify(actor=world.users["community_staff"], task=task, approve=True)
    with pytest.raises(DomainError):
        services.task_reopen(actor=None, task=task, reason="")
    reopened = services.task_reopen(actor=None, task=task, reason="居民不满意率超过阈值")
    assert (reopened.status, reopened.closed_at) == (TaskStatus.IN_PROGRESS, None)
    assert told(world.people["handler"], "须重办")
    assert events_of(task).last().kind == "task.reopened"


def test_a_verification_killed_half_way_leaves_state_and_event_log_agreeing(world, monkeypatch):
    """销号 dies after the task row and its event are written but before the topic moves on (here: the
    evaluation stage fails): the whole step rolls back — the task is still waiting for verification, no
    task.closed event, the topic still in handling — and a retry then goes through once."""
    from yishiting.deliberation.choices import TopicStatus
    from yishiting.handling.services import evaluation

    topic, resolution = handling_topic(world)
    task = assign(world, topic, resolution)
    services.task_submit(actor=world.users["handler"], task=task, evidence="已全部更换", files=[("a.jpg", photo())])
    closed_events = events_of(task).filter(kind="task.closed")

    def killed(**kwargs):
        raise RuntimeError("进程被杀")

    monkeypatch.setattr(evaluation, "evaluation_start", killed)
    with pytest.raises(RuntimeError):
        services.task_verify(actor=world.users["community_staff"], task=task, approve=True)
    task.refresh_from_db()
    topic.refresh_from_db()
    assert (task.status, task.closed_at, closed_events.count(), topic.status) == (
        TaskStatus.VERIFYING, None, 0, TopicStatus.HANDLING)
    monkeypatch.undo()
    services.task_verify(actor=world.users["community_staff"], task=task, approve=True)
    topic.refresh_from_db()
    assert closed_events.count() == 1 and topic.status == TopicStatus.EVALUATING
