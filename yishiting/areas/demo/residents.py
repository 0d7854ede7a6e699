"""Households and the people living in them, planned building by building and saved in batches.

Per building (its own seeded stream): every flat is a Household; with owners, one owner Person per household
with an OWNER role at the unit, some family members (RESIDENT), some party members; a unit head per unit, a
building head, a 党员中心户 where the building has a party group, and the owners' committee chair of the estate.
"""

from __future__ import annotations

import random
from collections.abc import Callable

from yishiting.areas.choices import OrganizationKind, Role
from yishiting.areas.models import Household, Person

from .people import Cast
from .tree import Node, rng_for, unit_households

FAMILY_SHARE = 0.08  # households with a second registered resident
PARTY_SHARE = 0.05  # owners who are party members


class ResidentPlanner:
    def __init__(self, cast: Cast, *, owners: bool, flush: Callable[[list[Household]], None],
                 batch_size: int = 5000) -> None:
        self.cast = cast
        self.owners = owners
        self.flush = flush
        self.batch_size = batch_size
        self.households: list[Household] = []
        self.total = 0
        self.first = True
        self.party: set[int] = set()  # id() of owners given a PARTY_MEMBER role in the current building

    def plan(self, district: Node) -> None:
        for estate in district.walk(4):
            for b, building in enumerate(estate.children):
                self._building(building, first_of_estate=b == 0)
                if len(self.households) >= self.batch_size:
                    self._flush()
        self._flush()

    def _flush(self) -> None:
        self.total += len(self.households)
        self.flush(self.households)
        self.households = []

    def _building(self, building: Node, *, first_of_estate: bool) -> None:
        rng = rng_for(self.cast.seed, "residents", building.code)
        self.party.clear()
        in_building: list[tuple[Person, Node]] = []
        for unit in building.children:
            in_unit = [self._household(rng, unit, number, size) for number, size in unit_households(unit)]
            in_unit = [p for p in in_unit if p is not None]
            head = rng.choice(in_unit) if in_unit else self.cast.person(rng, unit, id_share=0.3)
            self.cast.role(head, Role.UNIT_HEAD, unit, title="单元长")
            in_building += [(p, unit) for p in in_unit]
        self._building_roles(rng, building, in_building, first_of_estate)

    def _household(self, rng: random.Random, unit: Node, number: str, size) -> Person | None:
        household = Household(unit=unit.obj, number=number, exclusive_area=size, path=unit.obj.path)
        self.households.append(household)
        persona = "resident" if self.first else ""
        self.first = False
        if not self.owners:
            if persona:  # the resident persona needs a home even without owners
                self.cast.role(self.cast.person(rng, unit, household=household, persona=persona), Role.RESIDENT,
                               unit, persona=persona)
            return None
        owner = self.cast.person(rng, unit, household=household, mobile_share=0.6, id_share=0.3, persona=persona)
        self.cast.role(owner, Role.OWNER, unit, title="业主")
        if persona:
            self.cast.role(owner, Role.RESIDENT, unit, persona=persona)
        elif rng.random() < FAMILY_SHARE:
            member = self.cast.person(rng, unit, household=household, mobile_share=0.5, id_share=0.2)
            self.cast.role(member, Role.RESIDENT, unit, title="家庭成员")
        if rng.random() < PARTY_SHARE:
            self.cast.role(owner, Role.PARTY_MEMBER, unit, org=self._party_org(unit), title="党员")
            self.party.add(id(owner))
        return owner

    @staticmethod
    def _party_org(unit: Node):
        building = unit.parent
        return building.orgs.get(OrganizationKind.PARTY_GROUP) or building.parent.orgs[OrganizationKind.PARTY_BRANCH]

    def _building_roles(self, rng: random.Random, building: Node, people: list[tuple[Person, Node]],
                        first_of_estate: bool) -> None:
        cast = self.cast
        head = rng.choice(people)[0] if people else cast.person(rng, building, id_share=0.3)
        cast.role(head, Role.BUILDING_HEAD, building, title="楼栋长")
        group = building.orgs.get(OrganizationKind.PARTY_GROUP)
        if group is not None and people:
            person, unit = rng.choice(people)
            if id(person) not in self.party:
                cast.role(person, Role.PARTY_MEMBER, unit, org=group, title="党员")
            cast.role(person, Role.CENTRAL_HOUSEHOLD, unit, org=group, title="党员中心户")
        estate = building.parent
        committee = estate.orgs.get(OrganizationKind.OWNERS_COMMITTEE)
        if first_of_estate and committee is not None:
            chair = rng.choice(people)[0] if people else cast.person(rng, estate, id_share=0.3)
            cast.role(chair, Role.ORG_REPRESENTATIVE, estate, org=committee, title="业委会主任")
        self._chain_roles(building, people, group, first_of_estate)

    def _chain_roles(self, building: Node, people: list[tuple[Person, Node]], group, first_of_estate: bool) -> None:
        """The grid and party chain under the grid worker: 楼栋党小组长 and 红色楼栋长 of each building with a party
        group; 小区党支部书记, 网格党小组长, 片区长 and 区域长 once per estate. Own random stream, so the rest of the
        district stays as it was."""
        if not people:
            return
        cast, rng = self.cast, rng_for(self.cast.seed, "chain", building.code)
        if group is not None:
            cast.role(rng.choice(people)[0], Role.BUILDING_PARTY_GROUP_LEADER, building, org=group, title="楼栋党小组长")
            cast.role(rng.choice(people)[0], Role.RED_BUILDING_HEAD, building, org=group, title="红色楼栋长")
        estate = building.parent
        branch = estate.orgs.get(OrganizationKind.PARTY_BRANCH)
        if first_of_estate and branch is not None:
            cast.role(rng.choice(people)[0], Role.ESTATE_BRANCH_SECRETARY, estate, org=branch, title="小区党支部书记")
            cast.role(rng.choice(people)[0], Role.GRID_PARTY_GROUP_LEADER, estate, org=branch, title="网格党小组长")
        if first_of_estate:
            cast.role(rng.choice(people)[0], Role.SECTOR_HEAD, estate, title="片区长")
            cast.role(rng.choice(people)[0], Role.ZONE_HEAD, estate, title="区域长")
