"""Deliveries nobody confirmed: the tick confirms them after the canteen's hours (admin-editable), without a
rating, once; a diner who complained keeps the order open (the canteen deals with it); a canteen with no hours
set never auto-confirms. The diner sees the promise on the order page and the complaint form works."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from yishiting.canteens import services
from yishiting.canteens.apps import canteens_tick
from yishiting.canteens.choices import OrderStatus
from yishiting.canteens.models import MealOrder
from yishiting.common.errors import Conflict, DomainError, PermissionDeniedError
from yishiting.common.models import Event
from yishiting.notifications.models import Notification

from .test_services import _deliver


def _deliver_dinner(ct):
    order = services.order_place(actor=ct.user("elder"), item=ct.dinner, fulfilment="delivery", address="幸福苑3栋")
    services.order_accept(actor=ct.user("cook"), order=order)
    services.order_assign(actor=ct.user("cook"), order=order, courier=ct.courier)
    return services.order_deliver(actor=ct.user("courier"), order=order)

pytestmark = pytest.mark.django_db


def _delivered_hours_ago(order, hours: float) -> None:
    MealOrder.objects.filter(pk=order.pk).update(delivered_at=timezone.now() - timedelta(hours=hours))


def test_the_tick_confirms_deliveries_left_unconfirmed_past_the_canteens_hours_once(ct):
    ct.canteen.auto_confirm_hours = 6
    ct.canteen.save()
    old, fresh = _deliver(ct), _deliver_dinner(ct)
    _delivered_hours_ago(old, 7)
    _delivered_hours_ago(fresh, 5)
    line, _ = canteens_tick(timezone.localdate())
    assert line == "幸福食堂：1 份送餐超时自动确认收餐"
    old.refresh_from_db(), fresh.refresh_from_db()
    assert old.status == OrderStatus.CONFIRMED and old.rating is None and fresh.status == OrderStatus.DELIVERED
    [event] = Event.objects.filter(kind="canteens.delivery_confirmed")
    assert event.payload["earners"] == [{"person": ct.courier.pk}] and event.payload["auto"] is True
    assert services.orders_auto_confirm(now=timezone.now()) == 0  # a second tick: nothing more


def test_a_complaint_keeps_the_order_open_and_tells_the_canteen(ct):
    order = _deliver(ct)
    with pytest.raises(PermissionDeniedError):
        services.order_complain(actor=ct.user("resident3"), order=order, text="没收到")
    with pytest.raises(DomainError) as empty:
        services.order_complain(actor=ct.user("elder"), order=order, text="  ")
    assert empty.value.message == "请写下遇到的问题。"
    services.order_complain(actor=ct.user("elder"), order=order, text="饭菜凉了")
    assert Notification.objects.filter(person=ct.cook, text__contains="饭菜凉了").exists()
    _delivered_hours_ago(order, 48)
    assert services.orders_auto_confirm(now=timezone.now()) == 0
    order.refresh_from_db()
    assert order.status == OrderStatus.DELIVERED and order.complaint == "饭菜凉了"
    services.order_confirm(actor=ct.user("cook"), order=order)  # the canteen sorted it out with the diner
    with pytest.raises(Conflict):
        services.order_complain(actor=ct.user("elder"), order=order, text="又想起来")


def test_no_hours_set_no_auto_confirmation(ct):
    ct.canteen.auto_confirm_hours = None
    ct.canteen.save()
    order = _deliver(ct)
    _delivered_hours_ago(order, 500)
    assert services.orders_auto_confirm(now=timezone.now()) == 0


def test_the_diner_reads_the_promise_and_complains_on_the_order_page(ct):
    order = _deliver(ct)
    client = Client()
    client.force_login(ct.user("elder"))
    page = client.get(f"/canteens/orders/{order.pk}/").content.decode()
    assert "送达 24 小时内未确认也未反映问题的，将自动确认收餐。" in page and "没收到或有问题？" in page
    empty = client.post(f"/canteens/orders/{order.pk}/complain/", {"text": ""})
    assert empty.status_code == 400 and "请写下遇到的问题。" in empty.content.decode()
    done = client.post(f"/canteens/orders/{order.pk}/complain/", {"text": "送错了菜"}, follow=True).content.decode()
    assert "已告知食堂，我们会尽快联系您。" in done and "已反映问题：送错了菜（食堂处理后再确认收餐）" in done
    assert "没收到或有问题？" not in done
