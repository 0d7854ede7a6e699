"""People beyond a community's own register, for the invitation tests: public capacities elsewhere in the district
(a deputy of another street, a lawyer and a 驻区单位 representative of the neighbouring community, an expert of
the street pool) and people a community must not reach (another community's secretary and property company,
a deputy of another district). Each with a login, in `world.users` / `world.people` like the personas."""

from __future__ import annotations

from yishiting.areas import services as areas
from yishiting.areas.choices import ExpertLevel, OrganizationKind, Role
from yishiting.areas.models import AreaLevel
from yishiting.common.testing import World, make_user

# key → (name, mobile, where registered, role, organization kind or None, title)
EXTRA = {
    "deputy_c3": ("何代表", "13900000101", "C3", Role.DEPUTY, None, "区人大代表"),
    "lawyer_c2": ("罗律师", "13900000102", "C2", Role.LAWYER, None, "社区法律顾问"),
    "expert_s2": ("高专家", "13900000103", "S2", Role.EXPERT, None, ""),
    "unit_rep_c2": ("林代表", "13900000104", "C2", Role.ORG_REPRESENTATIVE, OrganizationKind.RESIDENT_UNIT, ""),
    "property_rep_c2": ("梁经理", "13900000105", "C2", Role.ORG_REPRESENTATIVE, OrganizationKind.PROPERTY_COMPANY, ""),
    "secretary_c2": ("宋书记", "13900000106", "C2", Role.COMMUNITY_SECRETARY, None, ""),
    "deputy_d2": ("韩代表", "13900000107", "D2", Role.DEPUTY, None, "外区人大代表"),
}
ORG_NAMES = {OrganizationKind.RESIDENT_UNIT: "和平里供电所", OrganizationKind.PROPERTY_COMPANY: "和平里物业公司"}


def add_public_people(world: World) -> World:
    """Add the people of EXTRA (and a second district D2 for the one outside) to the fixed world."""
    world.areas["D2"] = areas.area_create(actor=None, name="临江区", level=AreaLevel.objects.get(code="district"),
                                          code="D2", parent=None)
    for key, (name, mobile, where, role, kind, title) in EXTRA.items():
        area = world.areas[where]
        organization = None
        if kind is not None:
            organization = areas.organization_create(actor=None, kind=kind, name=ORG_NAMES[kind], area=area)
        person = areas.person_create(actor=None, name=name, mobile=mobile, area=area)
        make_user(world, key, person)
        areas.role_assign(actor=None, person=person, role=role, area=area, organization=organization, title=title,
                          expert_level=ExpertLevel.STREET if role == Role.EXPERT else None)
    return world
