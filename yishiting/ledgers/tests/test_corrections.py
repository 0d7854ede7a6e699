"""Points by the served person's rating level, and hours corrected after they were confirmed: what a volunteer
sees in their statement — the level's points, one correcting line per correction (the deposit never edited),
the same lines however often or in whatever order the corrections are processed."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from yishiting.common.events import event_append
from yishiting.ledgers.choices import EarningKind
from yishiting.ledgers.models import Balance, HourEntry, PointEntry
from yishiting.ledgers.processor import catch_up, process_events

from .conftest import earned, service_rule

pytestmark = pytest.mark.django_db
ATTENDANCE = ("volunteers.attendance", "41")


def _balance(world) -> Balance:
    return Balance.objects.get(person=world.people["resident"])


def _adjusted(world, old: str, new: str):
    return event_append(subject=ATTENDANCE, kind="volunteers.hours_adjusted", payload={
        "area": world.areas["C1"].pk, "person": world.people["resident"].pk, "from": old, "to": new, "reason": "更正"})


@pytest.fixture
def visit_rule(world):
    return service_rule(kind=EarningKind.HOURS_CONFIRMED, points=99, points_per_hour=5, min_rating=3,
                        points_by_rating={"5": 15, "4": 10, "3": 5})


@pytest.mark.parametrize(("stars", "points"), [(5, 25), (4, 20), (3, 15), (2, 0)])
def test_the_served_persons_rating_level_picks_the_points(world, visit_rule, stars, points):
    earned(world, EarningKind.HOURS_CONFIRMED, hours="2", rating=stars, subject=ATTENDANCE)
    catch_up()
    assert (Balance.objects.filter(person=world.people["resident"]).values_list("points", flat=True).first()
            or 0) == points  # level + 5 × 2 h; below the rule's minimum nothing at all


def test_a_level_not_listed_earns_only_the_hours_points(world):
    service_rule(kind=EarningKind.HOURS_CONFIRMED, points_per_hour=5, min_rating=None, points_by_rating={"5": 15})
    earned(world, EarningKind.HOURS_CONFIRMED, hours="2", rating=4, subject=ATTENDANCE)
    catch_up()
    assert _balance(world).points == 10


@pytest.mark.parametrize("levels", [{"6": 1}, {"5": -1}, {"5": "x"}, ["5"]])
def test_the_admin_form_refuses_bad_levels(world, levels):
    rule = service_rule(name="坏规则")
    rule.points_by_rating = levels
    with pytest.raises(ValidationError) as refused:
        rule.full_clean()
    assert "按评分给分" in str(refused.value)


def test_a_correction_posts_one_correcting_line_each_and_is_idempotent(world, visit_rule):
    earned(world, EarningKind.HOURS_CONFIRMED, hours="2.0", rating=5, subject=ATTENDANCE)
    catch_up()
    fix = _adjusted(world, "2.0", "3.0")
    catch_up()
    process_events([fix.pk])
    process_events([fix.pk])
    assert _balance(world).hours == Decimal("3.00") and _balance(world).points == 30
    line = HourEntry.objects.get(event=fix)
    assert line.kind == "corrected" and line.hours == Decimal("1.00") and line.note == "服务时长更正：2 → 3 小时"
    assert PointEntry.objects.get(event=fix).points == 5
    assert HourEntry.objects.filter(kind="deposited").get().hours == Decimal("2.00")  # the deposit untouched


def test_corrections_processed_out_of_order_add_up_to_the_last(world, visit_rule):
    earned(world, EarningKind.HOURS_CONFIRMED, hours="2.0", rating=5, subject=ATTENDANCE)
    catch_up()
    first, second = _adjusted(world, "2.0", "3.0"), _adjusted(world, "3.0", "1.0")
    process_events([second.pk])
    process_events([first.pk])
    assert _balance(world).hours == Decimal("1.00") and _balance(world).points == 20  # 15 + 5 × 1 h


def test_a_cut_beyond_what_is_left_takes_what_is_left_and_says_so(world, visit_rule):
    from yishiting.ledgers import services as ledgers

    earned(world, EarningKind.HOURS_CONFIRMED, hours="2.0", rating=5, subject=ATTENDANCE)
    catch_up()
    ledgers.hours_withdraw(actor=world.users["community_staff"], person=world.people["resident"], hours="1.5",
                           service="上门助浴")
    fix = _adjusted(world, "2.0", "0.0")
    catch_up()
    line = HourEntry.objects.get(event=fix)
    assert line.hours == Decimal("-0.50") and "已支取部分无法扣回" in line.note
    assert _balance(world).hours == Decimal("0.00")


def test_nothing_is_corrected_when_nothing_was_credited(world, visit_rule):
    earned(world, EarningKind.HOURS_CONFIRMED, hours="2.0", rating=2, subject=ATTENDANCE)  # rated too low
    _adjusted(world, "2.0", "3.0")
    catch_up()
    assert not HourEntry.objects.exists() and not PointEntry.objects.exists()
