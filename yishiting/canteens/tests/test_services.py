"""Orders from placing to confirming: cut-off, capacity, portions, cancellation before acceptance, couriers from
the community's volunteers, and the one `canteens.delivery_confirmed` event with the contract's payload."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from yishiting.canteens import services
from yishiting.canteens.choices import Fulfilment, OrderStatus
from yishiting.canteens.selectors import daily_counts
from yishiting.common.errors import DomainError, PermissionDeniedError
from yishiting.common.models import Event

pytestmark = pytest.mark.django_db


def _deliver(ct, **kw):
    order = services.order_place(actor=ct.user("elder"), item=ct.lunch, fulfilment=Fulfilment.DELIVERY,
                                 address="幸福苑3栋1单元102", **kw)
    services.order_accept(actor=ct.user("cook"), order=order)
    services.order_assign(actor=ct.user("cook"), order=order, courier=ct.courier)
    return services.order_deliver(actor=ct.user("courier"), order=order)


def test_a_delivery_from_order_to_confirmation_appends_the_contract_event_once(ct):
    order = _deliver(ct)
    order = services.order_confirm(actor=ct.user("elder"), order=order, rating=5, comment="热乎的")
    assert order.status == OrderStatus.CONFIRMED and order.rating == 5
    events = Event.objects.filter(kind="canteens.delivery_confirmed")
    assert events.count() == 1
    assert events.get().payload == {"area": ct.canteen.area_id, "earners": [{"person": ct.courier.pk, "rating": 5}]}
    with pytest.raises(DomainError):
        services.order_confirm(actor=ct.user("elder"), order=order, rating=4)
    assert Event.objects.filter(kind="canteens.delivery_confirmed").count() == 1


def test_a_confirmation_without_a_rating_names_the_courier_without_one(ct):
    order = services.order_confirm(actor=ct.user("cook"), order=_deliver(ct))
    assert Event.objects.get(kind="canteens.delivery_confirmed").payload["earners"] == [{"person": ct.courier.pk}]
    assert order.rating is None


def test_ordering_closes_at_the_cut_off(ct):
    ct.lunch.day = timezone.localdate()
    ct.lunch.save()
    tz = timezone.get_current_timezone()
    before = datetime.combine(ct.lunch.day, time(10, 29), tzinfo=tz)
    after = datetime.combine(ct.lunch.day, time(10, 31), tzinfo=tz)
    with pytest.raises(DomainError) as exc:
        services.order_place(actor=ct.user("elder"), item=ct.lunch, fulfilment=Fulfilment.EAT_IN, now=after)
    assert exc.value.code == "ordering_closed"
    assert services.order_place(actor=ct.user("elder"), item=ct.lunch, fulfilment=Fulfilment.EAT_IN, now=before)


def test_the_last_portion_and_the_meal_capacity_are_never_exceeded(ct):
    ct.lunch.portions = 1
    ct.lunch.save()
    services.order_place(actor=ct.user("elder"), item=ct.lunch, fulfilment=Fulfilment.EAT_IN)
    with pytest.raises(DomainError) as exc:
        services.order_place(actor=ct.user("resident"), item=ct.lunch, fulfilment=Fulfilment.EAT_IN)
    assert exc.value.code == "sold_out"
    ct.canteen.meal_capacity = 1
    ct.canteen.save()
    ct.lunch.portions = 10
    ct.lunch.save()
    with pytest.raises(DomainError) as exc:
        services.order_place(actor=ct.user("resident"), item=ct.lunch, fulfilment=Fulfilment.EAT_IN)
    assert exc.value.code == "meal_full"


def test_one_meal_per_diner_and_cancelling_before_acceptance_gives_the_portion_back(ct):
    order = services.order_place(actor=ct.user("elder"), item=ct.lunch, fulfilment=Fulfilment.PICKUP)
    with pytest.raises(DomainError) as exc:
        services.order_place(actor=ct.user("elder"), item=ct.lunch, fulfilment=Fulfilment.PICKUP)
    assert exc.value.code == "already_ordered"
    services.order_cancel(actor=ct.user("elder"), order=order)
    ct.lunch.refresh_from_db()
    assert ct.lunch.ordered == 0
    again = services.order_place(actor=ct.user("elder"), item=ct.lunch, fulfilment=Fulfilment.PICKUP)
    services.order_accept(actor=ct.user("cook"), order=again)
    with pytest.raises(DomainError) as exc:
        services.order_cancel(actor=ct.user("elder"), order=again)
    assert exc.value.code == "invalid_transition"


def test_a_delivery_needs_an_address_and_a_volunteer_of_the_community(ct):
    with pytest.raises(DomainError) as exc:
        services.order_place(actor=ct.user("elder"), item=ct.lunch, fulfilment=Fulfilment.DELIVERY)
    assert exc.value.code == "address_required"
    order = services.order_place(actor=ct.user("elder"), item=ct.lunch, fulfilment=Fulfilment.DELIVERY, address="3栋102")
    services.order_accept(actor=ct.user("cook"), order=order)
    with pytest.raises(DomainError) as exc:
        services.order_assign(actor=ct.user("cook"), order=order, courier=ct.world.people["resident"])
    assert exc.value.code == "not_a_volunteer"
    order = services.order_assign(actor=ct.user("cook"), order=order, courier=ct.courier, team_id=7)
    assert (order.status, order.courier, order.courier_team_id) == (OrderStatus.ASSIGNED, ct.courier, 7)


def test_staff_order_for_an_elderly_person_who_pays_the_discounted_price(ct):
    order = services.order_place(actor=ct.user("community_staff"), item=ct.lunch, diner=ct.elder,
                                 fulfilment=Fulfilment.DELIVERY, address="3栋102")
    assert order.placed_by == ct.world.people["community_staff"] and order.diner == ct.elder
    assert (order.listed_price, order.paid_price, order.given_up) == (Decimal("15.00"), Decimal("10.50"), Decimal("4.50"))


def test_others_cannot_handle_the_order(ct):
    order = services.order_place(actor=ct.user("elder"), item=ct.lunch, fulfilment=Fulfilment.EAT_IN)
    for name in ["resident", "courier", "community_staff"]:
        with pytest.raises(PermissionDeniedError):
            services.order_accept(actor=ct.user(name), order=order)
    with pytest.raises(PermissionDeniedError):
        services.order_cancel(actor=ct.user("resident"), order=order)
    with pytest.raises(PermissionDeniedError):
        services.order_place(actor=ct.user("resident3"), item=ct.lunch, fulfilment=Fulfilment.EAT_IN)


def test_daily_counts_show_meals_by_kind_and_the_deliveries(ct):
    _deliver(ct)
    services.order_place(actor=ct.user("resident"), item=ct.dinner, fulfilment=Fulfilment.EAT_IN)
    cancelled = services.order_place(actor=ct.user("resident"), item=ct.lunch, fulfilment=Fulfilment.PICKUP)
    services.order_cancel(actor=ct.user("resident"), order=cancelled)
    counts = daily_counts(ct.canteen, ct.lunch.day)
    assert (counts.orders, counts.deliveries, counts.delivered) == (2, 1, 1)
    assert counts.by_meal == {"lunch": 1, "dinner": 1}
    assert counts.by_fulfilment == {"eat_in": 1, "pickup": 0, "delivery": 1}
    assert (counts.listed, counts.paid, counts.given_up) == (Decimal("27.00"), Decimal("22.50"), Decimal("4.50"))


def test_yesterday_is_closed(ct):
    ct.lunch.day = timezone.localdate() - timedelta(days=1)
    ct.lunch.save()
    with pytest.raises(DomainError):
        services.order_place(actor=ct.user("elder"), item=ct.lunch, fulfilment=Fulfilment.EAT_IN)
