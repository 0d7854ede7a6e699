"""签收 (accept): the handler accepts an assigned task before working it; the time to acceptance is kept; a retry
changes nothing; accept and return (退回) exclude each other — also when sent at the same moment."""

from __future__ import annotations

from datetime import timedelta

import pytest
import requests
from django.utils import timezone

from yishiting.accounts.services import token_create
from yishiting.api.tests.test_demands_concurrency import race
from yishiting.common.errors import Conflict, PermissionDeniedError
from yishiting.common.events import events_of
from yishiting.handling.choices import TaskStatus
from yishiting.handling.models import Task
from yishiting.handling.selectors.tasks import task_detail, task_timeline
from yishiting.handling.services import tasks as services

from .tasks_world import assign

pytestmark = pytest.mark.django_db


def test_accept_moves_the_task_into_work_and_counts_the_hours_it_waited(world):
    task = assign(world, accepted=False)
    Task.objects.filter(pk=task.pk).update(created_at=timezone.now() - timedelta(hours=5))
    services.task_accept(actor=world.users["handler"], task=task)
    task = task_detail(Task.objects.get(pk=task.pk))
    assert task.status == TaskStatus.IN_PROGRESS and task.accepted_at is not None
    event = events_of(task).get(kind="task.accepted")
    assert 4.99 <= event.payload["hours"] <= 5.01 and task.accept_wait == "5.0 小时"
    assert any("签收任务（交办后 5.0 小时）" in line.what for line in task_timeline(task))


def test_a_retried_accept_changes_nothing(world):
    task = assign(world, accepted=False)
    first = services.task_accept(actor=world.users["handler"], task=task)
    again = services.task_accept(actor=world.users["handler"], task=Task.objects.get(pk=task.pk))
    assert again.accepted_at == first.accepted_at and again.status == TaskStatus.IN_PROGRESS
    assert [e.kind for e in events_of(task)].count("task.accepted") == 1


def test_nothing_is_reported_extended_or_submitted_before_acceptance(world):
    task = assign(world, accepted=False)
    handler = world.users["handler"]
    with pytest.raises(Conflict, match="请先签收"):
        services.task_report(actor=handler, task=task, text="已采购", percent=10)
    with pytest.raises(Conflict, match="请先签收"):
        services.extension_request(actor=handler, task=task, new_deadline=task.deadline + timedelta(days=3),
                                   reason="缺货")
    with pytest.raises(Conflict, match="请先签收"):
        services.task_submit(actor=handler, task=task, evidence="已完成", files=[])
    assert Task.objects.get(pk=task.pk).status == TaskStatus.ASSIGNED and not task.reports.exists()


def test_only_the_handler_accepts(world):
    task = assign(world, accepted=False)
    for persona in ("community_staff", "resident"):
        with pytest.raises(PermissionDeniedError):
            services.task_accept(actor=world.users[persona], task=task)
    assert Task.objects.get(pk=task.pk).accepted_at is None


def test_an_accepted_task_is_not_returned_and_a_returned_one_is_not_accepted(world):
    accepted = assign(world)
    with pytest.raises(Conflict, match="已签收"):
        services.task_return(actor=world.users["handler"], task=accepted, reason="不归我们管")
    assert Task.objects.get(pk=accepted.pk).status == TaskStatus.IN_PROGRESS
    returned = assign(world, accepted=False, title="清理楼道杂物")
    services.task_return(actor=world.users["handler"], task=returned, reason="不属于执法队职责")
    with pytest.raises(Conflict):
        services.task_accept(actor=world.users["handler"], task=returned)
    assert Task.objects.get(pk=returned.pk).accepted_at is None


def _race(live_server, task: Task, token: str) -> list[int]:
    """签收 and 退回 of the same task posted together from two threads (one barrier)."""
    url, auth = f"{live_server.url}/api/v1/tasks/{task.pk}", {"Authorization": f"Bearer {token}"}
    answers = race([lambda: requests.post(f"{url}/accept", json={}, timeout=30, headers=auth),
                    lambda: requests.post(f"{url}/return", json={"reason": "交办有误"}, timeout=30, headers=auth)])
    return [answer.status_code for answer in answers]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.races
def test_accept_and_return_at_the_same_moment_exactly_one_wins(world, live_server):
    token = token_create(actor=world.users["handler"], name="并发")[1]
    for i in range(3):
        task = assign(world, accepted=False, title=f"任务{i}")
        codes = _race(live_server, task, token)
        assert sorted(codes) == [200, 409], codes
        task.refresh_from_db()
        kinds = [e.kind for e in events_of(task)]
        assert (kinds.count("task.accepted"), kinds.count("task.returned")) in {(1, 0), (0, 1)}
        assert task.status == (TaskStatus.IN_PROGRESS if "task.accepted" in kinds else TaskStatus.RETURNED)
