"""A training world on the test personas: 赵网格 (grid worker at 幸福苑小区) and 孙书记 (community secretary of
幸福苑社区) are cadres of 东风街道; 王导师 of the street's 导师库 mentors 赵网格; the street official runs a
programme of both; a cadre of 湖滨社区 (another street) stands outside."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from yishiting.areas import services as areas
from yishiting.areas.choices import Role
from yishiting.common.testing import make_user

from .. import services
from ..models import Activity, Cadre, Mentor, Programme


@dataclass
class Training:
    cadre: Cadre
    secretary: Cadre
    outsider: Cadre
    mentor: Mentor
    programme: Programme
    course: Activity


def build(world) -> Training:
    a, p = world.areas, world.people
    office = world.users["street_official"]
    cadre = services.cadre_register(actor=office, person=p["grid_worker"], kind="grid_worker", area=a["G1"],
                                    post="专职网格员")
    secretary = services.cadre_register(actor=office, person=p["community_secretary"], kind="secretary",
                                        area=a["C1"], post="幸福苑社区党委书记")
    person = areas.person_create(actor=None, name="湖滨干部", mobile="13800000031", area=a["C3"])
    areas.role_assign(actor=None, person=person, role=Role.COMMUNITY_STAFF, area=a["C3"])
    make_user(world, "cadre_outsider", person)
    outsider = services.cadre_register(actor=None, person=person, kind="reserve", area=a["C3"], post="后备干部")
    expert = areas.person_create(actor=None, name="王导师", mobile="13800000032", area=a["S1"])
    areas.role_assign(actor=None, person=expert, role=Role.EXPERT, area=a["S1"], expert_level=2)
    make_user(world, "cadre_mentor", expert)
    mentor = services.mentor_add(actor=office, person=expert, kind="scholar", area=a["S1"], specialty="社区治理")
    services.mentorship_assign(actor=office, cadre=cadre, mentor=mentor)
    today = timezone.localdate()
    programme = services.programme_create(actor=office, name="东风街道年轻干部培训班", area=a["S1"],
                                          starts_on=today.replace(day=1) - timedelta(days=40),
                                          ends_on=today + timedelta(days=300), bottom_count=1)
    for c in (cadre, secretary):
        services.programme_enrol(actor=office, programme=programme, cadre=c)
    course = services.activity_add(actor=office, programme=programme, kind="course", title="基层治理理论",
                                   held_on=today, credits=Decimal("2.0"))
    return Training(cadre, secretary, outsider, mentor, programme, course)


def first_of_month() -> date:
    return timezone.localdate().replace(day=1)
