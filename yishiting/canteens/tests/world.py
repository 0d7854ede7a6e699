"""The 幸福食堂 beside the fixed personas (common.testing): 幸福苑社区's canteen with tomorrow's menu, its cook
(食堂工作人员), a volunteer courier, a 75-year-old resident with a login, a left-behind child without one, and
the two rules of seed 004 (≥ 70 and 留守儿童: 30 % below the listed price)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.test import Client
from django.utils import timezone

from yishiting.areas import services as area_services
from yishiting.areas.choices import Role
from yishiting.areas.models import Person
from yishiting.areas.validation import id_number_checksum
from yishiting.canteens.choices import DiscountMode, Eligibility, Meal
from yishiting.canteens.models import Canteen, DiscountRule, MenuItem
from yishiting.common.testing import World, make_user


def id_number(born: date, seq: int = 123, region: str = "654301") -> str:
    """A valid 18-digit ID number for `born` (654301: 阿勒泰市)."""
    first17 = f"{region}{born:%Y%m%d}{seq:03d}"
    return first17 + id_number_checksum(first17)


def id_number_with_x(born: date, region: str = "654301") -> str:
    """One whose check digit is X (about one number in eleven)."""
    return next(n for seq in range(1000) if (n := id_number(born, seq, region)).endswith("X"))


def years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


@dataclass
class Canteens:
    world: World
    canteen: Canteen
    lunch: MenuItem
    dinner: MenuItem
    cook: Person
    courier: Person
    elder: Person
    child: Person
    age_rule: DiscountRule
    child_rule: DiscountRule

    def user(self, name: str):
        return self.world.users[name]

    def client(self, name: str) -> Client:
        client = Client()
        client.force_login(self.world.users[name])
        return client


def _person(world: World, username: str | None, name: str, mobile: str, role_area, role: str | None, **kwargs) -> Person:
    person = area_services.person_create(actor=None, name=name, mobile=mobile, **kwargs)
    if username:
        make_user(world, username, person)
    if role:
        area_services.role_assign(actor=None, person=person, role=role, area=role_area)
    return person


def build(world: World, day: date | None = None) -> Canteens:
    today = timezone.localdate()
    day = day or today + timedelta(days=1)
    a = world.areas
    canteen = Canteen.objects.create(name="幸福苑幸福食堂", area=a["C1"], address="幸福苑社区党群服务中心一楼",
                                     opening_hours="午餐 11:00–13:00，晚餐 17:00–18:30", meal_capacity=100)
    lunch = MenuItem.objects.create(canteen=canteen, day=day, meal=Meal.LUNCH, name="手抓饭套餐", price=Decimal("15.00"), portions=30)
    dinner = MenuItem.objects.create(canteen=canteen, day=day, meal=Meal.DINNER, name="拌面", price=Decimal("12.00"), portions=20)
    cook = _person(world, "cook", "马师傅", "13700000001", a["C1"], Role.CANTEEN_STAFF, area=a["C1"])
    courier = _person(world, "courier", "古丽", "13700000002", a["C1"], Role.VOLUNTEER, area=a["G1"])
    elder = _person(world, "elder", "艾大爷", "13700000003", a["U1"], Role.RESIDENT, household=world.households["H2"],
                    id_number=id_number(years_before(today, 75)))
    child = _person(world, None, "小明", "", None, None, household=world.households["H2"],
                    id_number=id_number(years_before(today, 9), seq=456))
    start = today - timedelta(days=365)
    age_rule = DiscountRule.objects.create(name="七十岁以上老人", eligibility=Eligibility.AGE, min_age=70,
                                           mode=DiscountMode.PERCENT, percent_off=Decimal("30"), valid_from=start)
    child_rule = DiscountRule.objects.create(name="留守儿童", eligibility=Eligibility.LEFT_BEHIND_CHILD,
                                             mode=DiscountMode.PERCENT, percent_off=Decimal("30"), valid_from=start)
    return Canteens(world, canteen, lunch, dinner, cook, courier, elder, child, age_rule, child_rule)
