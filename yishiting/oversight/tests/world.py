"""Personas of 整改清单 and unit ratings beside the fixed ones (common.testing): a second handler of the street's
agency (东风街道城管执法队), a handler of 幸福苑's property company, a co-building unit of 幸福苑社区 with its
representative, and a district department (幸福区住建局) at the district."""

from __future__ import annotations

from yishiting.areas import services as areas
from yishiting.areas.choices import OrganizationKind, Role
from yishiting.common.testing import World, make_user
from yishiting.oversight.services.rectification import ItemInput, rectification_issue


def build(world: World) -> World:
    a, o = world.areas, world.organizations
    o["co_unit"] = areas.organization_create(actor=None, kind=OrganizationKind.DUAL_REGISTRATION_UNIT,
                                             name="幸福区税务局（双报到）", area=a["C1"])
    o["department"] = areas.organization_create(actor=None, kind=OrganizationKind.GOVERNMENT_AGENCY,
                                                name="幸福区住建局", area=a["D"])
    for username, name, mobile, org, role in [
        ("handler2", "王经办", "13900000021", "agency", Role.HANDLER),
        ("property_handler", "刘物业", "13900000022", "property", Role.HANDLER),
        ("co_rep", "何代表", "13900000023", "co_unit", Role.ORG_REPRESENTATIVE),
    ]:
        person = areas.person_create(actor=None, name=name, mobile=mobile, area=o[org].area)
        make_user(world, username, person)
        areas.role_assign(actor=None, person=person, role=role, area=o[org].area, organization=o[org])
    return world


def issue(world: World, *, by: str = "street_official", org: str = "agency", days=(5,), title: str = "背街小巷环境整治整改清单"):
    """A list from the street to the agency (by default) with one item per entry of `days`."""
    items = [ItemInput(description=f"第{i}处：乱堆乱放清理", deadline_days=d) for i, d in enumerate(days, start=1)]
    return rectification_issue(actor=world.users[by], title=title, items=items,
                               target_organization=world.organizations[org])
