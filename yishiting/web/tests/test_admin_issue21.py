"""The back office of the alliances, trusts and cadres apps is scoped like every other admin: a non-superuser
staff administrator of one district lists and opens only their district's rows (issue 21)."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client

from yishiting.accounts.models import User
from yishiting.alliances.models import Alliance, Member
from yishiting.areas import services as areas
from yishiting.areas.choices import OrganizationKind, Role
from yishiting.areas.models import AreaLevel
from yishiting.cadres.models import Cadre, Pledge
from yishiting.trusts.models import TrustFund

pytestmark = pytest.mark.django_db


def _rows(world, district, community, estate, tag: str, mobile: str) -> dict:
    """One alliance (with a member unit), one trust fund and one cadre archive (with a pledge) in the district."""
    person = areas.person_create(actor=None, name=f"{tag}干部", mobile=mobile, area=community)
    unit = areas.organization_create(
        actor=None, kind=OrganizationKind.RESIDENT_UNIT, name=f"{tag}供电所", area=community
    )
    alliance = Alliance.objects.create(area=community, path=community.path, name=f"{tag}党建联盟")
    member = Member.objects.create(alliance=alliance, path=alliance.path, organization=unit, liaison=person)
    committee = areas.organization_create(
        actor=None, kind=OrganizationKind.OWNERS_COMMITTEE, name=f"{tag}业委会", area=estate
    )
    company = areas.organization_create(
        actor=None, kind=OrganizationKind.PROPERTY_COMPANY, name=f"{tag}物业", area=estate
    )
    fund = TrustFund.objects.create(
        estate=estate,
        name=f"{tag}信托基金",
        owners_committee=committee,
        property_company=company,
        opened_on=date(2026, 1, 1),
    )
    cadre = Cadre.objects.create(
        person=person, kind="young", area=community, path=community.path, post="年轻干部"
    )
    pledge = Pledge.objects.create(
        cadre=cadre,
        path=cadre.path,
        what=f"{tag}践诺",
        measure="办结",
        due_on=date(2026, 12, 31),
        last_update_on=date(2026, 1, 1),
    )
    return {
        "alliances/alliance": alliance,
        "alliances/member": member,
        "trusts/trustfund": fund,
        "cadres/cadre": cadre,
        "cadres/pledge": pledge,
    }


@pytest.fixture
def districts(world):
    """District D (the world's) and a second district D9 with a street, a community and an estate."""
    d9 = areas.area_create(actor=None, name="南区", level=AreaLevel.objects.get(code="district"), code="D9")
    s9 = areas.area_create(
        actor=None, name="南湖街道", level=AreaLevel.objects.get(code="street"), code="S9", parent=d9
    )
    c9 = areas.area_create(
        actor=None, name="南湖社区", level=AreaLevel.objects.get(code="community"), code="C9", parent=s9
    )
    g9 = areas.area_create(
        actor=None, name="南湖小区", level=AreaLevel.objects.get(code="estate"), code="G9", parent=c9
    )
    mine = _rows(world, world.areas["D"], world.areas["C1"], world.areas["G1"], "东", "13800000078")
    theirs = _rows(world, d9, c9, g9, "南", "13800000079")
    user = User.objects.create_user("district_admin", password="District-Admin-2026", is_staff=True)
    person = areas.person_create(
        actor=None, name="区管理员", mobile="13800000077", area=world.areas["D"], user=user
    )
    areas.role_assign(actor=None, person=person, role=Role.ADMIN, area=world.areas["D"])
    client = Client()
    client.force_login(user)
    return client, mine, theirs


@pytest.mark.parametrize(
    "model", ["alliances/alliance", "alliances/member", "trusts/trustfund", "cadres/cadre", "cadres/pledge"]
)
def test_a_district_admin_sees_only_their_district(districts, model):
    client, mine, theirs = districts
    response = client.get(f"/admin/{model}/")
    assert response.status_code == 200
    listed = set(response.context["cl"].queryset.values_list("pk", flat=True))
    assert mine[model].pk in listed and theirs[model].pk not in listed
    assert client.get(f"/admin/{model}/{mine[model].pk}/change/").status_code == 200
    other = client.get(f"/admin/{model}/{theirs[model].pk}/change/")
    assert other.status_code in (302, 404) and str(theirs[model]) not in other.content.decode()
    if other.status_code == 302:
        assert other["Location"] == "/admin/"
