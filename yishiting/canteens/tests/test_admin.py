"""The back office: an admin edits canteens, a day's menu and the discount rules (saved through setting_save with
an event); a menu may not offer fewer portions than are already ordered; orders are read-only."""

from __future__ import annotations

from decimal import Decimal

import pytest

from yishiting.canteens import services
from yishiting.canteens.choices import Fulfilment
from yishiting.canteens.models import DiscountRule
from yishiting.common.errors import DomainError
from yishiting.common.models import Event

pytestmark = pytest.mark.django_db

PAGES = ["canteen", "menuitem", "discountrule", "eligibilityregistration", "mealorder"]


def test_the_admin_lists_and_opens_every_canteen_model(ct):
    client = ct.client("admin")
    for name in PAGES:
        assert client.get(f"/admin/canteens/{name}/").status_code == 200, name
    for name in ["canteen", "menuitem", "discountrule"]:
        assert client.get(f"/admin/canteens/{name}/add/").status_code == 200, name
    assert client.get("/admin/canteens/mealorder/add/").status_code == 403


def test_an_admin_changes_a_rule_and_the_change_is_an_event(ct):
    page = ct.client("admin").post(f"/admin/canteens/discountrule/{ct.age_rule.pk}/change/", {
        "name": "七十岁以上老人", "eligibility": "age", "min_age": "70", "mode": "percent", "percent_off": "40",
        "fixed_price": "", "area": "", "valid_from": str(ct.age_rule.valid_from), "valid_until": "", "is_active": "on"})
    assert page.status_code == 302, page.content.decode()[:3000]
    assert DiscountRule.objects.get(pk=ct.age_rule.pk).percent_off == Decimal("40")
    assert Event.objects.filter(kind="canteens.discountrule_saved", subject_id=str(ct.age_rule.pk)).exists()


def test_portions_cannot_drop_below_what_is_ordered(ct):
    services.order_place(actor=ct.user("elder"), item=ct.lunch, fulfilment=Fulfilment.EAT_IN)
    ct.lunch.refresh_from_db()
    ct.lunch.portions = 0
    with pytest.raises(DomainError) as exc:
        services.setting_save(actor=None, obj=ct.lunch)
    assert exc.value.code == "portions_below_ordered"


def test_residents_do_not_reach_the_back_office(ct):
    assert ct.client("resident").get("/admin/canteens/discountrule/").status_code == 302


def test_saving_a_stale_copy_of_a_dish_keeps_the_portions_ordered_since(ct):
    stale = type(ct.lunch).objects.get(pk=ct.lunch.pk)
    services.order_place(actor=ct.user("elder"), item=ct.lunch, fulfilment=Fulfilment.EAT_IN)
    stale.price = Decimal("16.00")
    services.setting_save(actor=None, obj=stale)
    ct.lunch.refresh_from_db()
    assert (ct.lunch.price, ct.lunch.ordered) == (Decimal("16.00"), 1)
