"""The participation personas beside the fixed ones (common.testing): a 双报到 unit (区人民医院) registered with
幸福苑社区 with its liaison, an in-service party member of the unit living in 幸福苑 and reported there, a
volunteer of 幸福苑, and a menu item of the member's (上门理发)."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date

from django.test import Client
from PIL import Image

from yishiting.areas import services as area_services
from yishiting.areas.choices import OrganizationKind, Role
from yishiting.common.testing import World, make_user
from yishiting.participation import services as part
from yishiting.participation.choices import ProviderKind
from yishiting.participation.models import MemberRegistration, MenuItem, ServiceProvider, UnitRegistration


@dataclass
class Cast:
    world: World
    unit: UnitRegistration
    member: MemberRegistration
    member_provider: ServiceProvider
    volunteer_provider: ServiceProvider
    unit_provider: ServiceProvider
    item: MenuItem

    def user(self, name: str):
        return self.world.users[name]

    def client(self, name: str) -> Client:
        client = Client()
        client.force_login(self.world.users[name])
        return client


def photo() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 120, 40)).save(out, "JPEG")
    return out.getvalue()


def _person(world: World, username: str, name: str, mobile: str, role: str, org=None, household="H2"):
    person = area_services.person_create(actor=None, name=name, mobile=mobile, id_number=None,
                                         household=world.households[household])
    make_user(world, username, person)
    area_services.role_assign(actor=None, person=person, role=Role.RESIDENT, area=world.areas["U1"])
    area_services.role_assign(actor=None, person=person, role=role, area=world.areas["C1"], organization=org)
    return person


def build_cast(world: World) -> Cast:
    c1 = world.areas["C1"]
    org = area_services.organization_create(actor=None, kind=OrganizationKind.DUAL_REGISTRATION_UNIT,
                                            name="幸福区人民医院", area=world.areas["D"])
    world.organizations["hospital"] = org
    _person(world, "liaison", "马联络", "13900000011", Role.ORG_REPRESENTATIVE, org)
    member = _person(world, "member", "党医生", "13900000012", Role.INSERVICE_PARTY_MEMBER, org)
    _person(world, "member2", "白护士", "13900000013", Role.INSERVICE_PARTY_MEMBER, org)
    volunteer = _person(world, "volunteer", "志愿者甲", "13900000014", Role.VOLUNTEER)
    unit = part.unit_register(actor=world.users["community_staff"], organization=org, community=c1,
                              resources="义诊场地、救护车", commitments="每季度义诊两次", contact_name="马联络",
                              contact_phone="13900000011", signed_on=date(2026, 1, 10))
    registration = part.member_register(actor=world.users["member"], person=member, community=c1,
                                        posts=["care", "policy"], skills="全科医生", unit=org)
    part.member_register(actor=world.users["member2"], person=world.people["member2"], community=c1,
                         posts=["care"], unit=org)
    member_provider = ServiceProvider.objects.get(person=member)
    volunteer_provider = part.provider_ensure(community=c1, kind=ProviderKind.VOLUNTEER, person=volunteer)
    unit_provider = ServiceProvider.objects.get(organization=org)
    item = part.menu_item_save(actor=world.users["community_staff"], provider=member_provider, title="上门量血压",
                               times="每周六上午", capacity=1, description="为行动不便的老人上门量血压")
    return Cast(world, unit, registration, member_provider, volunteer_provider, unit_provider, item)
