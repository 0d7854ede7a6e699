"""Who actually holds each of the eight parties of Kenli's 1+8+N (docs/parties.md).

A planner labels each invitee with the party they speak for; a label counts towards the template's required
parties only when the person holds it, in the matter's place:

- 网格员: a grid role (网格员、网格长、片区长、区域长) at the topic's area, above it or within it;
- 物业公司 / 业委会: a representative (单位代表) of a property company / owners' committee whose service area is
  the estate concerned (or covers it, or lies within the topic's area);
- 两代表一委员: a registered deputy at the topic's area or above it (or within it);
- 法律顾问: a lawyer role (the community's legal adviser, a street's or the district's pool lawyer) at the
  meeting's level, above it or within it;
- “双报到”单位: a representative of a registered “双报到” unit, or one of its in-service party members, registered
  with the meeting's community (or above, or within);
- 社会组织: a representative of a registered social organisation of the meeting's level area;
- 居民群众: someone living in the topic's area (a household there, or a resident's role there).

The other parties (召集人, 利益相关方 N, 上级领导, 社区工作人员, 专业人士) are free: anyone may be labelled so.
The rules exist twice on purpose, once for rows in hand (`held_parties`, two queries for a whole list, so a
meeting page's query budget holds) and once as a query (`holders_q`, for the candidates); the matrix tests in
deliberation/tests/test_parties.py hold both to the same answers.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db.models import Case, Exists, IntegerField, OuterRef, Q, QuerySet, Value, When

from yishiting.areas.choices import OrganizationKind, Role
from yishiting.areas.models import PATH_STEP, Area, Person, RoleAssignment

from ..choices import EIGHT_PARTIES, Party

GRID_ROLES = frozenset({Role.GRID_WORKER, Role.GRID_LEADER, Role.SECTOR_HEAD, Role.ZONE_HEAD})
# Roles only someone living in the place holds (楼栋长、单元长、中心户 … are residents who took on a task).
RESIDENT_ROLES = frozenset({
    Role.RESIDENT, Role.OWNER, Role.BUILDING_HEAD, Role.UNIT_HEAD, Role.CENTRAL_HOUSEHOLD, Role.PARTY_MEMBER,
    Role.RED_BUILDING_HEAD, Role.BUILDING_PARTY_GROUP_LEADER})
# Residents the candidates list names first: those who already speak for their building or unit.
RESIDENT_SPOKESPEOPLE = (Role.BUILDING_HEAD, Role.UNIT_HEAD, Role.CENTRAL_HOUSEHOLD, Role.RED_BUILDING_HEAD)
CANDIDATES = 5


@dataclass(frozen=True)
class Rule:
    """One way of holding a party: a role (for an organisation representative, of an organisation of these
    kinds) whose path — the role's own, or its organisation's service area — is near the anchor: at it, above
    it or within it (`within_only`: at it or within it)."""

    roles: frozenset[str]
    org_kinds: frozenset[str] = frozenset()
    anchor: str = "scope"  # "scope": the topics' areas; "level": the meeting's level area (the community)
    on: str = "role"  # "role": the role's area; "org": the organisation's service area
    within_only: bool = False


REP = frozenset({Role.ORG_REPRESENTATIVE})
RULES: dict[str, tuple[Rule, ...]] = {
    Party.GRID_WORKER: (Rule(GRID_ROLES),),
    Party.PROPERTY: (Rule(REP, frozenset({OrganizationKind.PROPERTY_COMPANY}), on="org"),),
    Party.OWNERS_COMMITTEE: (Rule(REP, frozenset({OrganizationKind.OWNERS_COMMITTEE}), on="org"),),
    Party.LEGAL_ADVISER: (Rule(frozenset({Role.LAWYER}), anchor="level"),),
    Party.DEPUTY: (Rule(frozenset({Role.DEPUTY})),),
    Party.DUAL_REGISTRATION: (Rule(REP, frozenset({OrganizationKind.DUAL_REGISTRATION_UNIT}), anchor="level"),
                              Rule(frozenset({Role.INSERVICE_PARTY_MEMBER}), anchor="level")),
    Party.SOCIAL_ORG: (Rule(REP, frozenset({OrganizationKind.SOCIAL_ORGANIZATION}), anchor="level"),),
    Party.RESIDENT: (Rule(RESIDENT_ROLES, within_only=True),),
}
ALL_RULE_ROLES = frozenset(role for rules in RULES.values() for rule in rules for role in rule.roles)


@dataclass(frozen=True)
class PartyScope:
    """Where a meeting's parties must come from: its level area (the community) and its topics' areas (the
    estate or building concerned; the level itself when the agenda is empty)."""

    level: tuple[str, ...]
    scope: tuple[str, ...]

    def anchors(self, rule: Rule) -> tuple[str, ...]:
        return self.level if rule.anchor == "level" else self.scope


def party_scope(level_area: Area, topics: Iterable = ()) -> PartyScope:
    """The scope of a plan: `level_area` and each topic's own area (its scope area, else its level)."""
    paths = tuple(dict.fromkeys(topic.opinion_path for topic in topics)) or (level_area.path,)
    return PartyScope(level=(level_area.path,), scope=paths)


def meeting_scope(meeting) -> PartyScope:
    """The scope of a planned meeting, from its agenda (prefetched by `meeting_details`, else one query)."""
    return party_scope(meeting.level_area, [item.topic for item in meeting.agenda.all()])


# ---- the rules on rows in hand --------------------------------------------------------------------------

def _near(path: str, anchors: Sequence[str], within_only: bool) -> bool:
    """At an anchor or within it; unless `within_only`, also above it (paths are prefixes of their subtree)."""
    return any(path.startswith(a) or (not within_only and a.startswith(path)) for a in anchors if path)


def _holds(rule: Rule, row: dict, scope: PartyScope) -> bool:
    if row["role"] not in rule.roles:
        return False
    if rule.org_kinds and (row["organization__kind"] not in rule.org_kinds or not row["organization__is_active"]):
        return False
    path = row["organization__path"] if rule.on == "org" else row["path"]
    return _near(path or "", scope.anchors(rule), rule.within_only)


def held_parties(person_ids: Iterable[int], scope: PartyScope) -> dict[int, set[str]]:
    """Which of the eight parties each person holds in `scope` (two queries whatever the number of people)."""
    ids = set(person_ids)
    held: dict[int, set[str]] = {pk: set() for pk in ids}
    roles = (RoleAssignment.objects.filter(person_id__in=ids, is_active=True, role__in=ALL_RULE_ROLES)
             .values("person_id", "role", "path", "organization__kind", "organization__path",
                     "organization__is_active"))
    for row in roles:
        held[row["person_id"]].update(party for party, rules in RULES.items()
                                      if any(_holds(rule, row, scope) for rule in rules))
    homes = Person.objects.filter(pk__in=ids, household__isnull=False).values_list("pk", "household__path")
    for pk, path in homes:
        if _near(path, scope.scope, within_only=True):
            held[pk].add(Party.RESIDENT)
    return held


@dataclass
class PartyCount:
    """The parties a list of invitees fills (labels held, and the free parties) and the labels not held."""

    present: set[str]
    unverified: list[tuple[int, str]]  # (person id, party) labelled with one of the eight they do not hold

    def missing(self, required: Iterable[str]) -> list[str]:
        return [code for code in required if code not in self.present]


def count_parties(labels: Iterable[tuple[int, str]], scope: PartyScope) -> PartyCount:
    """Count (person id, party) labels: one of the eight counts only if its holder holds it in `scope`."""
    labels = list(labels)
    held = held_parties({pk for pk, party in labels if party in EIGHT_PARTIES}, scope)
    present: set[str] = set()
    unverified: list[tuple[int, str]] = []
    for pk, party in labels:
        if party not in EIGHT_PARTIES or party in held.get(pk, ()):
            present.add(party)
        else:
            unverified.append((pk, party))
    return PartyCount(present, unverified)


def meeting_party_count(meeting) -> PartyCount:
    """The parties a planned meeting's list fills (from prefetched participants and agenda, else two queries)."""
    return count_parties([(p.person_id, p.party) for p in meeting.participants.all()], meeting_scope(meeting))


# ---- the same rules as queries: who could fill a missing party ------------------------------------------

def _near_q(field: str, anchors: Sequence[str], within_only: bool) -> Q:
    query = Q()
    for anchor in anchors:
        query |= Q(**{f"{field}__startswith": anchor})
        if not within_only:
            query |= Q(**{f"{field}__in": [anchor[:i] for i in range(PATH_STEP, len(anchor) + 1, PATH_STEP)]})
    return query


def _rule_q(rule: Rule, scope: PartyScope) -> Q:
    query = Q(is_active=True, role__in=rule.roles)
    if rule.org_kinds:
        query &= Q(organization__kind__in=rule.org_kinds, organization__is_active=True)
    field = "organization__path" if rule.on == "org" else "path"
    return query & _near_q(field, scope.anchors(rule), rule.within_only)


def holding_roles_q(party: str, scope: PartyScope) -> Q:
    """RoleAssignment filter: the roles that make their holder one of `party` in `scope`."""
    query = Q(pk__in=[])
    for rule in RULES.get(party, ()):
        query |= _rule_q(rule, scope)
    return query


def holders_q(party: str, scope: PartyScope) -> Q:
    """Person filter: who holds `party` in `scope` (residents also by their household)."""
    query = Q(pk__in=RoleAssignment.objects.filter(holding_roles_q(party, scope)).values("person_id"))
    if party == Party.RESIDENT:
        query |= _near_q("household__path", scope.scope, within_only=True)
    return query


def party_holders(party: str, scope: PartyScope, pool: QuerySet[Person]) -> QuerySet[Person]:
    """The people of `pool` (whom the planner may invite) who hold `party` in `scope`: residents who speak for
    a building or unit first, then by place."""
    people = pool.filter(holders_q(party, scope))
    if party == Party.RESIDENT:
        spokes = RoleAssignment.objects.filter(person=OuterRef("pk"), is_active=True, role__in=RESIDENT_SPOKESPEOPLE)
        people = people.annotate(first=Case(When(Exists(spokes), then=Value(0)), default=Value(1),
                                            output_field=IntegerField())).order_by("first", "path", "pk")
    else:
        people = people.order_by("path", "pk")
    return people


def holder_candidates(party: str, scope: PartyScope, pool: QuerySet[Person], exclude: Iterable[int] = (),
                      limit: int = CANDIDATES) -> tuple[list[tuple[Person, RoleAssignment | None]], bool]:
    """A few people who could fill `party` (at most `limit`, never a list of thousands), each with the role that
    makes them hold it, and whether there are more. Callers mask (areas.pickers.rows_for)."""
    people = list(party_holders(party, scope, pool).exclude(pk__in=list(exclude)).select_related("area")[:limit + 1])
    more, people = len(people) > limit, people[:limit]
    roles: dict[int, RoleAssignment] = {}
    for role in (RoleAssignment.objects.filter(holding_roles_q(party, scope), person__in=people)
                 .select_related("organization", "area").order_by("pk")):
        roles.setdefault(role.person_id, role)
    return [(person, roles.get(person.pk)) for person in people], more
