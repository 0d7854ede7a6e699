"""Liaison objects in every state, for the crawl and the page tests: the street official linked to 湖滨社区 (C3,
outside their street: the grant) and an ended link to 和平里社区; a 人大代表 at 幸福苑社区 (user "deputy") with a
reception day whose first matter became a demand and whose second is still a note, and a visit with no matters."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from yishiting.areas import services as areas
from yishiting.areas.choices import Role
from yishiting.common.testing import World, make_user
from yishiting.liaison import services


def make_deputy(world: World, username: str = "deputy", title: str = "人大代表"):
    person = areas.person_create(actor=None, name="何代表", mobile="13800000021", area=world.areas["C1"])
    make_user(world, username, person)
    areas.role_assign(actor=None, person=person, role=Role.DEPUTY, area=world.areas["C1"], title=title)
    return world.users[username]


def build_states(world: World) -> dict:
    today, district = timezone.localdate(), world.users["district_official"]
    current = services.link_create(actor=district, leader=world.people["street_official"],
                                   community=world.areas["C3"], starts_on=today - timedelta(days=10))
    ended = services.link_create(actor=district, leader=world.people["district_official"],
                                 community=world.areas["C2"], starts_on=today - timedelta(days=60))
    services.link_end(actor=district, link=ended, reason="调整分工")
    deputy = make_deputy(world)
    reception = services.record_create(
        actor=deputy, area=world.areas["C1"], held_on=today - timedelta(days=3), place="幸福苑社区党群服务中心",
        method="reception", deputy_kind="npc", people_count=15, summary="代表接待日",
        matters=["3栋门口路灯不亮", "小区停车难"], people=[world.people["resident"]])
    demand = services.matter_to_demand(actor=deputy, matter=reception.matters.order_by("pk").first())
    visit = services.record_create(actor=deputy, area=world.areas["G1"], held_on=today, place="居民家中",
                                   method="visit", deputy_kind="npc", people_count=2)
    return {"links": [current, ended], "records": [reception, visit], "demand": demand, "deputy": deputy}
