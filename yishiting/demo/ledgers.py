"""Points, the 积分超市 and the 时间银行 in the demo: the district's rules (an accepted suggestion, a meeting
attended, a rated volunteer service, a 双报到 service, a fulfilled wish, a delivered meal), the persona
community's goods, and the contract events the participation apps will append (volunteers, participation,
wishes, canteens — appended here directly, so the resident sees credits before those apps exist). The tick's
processor credits them with the suggestions and meetings of the other stories; the resident then redeems
(one handed over, one waiting with its code) and the staff record a withdrawal of hours for a neighbour."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime

from yishiting.areas.choices import Role
from yishiting.areas.models import Person
from yishiting.common.events import event_append
from yishiting.ledgers import services as ledgers
from yishiting.ledgers.choices import EarningKind, ItemKind
from yishiting.ledgers.models import Item, PointRule
from yishiting.ledgers.processor import catch_up

from .cast import Cast

STAFF_AWARD = [Role.COMMUNITY_STAFF, Role.COMMUNITY_SECRETARY, Role.GRID_WORKER]
RULES = [  # (name, kind, points, per hour, min rating, daily cap, monthly cap, deposits hours, award roles)
    ("建议被采纳", EarningKind.SUGGESTION_ACCEPTED, 5, 0, None, None, 50, False, STAFF_AWARD),
    ("参加议事会议", EarningKind.MEETING_ATTENDED, 3, 0, None, 6, 30, False, []),
    ("志愿服务获好评", EarningKind.HOURS_CONFIRMED, 10, 5, 4, 40, 200, True, STAFF_AWARD),
    ("双报到服务获好评", EarningKind.SERVICE_RATED, 10, 5, 4, 40, 200, True, []),
    ("认领微心愿", EarningKind.WISH_FULFILLED, 8, 0, None, None, 40, False, []),
    ("爱心送餐", EarningKind.DELIVERY_CONFIRMED, 5, 0, 4, 15, 100, True, []),
]
GOODS = [("大米 5 公斤", ItemKind.GOODS, 50, 10, "社区爱心超市提供"), ("洗衣液一瓶", ItemKind.GOODS, 20, 20, ""),
         ("上门理发一次", ItemKind.SERVICE, 30, 5, "由七彩志愿服务队提供"), ("家电清洗一次", ItemKind.SERVICE, 80, 2, "")]


def _setup(cast: Cast) -> None:
    for name, kind, points, per_hour, rating, daily, monthly, hours, roles in RULES:
        PointRule.objects.get_or_create(name=name, kind=kind, defaults={
            "points": points, "points_per_hour": per_hour, "min_rating": rating, "daily_cap": daily,
            "monthly_cap": monthly, "deposits_hours": hours, "award_roles": roles, "area": cast.district})
    for name, kind, price, stock, note in GOODS:
        Item.objects.get_or_create(community=cast.community, name=name,
                                   defaults={"kind": kind, "price": price, "stock": stock, "description": note})


def _earned(cast: Cast, kind: str, earners: list[dict]) -> None:
    """On the first earner's own chain (the participation apps' records do not exist yet, and `verify` reports a
    chain without its row); once those apps append their own events, these go."""
    first = Person.objects.get(pk=earners[0]["person"])
    event_append(subject=first, kind=kind, payload={"area": cast.community.pk, "earners": earners})


def ledgers_story(cast: Cast, at: Callable[..., datetime]) -> Iterator[datetime]:
    yield at(95, 8)
    _setup(cast)
    resident, neighbours = cast.person("resident"), cast.neighbours
    yield at(30, 16)
    _earned(cast, EarningKind.HOURS_CONFIRMED,
            [{"person": resident.pk, "hours": "2", "rating": 5}, {"person": neighbours[0].pk, "hours": "2", "rating": 5}])
    yield at(20, 11)
    _earned(cast, EarningKind.SERVICE_RATED,
            [{"person": resident.pk, "hours": "1.5", "rating": 5}])
    yield at(12, 18)
    _earned(cast, EarningKind.WISH_FULFILLED, [{"person": resident.pk}])
    yield at(6, 12)
    _earned(cast, EarningKind.DELIVERY_CONFIRMED,
            [{"person": resident.pk, "hours": "0.5", "rating": 5}, {"person": neighbours[1].pk, "rating": 3}])
    catch_up()
    yield at(5, 10)
    soap = Item.objects.get(community=cast.community, name="洗衣液一瓶")
    handed = ledgers.redemption_create(actor=cast.user("resident"), person=resident, item=soap)
    yield at(5, 15)
    ledgers.redemption_hand_over(actor=cast.user("community_staff"), code=handed.code)
    yield at(4, 9)
    ledgers.hours_withdraw(actor=cast.user("community_staff"), person=neighbours[0], hours="1",
                           service="志愿者上门助浴一次")
    yield at(1, 19)
    haircut = Item.objects.get(community=cast.community, name="上门理发一次")
    ledgers.redemption_create(actor=cast.user("resident"), person=resident, item=haircut)
