"""幸福食堂 in the demo (seed 004, Altay): the persona community's canteen run by a local restaurant, the two
rules "70 岁以上老人、留守儿童 低于市场价 30%", a week of menus, and meals ordered by elderly neighbours (delivered by
a volunteer of the 雪都送餐队 and confirmed with a rating) and by the resident persona — with today's orders still
waiting, accepted and on the way, so the board, the courier's list and the subsidy ledger all have something to
show. The `canteen` and `volunteer` logins (the personas' password) are the community's canteen worker and a
volunteer. Written through the canteens services, as the people themselves."""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from decimal import Decimal

from yishiting.accounts.models import User
from yishiting.areas.choices import Role
from yishiting.areas.models import Organization, Person
from yishiting.canteens import services as canteens
from yishiting.canteens.choices import DiscountMode, Eligibility, Fulfilment, Meal
from yishiting.canteens.models import Canteen, DiscountRule, MenuItem
from yishiting.canteens.pricing import age_of

from .cast import Cast
from .clock import Clock

DISHES = [("手抓饭套餐", "15.00", Meal.LUNCH), ("拌面", "12.00", Meal.LUNCH), ("清炖羊肉配馕", "18.00", Meal.DINNER),
          ("揪片子", "11.00", Meal.DINNER)]
CANTEEN_LOGIN, VOLUNTEER_LOGIN = "canteen", "volunteer"


def _login(cast: Cast, username: str, person: Person) -> None:
    """A demo account with the personas' password (the resident's hash: the same password)."""
    user, _ = User.objects.get_or_create(username=username, defaults={"password": cast.user("resident").password})
    Person.objects.filter(user=user).exclude(pk=person.pk).update(user=None)
    person.user = user
    person.save(update_fields=["user"])


def _diners(cast: Cast, day: date) -> tuple[list[Person], list[Person]]:
    """Neighbours of the community aged 70 or more by their ID numbers, and children under 14."""
    people = list(Person.objects.filter(path__startswith=cast.community.path, household__isnull=False,
                                        id_number__isnull=False).exclude(user__isnull=False).order_by("pk")[:600])
    ages = [(p, age_of(p, day)) for p in people]
    return [p for p, a in ages if a is not None and a >= 70][:4], [p for p, a in ages if a is not None and a < 14][:2]


def _menu(canteen: Canteen, day: date) -> dict[str, MenuItem]:
    return {name: canteens.setting_save(actor=None, obj=MenuItem(canteen=canteen, day=day, meal=meal, name=name,
                                                                 price=Decimal(price), portions=40))
            for name, price, meal in DISHES}


def canteen_story(cast: Cast, clock: Clock) -> Iterator[datetime]:
    """Canteens open every day (weekends too): calendar days back from today, not working days."""

    def at(back: int, hour: int = 9, minute: int = 0) -> datetime:
        return clock.at(clock.today - timedelta(days=back), hour, minute)

    yield at(8, 7)
    community, rng = cast.community, random.Random("canteens")
    cook, courier = cast.holder(Role.CANTEEN_STAFF, community), cast.holder(Role.VOLUNTEER, community)
    if cook is None or courier is None:
        return
    _login(cast, CANTEEN_LOGIN, cook)
    _login(cast, VOLUNTEER_LOGIN, courier)
    operator = Organization.objects.filter(area=community).order_by("pk").first()
    canteen = canteens.setting_save(actor=None, obj=Canteen(
        name=f"{community.name}幸福食堂", area=community, operator=operator, address=f"{community.name}党群服务中心一楼",
        opening_hours="午餐 11:30–13:30，晚餐 18:00–19:30", meal_capacity=120))
    start = at(60).date()
    for name, kind, minimum in [("七十岁以上老人", Eligibility.AGE, 70), ("留守儿童", Eligibility.LEFT_BEHIND_CHILD, None)]:
        canteens.setting_save(actor=None, obj=DiscountRule(name=name, eligibility=kind, min_age=minimum,
                                                           mode=DiscountMode.PERCENT, percent_off=Decimal("30"),
                                                           valid_from=start))
    elders, children = _diners(cast, clock.today)
    staff, cook_user, courier_user = cast.user("community_staff"), User.objects.get(username=CANTEEN_LOGIN), \
        User.objects.get(username=VOLUNTEER_LOGIN)
    for child in children[:1]:
        registration = canteens.registration_file(actor=staff, person=child, eligibility=Eligibility.LEFT_BEHIND_CHILD,
                                                  note="父母在外务工，由祖父母照看（入户走访记录）")
        canteens.registration_verify(actor=staff, registration=registration)
    if elders:  # one status verified, one still waiting for the community staff (the verification page)
        dibao = canteens.registration_file(actor=staff, person=elders[-1], eligibility=Eligibility.DIBAO, note="低保证已核验")
        canteens.registration_verify(actor=staff, registration=dibao)
        canteens.registration_file(actor=staff, person=elders[0], eligibility=Eligibility.DISABILITY, note="残疾证待核")
    for back in range(7, -1, -1):
        yield at(back, 8)
        menu = _menu(canteen, at(back, 8).date())
        on_the_way = []
        for diner in [*elders[:2], *children[:1]]:
            order = canteens.order_place(actor=staff, item=menu[rng.choice(["手抓饭套餐", "拌面"])], diner=diner,
                                         fulfilment=Fulfilment.DELIVERY, address=_address(diner))
            if back == 0 and diner == elders[0]:
                continue  # today's first order still waits for the canteen
            order = canteens.order_accept(actor=cook_user, order=order)
            on_the_way.append(canteens.order_assign(actor=cook_user, order=order, courier=courier))
        if back % 2 == 0:
            eat_in = canteens.order_place(actor=cast.user("resident"), item=menu["清炖羊肉配馕"], fulfilment=Fulfilment.EAT_IN)
            canteens.order_accept(actor=cook_user, order=eat_in)
        if back == 0:
            _menu(canteen, clock.today + timedelta(days=1))  # tomorrow's, to order ahead
            return  # today's deliveries are still on the way
        yield at(back, 12)
        for order in on_the_way:
            order = canteens.order_deliver(actor=courier_user, order=order)
            canteens.order_confirm(actor=staff, order=order, rating=rng.choice([5, 5, 4]))


def _address(person: Person) -> str:
    household = person.household
    return f"{household.unit.full_name}{household.number}室" if household else ""


def canteen_logins(district) -> list:
    """The `canteen` and `volunteer` lines in `yishiting demo`'s list of logins (when the history has been built)."""
    from yishiting.areas.demo import DEMO_PASSWORD
    from yishiting.areas.demo.logins import Login
    from yishiting.areas.models import RoleAssignment

    found = []
    for username, role in [(CANTEEN_LOGIN, Role.CANTEEN_STAFF), (VOLUNTEER_LOGIN, Role.VOLUNTEER)]:
        held = (RoleAssignment.objects.filter(person__user__username=username, role=role, is_active=True,
                                              path__startswith=district.path).select_related("area").first())
        if held is not None:
            found.append(Login(username, DEMO_PASSWORD, str(Role(role).label), held.area.full_name))
    return found
