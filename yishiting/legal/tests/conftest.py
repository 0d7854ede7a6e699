"""The legal personas beside the fixed ones (common.testing): two 云律团 lawyers of the district pool (法律, 婚姻家庭),
a construction expert of the street pool, and 幸福苑社区's adviser (a community-level lawyer with a term in force)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from yishiting.areas import services as area_services
from yishiting.areas.choices import ExpertLevel
from yishiting.common.testing import World, make_user
from yishiting.legal.models import Expert, ExpertField
from yishiting.legal.services import adviser_appoint, expert_save


@dataclass
class Pool:
    world: World
    lawyer: Expert
    lawyer2: Expert
    builder: Expert
    adviser: Expert

    def field(self, code: str) -> ExpertField:
        return ExpertField.objects.get(code=code)

    def user(self, name: str):
        return self.world.users[name]

    def client(self, name: str) -> Client:
        client = Client()
        client.force_login(self.world.users[name])
        return client


def _expert(world: World, username: str, name: str, mobile: str, level: int, area: str, fields: list[str],
            lawyer: bool, title: str) -> Expert:
    person = area_services.person_create(actor=None, name=name, mobile=mobile, area=world.areas[area], id_number=None)
    make_user(world, username, person)
    return expert_save(actor=None, person=person, level=level, area=world.areas[area], is_lawyer=lawyer, title=title,
                       fields=list(ExpertField.objects.filter(code__in=fields)))


def build_pool(world: World) -> Pool:
    lawyer = _expert(world, "lawyer", "林律师", "13900000001", ExpertLevel.DISTRICT, "D", ["law", "property_mgmt"], True, "执业律师")
    lawyer2 = _expert(world, "lawyer2", "韩律师", "13900000002", ExpertLevel.DISTRICT, "D", ["law", "family"], True, "执业律师")
    builder = _expert(world, "builder", "高工", "13900000003", ExpertLevel.STREET, "S1", ["construction"], False, "高级工程师")
    adviser = _expert(world, "adviser", "顾律师", "13900000004", ExpertLevel.COMMUNITY, "C1", ["law"], True, "社区法律顾问")
    today = timezone.localdate()
    adviser_appoint(actor=None, community=world.areas["C1"], expert=adviser, starts_on=today - timedelta(days=200),
                    ends_on=today + timedelta(days=165))
    return Pool(world, lawyer, lawyer2, builder, adviser)


@pytest.fixture
def pool(world) -> Pool:
    return build_pool(world)
