"""The search behind every people, organization and household picker (meeting invitees, supervision group, task
and screening handler, 责任单位, an owners' vote's proxies and paper ballots): one page of matches for what was typed, the matter's own area first, each row with enough to tell
people apart (role, organization, building and unit, the last four digits of the mobile).

Names are masked unless the viewer may unmask that person (`people.unmask`); every clear name shown is audited
(one audit entry per search, listing whom). Whoever may not unmask still finds a person by the whole name, the
whole pinyin, the mobile or its last digits (4 or more: each row shows the last four anyway) — matched on the
server, shown masked — but never by a part of a name, so
masked names cannot be uncovered letter by letter. Pinyin initials ("zzr") match the whole name's initials; for
people outside office (residents) that takes a viewer who may unmask. Households are found by building, unit
and room ("3栋1单元1201") or by who lives there, under the same rules for names.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.utils.translation import gettext

from yishiting.common.audit import audit_record
from yishiting.common.masking import mask_name
from yishiting.common.models import AuditEntry
from yishiting.common.rules import Scope, scope_for
from yishiting.common.text import list_words

from .choices import OrganizationKind, Role
from .models import Area, Household, Organization, Person, RoleAssignment
from .services import NAME_SEPARATOR, search_key_for

PICK_LIMIT = 20  # rows per answer; the picker says "还有更多" and asks for more letters beyond that
TERM_MAX = 50
# Roles of people who are not in office: found by whole name or pinyin only by a viewer who may unmask.
PRIVATE_ROLES = [Role.RESIDENT, Role.OWNER, Role.PARTY_MEMBER, Role.VOLUNTEER]
# What people type for a capacity whose label says it otherwise (法律顾问 is the role, 律师 the word in use).
ROLE_WORDS = {
    "律师": [Role.LAWYER], "法律": [Role.LAWYER], "人大代表": [Role.DEPUTY], "政协委员": [Role.DEPUTY],  # zh-only: words people type
    "党代表": [Role.DEPUTY], "代表": [Role.DEPUTY], "委员": [Role.DEPUTY], "领导": [Role.STREET_OFFICIAL,  # zh-only: words people type
    Role.DISTRICT_OFFICIAL], "干部": [Role.STREET_OFFICIAL, Role.DISTRICT_OFFICIAL],  # zh-only: words people type
    "经办": [Role.HANDLER], "承办": [Role.HANDLER], "物业": [Role.ORG_REPRESENTATIVE], "居民": [Role.RESIDENT],  # zh-only: words people type
}
# The role a row names when a person holds several: offices before private capacities.
ROLE_ORDER = {role: i for i, role in enumerate([
    Role.DISTRICT_OFFICIAL, Role.STREET_OFFICIAL, Role.COMMUNITY_SECRETARY, Role.COMMUNITY_STAFF, Role.HANDLER,
    Role.GRID_LEADER, Role.GRID_WORKER, Role.SECTOR_HEAD, Role.ZONE_HEAD, Role.ESTATE_BRANCH_SECRETARY,
    Role.GRID_PARTY_GROUP_LEADER, Role.BUILDING_PARTY_GROUP_LEADER, Role.RED_BUILDING_HEAD, Role.DEPUTY, Role.LAWYER, Role.EXPERT, Role.ORG_REPRESENTATIVE,
    Role.BUILDING_HEAD, Role.UNIT_HEAD, Role.INSERVICE_PARTY_MEMBER, Role.CENTRAL_HOUSEHOLD, Role.PARTY_MEMBER,
    Role.CANTEEN_STAFF, Role.VOLUNTEER, Role.OWNER, Role.RESIDENT])}
PINYIN = re.compile(r"^[a-z]+$")


@dataclass
class PersonRow:
    person: Person
    name: str  # clear (audited) or masked
    revealed: bool
    role: RoleAssignment | None
    role_label: str = ""
    organization: str = ""
    place: str = ""  # 幸福佳园3号楼1单元
    phone4: str = ""  # the mobile's last four digits
    is_organization = False
    is_household = False

    @property
    def pk(self) -> int:
        return self.person.pk

    @property
    def label(self) -> str:
        parts = [self.name, self.role_label, self.organization, self.place,
                 gettext("尾号%(tail)s") % {"tail": self.phone4} if self.phone4 else gettext("未登记手机")]
        return " · ".join(p for p in parts if p)


@dataclass
class OrganizationRow:
    organization: Organization
    is_organization = True
    is_household = False

    @property
    def pk(self) -> int:
        return self.organization.pk

    @property
    def label(self) -> str:
        org = self.organization
        return f"{org.name} · {org.get_kind_display()} · {org.area.name}"


@dataclass
class Page:
    rows: list = field(default_factory=list)
    more: bool = False  # there are matches beyond the rows shown
    term: str = ""


def clean_term(term: str | None) -> str:
    return " ".join((term or "").split())[:TERM_MAX]


def roles_matching(term: str) -> list[str]:
    """Roles whose label contains `term`, or that `term` names in everyday words (ROLE_WORDS)."""
    labelled = [value for value, label in Role.choices if term in str(label)]
    return labelled + [role for word, roles in ROLE_WORDS.items() if word in term for role in roles]


def _near_first(paths: list[str]) -> Case:
    """0 for rows under the first (narrowest) path, 1 for the next, …: the matter's own area first."""
    whens = [When(path__startswith=path, then=Value(i)) for i, path in enumerate(paths) if path]
    return Case(*whens, default=Value(len(paths)), output_field=IntegerField())


MOBILE_TAIL = re.compile(r"^\d{4,10}$")


def _name_match(term: str, unmask) -> Q:
    """People by the whole name, the mobile or the whole pinyin (what anyone may type: shown masked); inside the
    viewer's people.unmask scope also by a part of the name or its pinyin initials."""
    lowered = term.lower()
    match = Q(name=term) | Q(mobile=term) | Q(search_key__endswith=" " + lowered)  # full spelling = whole name
    if MOBILE_TAIL.match(term):  # the mobile's last digits, as staff ask an elder: every row shows the last four
        match |= Q(mobile__endswith=term)
    if not unmask.empty:  # names the viewer sees anyway may be typed in part
        match |= (Q(name__startswith=term) | Q(search_key__startswith=lowered)
                  | Q(search_key__contains=" " + lowered)) & unmask.q("path")
    return match


def _person_match(term: str, unmask) -> Q:
    """People matching `term` by name, mobile, pinyin, role, title, organization or place (building/unit).
    `unmask` is the viewer's people.unmask scope: inside it a name may be typed in part."""
    lowered = term.lower()
    match = _name_match(term, unmask)
    if PINYIN.match(lowered):  # initials of the whole name: people in office anywhere, others where unmasked
        office = RoleAssignment.objects.filter(is_active=True).exclude(role__in=PRIVATE_ROLES).values("person_id")
        match |= Q(search_key__startswith=lowered + " ") & Q(pk__in=office)
    roles = roles_matching(term)
    # Chinese words have no case: `contains`, not `icontains` (UPPER() over every role of the district)
    by_role = Q(title__contains=term) | Q(organization__name__contains=term) | Q(area__name__contains=term)
    if roles:
        by_role |= Q(role__in=roles)
    kinds = [value for value, label in OrganizationKind.choices if term in str(label)]
    if kinds:
        by_role |= Q(organization__kind__in=kinds)
    match |= Q(pk__in=RoleAssignment.objects.filter(by_role, is_active=True).values("person_id"))
    # a building or unit typed as people say it: "3栋", "3栋1单元", "幸福佳园3号楼" (areas.services.area_search_key)
    match |= Q(area__search_key__contains=" " + lowered) | Q(area__name=term) | Q(area__parent__name=term)
    place, room = split_room(term)  # "3栋1单元1201", "1201": the household's room
    if room:
        match |= Q(household__number=room) & (_unit_match(place, "area__") if place else Q())
    return match


ROOM = re.compile(r"^(.*?\D)?\s*(\d{2,6})\s*[室号]?$")  # zh-only: reads what people type


def split_room(term: str) -> tuple[str, str]:
    """"3栋1单元1201" → ("3栋1单元", "1201"); "1201室" → ("", "1201"); no room number at the end → (term, "")."""
    found = ROOM.match(term)
    if not found:
        return term, ""
    return (found.group(1) or "").strip(" -－"), found.group(2)


def _unit_match(place: str, prefix: str = "unit__") -> Q:
    """A unit (or its building) as people say it: "1单元", "3栋", "3栋1单元", "幸福佳园3号楼"."""
    lowered = place.lower()
    return (Q(**{f"{prefix}search_key__contains": " " + lowered}) | Q(**{f"{prefix}name": place})
            | Q(**{f"{prefix}parent__name": place}))


def people_pick(actor, pool: QuerySet[Person], term: str, *, near: list[str] | None = None,
                limit: int = PICK_LIMIT, request=None, reason: str = "picker", reveal: bool = True) -> Page:
    """One page of the people in `pool` (already what `actor` may pick) matching `term`, nearest first.
    `reveal=False` (the API, which has its own audited reveal): every name masked, so no name in part either."""
    term = clean_term(term)
    if not term:
        return Page()
    unmask = scope_for(actor, "people.unmask") if reveal else Scope()
    found = list(pool.filter(_person_match(term, unmask))
                 .annotate(near=_near_first(near or [])).select_related("area", "household")
                 .order_by("near", "path", "pk")[: limit + 1])
    rows = person_rows(actor, found[:limit], request=request, reason=reason, reveal=reveal)
    return Page(rows=rows, more=len(found) > limit, term=term)


def person_rows(actor, people: list[Person], *, request=None, reason: str = "picker",
                reveal: bool = True) -> list[PersonRow]:
    """The picker's rows for these people (one query for their roles); names in clear for those `actor` may
    unmask, and that read audited once for the whole list."""
    roles: dict[int, RoleAssignment] = {}
    for role in (RoleAssignment.objects.filter(person__in=[p.pk for p in people], is_active=True)
                 .select_related("organization", "area")):
        best = roles.get(role.person_id)
        if best is None or ROLE_ORDER.get(role.role, 99) < ROLE_ORDER.get(best.role, 99):
            roles[role.person_id] = role
    return rows_for(actor, [(person, roles.get(person.pk)) for person in people], request=request, reason=reason,
                    reveal=reveal)


def rows_for(actor, pairs: list[tuple[Person, RoleAssignment | None]], *, request=None, reason: str = "picker",
             reveal: bool = True) -> list[PersonRow]:
    """Rows for people each named with a role already chosen (the meeting plan's usual parties), shown as the
    picker shows them to `actor`: clear where `actor` may unmask (one audit entry for the list), else masked.
    No actor (or `reveal=False`): every name masked."""
    unmask = scope_for(actor, "people.unmask") if reveal and actor is not None else None
    rows, shown = [], []
    for person, role in pairs:
        clear = unmask is not None and unmask.covers_path(person.path)
        if clear:
            shown.append(person.pk)
        rows.append(row_for(person, role, clear))
    if shown:
        audit_record(action=AuditEntry.Action.UNMASK, outcome=AuditEntry.Outcome.SUCCESS, request=request,
                     user=actor, target="people:" + ",".join(map(str, shown)),
                     details={"reason": reason[:200], "count": len(shown)})
    return rows


def row_for(person: Person, role: RoleAssignment | None, clear: bool = False) -> PersonRow:
    """One person's row, naming `role` (with its organization) and where the person lives or works."""
    label, org = "", ""
    if role is not None:
        label = role.get_role_display()
        if role.title and role.title != label:
            label = gettext("%(role)s（%(title)s）") % {"role": label, "title": role.title}
        org = role.organization.name if role.organization_id else ""
    return PersonRow(person=person, name=person.name if clear else mask_name(person.name), revealed=clear,
                     role=role, role_label=label, organization=org, place=_place_of_person(person),
                     phone4=person.mobile[-4:] if person.mobile else "")


def _place_of_person(person: Person) -> str:
    """Where the person lives or works; with the room when their household was read with them (people_pick)."""
    place = place_of(person.area)
    if person.household_id and Person.household.is_cached(person):
        number = person.household.number
        place += number if number.endswith("室") else gettext("%(number)s室") % {"number": number}  # zh-only: 室 a stored number ends with
    return place


def place_of(area: Area | None) -> str:
    """Estate, building and unit read together ("幸福佳园3号楼1单元"); a community or above: its own name."""
    if area is None:
        return ""
    names = area.full_name.split(NAME_SEPARATOR)
    return "".join(names[3:]) if len(names) > 3 else names[-1]


def organizations_pick(pool: QuerySet[Organization], term: str, *, near: list[str] | None = None,
                       limit: int = PICK_LIMIT) -> Page:
    """One page of the organizations in `pool` matching `term` by name, pinyin initials or kind, nearest first."""
    term = clean_term(term)
    if not term:
        return Page()
    lowered = term.lower()
    match = Q(name__icontains=term)
    kinds = [value for value, label in OrganizationKind.choices if term in str(label)]
    if kinds:
        match |= Q(kind__in=kinds)
    if PINYIN.match(lowered):  # a district holds a few hundred: their names are spelled here, each name once
        spelled = [pk for pk, name in pool.values_list("pk", "name")[:2000] if lowered in search_key_for(name)]
        match |= Q(pk__in=spelled)
    found = list(pool.filter(match).annotate(near=_near_first(near or [])).select_related("area")
                 .order_by("near", "path", "name")[: limit + 1])
    return Page(rows=[OrganizationRow(o) for o in found[:limit]], more=len(found) > limit, term=term)


@dataclass
class HouseholdRow:
    """A dwelling as the owners' vote pages name it: building, unit and room, its exclusive area, who lives there."""

    household: Household
    place: str
    owners: str  # "张*、李四" (clear only where the viewer may unmask, audited)
    is_organization = False
    is_household = True

    @property
    def pk(self) -> int:
        return self.household.pk

    @property
    def label(self) -> str:
        who = gettext("登记住户 %(owners)s") % {"owners": self.owners} if self.owners else gettext("未登记住户")
        return f"{self.place} {self.household.number} · {self.household.exclusive_area}㎡ · {who}"


def households_pick(actor, pool: QuerySet[Household], term: str, *, near: list[str] | None = None,
                    limit: int = PICK_LIMIT, request=None, reason: str = "picker:household") -> Page:
    """One page of the households in `pool` matching `term` by building, unit and room ("3栋1单元1201", "1201",
    "3栋") or by who lives there (whole name, mobile, whole pinyin; in part where `actor` may unmask)."""
    term = clean_term(term)
    if not term:
        return Page()
    place, room = split_room(term)
    match = _unit_match(term)
    if room:
        match |= Q(number=room) & (_unit_match(place) if place else Q())
    living = Person.objects.filter(_name_match(term, scope_for(actor, "people.unmask")), household__isnull=False)
    match |= Q(pk__in=living.values("household_id"))
    found = list(pool.filter(match).annotate(near=_near_first(near or [])).select_related("unit")
                 .order_by("near", "path", "number", "pk")[: limit + 1])
    rows = household_rows(actor, found[:limit], request=request, reason=reason)
    return Page(rows=rows, more=len(found) > limit, term=term)


def household_rows(actor, households: list[Household], *, request=None, reason: str = "picker:household",
                   reveal: bool = True) -> list[HouseholdRow]:
    """Rows for these households (one query for who lives in them), names as the people picker shows them."""
    living: dict[int, list[Person]] = {}
    for person in Person.objects.filter(household__in=[h.pk for h in households]).select_related("area").order_by("pk"):
        living.setdefault(person.household_id, []).append(person)
    people = [p for h in households for p in living.get(h.pk, [])]
    names = {row.person.pk: row.name for row in rows_for(actor if reveal else None, [(p, None) for p in people],
                                                        request=request, reason=reason)}
    return [HouseholdRow(household=h, place=place_of(h.unit),
                         owners=list_words(names[p.pk] for p in living.get(h.pk, []))) for h in households]
