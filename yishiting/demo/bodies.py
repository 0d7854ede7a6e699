"""Standing bodies in the demo (issue 20; seeds 000, 001, 002): every community's 社区党群议事会 — the community
secretary convenes, a staff member keeps its records, grid workers, the estates' property companies and owners'
committees (each by its representative), deputies and a few residents sit in it; every estate's 小区居民议事会
(its party branch secretary convenes, the grid worker, property company, owners' committee and residents); a
楼栋居民议事小组 in about a third of the buildings (the building's party group leader convenes, its head and
neighbours); a 民情理事会 where a community runs Nanchang's 幸福圆桌会.

Built from the people and roles the district already has, in bulk (one query for the roles, bulk inserts, one
`body.founded` event per body), after the history, so the meetings of the history keep the council members
their plans marked (deliberation/bodies.quorum_body). Its own random stream per area: the rest of the demo is
unchanged, and the same seed builds the same bodies."""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db import transaction

from yishiting.areas.choices import OrganizationKind, Role
from yishiting.areas.demo.tree import rng_for
from yishiting.areas.models import Area, RoleAssignment
from yishiting.bodies.models import Body, BodyKind, Membership
from yishiting.common.events import event_append_many

TERM_YEARS = 3
BUILDING_SHARE = 0.3  # buildings with a 楼栋居民议事小组
RESIDENTS = {"community": 4, "estate": 3, "building": 3}
ROLES = [Role.COMMUNITY_SECRETARY, Role.COMMUNITY_STAFF, Role.GRID_WORKER, Role.DEPUTY, Role.ORG_REPRESENTATIVE,
         Role.ESTATE_BRANCH_SECRETARY, Role.GRID_PARTY_GROUP_LEADER, Role.BUILDING_PARTY_GROUP_LEADER,
         Role.BUILDING_HEAD, Role.RED_BUILDING_HEAD, Role.RESIDENT, Role.OWNER]


@dataclass
class Seat:
    person: int | None = None
    organization: int | None = None
    representative: int | None = None
    role: str = "member"


@dataclass
class People:
    """The district's role holders by role and path, read once."""

    by_role: dict[str, list[tuple[str, int, int | None, str]]] = field(default_factory=lambda: defaultdict(list))

    def at(self, role: str, path: str, exact: bool = False) -> list[tuple[str, int, int | None, str]]:
        rows = self.by_role.get(role, [])
        return [r for r in rows if (r[0] == path if exact else r[0].startswith(path))]


def _people(district: Area) -> People:
    found = People()
    rows = (RoleAssignment.objects.filter(path__startswith=district.path, is_active=True, role__in=ROLES)
            .order_by("path", "pk").values_list("role", "path", "person_id", "organization_id", "organization__kind"))
    for role, path, person, org, kind in rows:
        found.by_role[role].append((path, person, org, kind or ""))
    return found


def _residents(rng: random.Random, people: People, path: str, count: int, taken: set[int]) -> list[Seat]:
    pool = sorted({r[1] for r in people.at(Role.RESIDENT, path) + people.at(Role.OWNER, path)} - taken)
    return [Seat(person=p) for p in rng.sample(pool, min(count, len(pool)))]


def _org_seats(people: People, path: str, kinds: tuple[str, ...]) -> list[Seat]:
    """Property companies and owners' committees, each represented by the person who speaks for it."""
    seats, seen = [], set()
    for _path, person, org, kind in people.at(Role.ORG_REPRESENTATIVE, path):
        if kind in kinds and org not in seen:
            seen.add(org)
            seats.append(Seat(organization=org, representative=person))
    return seats


def _first(people: People, role: str, path: str, exact: bool = True) -> list[int]:
    return [r[1] for r in people.at(role, path, exact)][:1]


def community_seats(rng: random.Random, people: People, area: Area) -> list[Seat]:
    seats = [Seat(person=p, role="convener") for p in _first(people, Role.COMMUNITY_SECRETARY, area.path)]
    seats += [Seat(person=p, role="secretary") for p in _first(people, Role.COMMUNITY_STAFF, area.path)]
    seats += [Seat(person=r[1]) for r in people.at(Role.GRID_WORKER, area.path)[:3]]
    seats += [Seat(person=r[1]) for r in people.at(Role.DEPUTY, area.path, exact=True)[:2]]
    seats += _org_seats(people, area.path, (OrganizationKind.PROPERTY_COMPANY, OrganizationKind.OWNERS_COMMITTEE))[:4]
    return seats + _residents(rng, people, area.path, RESIDENTS["community"], {s.person for s in seats if s.person})


def estate_seats(rng: random.Random, people: People, area: Area) -> list[Seat]:
    seats = [Seat(person=p, role="convener") for p in _first(people, Role.ESTATE_BRANCH_SECRETARY, area.path)]
    seats += [Seat(person=p, role="secretary") for p in _first(people, Role.GRID_PARTY_GROUP_LEADER, area.path)]
    seats += [Seat(person=p) for p in _first(people, Role.GRID_WORKER, area.path)]
    seats += _org_seats(people, area.path, (OrganizationKind.PROPERTY_COMPANY, OrganizationKind.OWNERS_COMMITTEE))
    return seats + _residents(rng, people, area.path, RESIDENTS["estate"], {s.person for s in seats if s.person})


def building_seats(rng: random.Random, people: People, area: Area) -> list[Seat]:
    seats = [Seat(person=p, role="convener") for p in _first(people, Role.BUILDING_PARTY_GROUP_LEADER, area.path)]
    seats += [Seat(person=p) for p in _first(people, Role.BUILDING_HEAD, area.path)]
    seats += [Seat(person=p) for p in _first(people, Role.RED_BUILDING_HEAD, area.path)]
    return seats + _residents(rng, people, area.path, RESIDENTS["building"], {s.person for s in seats if s.person})


def _unique(seats: list[Seat]) -> list[Seat]:
    """One seat per person or organization, one convener (the first)."""
    seen, kept, convener = set(), [], False
    for seat in seats:
        key = ("p", seat.person) if seat.person else ("o", seat.organization)
        if key in seen or (seat.representative and ("p", seat.representative) in seen):
            continue
        seen.add(key)
        if seat.role == "convener":
            seat.role, convener = ("member" if convener else "convener"), True
        kept.append(seat)
    return kept


def _nanchang(community: Area) -> bool:
    """Does the community run Nanchang's 幸福圆桌会 (its own or an inherited template, issue 20)?"""
    from yishiting.deliberation.selectors.templates import template_for_area

    return getattr(template_for_area(community), "code", "") == "nanchang-round-table"


@transaction.atomic
def demo_bodies_build(district: Area, *, seed: int, today: date) -> int:
    """Every community's, estate's and some buildings' bodies with their first members; returns the count."""
    if Body.objects.filter(path__startswith=district.path).exists():
        return 0
    kinds = {k.code: k for k in BodyKind.objects.all()}
    people = _people(district)
    plans: list[tuple[Area, BodyKind, list[Seat]]] = []
    areas = Area.objects.filter(path__startswith=district.path, level__code__in=["community", "estate", "building"],
                                is_active=True).select_related("level").order_by("path")
    makers: dict[str, tuple[str, Callable]] = {"community": ("party_mass_council", community_seats),
                                                "estate": ("estate_council", estate_seats),
                                                "building": ("building_group", building_seats)}
    for area in areas:
        rng = rng_for(seed, "bodies", area.code)
        code, seats_of = makers[area.level.code]
        if area.level.code == "building" and rng.random() >= BUILDING_SHARE:
            continue
        plans.append((area, kinds[code], _unique(seats_of(rng, people, area))))
        if area.level.code == "community" and _nanchang(area):
            plans.append((area, kinds["people_council"], _unique(estate_seats(rng, people, area))))
    return _save(plans, today)


def _save(plans: list[tuple[Area, BodyKind, list[Seat]]], today: date) -> int:
    bodies = Body.objects.bulk_create([Body(area=a, path=a.path, kind=k, name=f"{a.name}{k.name}") for a, k, _ in plans])
    start = today - timedelta(days=365)
    end = start + timedelta(days=365 * TERM_YEARS)
    Membership.objects.bulk_create([
        Membership(body=body, path=body.path, person_id=s.person, organization_id=s.organization,
                   representative_id=s.representative, role=s.role, term_start=start, term_end=end)
        for body, (_a, _k, seats) in zip(bodies, plans, strict=True) for s in seats], batch_size=1000)
    event_append_many(entries=[(body, "body.founded", {"name": body.name, "members": len(seats), "term_start": start,
                                                        "term_end": end})
                               for body, (_a, _k, seats) in zip(bodies, plans, strict=True)])
    return len(bodies)


__all__ = ["demo_bodies_build"]
