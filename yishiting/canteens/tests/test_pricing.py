"""The price rules: age from the ID number (the birthday itself counts; X check digits), verified statuses, rule
dates and areas, the lowest price winning, and the price frozen on the order when a rule changes later."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from yishiting.canteens import services
from yishiting.canteens.choices import DiscountMode, Eligibility, Fulfilment
from yishiting.canteens.models import DiscountRule
from yishiting.canteens.pricing import age_on, birth_date, price_for

from .world import id_number, id_number_with_x, years_before

pytestmark = pytest.mark.django_db


def test_birth_date_reads_a_valid_number_and_refuses_a_wrong_check_digit():
    number = id_number(date(1951, 3, 7))
    assert birth_date(number) == date(1951, 3, 7)
    wrong = number[:17] + ("0" if number[17] != "0" else "1")
    assert birth_date(wrong) is None
    assert birth_date(None) is None and birth_date("12345") is None


def test_an_x_check_digit_is_read_in_either_case():
    number = id_number_with_x(date(1950, 12, 1))
    assert number.endswith("X")
    assert birth_date(number) == birth_date(number.lower()) == date(1950, 12, 1)


def test_a_person_turns_seventy_on_the_birthday_not_the_day_before():
    born = date(1956, 12, 6)
    assert age_on(born, date(2026, 12, 5)) == 69
    assert age_on(born, date(2026, 12, 6)) == 70


def test_born_on_29_february_turns_seventy_on_1_march_in_a_common_year():
    born = date(1956, 2, 29)
    assert age_on(born, date(2026, 2, 28)) == 69
    assert age_on(born, date(2026, 3, 1)) == 70


def _set_id(person, number):
    person.id_number = number
    person.save(update_fields=["id_number"])


def test_the_age_rule_applies_from_the_birthday(ct):
    day = ct.lunch.day
    _set_id(ct.elder, id_number(years_before(day, 70)))
    assert price_for(ct.elder, ct.canteen, Decimal("15.00"), day).paid == Decimal("10.50")
    assert price_for(ct.elder, ct.canteen, Decimal("15.00"), day - timedelta(days=1)).paid == Decimal("15.00")


def test_an_elder_whose_id_ends_in_x_gets_the_discount(ct):
    _set_id(ct.elder, id_number_with_x(years_before(ct.lunch.day, 72)))
    price = price_for(ct.elder, ct.canteen, Decimal("15.00"), ct.lunch.day)
    assert (price.paid, price.rule) == (Decimal("10.50"), ct.age_rule)


def test_a_left_behind_child_pays_the_listed_price_until_staff_verify_the_registration(ct):
    staff = ct.user("community_staff")
    reg = services.registration_file(actor=staff, person=ct.child, eligibility=Eligibility.LEFT_BEHIND_CHILD)
    assert price_for(ct.child, ct.canteen, Decimal("12.00"), ct.lunch.day).paid == Decimal("12.00")
    reg = services.registration_verify(actor=staff, registration=reg)
    assert reg.verified_by == ct.world.people["community_staff"] and reg.verified_at is not None
    assert price_for(ct.child, ct.canteen, Decimal("12.00"), ct.lunch.day).paid == Decimal("8.40")
    services.registration_revoke(actor=staff, registration=reg)
    assert price_for(ct.child, ct.canteen, Decimal("12.00"), ct.lunch.day).paid == Decimal("12.00")


def test_rule_dates_bound_the_discount(ct):
    day = ct.lunch.day
    ct.age_rule.valid_from, ct.age_rule.valid_until = day + timedelta(days=1), None
    ct.age_rule.save()
    assert price_for(ct.elder, ct.canteen, Decimal("15.00"), day).rule is None
    ct.age_rule.valid_from, ct.age_rule.valid_until = day - timedelta(days=10), day - timedelta(days=1)
    ct.age_rule.save()
    assert price_for(ct.elder, ct.canteen, Decimal("15.00"), day).rule is None
    ct.age_rule.valid_until = day
    ct.age_rule.save()
    assert price_for(ct.elder, ct.canteen, Decimal("15.00"), day).rule == ct.age_rule


def test_a_rule_of_another_area_does_not_apply_and_the_lowest_price_wins(ct):
    ct.age_rule.area = ct.world.areas["C3"]
    ct.age_rule.save()
    assert price_for(ct.elder, ct.canteen, Decimal("15.00"), ct.lunch.day).rule is None
    fixed = DiscountRule.objects.create(name="八十岁以上 5 元", eligibility=Eligibility.AGE, min_age=70,
                                        mode=DiscountMode.FIXED, fixed_price=Decimal("5.00"), area=ct.world.areas["S1"],
                                        valid_from=ct.lunch.day)
    price = price_for(ct.elder, ct.canteen, Decimal("15.00"), ct.lunch.day)
    assert (price.paid, price.rule, price.given_up) == (Decimal("5.00"), fixed, Decimal("10.00"))


def test_someone_without_an_id_number_pays_the_listed_price(ct):
    resident = ct.world.people["resident"]
    assert price_for(resident, ct.canteen, Decimal("15.00"), ct.lunch.day).paid == Decimal("15.00")


def test_the_price_is_frozen_on_the_order(ct):
    order = services.order_place(actor=ct.user("elder"), item=ct.lunch, fulfilment=Fulfilment.EAT_IN)
    ct.age_rule.percent_off = Decimal("50")
    ct.age_rule.save()
    ct.lunch.price = Decimal("20.00")
    ct.lunch.save()
    order.refresh_from_db()
    assert (order.listed_price, order.paid_price, order.rule_name) == (Decimal("15.00"), Decimal("10.50"), "七十岁以上老人")
