"""The trust personas beside the fixed ones (common.testing): 幸福苑小区 (G1) runs a trust fund with 幸福苑业主委员会
and 幸福苑物业服务有限公司, each with one authorised person (their 单位代表); a verified owner of G1 (业主 role at
U1), an owner of 和平里小区 (G2, another estate of the same street), and an unverified claimant of G1 (注册居民
with a pending 住户申报). The fixed `resident` (张三, 居民 role at U1) is the tenant."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date

from django.test import Client
from PIL import Image

from yishiting.areas import claims
from yishiting.areas import services as area_services
from yishiting.areas.choices import ClaimRelation, OrganizationKind, Role
from yishiting.areas.models import Organization
from yishiting.common.testing import World, make_user
from yishiting.trusts.choices import Side
from yishiting.trusts.models import Signatory, TrustContract, TrustFund

OPENED = date(2026, 1, 1)


@dataclass
class Cast:
    world: World
    fund: TrustFund

    def user(self, name: str):
        return self.world.users[name]

    def client(self, name: str) -> Client:
        client = Client()
        client.force_login(self.world.users[name])
        return client


def voucher() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (240, 240, 230)).save(out, "JPEG")
    return out.getvalue()


def _person(world: World, username: str, name: str, mobile: str, role: str, area: str, org=None, household=None):
    person = area_services.person_create(actor=None, name=name, mobile=mobile, id_number=None,
                                         household=world.households[household] if household else None,
                                         area=None if household else world.areas[area])
    make_user(world, username, person)
    area_services.role_assign(actor=None, person=person, role=role, area=world.areas[area], organization=org)
    return person


def build_cast(world: World) -> Cast:
    committee = (Organization.objects.filter(kind=OrganizationKind.OWNERS_COMMITTEE, area=world.areas["G1"]).first()
                 or area_services.organization_create(actor=None, kind=OrganizationKind.OWNERS_COMMITTEE,
                                                      name="幸福苑业主委员会", area=world.areas["G1"]))
    world.organizations["trust_committee"] = committee
    company = world.organizations["property"]
    chair = _person(world, "trust_committee", "林主任", "13900000101", Role.ORG_REPRESENTATIVE, "G1", committee)
    manager = _person(world, "trust_company", "高经理", "13900000102", Role.ORG_REPRESENTATIVE, "C1", company)
    _person(world, "trust_owner", "业主甲", "13900000103", Role.OWNER, "U1", household="H2")
    _person(world, "trust_other_owner", "业主乙", "13900000104", Role.OWNER, "U2", household="H3")
    claimant = _person(world, "trust_claimant", "申报人", "13900000105", Role.REGISTRANT, "C1")
    claims.household_claim_submit(actor=world.users["trust_claimant"], household=world.households["H1"],
                                  relation=ClaimRelation.OWNER)
    assert claimant.household_id is None
    fund = TrustFund.objects.create(estate=world.areas["G1"], name="幸福苑小区信托基金", owners_committee=committee,
                                    property_company=company, opened_on=OPENED)
    TrustContract.objects.create(fund=fund, effective_from=OPENED, rate="10.00")
    Signatory.objects.create(fund=fund, side=Side.COMMITTEE, person=chair)
    Signatory.objects.create(fund=fund, side=Side.COMPANY, person=manager)
    return Cast(world, fund)
