"""The demo district's shape, planned in memory from the seed: areas level by level, and each unit's households.

Nothing here touches the database. Each street and community draws from its own `random.Random` seeded with
the demo seed and its code, so a community looks the same whatever the scale or the order of generation.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from . import names as words

DISTRICT_CODE = "DEMO"
DISTRICT_NAME = "幸福区"
LEVEL_CODES = ["district", "street", "community", "estate", "building", "unit"]


@dataclass(eq=False, slots=True)
class Node:
    code: str
    name: str
    depth: int  # 1 = district … 6 = unit, the index into LEVEL_CODES plus one
    parent: Node | None = None
    children: list[Node] = field(default_factory=list)
    floors: int = 0  # buildings: storeys; every unit of the building has the same
    layout: tuple[Decimal, Decimal] = (Decimal(0), Decimal(0))  # buildings: the two flat sizes per floor
    obj: object | None = None  # the saved Area
    orgs: dict[str, object] = field(default_factory=dict)  # organizations serving this area, by kind

    @property
    def level_code(self) -> str:
        return LEVEL_CODES[self.depth - 1]

    def add(self, code: str, name: str) -> Node:
        child = Node(code, name, self.depth + 1, parent=self)
        self.children.append(child)
        return child

    def walk(self, depth: int) -> Iterator[Node]:
        """Every node at `depth` under this one, in tree order."""
        if self.depth == depth:
            yield self
            return
        for child in self.children:
            yield from child.walk(depth)


def rng_for(seed: int, *parts: object) -> random.Random:
    """An independent, reproducible stream for one part of the district (str seeds hash with SHA-512)."""
    return random.Random(":".join([str(seed), *map(str, parts)]))


def plan_district(seed: int, streets: int, communities_per_street: int) -> Node:
    district = Node(DISTRICT_CODE, DISTRICT_NAME, 1)
    rng = rng_for(seed, "district")
    street_names = (words.STREET_NAMES + [f"第{i}街道" for i in range(1, streets + 1)])[:streets]
    places = words.place_names(rng, streets * communities_per_street)
    for s in range(streets):
        street = district.add(f"{DISTRICT_CODE}-S{s + 1}", street_names[s])
        for c in range(communities_per_street):
            word = places[s * communities_per_street + c]
            community = street.add(f"{street.code}-C{c + 1:03d}", word + "社区")
            _plan_community(rng_for(seed, community.code), community, word)
    return district


def _plan_community(rng: random.Random, community: Node, word: str) -> None:
    estates = rng.choice([2, 2, 2, 3, 3])
    used: set[str] = set()
    for e in range(estates):
        base = word if e == 0 else rng.choice(words.PLACE_WORDS)
        name = words.estate_name(rng, base)
        while name in used:
            name = words.estate_name(rng, rng.choice(words.PLACE_WORDS))
        used.add(name)
        estate = community.add(f"{community.code}-G{e + 1}", name)
        style = rng.choice(["号楼", "栋", "幢"])
        for b in range(rng.randint(6, 14)):
            building = estate.add(f"{estate.code}-B{b + 1:02d}", f"{b + 1}{style}")
            building.floors = rng.choices([5, 6, 7, 9, 11], weights=[20, 30, 30, 10, 10])[0]
            jitter = Decimal(rng.randrange(-300, 301)) / 100
            building.layout = tuple(min(max(Decimal(str(size)) + jitter, Decimal("45.00")), Decimal("180.00"))
                                    for size in rng.choice(words.LAYOUTS))
            for u in range(rng.choices([1, 2, 3, 4], weights=[15, 35, 30, 20])[0]):
                building.add(f"{building.code}-U{u + 1}", f"{u + 1}单元")


def unit_households(unit: Node) -> list[tuple[str, Decimal]]:
    """(number, exclusive area) of each flat in a unit: two per floor, "101", "102", … "1102"."""
    building = unit.parent
    return [(f"{floor}{side + 1:02d}", building.layout[side])
            for floor in range(1, building.floors + 1) for side in range(2)]
