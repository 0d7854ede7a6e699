"""幸福食堂 orders in every state, for the crawl (web/tests/crawl_data.py) and the page tests: today's lunch and
dinner at 幸福苑, placed before the cut-off."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.utils import timezone

from yishiting.canteens import services
from yishiting.canteens.choices import Eligibility, Fulfilment
from yishiting.canteens.models import MenuItem
from yishiting.common.testing import World

from .world import Canteens, build


def build_states(world: World) -> dict:
    today = timezone.localdate()
    ct: Canteens = build(world, day=today)
    MenuItem.objects.create(canteen=ct.canteen, day=today + timedelta(days=1), meal="lunch", name="抓饭", price="14.00")
    early = datetime.combine(today, time(7, 0), tzinfo=timezone.get_current_timezone())
    staff, cook, u = world.users["community_staff"], world.users["cook"], world.users

    def order(who: str, item, fulfilment: str = Fulfilment.DELIVERY, diner=None):
        return services.order_place(actor=u[who], item=item, diner=diner, fulfilment=fulfilment,
                                    address="幸福苑3栋1单元102室" if fulfilment == Fulfilment.DELIVERY else "", now=early)

    placed = order("elder", ct.lunch)
    accepted = services.order_accept(actor=cook, order=order("resident", ct.lunch, Fulfilment.EAT_IN))
    served = services.order_serve(actor=cook, order=services.order_accept(
        actor=cook, order=order("courier", ct.lunch, Fulfilment.PICKUP)))
    assigned = services.order_assign(actor=cook, order=services.order_accept(actor=cook, order=order("elder", ct.dinner)),
                                     courier=ct.courier)
    delivered = services.order_deliver(actor=u["courier"], order=services.order_assign(
        actor=cook, order=services.order_accept(actor=cook, order=order("resident", ct.dinner)), courier=ct.courier))
    confirmed = services.order_assign(actor=cook, order=services.order_accept(
        actor=cook, order=order("community_staff", ct.lunch, diner=ct.child)), courier=ct.courier)
    confirmed = services.order_confirm(actor=staff, order=services.order_deliver(actor=u["courier"], order=confirmed),
                                       rating=5)
    cancelled = services.order_cancel(actor=u["cook"], order=order("cook", ct.lunch, Fulfilment.EAT_IN))
    rejected = services.order_reject(actor=cook, order=order("cook", ct.dinner, Fulfilment.EAT_IN))
    waiting = services.registration_file(actor=staff, person=ct.child, eligibility=Eligibility.LEFT_BEHIND_CHILD)
    verified = services.registration_verify(actor=staff, registration=services.registration_file(
        actor=staff, person=ct.elder, eligibility=Eligibility.DIBAO, note="低保证 6543010001"))
    return {"ct": ct, "orders": [placed, accepted, served, assigned, delivered, confirmed, cancelled, rejected],
            "registrations": [waiting, verified]}
