"""The service menu's order through its services: 点单 → 派单 → 接单 → 服务并晒照 → 评价, its refusals, and the tick
that hands unaccepted orders back to the community."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from yishiting.common.errors import Conflict, DomainError, PermissionDeniedError
from yishiting.common.events import Event
from yishiting.notifications.models import Notification
from yishiting.participation import services as part
from yishiting.participation.choices import OrderStatus
from yishiting.participation.models import ServiceOrder, ServiceRecord

from .world import photo

pytestmark = pytest.mark.django_db


def placed(cast, **kwargs) -> ServiceOrder:
    return part.order_place(actor=cast.user("resident"), **({"item": cast.item} | kwargs))


def dispatched(cast, *providers) -> ServiceOrder:
    return part.order_dispatch(actor=cast.user("community_staff"), order=placed(cast),
                               providers=list(providers) or [cast.member_provider])


def served(cast) -> ServiceOrder:
    order = part.order_accept(actor=cast.user("member"), order=dispatched(cast))
    return part.order_report(actor=cast.user("member"), order=order,
                             report=part.Report(text="量了血压，130/85，嘱咐按时吃药", hours="1.5", photos=[photo()]))


def test_an_order_from_the_menu_served_and_rated_earns_the_member(cast):
    order = served(cast)
    assert order.status == OrderStatus.REPORTED and order.photos.count() == 1
    assert Notification.objects.filter(person=cast.world.people["resident"], text__contains="请确认并评价").exists()
    order = part.order_rate(actor=cast.user("resident"), order=order, stars=5, comment="很耐心")
    assert order.status == OrderStatus.RATED
    record = ServiceRecord.objects.get(order=order)
    assert record.member == cast.member and str(record.hours) == "1.5" and record.rating == 5
    event = Event.objects.get(kind="participation.service_rated")
    assert event.payload == {"area": cast.world.areas["C1"].pk,
                             "earners": [{"person": cast.world.people["member"].pk, "hours": "1.5", "rating": 5}]}


def test_a_request_not_on_the_menu_is_dispatched_and_the_unit_liaison_accepts(cast):
    order = placed(cast, item=None, title="帮忙修一下漏水的水龙头（电话13800000001）")
    assert "13800000001" not in order.title and order.status == OrderStatus.SUBMITTED
    order = part.order_dispatch(actor=cast.user("community_staff"), order=order, providers=[cast.unit_provider])
    assert Notification.objects.filter(person=cast.world.people["liaison"], text__contains="社区派单").exists()
    order = part.order_accept(actor=cast.user("liaison"), order=order)
    assert order.provider == cast.unit_provider and order.served_by == cast.world.people["liaison"]


def test_only_the_providers_offered_may_accept_and_the_second_is_told_it_is_taken(cast):
    order = dispatched(cast, cast.member_provider, cast.volunteer_provider)
    with pytest.raises(PermissionDeniedError):
        part.order_accept(actor=cast.user("member2"), order=order)
    part.order_accept(actor=cast.user("volunteer"), order=order)
    with pytest.raises(Conflict) as taken:
        part.order_accept(actor=cast.user("member"), order=ServiceOrder.objects.get(pk=order.pk))
    assert taken.value.code == "already_accepted"


def test_an_item_takes_no_more_than_its_capacity_at_once(cast):
    part.order_accept(actor=cast.user("member"), order=dispatched(cast))
    with pytest.raises(Conflict) as full:
        part.order_accept(actor=cast.user("member"), order=dispatched(cast))
    assert full.value.code == "capacity_full"


def test_the_capacity_holds_for_a_provider_the_item_was_dispatched_to_as_well(cast):
    """The community may send an order of the member's item to the volunteer: the item's capacity binds them too
    (per provider), and a place frees when their order is served."""
    first = part.order_accept(actor=cast.user("volunteer"), order=dispatched(cast, cast.volunteer_provider))
    with pytest.raises(Conflict) as full:
        part.order_accept(actor=cast.user("volunteer"), order=dispatched(cast, cast.volunteer_provider))
    assert full.value.message == "该服务项目同时可接的订单已满，请先完成手上的订单。"
    part.order_accept(actor=cast.user("member"), order=dispatched(cast))  # the member's own place is apart
    part.order_report(actor=cast.user("volunteer"), order=first, report=part.Report("已上门量血压", "1", [photo()]))
    assert part.order_accept(actor=cast.user("volunteer"), order=dispatched(cast, cast.volunteer_provider)).provider \
        == cast.volunteer_provider


def test_the_report_needs_a_photo_and_sane_hours(cast):
    order = part.order_accept(actor=cast.user("member"), order=dispatched(cast))
    with pytest.raises(DomainError) as no_photo:
        part.order_report(actor=cast.user("member"), order=order, report=part.Report("done", "1", []))
    assert no_photo.value.code == "photo_required"
    with pytest.raises(DomainError) as hours:
        part.order_report(actor=cast.user("member"), order=order, report=part.Report("done", "30", [photo()]))
    assert hours.value.code == "invalid_hours"


def test_residents_order_only_in_their_own_community_and_rate_only_their_own(cast):
    other_item = cast.item  # 幸福苑's menu: resident3 lives in 湖滨社区
    with pytest.raises(DomainError) as wrong:
        part.order_place(actor=cast.user("resident3"), item=other_item)
    assert wrong.value.code == "item_unavailable"
    order = served(cast)
    with pytest.raises(PermissionDeniedError):
        part.order_rate(actor=cast.user("resident2"), order=order, stars=1)
    with pytest.raises(PermissionDeniedError):
        part.order_place(actor=cast.user("community_staff"), title="x")  # staff live nowhere in the tree


def test_nobody_accepts_in_time_the_tick_hands_it_back_and_staff_dispatch_again(cast):
    order = dispatched(cast)
    assert part.orders_escalate_due(now=timezone.now()) == 0
    later = order.accept_due + timedelta(minutes=1)
    assert part.orders_escalate_due(now=later) == 1
    assert part.orders_escalate_due(now=later) == 0  # run again: nothing more
    order.refresh_from_db()
    assert order.status == OrderStatus.ESCALATED
    assert Notification.objects.filter(person=cast.world.people["community_staff"], text__contains="超时无人接单").exists()
    order = part.order_dispatch(actor=cast.user("community_staff"), order=order, providers=[cast.volunteer_provider])
    assert order.status == OrderStatus.DISPATCHED and order.accept_due > later - timedelta(minutes=1)


def test_the_resident_cancels_before_anyone_accepts_not_after(cast):
    order = part.order_cancel(actor=cast.user("resident"), order=dispatched(cast))
    assert order.status == OrderStatus.CANCELLED
    taken = part.order_accept(actor=cast.user("member"), order=dispatched(cast))
    with pytest.raises(Conflict):
        part.order_cancel(actor=cast.user("resident"), order=taken)
