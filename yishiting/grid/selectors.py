"""Reads of the grid's field work: what each person sees, one's 包联 with who is not yet visited this month, the
chain that serves a resident (亮身份), the people and households staff may assign, and each grid's coverage."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.db.models.functions import Substr
from django.utils import timezone

from yishiting.areas.choices import IN_OFFICE_ROLES, Role
from yishiting.areas.models import PATH_STEP, Area, Household, Person, RoleAssignment
from yishiting.areas.selectors import community_depth
from yishiting.common.masking import mask_name
from yishiting.common.rules import scope_for

from .choices import RecordKind
from .models import Assignment, FieldRecord, Finding
from .rules import KEEPER_ROLES, person_of

PATROL_KINDS = (RecordKind.PATROL, RecordKind.JOINT_PATROL)


# ---- periods and places ----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Month:
    first: date

    @classmethod
    def parse(cls, text: str | None) -> Month:
        """'2026-11' → that month; anything else (or nothing) → the current month."""
        try:
            year, month = (int(p) for p in (text or "").split("-"))
            return cls(date(year, month, 1))
        except (TypeError, ValueError):
            return cls(timezone.localdate().replace(day=1))

    @property
    def next_first(self) -> date:
        return (self.first + timedelta(days=32)).replace(day=1)

    @property
    def previous(self) -> Month:
        return Month((self.first - timedelta(days=1)).replace(day=1))

    @property
    def bounds(self) -> tuple[datetime, datetime]:
        zone = timezone.get_current_timezone()
        return (datetime.combine(self.first, time.min, zone), datetime.combine(self.next_first, time.min, zone))

    @property
    def key(self) -> str:
        return f"{self.first:%Y-%m}"


def estate_depth() -> int:
    return community_depth() + 1


def estate_of(area: Area | None) -> Area | None:
    """The estate (grid) an area lies in, or the area itself when it is one; None above the estate level."""
    if area is None or len(area.path) < estate_depth() * PATH_STEP:
        return None
    return Area.objects.filter(path=area.path[: estate_depth() * PATH_STEP]).select_related("parent").first()


def building_of(area: Area | None) -> Area | None:
    depth = estate_depth() + 1
    if area is None or len(area.path) < depth * PATH_STEP:
        return None
    return Area.objects.filter(path=area.path[: depth * PATH_STEP]).first()


# ---- what each person sees ---------------------------------------------------------------------------------------

def records_visible_to(user) -> QuerySet[FieldRecord]:
    """The grid chain and the office: every record of their subtree; everyone: the records they made."""
    if not getattr(user, "is_authenticated", False):
        return FieldRecord.objects.none()
    query = scope_for(user, "grid.view").q("path")
    if (person := person_of(user)) is not None:
        query |= Q(recorder=person)
    return (FieldRecord.objects.filter(query)
            .select_related("estate", "place", "household__unit", "recorder"))


def assignments_visible_to(user) -> QuerySet[Assignment]:
    if not getattr(user, "is_authenticated", False):
        return Assignment.objects.none()
    query = scope_for(user, "grid.view").q("path")
    if (person := person_of(user)) is not None:
        query |= Q(keeper=person)
    return Assignment.objects.filter(query).select_related("keeper", "estate", "household__unit__parent", "building")


def with_visits(assignments: QuerySet[Assignment], month: Month) -> QuerySet[Assignment]:
    """Each assignment with `visited`: a visit to the household (by anyone), or any record at the building, in
    the month — who is still to be seen this period is `visited=False`."""
    start, end = month.bounds
    in_month = FieldRecord.objects.filter(occurred_at__gte=start, occurred_at__lt=end)
    household = in_month.filter(kind=RecordKind.VISIT, household_id=OuterRef("household_id"))
    building = in_month.filter(place_id=OuterRef("building_id"))
    return assignments.annotate(visited=Exists(household) | Exists(building))


def assignments_of(person: Person | None, month: Month) -> QuerySet[Assignment]:
    """One's own active 包联, the unvisited first."""
    if person is None:
        return Assignment.objects.none()
    rows = Assignment.objects.filter(keeper=person, is_active=True).select_related(
        "estate", "household__unit__parent", "building")
    return with_visits(rows, month).order_by("visited", "path", "pk")


def findings_of(record: FieldRecord) -> list[Finding]:
    return list(record.findings.select_related("demand"))


# ---- who may be assigned, and what --------------------------------------------------------------------------------

def keeper_pool(estate: Area) -> QuerySet[Person]:
    """People who may keep in touch with the estate's households: an active keeper role in its community or below
    (the community's cadres, the grid chain, its party members)."""
    community_path = estate.path[: community_depth() * PATH_STEP]
    return Person.objects.filter(pk__in=RoleAssignment.objects.filter(
        role__in=KEEPER_ROLES, is_active=True, path__startswith=community_path).values("person_id"))


def household_pool(estate: Area) -> QuerySet[Household]:
    return Household.objects.filter(path__startswith=estate.path)


def estates_for(user, permission: str) -> QuerySet[Area]:
    """Estates (grids) inside the user's scope for `permission`, in tree order."""
    scope = scope_for(user, permission)
    query = scope.q("path")
    # A community-scoped role (a party member) covers its community's estates.
    return Area.objects.filter(query, level__depth=estate_depth(), is_active=True).order_by("path")


def buildings_of(estate: Area) -> QuerySet[Area]:
    return Area.objects.filter(parent=estate, is_active=True).order_by("path")


# ---- 亮身份: the chain that serves a resident ----------------------------------------------------------------------

ESTATE_CHAIN = [Role.GRID_LEADER, Role.GRID_WORKER, Role.SECTOR_HEAD, Role.ZONE_HEAD, Role.ESTATE_BRANCH_SECRETARY,
                Role.GRID_PARTY_GROUP_LEADER]
BUILDING_CHAIN = [Role.BUILDING_HEAD, Role.BUILDING_PARTY_GROUP_LEADER, Role.RED_BUILDING_HEAD]
UNIT_CHAIN = [Role.UNIT_HEAD]
CHAIN_ORDER = {role: i for i, role in enumerate([*ESTATE_CHAIN, *BUILDING_CHAIN, *UNIT_CHAIN, Role.CENTRAL_HOUSEHOLD])}


@dataclass
class ChainRow:
    role: RoleAssignment
    name: str  # in full for those in office, masked for residents (docs/masking.md)
    in_office: bool
    plaque_on: date | None = None  # 挂牌 date of a 党员中心户
    place: str = ""

    @property
    def label(self) -> str:
        return self.role.title or str(self.role.get_role_display())


def chain_for(unit: Area) -> list[ChainRow]:
    """Who serves the households of `unit`: the grid and party chain at its estate (and the community's 总网格长),
    its building and unit, and every 党员中心户 of its building with the plaque if one is hung."""
    paths = [unit.path[:n] for n in range(PATH_STEP, len(unit.path) + 1, PATH_STEP)]
    community_path = unit.path[: community_depth() * PATH_STEP]
    building_path = unit.path[: (estate_depth() + 1) * PATH_STEP]
    roles = (RoleAssignment.objects.filter(is_active=True)
             .filter(Q(path__in=[p for p in paths if p.startswith(community_path)],
                       role__in=[*ESTATE_CHAIN, *BUILDING_CHAIN, *UNIT_CHAIN])
                     | Q(path__startswith=building_path, role=Role.CENTRAL_HOUSEHOLD))
             .select_related("person", "area", "plaque"))
    rows = [_chain_row(r) for r in roles]
    return sorted(rows, key=lambda row: (CHAIN_ORDER.get(row.role.role, 99), row.role.path, row.role.pk))


def _chain_row(role: RoleAssignment) -> ChainRow:
    in_office = role.role in IN_OFFICE_ROLES
    plaque = getattr(role, "plaque", None) if role.role == Role.CENTRAL_HOUSEHOLD else None
    return ChainRow(role=role, name=role.person.name if in_office else mask_name(role.person.name),
                    in_office=in_office, plaque_on=plaque.hung_on if plaque else None,
                    place=role.area.name if role.role in (Role.CENTRAL_HOUSEHOLD, Role.UNIT_HEAD) else "")


def in_office(person_ids: list[int]) -> set[int]:
    """Which of these people act in office (named in full, docs/masking.md); the rest are shown masked."""
    return set(RoleAssignment.objects.filter(person_id__in=person_ids, role__in=IN_OFFICE_ROLES, is_active=True)
               .values_list("person_id", flat=True)) if person_ids else set()


def keepers_of(household: Household) -> list[str]:
    """Who keeps in touch with this household (assigned to it, or to its building), as the resident may read them:
    named in full when they hold an office, masked otherwise."""
    building_path = household.path[: (estate_depth() + 1) * PATH_STEP]
    rows = Assignment.objects.filter(Q(household=household) | Q(building__path=building_path), is_active=True)
    keepers = list({a.keeper_id: a.keeper for a in rows.select_related("keeper").order_by("pk")}.values())
    office = in_office([k.pk for k in keepers])
    return [k.name if k.pk in office else mask_name(k.name) for k in keepers]


# ---- coverage ----------------------------------------------------------------------------------------------------

@dataclass
class Coverage:
    estate: Area
    households: int = 0
    visited: int = 0
    assigned: int = 0
    assigned_unvisited: int = 0
    visits: int = 0
    patrols: int = 0
    talks: int = 0
    findings: int = 0
    reported: int = 0
    solved_in_grid: int = 0

    @property
    def visited_share(self) -> int:
        return round(100 * self.visited / self.households) if self.households else 0


def solved_in_grid_q(prefix: str = "demand__") -> Q:
    """小事不出网格 (docs/grid.md): the finding's demand was screened by its own community to direct handling (never
    escalated: its screening area is still the estate's community), its handling level stayed the grid (the
    estate) or below, and its task is closed (销号) with evidence."""
    return Q(**{f"{prefix}outcome": "handling", f"{prefix}status": "handling", f"{prefix}task__status": "closed",
                f"{prefix}level_area__path__startswith": F("record__estate__path"),
                f"{prefix}screening_area_id": F("record__estate__parent_id")})


def coverage_for(estates: list[Area], month: Month) -> list[Coverage]:
    """One row per estate for the month: households (all, visited, assigned and not visited), visits, patrols
    (with joint patrols), 三方对话会, findings, findings reported as demands, and those solved in the grid."""
    if not estates:
        return []
    start, end = month.bounds
    ids = [e.pk for e in estates]
    rows = {e.pk: Coverage(estate=e) for e in estates}
    width = estate_depth() * PATH_STEP
    by_path = {e.path: e.pk for e in estates}
    for row in (Household.objects.filter(Q(*[Q(path__startswith=p) for p in by_path], _connector=Q.OR))
                .annotate(prefix=Substr("path", 1, width)).values("prefix").annotate(n=Count("pk"))):
        rows[by_path[row["prefix"]]].households = row["n"]
    records = FieldRecord.objects.filter(estate_id__in=ids, occurred_at__gte=start, occurred_at__lt=end)
    for row in records.values("estate_id").annotate(
            visits=Count("pk", filter=Q(kind=RecordKind.VISIT)),
            patrols=Count("pk", filter=Q(kind__in=PATROL_KINDS)),
            talks=Count("pk", filter=Q(kind=RecordKind.TRIPARTITE)),
            visited=Count("household_id", distinct=True, filter=Q(kind=RecordKind.VISIT))):
        cover = rows[row["estate_id"]]
        cover.visits, cover.patrols, cover.talks, cover.visited = (row["visits"], row["patrols"], row["talks"],
                                                                    row["visited"])
    findings = Finding.objects.filter(record__in=records)
    for row in findings.values("record__estate_id").annotate(
            n=Count("pk"), reported=Count("pk", filter=Q(demand__isnull=False)),
            solved=Count("pk", filter=solved_in_grid_q())):
        cover = rows[row["record__estate_id"]]
        cover.findings, cover.reported, cover.solved_in_grid = row["n"], row["reported"], row["solved"]
    assigned = with_visits(Assignment.objects.filter(estate_id__in=ids, is_active=True, household__isnull=False),
                           month)
    for row in assigned.values("estate_id").annotate(n=Count("pk"), unvisited=Count("pk", filter=Q(visited=False))):
        rows[row["estate_id"]].assigned, rows[row["estate_id"]].assigned_unvisited = row["n"], row["unvisited"]
    return [rows[pk] for pk in ids]
