"""`yishiting tick` warns open cases on the working-day calendar like tasks, reminds of judicial confirmation,
and never warns twice."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from yishiting.common.calendar import add_working_days
from yishiting.mediation.choices import WarningLevel
from yishiting.mediation.models import Agreement, MediationWarning

from .test_agreements import effective
from .world import accepted_case

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
