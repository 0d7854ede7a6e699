"""`yishiting tick` warns open cases on the working-day calendar like tasks, reminds of judicial confirmation,
and never warns twice."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from yishiting.common.calendar import add_working_days
from yishiting.common.errors import DomainError
from yishiting.mediation.choices import WarningLevel
from yishiting.mediation.models import Agreement, MediationWarning
from yishiting.mediation.services import mediator_assign, template_save

from .test_agreements import effective
from .world import accepted_case, fail_tier

pytestmark = pytest.mark.django_db


def tick(day) -> str:
    out = io.StringIO()
    call_command("tick", "--today", day.isoformat(), stdout=out)
    return out.getvalue()


def test_yellow_then_red_then_escalated_each_once(world, med):
    case = accepted_case(world)
    yellow_day = add_working_days(case.opened_on, 25).date
    assert "新增黄色预警 1" in tick(yellow_day)
    assert world.people["mediator"].notifications.filter(text__contains="【黄色预警】").exists()
    assert "新增黄色预警 0" in tick(yellow_day)
    late = add_working_days(case.deadline, 4).date
    output = tick(late)
    assert "红色预警 1" in output and "提级督办 1" in output
    levels = set(MediationWarning.objects.filter(case=case).values_list("level", flat=True))
    assert levels == {WarningLevel.YELLOW, WarningLevel.RED, WarningLevel.ESCALATED}
    # The escalation goes to the office above the community (the street).
    assert world.people["street_official"].notifications.filter(text__contains="【提级督办】").exists()
    assert "红色预警 0" in tick(late)


def test_parties_are_reminded_before_the_30_days_for_judicial_confirmation_end(world, med):
    case, agreement = effective(world)
    Agreement.objects.filter(pk=agreement.pk).update(reminded_at=timezone.now() - timedelta(days=27))
    day = agreement.confirmation_due - timedelta(days=3)
    assert "司法确认提醒 1 件" in tick(day)
    assert "司法确认提醒 0 件" in tick(day)
    assert world.people["neighbour"].notifications.filter(text__contains="司法确认").count() == 2


def _tier_warnings(case) -> set[tuple[str, str]]:
    return {(w.level, w.deadline.isoformat()) for w in MediationWarning.objects.filter(case=case)
            if w.deadline != case.deadline}


def test_without_per_tier_limits_only_the_case_wide_limit_warns(world, med):
    template_save(actor=world.users["admin"], area=world.areas["C1"], limit_days=30)
    case = accepted_case(world)
    assert "新增黄色预警 0、红色预警 0" in tick(add_working_days(case.opened_on, 15).date)
    assert not MediationWarning.objects.filter(case=case).exists()


def test_the_communitys_own_limit_warns_yellow_then_red_once(world, med):
    template_save(actor=world.users["admin"], area=world.areas["C1"], limit_days=30, community_limit_days=10)
    case = accepted_case(world)
    due = add_working_days(case.opened_on, 10).date
    assert "新增黄色预警 0" in tick(add_working_days(case.opened_on, 7).date)
    assert "新增黄色预警 1" in tick(add_working_days(case.opened_on, 8).date)  # 80 % of the tier's 10 days
    told = world.people["mediator"].notifications.get(text__contains="社区初调期限将到")
    assert "请抓紧调解或移交上一级" in told.text
    late = add_working_days(case.opened_on, 11).date
    assert "红色预警 1" in tick(late) and "提级督办 0" in tick(late)  # the tier's red is not escalated
    assert world.people["mediator"].notifications.filter(text__contains="社区初调已超过本级期限").count() == 1
    assert _tier_warnings(case) == {(WarningLevel.YELLOW, due.isoformat()), (WarningLevel.RED, due.isoformat())}
    # The case-wide limit still warns on its own deadline.
    assert "新增黄色预警 1" in tick(add_working_days(case.opened_on, 25).date)


def test_the_streets_limit_counts_from_the_day_the_case_moved_up(world, med):
    template_save(actor=world.users["admin"], area=world.areas["S1"], limit_days=30, street_limit_days=5)
    case = accepted_case(world)
    assert "新增黄色预警 0" in tick(add_working_days(case.opened_on, 10).date)  # no limit of the community's own
    fail_tier(world, case, "mediator", 3)  # moved up today
    mediator_assign(actor=world.users["street_official"], case=case, person=world.people["street_mediator"])
    case.refresh_from_db()
    moved = timezone.localdate()
    assert "新增黄色预警 1" in tick(add_working_days(moved, 4).date)
    assert world.people["street_mediator"].notifications.filter(text__contains="镇街深调期限将到").exists()
    assert "红色预警 1" in tick(add_working_days(moved, 6).date)
    assert _tier_warnings(case) == {(WarningLevel.YELLOW, add_working_days(moved, 5).date.isoformat()),
                                    (WarningLevel.RED, add_working_days(moved, 5).date.isoformat())}


def test_a_tier_limit_longer_than_the_case_is_refused(world, med):
    with pytest.raises(DomainError) as refused:
        template_save(actor=world.users["admin"], area=world.areas["C1"], limit_days=20, street_limit_days=25)
    assert refused.value.details == {"field": "street_limit_days"}
