"""The demo district's people at work: organizations at every level and the staff who hold roles in them.

`Cast` collects unsaved Organization, Person and RoleAssignment objects (paths set exactly as the services set
them: an organization or role takes its area's path, a person its household's unit path or its area's path);
the builder bulk-saves them. Residents and owners are added by `residents.py`, building by building.
"""

from __future__ import annotations

import random

from yishiting.areas.choices import ExpertLevel, OrganizationKind, Role
from yishiting.areas.models import Household, Organization, Person, RoleAssignment
from yishiting.areas.services import search_key_for

from . import names as words
from .tree import DISTRICT_NAME, Node, rng_for

CREDIT_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CREDIT_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]


def credit_code(rng: random.Random) -> str:
    """A unified social credit code (GB 32100) with a correct check character."""
    body = "91" + rng.choice(words.REGION_CODES) + "".join(rng.choice(CREDIT_CHARS) for _ in range(9))
    total = sum(CREDIT_CHARS.index(c) * w for c, w in zip(body, CREDIT_WEIGHTS, strict=True))
    return body + CREDIT_CHARS[(31 - total % 31) % 31]


class Cast:
    """Unsaved people, roles and organizations, plus which person is which demo persona."""

    def __init__(self, seed: int, maker: words.NameMaker, users: dict) -> None:
        self.seed = seed
        self.maker = maker
        self.users = users
        self.orgs: dict[int, list[Organization]] = {}  # by the depth of the area they serve
        self.people: list[Person] = []
        self.roles: list[RoleAssignment] = []
        self.personas: dict[str, tuple[Person, str, Node]] = {}

    def person(self, rng: random.Random, node: Node, *, household: Household | None = None,
               mobile_share: float = 1.0, id_share: float = 0.5, persona: str = "") -> Person:
        name = self.maker.person(rng)
        mobile = self.maker.mobile(rng) if rng.random() < mobile_share else ""
        id_number = self.maker.id_number(rng) if rng.random() < id_share else None
        person = Person(name=name, mobile=mobile, id_number=id_number, household=household, area=node.obj,
                        path=node.obj.path, user=self.users.get(persona) if persona else None,
                        search_key=search_key_for(name))
        self.people.append(person)
        return person

    def role(self, person: Person, role: str, node: Node, *, org: Organization | None = None, title: str = "",
             expert_level: int | None = None, persona: str = "") -> RoleAssignment:
        assignment = RoleAssignment(person=person, role=role, area=node.obj, path=node.obj.path, organization=org,
                                    title=title, expert_level=expert_level)
        self.roles.append(assignment)
        if persona:
            self.personas[persona] = (person, role, node)
        return assignment

    def org(self, kind: str, name: str, node: Node, *, parent: Organization | None = None,
            rng: random.Random | None = None) -> Organization:
        org = Organization(kind=kind, name=name, area=node.obj, path=node.obj.path, parent=parent,
                           credit_code=credit_code(rng) if rng else "")
        self.orgs.setdefault(node.depth, []).append(org)
        node.orgs[kind] = org
        return org

    def staffer(self, rng: random.Random, node: Node, role: str, *, org: Organization | None = None,
                title: str = "", persona: str = "", **extra) -> Person:
        person = self.person(rng, node, persona=persona)
        self.role(person, role, node, org=org, title=title, persona=persona, **extra)
        return person


class StaffPlanner:
    """Organizations and office holders from the district down to the buildings (everyone but residents)."""

    def __init__(self, cast: Cast) -> None:
        self.cast = cast
        self.lawyers: list[tuple[Person, Organization]] = []
        self.dual_units: dict[str, Organization] = {}  # one per name, at the district: many communities' partner

    def plan(self, district: Node) -> None:
        self._district(district)
        for s, street in enumerate(district.children):
            self._street(street, first=s == 0)
            for c, community in enumerate(street.children):
                self._community(community, first=s == 0 and c == 0)
                for e, estate in enumerate(community.children):
                    self._estate(estate, first=s == 0 and c == 0 and e == 0)
                    for b, building in enumerate(estate.children):
                        if b % 3 == 0:  # about a third of buildings have a party group (楼栋党小组)
                            self.cast.org(OrganizationKind.PARTY_GROUP, f"{estate.name}{building.name}党小组",
                                          building, parent=estate.orgs[OrganizationKind.PARTY_BRANCH])

    def _district(self, node: Node) -> None:
        cast, rng = self.cast, rng_for(self.cast.seed, "staff", node.code)
        cast.org(OrganizationKind.PARTY_COMMITTEE, f"中共{DISTRICT_NAME}委员会", node)
        for i, title in enumerate(words.DISTRICT_TITLES):
            cast.staffer(rng, node, Role.DISTRICT_OFFICIAL, title=title, persona="district_official" if i == 0 else "")
        cast.staffer(rng, node, Role.ADMIN, title="系统管理员", persona="admin")
        for name in words.GOVERNMENT_AGENCIES:
            agency = cast.org(OrganizationKind.GOVERNMENT_AGENCY, DISTRICT_NAME + name[1:], node)
            for _ in range(2):
                cast.staffer(rng, node, Role.HANDLER, org=agency, title="经办人")
        for name in words.LAW_FIRMS:
            firm = cast.org(OrganizationKind.LAW_FIRM, name, node, rng=rng)
            for _ in range(4):
                self.lawyers.append((cast.staffer(rng, node, Role.LAWYER, org=firm, title="律师"), firm))
        for i in range(6):
            cast.staffer(rng, node, Role.DEPUTY, title=words.DEPUTY_TITLES[i % len(words.DEPUTY_TITLES)])
        for title in words.EXPERT_TITLES:
            cast.staffer(rng, node, Role.EXPERT, title=title, expert_level=ExpertLevel.DISTRICT)

    def _street(self, node: Node, *, first: bool) -> None:
        cast, rng = self.cast, rng_for(self.cast.seed, "staff", node.code)
        district = node.parent
        cast.org(OrganizationKind.PARTY_COMMITTEE, f"中共{node.name}工作委员会", node,
                 parent=district.orgs[OrganizationKind.PARTY_COMMITTEE])
        office = cast.org(OrganizationKind.STREET_OFFICE, f"{node.name}办事处", node)
        for i, title in enumerate(words.STREET_TITLES):
            cast.staffer(rng, node, Role.STREET_OFFICIAL, org=office, title=title,
                         persona="street_official" if first and i == 0 else "")
        squad = cast.org(OrganizationKind.GOVERNMENT_AGENCY, f"{node.name}综合行政执法队", node)
        for i in range(2):
            cast.staffer(rng, node, Role.HANDLER, org=squad, title="执法队员",
                         persona="handler" if first and i == 0 else "")
        for _ in range(2):
            cast.staffer(rng, node, Role.EXPERT, title=rng.choice(words.EXPERT_TITLES),
                         expert_level=ExpertLevel.STREET)
            cast.staffer(rng, node, Role.DEPUTY, title=rng.choice(words.DEPUTY_TITLES))

    def _community(self, node: Node, *, first: bool) -> None:
        cast, rng = self.cast, rng_for(self.cast.seed, "staff", node.code)
        word = node.name.removesuffix("社区")
        committee = cast.org(OrganizationKind.PARTY_COMMITTEE, f"中共{node.name}委员会", node,
                             parent=node.parent.orgs[OrganizationKind.PARTY_COMMITTEE])
        committee_rc = cast.org(OrganizationKind.RESIDENTS_COMMITTEE, f"{node.name}居民委员会", node)
        cast.staffer(rng, node, Role.COMMUNITY_SECRETARY, org=committee, title="社区党委书记、居委会主任",
                     persona="community_secretary" if first else "")
        for i, title in enumerate(words.STAFF_TITLES):
            cast.staffer(rng, node, Role.COMMUNITY_STAFF, org=committee_rc, title=title,
                         persona="community_staff" if first and i == 0 else "")
        cast.staffer(rng, node, Role.GRID_LEADER, org=committee_rc, title="总网格长")
        police = cast.org(OrganizationKind.COMMUNITY_POLICE, f"{node.name}警务室", node)
        cast.staffer(rng, node, Role.ORG_REPRESENTATIVE, org=police, title="社区民警")
        for suffix in rng.sample(words.SOCIAL_ORGS, rng.randint(1, 2)):
            org = cast.org(OrganizationKind.SOCIAL_ORGANIZATION, f"{node.name}{suffix}", node)
            cast.staffer(rng, node, Role.ORG_REPRESENTATIVE, org=org, title="负责人")
        for unit_name in rng.sample(words.DUAL_UNITS, rng.randint(1, 2)):
            name = DISTRICT_NAME + unit_name[1:] if unit_name.startswith("区") else unit_name
            unit = self._dual_unit(name, node, rng)
            cast.staffer(rng, node, Role.ORG_REPRESENTATIVE, org=unit, title="双报到联络员")
            for _ in range(rng.randint(2, 4)):
                cast.staffer(rng, node, Role.INSERVICE_PARTY_MEMBER, org=unit, title="在职党员")
        resident_unit = cast.org(OrganizationKind.RESIDENT_UNIT, word + rng.choice(words.RESIDENT_UNITS), node)
        cast.staffer(rng, node, Role.ORG_REPRESENTATIVE, org=resident_unit, title="驻区单位代表")
        lawyer, firm = rng.choice(self.lawyers)
        cast.role(lawyer, Role.LAWYER, node, org=firm, title="社区法律顾问")
        cast.staffer(rng, node, Role.EXPERT, title=rng.choice(words.EXPERT_TITLES), expert_level=ExpertLevel.COMMUNITY)
        cast.staffer(rng, node, Role.DEPUTY, title=rng.choice(words.DEPUTY_TITLES))
        # Participation's people (issue 19) draw from their own generator, so the demo's other people stay as before.
        own = random.Random(f"participation:{node.name}")
        for _ in range(2):
            cast.staffer(own, node, Role.VOLUNTEER, title="志愿者")
        cast.staffer(own, node, Role.CANTEEN_STAFF, title="幸福食堂工作人员")

    def _dual_unit(self, name: str, community: Node, rng: random.Random) -> Organization:
        """A "双报到" unit (区人民医院…) is one body registered with many communities: created once, at the district
        (names are unique within an area), its liaison and members hold their roles at each community."""
        code = credit_code(rng)  # drawn every time, so each community's names stay as before
        if name not in self.dual_units:
            district = community.parent.parent
            self.dual_units[name] = self.cast.org(OrganizationKind.DUAL_REGISTRATION_UNIT, name, district)
            self.dual_units[name].credit_code = code
        return self.dual_units[name]

    def _estate(self, node: Node, *, first: bool) -> None:
        cast, rng = self.cast, rng_for(self.cast.seed, "staff", node.code)
        branch = cast.org(OrganizationKind.PARTY_BRANCH, f"{node.name}党支部", node,
                          parent=node.parent.orgs[OrganizationKind.PARTY_COMMITTEE])
        cast.staffer(rng, node, Role.PARTY_MEMBER, org=branch, title="党支部书记")
        company = cast.org(OrganizationKind.PROPERTY_COMPANY, node.name[:2] + rng.choice(words.PROPERTY_BRANDS),
                           node, rng=rng)
        cast.staffer(rng, node, Role.ORG_REPRESENTATIVE, org=company, title="物业项目经理")
        if rng.random() < 0.6:  # the representative is an owner, chosen in residents.py
            cast.org(OrganizationKind.OWNERS_COMMITTEE, f"{node.name}业主委员会", node)
        cast.staffer(rng, node, Role.GRID_WORKER, title="专职网格员", persona="grid_worker" if first else "")
