"""Screening: exactly one outcome each, reasons where required, escalation upward, merging duplicates."""

from datetime import timedelta

import pytest
from django.utils import timezone

from yishiting.common.errors import Conflict, DomainError, PermissionDeniedError
from yishiting.common.events import events_of
from yishiting.deliberation.models import Topic
from yishiting.demands.choices import Nature, Outcome, Status
from yishiting.demands.models import ConsultationRule, Demand
from yishiting.demands.screening import Decision, demand_merge, demand_screen
from yishiting.handling.models import Task
from yishiting.mediation.models import MediationCase


@pytest.fixture
def screen(world, django_capture_on_commit_callbacks):
    def _screen(demand, persona="community_staff", **fields):
        with django_capture_on_commit_callbacks(execute=True):
            return demand_screen(actor=world.users[persona], demand=demand, decision=Decision(**fields))
    return _screen


def _exclude_rule():
    return ConsultationRule.objects.filter(kind=ConsultationRule.Kind.EXCLUDE).first()


def test_topic_outcome_opens_a_topic_and_a_second_demand_joins_it(submit, screen, world, messages_outbox):
    first, second = submit(), submit(text="3栋楼道的灯不亮了，好几天了")
    screen(first, outcome=Outcome.TOPIC, nature=Nature.PUBLIC, reason="涉及全楼住户", topic_title="3栋楼道照明")
    topic = Topic.objects.get()
    screen(second, outcome=Outcome.TOPIC, nature=Nature.PUBLIC, topic=topic)
    assert list(topic.demands.order_by("pk")) == [first, second]
    first.refresh_from_db()
    assert (first.status, first.screened_by) == (Status.TOPIC, world.users["community_staff"])
    assert "已转为议题" in messages_outbox[-1].text
    assert [e.kind for e in events_of(first)] == ["demand.submitted", "demand.topic"]


def test_individual_needs_cannot_become_topics(submit, screen):
    with pytest.raises(DomainError, match="只有公共事务"):
        screen(submit(), outcome=Outcome.TOPIC, nature=Nature.INDIVIDUAL, topic_title="x")


def test_direct_handling_creates_a_task_with_handler_and_deadline(submit, screen, world):
    deadline = timezone.localdate() + timedelta(days=5)
    demand = screen(submit(), outcome=Outcome.HANDLING, nature=Nature.INDIVIDUAL,
                    handler=world.people["handler"], organization=world.organizations["agency"], deadline=deadline)
    task = Task.objects.get()
    assert (demand.task, task.handler, task.deadline) == (task, world.people["handler"], deadline)
    with pytest.raises(DomainError, match="经办人"):
        screen(submit(), outcome=Outcome.HANDLING, nature=Nature.INDIVIDUAL, deadline=deadline)


def test_mediation_needs_a_reason(submit, screen):
    with pytest.raises(DomainError, match="理由"):
        screen(submit(), outcome=Outcome.MEDIATION, nature=Nature.DISPUTE)
    demand = screen(submit(), outcome=Outcome.MEDIATION, nature=Nature.DISPUTE, reason="楼上楼下漏水纠纷")
    assert demand.mediation == MediationCase.objects.get()


def test_rejection_cites_the_catalogue(submit, screen):
    demand = submit()
    with pytest.raises(DomainError, match="不议"):
        screen(demand, outcome=Outcome.REJECT, nature=Nature.INDIVIDUAL, reason="x")
    deliberate = ConsultationRule.objects.filter(kind=ConsultationRule.Kind.DELIBERATE).first()
    with pytest.raises(DomainError, match="不议"):
        screen(demand, outcome=Outcome.REJECT, nature=Nature.INDIVIDUAL, reason="x", rejection_rule=deliberate)
    with pytest.raises(DomainError, match="具体理由"):
        screen(demand, outcome=Outcome.REJECT, nature=Nature.INDIVIDUAL, rejection_rule=_exclude_rule())
    assert Demand.objects.get(pk=demand.pk).status == Status.PENDING  # failed attempts changed nothing
    screen(demand, outcome=Outcome.REJECT, nature=Nature.INDIVIDUAL, rejection_rule=_exclude_rule(), reason="已诉讼")
    assert Demand.objects.get(pk=demand.pk).status == Status.REJECTED


def test_escalation_goes_to_the_street_whose_staff_screen_it(submit, screen, world, messages_outbox):
    demand = screen(submit(), outcome=Outcome.ESCALATE, reason="涉及多个社区，需街道协调")
    assert (demand.status, demand.screening_area) == (Status.ESCALATED, world.areas["S1"])
    assert "提请东风街道" in messages_outbox[-1].text
    with pytest.raises(PermissionDeniedError):  # no longer the community's to screen
        screen(demand, outcome=Outcome.MEDIATION, nature=Nature.DISPUTE, reason="x")
    done = screen(demand, "street_official", outcome=Outcome.TOPIC, nature=Nature.PUBLIC, topic_title="跨社区议题")
    assert done.topic.level_area == world.areas["S1"]


def test_level_change_needs_a_reason(submit, screen, world):
    demand = submit()
    with pytest.raises(DomainError, match="调整办理层级"):
        screen(demand, outcome=Outcome.TOPIC, nature=Nature.PUBLIC, topic_title="t", level_area=world.areas["C1"])
    done = screen(demand, outcome=Outcome.TOPIC, nature=Nature.PUBLIC, topic_title="t",
                  level_area=world.areas["C1"], level_reason="涉及整个社区")
    assert done.level_area == world.areas["C1"]
    assert events_of(done).last().payload["level_reason"] == "涉及整个社区"


def test_a_screened_demand_cannot_be_screened_again(submit, screen):
    demand = submit()
    screen(demand, outcome=Outcome.MEDIATION, nature=Nature.DISPUTE, reason="纠纷")
    with pytest.raises(Conflict, match="已被他人处理"):
        screen(demand, outcome=Outcome.TOPIC, nature=Nature.PUBLIC, topic_title="t")


def test_outsiders_cannot_screen(submit, screen, world):
    demand = submit()
    for persona in ["resident", "grid_worker", "handler", "resident2"]:
        with pytest.raises(PermissionDeniedError):
            screen(demand, persona, outcome=Outcome.MEDIATION, nature=Nature.DISPUTE, reason="x")


def test_bulk_merge_is_all_or_nothing(submit, screen, world):
    primary, dup1, dup2 = submit(), submit(text="3栋楼道灯不亮"), submit(text="三号楼楼道很黑，灯坏了")
    screen(dup2, outcome=Outcome.MEDIATION, nature=Nature.DISPUTE, reason="x")
    with pytest.raises(Conflict):
        demand_merge(actor=world.users["community_staff"], primary=primary, duplicates=[dup1, dup2], reason="同一件事")
    assert Demand.objects.get(pk=dup1.pk).status == Status.PENDING
    with pytest.raises(DomainError, match="合并理由"):
        demand_merge(actor=world.users["community_staff"], primary=primary, duplicates=[dup1], reason="")
    demand_merge(actor=world.users["community_staff"], primary=primary, duplicates=[dup1], reason="同一件事")
    assert Demand.objects.get(pk=dup1.pk).merged_into == primary


def test_inbox_sorts_by_urgency_then_deadline_and_marks_overdue(submit, world):
    from yishiting.demands.selectors import screening_inbox

    normal, critical = submit(), submit(text="燃气管道漏气，味道很重", urgency="critical")
    Demand.objects.filter(pk=normal.pk).update(screening_deadline=timezone.localdate() - timedelta(days=1))
    inbox = list(screening_inbox(world.users["community_staff"]))
    assert [d.pk for d in inbox] == [critical.pk, normal.pk]
    assert [d.overdue for d in inbox] == [False, True]
    assert list(screening_inbox(world.users["grid_worker"])) == []
    # The street screens what communities escalate; their own pending ones show in its supervising view.
    assert list(screening_inbox(world.users["street_official"])) == []
    assert [d.pk for d in screening_inbox(world.users["street_official"], below=True)] == [critical.pk, normal.pk]
