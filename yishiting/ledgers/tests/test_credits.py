"""Crediting points and hours from the event log: once per event × rule × person however often it is
processed, only with the rating the rule asks for, within the caps, only in the rule's area and dates; older
kinds (a suggestion accepted, a meeting attended) credit the person behind the record."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from yishiting.ledgers.choices import EarningKind
from yishiting.ledgers.models import Balance, HourEntry, PointEntry
from yishiting.ledgers.processor import catch_up, process_events

from .conftest import earned, service_rule

pytestmark = pytest.mark.django_db


def _balance(person) -> Balance:
    return Balance.objects.filter(person=person).first() or Balance(person=person)


def test_a_rated_service_earns_points_and_hours_once_however_often_processed(world, rule):
    event = earned(world, hours="2.5", rating=5)
    catch_up()
    catch_up()
    process_events([event.pk])
    process_events([event.pk])
    resident = world.people["resident"]
    assert _balance(resident).points == 10 and _balance(resident).hours == Decimal("2.50")
    assert PointEntry.objects.filter(event=event).count() == 1
    assert HourEntry.objects.filter(event=event).count() == 1


def test_the_unique_constraint_refuses_a_second_line_for_the_same_event_rule_and_person(world, rule):
    event = earned(world)
    process_events([event.pk])
    line = PointEntry.objects.get(event=event)
    with pytest.raises(IntegrityError), transaction.atomic():
        PointEntry.objects.create(key="another", person=line.person, event=event, rule=rule, kind=line.kind,
                                  points=10, day=line.day)


def test_a_low_rating_earns_nothing_and_no_rating_earns_nothing_under_a_minimum(world, rule):
    earned(world, rating=3)
    earned(world, rating=None)
    catch_up()
    assert not PointEntry.objects.exists() and not HourEntry.objects.exists()


def test_daily_and_monthly_caps(world):
    service_rule(points=10, daily_cap=25, monthly_cap=35)
    for _ in range(4):
        earned(world)
    catch_up()
    assert _balance(world.people["resident"]).points == 25  # 10 + 10 + 5, then nothing that day
    rule = service_rule(name="另一条", points=10, monthly_cap=15, min_rating=None, deposits_hours=False)
    earned(world)
    catch_up()
    assert sum(PointEntry.objects.filter(rule=rule).values_list("points", flat=True)) == 10


def test_a_rule_applies_only_in_its_area_and_dates(world):
    today = timezone.localdate()
    service_rule(area=world.areas["C2"])
    service_rule(name="已过期", ends_on=today - timedelta(days=1))
    earned(world, area="C1")
    catch_up()
    assert not PointEntry.objects.exists()
    earned(world, area="C2")
    catch_up()
    assert _balance(world.people["resident"]).points == 10


def test_hours_are_deposited_once_per_event_even_with_two_depositing_rules(world, rule):
    service_rule(name="第二条", points=3)
    earned(world, hours="1.5")
    catch_up()
    assert _balance(world.people["resident"]).points == 13
    assert _balance(world.people["resident"]).hours == Decimal("1.50")


def test_a_malformed_payload_earns_nothing_and_does_not_stop_the_ledger(world, rule):
    from yishiting.common.events import event_append

    event_append(subject=("participation.servicerecord", "1"), kind=EarningKind.SERVICE_RATED,
                 payload={"area": "x", "earners": [{"person": "1"}, "junk"]})
    earned(world)
    catch_up()
    assert _balance(world.people["resident"]).points == 10


def test_a_suggestion_screened_into_a_topic_credits_its_reporter(world):
    from yishiting.common.events import event_append
    from yishiting.demands.services import Submission, demand_submit

    service_rule(name="建议被采纳", kind=EarningKind.SUGGESTION_ACCEPTED, points=5, min_rating=None,
                 deposits_hours=False)
    resident = world.people["resident"]
    demand = demand_submit(actor=world.users["resident"], submission=Submission(
        text="幸福苑3栋没有电梯，老人上下楼很难", area=world.areas["B1"]))
    event_append(subject=demand, kind="demand.topic", payload={"outcome": "topic"})  # as screening writes it
    catch_up()
    assert _balance(resident).points == 5


def test_entries_cannot_be_changed_or_deleted(world, rule):
    process_events([earned(world).pk])
    line = PointEntry.objects.get()
    with pytest.raises(ValueError):
        line.save()
    with pytest.raises(ValueError):
        line.delete()
    with pytest.raises(Exception), transaction.atomic():  # noqa: B017, PT011 — the database's trigger
        PointEntry.objects.filter(pk=line.pk).update(points=1000)
    with pytest.raises(Exception), transaction.atomic():  # noqa: B017, PT011
        PointEntry.objects.filter(pk=line.pk).delete()
    assert PointEntry.objects.get().points == 10


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite keeps the foreign key (ledgers 0004)")
def test_verify_names_a_line_whose_event_is_gone(world, rule):
    """No foreign key holds a line to its event (the event log is partitioned by month on PostgreSQL): verify
    checks it instead, and names the line."""
    from yishiting.common.testing import raw_sql, verify_names

    event = earned(world)
    catch_up()
    line = PointEntry.objects.get(event=event)
    raw_sql("DELETE FROM common_event WHERE id = %s", [event.pk])
    verify_names("ledgers.pointentry", line.pk, f"来源事件 #{event.pk} 不在事件日志中")
