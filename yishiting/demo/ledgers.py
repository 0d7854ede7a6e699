"""Points, the 积分超市 and the 时间银行 in the demo: the district's rules (an accepted suggestion, a meeting
attended, a volunteer service by the served person's rating level, a 双报到 service, a fulfilled wish, a delivered
meal), the persona community's goods, and a home visit: the resident and a neighbour keep an elderly neighbour
company, the staff check them out, the elder rates each of them (which confirms the hours: the volunteers app's
`volunteers.hours_confirmed`), and the staff correct the neighbour's hours (a correcting line). Every credit comes
from the real apps' events (volunteers, participation, wishes, canteens, demands, meetings), read by the tick's
processor; the resident then redeems (one handed over, one waiting with its code) and the staff record a
withdrawal of hours for a neighbour."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime

from yishiting.areas.choices import Role
from yishiting.ledgers import services as ledgers
from yishiting.ledgers.choices import EarningKind, ItemKind
from yishiting.ledgers.models import Item, PointRule
from yishiting.ledgers.processor import catch_up
from yishiting.volunteers import services as vol

from .cast import Cast

STAFF_AWARD = [Role.COMMUNITY_STAFF, Role.COMMUNITY_SECRETARY, Role.GRID_WORKER]
BY_RATING = {"志愿服务获好评": {"5": 15, "4": 10, "3": 5}}  # points by the served person's rating level
RULES = [  # (name, kind, points, per hour, min rating, daily cap, monthly cap, deposits hours, award roles)
    ("建议被采纳", EarningKind.SUGGESTION_ACCEPTED, 5, 0, None, None, 50, False, STAFF_AWARD),
    ("参加议事会议", EarningKind.MEETING_ATTENDED, 3, 0, None, 6, 30, False, []),
    ("志愿服务获好评", EarningKind.HOURS_CONFIRMED, 10, 5, 3, 40, 200, True, STAFF_AWARD),
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
            "monthly_cap": monthly, "deposits_hours": hours, "award_roles": roles, "area": cast.district,
            "points_by_rating": BY_RATING.get(name, {})})
    for name, kind, price, stock, note in GOODS:
        Item.objects.get_or_create(community=cast.community, name=name,
                                   defaults={"kind": kind, "price": price, "stock": stock, "description": note})


def _home_visit(cast: Cast, at: Callable[..., datetime]) -> Iterator[datetime]:
    """Two volunteers keep an elderly neighbour company; the elder rates each (5 and 4 stars); the staff then
    correct the neighbour's hours (left early)."""
    staff, elder, helper = cast.user("community_staff"), cast.neighbours[2], cast.neighbours[0]
    yield at(31, 9)
    visit = vol.activity_create(actor=staff, area=cast.community, title="上门陪伴独居老人", capacity=2,
                                place=cast.building.name, starts_at=at(30, 14), ends_at=at(30, 17), served=elder,
                                description="陪老人聊天、读报，帮忙整理房间。")
    yield at(30, 10)
    for user in (cast.user("resident"), helper.user):
        vol.activity_sign_up(actor=user, activity=visit)
    yield at(30, 13, 55)
    token = vol.checkin_token(visit)
    came = [vol.activity_check_in_by_code(actor=user, activity=visit, token=token)
            for user in (cast.user("resident"), helper.user)]
    yield at(30, 17, 5)
    for attendance in came:
        vol.attendance_check_out(actor=staff, attendance=attendance, rating=None)
    yield at(30, 19)
    for attendance, stars in zip(came, (5, 4), strict=True):
        vol.attendance_rate(actor=elder.user, attendance=attendance, rating=stars)
    yield at(29, 9)
    vol.attendance_adjust_hours(actor=staff, attendance=came[1], hours="2", reason="家中有事，提前一小时离开")


def ledgers_story(cast: Cast, at: Callable[..., datetime]) -> Iterator[datetime]:
    yield at(95, 8)
    _setup(cast)
    resident, neighbours = cast.person("resident"), cast.neighbours
    yield from _home_visit(cast, at)
    yield at(6, 12)
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
    yield at(0, 0, 40)
    catch_up()  # tonight's `yishiting tick`: the meals delivered and rated since are credited to the couriers
