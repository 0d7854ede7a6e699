"""Permission matrix through the real API: persona × scope × action, with real tokens.

Each persona holds one role at one area (yishiting/common/testing.py). Relative to that area:
  own      — the persona's own area (for the resident: their own household and their own person record);
  sibling  — an area at the same level under the same parent (a second district D2 for district personas);
  parent   — the area right above (objects registered at that level itself, outside the persona's area).
"—" means the case does not exist: nothing is above the district, and households live only under units.

Expected results follow from yishiting/areas/rules.py:
  residents see their community's areas and organizations, but only their own household and person record;
  staff see their subtree; community staff/secretaries may register people; office roles may unmask;
  a handler sees areas under its street, its own organization and its own record; only admins change areas.
Out of scope is always 404 (cannot even see it) or 403 (can see it, may not change it) — never data.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import pytest

from yishiting.areas import services
from yishiting.areas.choices import OrganizationKind
from yishiting.areas.models import Area, AreaLevel, Household, Person
from yishiting.common.models import AuditEntry

from .conftest import assert_error

SCOPES = ["own", "sibling", "parent"]

# Where each persona's three scopes are (area codes of the test world, extended below).
ANCHORS = {
    "resident":            ("U1", "U1b", "B1"),
    "grid_worker":         ("G1", "G1b", "C1"),
    "community_staff":     ("C1", "C2", "S1"),
    "community_secretary": ("C1", "C2", "S1"),
    "street_official":     ("S1", "S2", "D"),
    "district_official":   ("D", "D2", None),
    "handler":             ("S1", "S2", "D"),
    "admin":               ("D", "D2", None),
}

GRID = """
persona              action            own   sibling  parent
resident             read_area         200   200      200
resident             read_household    200   404      —
resident             read_person       200   404      404
resident             read_organization 200   200      200
resident             create_household  403   403      —
resident             create_person     403   403      403
resident             rename_area       403   403      403
resident             reveal_person     403   404      404

grid_worker          read_area         200   404      404
grid_worker          read_household    200   404      —
grid_worker          read_person       200   404      404
grid_worker          read_organization 200   404      404
grid_worker          create_household  403   404      —
grid_worker          create_person     403   404      404
grid_worker          rename_area       403   404      404
grid_worker          reveal_person     403   404      404

community_staff      read_area         200   404      404
community_staff      read_household    200   404      —
community_staff      read_person       200   404      404
community_staff      read_organization 200   404      404
community_staff      create_household  403   404      —
community_staff      create_person     201   404      404
community_staff      rename_area       403   404      404
community_staff      reveal_person     200   404      404

community_secretary  read_area         200   404      404
community_secretary  read_household    200   404      —
community_secretary  read_person       200   404      404
community_secretary  read_organization 200   404      404
community_secretary  create_household  403   404      —
community_secretary  create_person     201   404      404
community_secretary  rename_area       403   404      404
community_secretary  reveal_person     200   404      404

street_official      read_area         200   404      404
street_official      read_household    200   404      —
street_official      read_person       200   404      404
street_official      read_organization 200   404      404
street_official      create_household  403   404      —
street_official      create_person     403   404      404
street_official      rename_area       403   404      404
street_official      reveal_person     200   404      404

district_official    read_area         200   404      —
district_official    read_household    200   404      —
district_official    read_person       200   404      —
district_official    read_organization 200   404      —
district_official    create_household  403   404      —
district_official    create_person     403   404      —
district_official    rename_area       403   404      —
district_official    reveal_person     200   404      —

handler              read_area         200   404      404
handler              read_household    404   404      —
handler              read_person       404   404      404
handler              read_organization 200   404      404
handler              create_household  403   404      —
handler              create_person     403   404      404
handler              rename_area       403   404      404
handler              reveal_person     404   404      404

admin                read_area         200   404      —
admin                read_household    200   404      —
admin                read_person       200   404      —
admin                read_organization 200   404      —
admin                create_household  201   404      —
admin                create_person     201   404      —
admin                rename_area       200   404      —
admin                reveal_person     200   404      —
"""


def _cases() -> list:
    cases = []
    for line in GRID.strip().splitlines()[1:]:
        if not line.strip():
            continue
        persona, action, *expected = line.split()
        for scope, status in zip(SCOPES, expected, strict=True):
            if status != "—":
                cases.append(pytest.param(persona, action, scope, int(status), id=f"{persona}-{action}-{scope}"))
    return cases


@dataclass
class Anchor:
    """The objects standing for one scope: the area itself, and what lives there."""

    area: Area
    person: Person
    organization: object
    household: Household | None = None
    unit: Area | None = None


def _chain(parent: Area | None, links: list[tuple[str, str, str]]) -> dict[str, Area]:
    made = {}
    for code, name, level in links:
        parent = services.area_create(actor=None, name=name, level=AreaLevel.objects.get(code=level), code=code,
                                      parent=parent)
        made[code] = parent
    return made


@pytest.fixture
def anchors(world) -> dict[str, Anchor]:
    """The persona world plus the sibling areas it lacks (U1b, G1b, a second district D2), each with a household,
    a person and an organization."""
    a = dict(world.areas)
    a.update(_chain(a["B1"], [("U1b", "2单元", "unit")]))
    a.update(_chain(a["C1"], [("G1b", "幸福苑二期", "estate"), ("B1c", "二期1栋", "building"), ("U1c", "1单元", "unit")]))
    a.update(_chain(None, [("D2", "平安区", "district"), ("S3", "南门街道", "street"), ("C4", "南门社区", "community"),
                           ("G4", "南门小区", "estate"), ("B4", "南门1栋", "building"), ("U4", "1单元", "unit")]))
    homes = {code: services.household_create(actor=None, unit=a[code], number="501", exclusive_area=Decimal("66.00"))
             for code in ["U1b", "U1c", "U4"]}
    h = world.households
    household = {"U1": h["H1"], "U1b": homes["U1b"], "G1": h["H1"], "G1b": homes["U1c"], "C1": h["H1"],
                 "C2": h["H3"], "S1": h["H1"], "S2": h["H4"], "D": h["H1"], "D2": homes["U4"]}
    unit = {"U1": "U1", "U1b": "U1b", "G1": "U1", "G1b": "U1c", "C1": "U1", "C2": "U2", "S1": "U1", "S2": "U3",
            "D": "U1", "D2": "U4"}
    people = {"U1": world.people["resident"], "S1": world.people["street_resident"],
              "U1b": services.person_create(actor=None, name="邻居甲", mobile="13900000001", household=homes["U1b"])}
    organizations = {"C1": world.organizations["property"], "S1": world.organizations["agency"]}
    result = {}
    for n, code in enumerate(["U1", "U1b", "B1", "G1", "G1b", "C1", "C2", "S1", "S2", "D", "D2"], start=2):
        person = people.get(code) or services.person_create(actor=None, name=f"{code}居民", area=a[code],
                                                             mobile=f"139000000{n:02d}")
        org = organizations.get(code) or services.organization_create(
            actor=None, kind=OrganizationKind.SOCIAL_ORGANIZATION, name=f"{code}志愿服务队", area=a[code])
        result[code] = Anchor(area=a[code], person=person, organization=org, household=household.get(code),
                              unit=a[unit[code]] if code in unit else None)
    return result


def _act(client, action: str, anchor: Anchor):
    """Perform one action on the anchor's object; returns (response, a check that nothing/something was written)."""
    if action == "read_area":
        return client.get(f"/areas/{anchor.area.pk}"), anchor.area.pk
    if action == "read_household":
        return client.get(f"/households/{anchor.household.pk}"), anchor.household.pk
    if action == "read_person":
        return client.get(f"/people/{anchor.person.pk}"), anchor.person.pk
    if action == "read_organization":
        return client.get(f"/organizations/{anchor.organization.pk}"), anchor.organization.pk
    if action == "create_household":
        return client.post("/households", {"unit_id": anchor.unit.pk, "number": "999", "exclusive_area": "70.25"}), None
    if action == "create_person":
        return client.post("/people", {"name": "新登记", "mobile": "13700000000", "area_id": anchor.area.pk}), None
    if action == "rename_area":
        return client.patch(f"/areas/{anchor.area.pk}", {"name": "改名测试"}), anchor.area.pk
    if action == "reveal_person":
        return client.post(f"/people/{anchor.person.pk}/reveal", {"reason": "权限矩阵测试"}), anchor.person.pk
    raise AssertionError(action)


def _written(action: str, anchor: Anchor) -> bool:
    """Did the write land in the database?"""
    if action == "create_household":
        return Household.objects.filter(unit=anchor.unit, number="999").exists()
    if action == "create_person":
        return Person.objects.filter(name="新登记", area=anchor.area).exists()
    if action == "rename_area":
        return Area.objects.get(pk=anchor.area.pk).name == "改名测试"
    return False


@pytest.mark.parametrize(("persona", "action", "scope", "expected"), _cases())
def test_permission_matrix(anchors, api_as, persona: str, action: str, scope: str, expected: int):
    anchor = anchors[ANCHORS[persona][SCOPES.index(scope)]]
    client = api_as(persona)
    unmask_audits = AuditEntry.objects.filter(action=AuditEntry.Action.UNMASK).count()

    response, object_id = _act(client, action, anchor)

    if expected >= 400:
        body = assert_error(response, expected)
        assert str(anchor.person.name) not in response.content.decode()  # no data leaks into the error
        assert body["code"] == ("not_found" if expected == 404 else "permission_denied")
        assert not _written(action, anchor)
        return
    assert response.status_code == expected, response.content.decode()
    data = response.json()
    if object_id is not None and action != "reveal_person":
        assert data["id"] == object_id
    if action == "reveal_person":
        assert data["name"] == anchor.person.name  # the full name, and the read is audited
        assert AuditEntry.objects.filter(action=AuditEntry.Action.UNMASK).count() == unmask_audits + 1
    elif action == "read_person":
        assert data["name"] != anchor.person.name and data["name"].startswith(anchor.person.name[0])
    else:
        assert _written(action, anchor) or action.startswith("read_")


def test_grid_covers_every_persona_and_action():
    """The table above is complete: every persona has every action, so a missing row cannot hide a hole."""
    rows = [line.split()[:2] for line in GRID.strip().splitlines()[1:] if line.strip()]
    actions = {"read_area", "read_household", "read_person", "read_organization", "create_household",
               "create_person", "rename_area", "reveal_person"}
    assert {persona for persona, _ in rows} == set(ANCHORS)
    for persona in ANCHORS:
        assert sorted(action for p, action in rows if p == persona) == sorted(actions), persona
