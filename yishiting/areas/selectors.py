"""Reads of places and people. Each `*_visible_to(user)` returns only what the user's scope allows."""

from __future__ import annotations

import copy
import re
from functools import lru_cache

from django.db.models import Q, QuerySet

from yishiting.common.localcache import LocalCache
from yishiting.common.rules import scope_for

from .choices import OFFICE_ROLES, ClaimStatus
from .models import (
    PATH_STEP,
    Area,
    AreaLevel,
    Household,
    HouseholdClaim,
    Organization,
    Person,
    RoleAssignment,
)

COMMUNITY_LEVEL_CODE = "community"


@lru_cache(maxsize=1)
def _community_depth_cached() -> int:
    level = AreaLevel.objects.filter(code=COMMUNITY_LEVEL_CODE).only("depth").first()
    return level.depth if level else 3


def community_depth() -> int:
    return _community_depth_cached()


def subtree_q(path: str, field: str = "path") -> Q:
    """Everything at or under the area with this path: one prefix range on an indexed column."""
    return Q(**{f"{field}__startswith": path})


def area_subtree(area: Area) -> QuerySet[Area]:
    return Area.objects.filter(subtree_q(area.path)).select_related("level")


def households_under(area: Area) -> QuerySet[Household]:
    return Household.objects.filter(subtree_q(area.path))


def area_ancestors(area: Area) -> QuerySet[Area]:
    return Area.objects.filter(path__in=area.ancestor_paths()).select_related("level").order_by("path")


def community_of(area: Area) -> Area | None:
    depth = community_depth()
    if area.depth < depth:
        return None
    return Area.objects.filter(path=area.path[: depth * PATH_STEP]).first()


def areas_visible_to(user, permission: str = "areas.view") -> QuerySet[Area]:
    scope = scope_for(user, permission)
    return Area.objects.filter(scope.q("path")).select_related("level", "parent")


def area_visible(user, pk: int, permission: str = "areas.view") -> Area | None:
    """`areas_visible_to(user, permission).filter(pk=pk).first()` without a query when the area was read in the
    last minute: the same scope test (`Scope.covers_path`, what `Scope.q` filters on) on a per-process copy of
    the area (common.localcache; saving an area clears it in that process, others follow within a minute).

    A minute, not the 10 s of roles and tokens: an area's path never changes (areas are created and renamed,
    never moved), so a stale copy can only show an old name, never pass a scope test the area would fail. Every
    submission names a building or a unit, and a city has tens of thousands: at 10 s each server process read
    most of them again every few seconds under load."""
    area = _areas_by_pk.get(pk)
    if area is None or not scope_for(user, permission).covers_path(area.path):
        return None
    return copy.copy(area)


def area_visible_by_code(user, code: str, permission: str = "areas.view") -> Area | None:
    """`area_visible` for an area named by its code (Open311's attribute[area_code]): the code's id is kept per
    process too (a code, like a path, never moves to another area; a deleted area's code is forgotten on save)."""
    pk = _area_pks_by_code.get(code)
    return area_visible(user, pk, permission) if pk is not None else None


def _load_area(pk: int) -> Area | None:
    return Area.objects.select_related("level", "parent").filter(pk=pk).first()


_areas_by_pk = LocalCache("areas_by_pk", _load_area, watch=(Area, AreaLevel), keep_none=False)
_area_pks_by_code = LocalCache("area_pks_by_code", lambda code: Area.objects.filter(code=code)
                               .values_list("pk", flat=True).first(), watch=(Area,), keep_none=False)


# The levels as (code, name), shallowest first: set up once per deployment, asked by every list page's
# 办理层级 filter (common.localcache: an edit shows within a minute).
_level_choices = LocalCache("level_choices", lambda _key: list(
    AreaLevel.objects.order_by("depth").values_list("code", "name")), watch=(AreaLevel,))


def level_choices() -> list[tuple[str, str]]:
    return _level_choices.get()


def households_visible_to(user, permission: str = "households.view") -> QuerySet[Household]:
    scope = scope_for(user, permission)
    own = None
    if scope.own_person_id:
        own = Q(pk__in=Person.objects.filter(pk=scope.own_person_id).values("household_id"))
    return Household.objects.filter(scope.q("path", own=own)).select_related("unit", "unit__level")


def people_visible_to(user, permission: str = "people.view") -> QuerySet[Person]:
    scope = scope_for(user, permission)
    own = Q(pk=scope.own_person_id) if scope.own_person_id else None
    return Person.objects.filter(scope.q("path", own=own)).select_related("household", "area", "user")


def organizations_visible_to(user, permission: str = "organizations.view") -> QuerySet[Organization]:
    scope = scope_for(user, permission)
    org = Q(pk__in=scope.organization_ids) if scope.organization_ids else None
    return Organization.objects.filter(scope.q("path", organization=org)).select_related("area", "parent")


def roles_visible_to(user, permission: str = "roles.view") -> QuerySet[RoleAssignment]:
    scope = scope_for(user, permission)
    own = Q(person_id=scope.own_person_id) if scope.own_person_id else None
    return (RoleAssignment.objects.filter(scope.q("path", own=own))
            .select_related("person", "area", "area__level", "organization"))


def person_of_user(user) -> Person | None:
    """The user's person record (no joins), kept per process for 10 s (common.localcache: saving a person
    clears it in that process). For writes that name the caller as the reporter; pages use `person_for_user`."""
    if not getattr(user, "is_authenticated", False):
        return None
    person = _people_by_user.get(user.pk)
    return copy.copy(person) if person is not None else None


_people_by_user = LocalCache("people_by_user", lambda user_id: Person.objects.filter(user_id=user_id).first(),
                             watch=(Person,), ttl=10.0, keep_none=False)


def person_for_user(user) -> Person | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return Person.objects.filter(user=user).select_related("household", "area").first()


def area_roots_visible_to(user, permission: str = "areas.view") -> QuerySet[Area]:
    """The topmost areas a user may see: where their scope starts (the tree's roots for everything)."""
    scope = scope_for(user, permission)
    if scope.everything:
        return Area.objects.filter(parent__isnull=True).select_related("level")
    return Area.objects.filter(path__in=scope.minimal_paths()).select_related("level")


def area_counts(area: Area) -> dict[str, int]:
    """Sub-areas, households and people under an area (three prefix-range counts)."""
    return {
        "areas": Area.objects.filter(subtree_q(area.path)).exclude(pk=area.pk).count(),
        "households": households_under(area).count(),
        "people": Person.objects.filter(subtree_q(area.path)).count(),
    }


def roles_of_user(user) -> QuerySet[RoleAssignment]:
    """The active roles a login holds, with their areas and organizations, for headers and home pages."""
    return (RoleAssignment.objects.filter(person__user=user, is_active=True)
            .select_related("area", "area__level", "organization", "organization__area"))


# Filters shared by the API and the pages (one definition, NetBox style). Each narrows a queryset that is
# already limited to the viewer's scope, so a filter can never widen what someone sees.

def under_area(queryset: QuerySet, area_id: int | None, field: str = "path") -> QuerySet:
    """Rows at or under area `area_id`; an unknown id matches nothing (and says nothing about existence)."""
    if area_id is None:
        return queryset
    path = Area.objects.filter(pk=area_id).values_list("path", flat=True).first()
    return queryset.filter(subtree_q(path, field)) if path else queryset.none()


def areas_filter(queryset: QuerySet[Area], *, under: int | None = None, level: str | None = None,
                 q: str | None = None) -> QuerySet[Area]:
    """`q` matches the name or its pinyin (initials or full spelling), so "xfy" finds 幸福苑 — also read together
    with the names above ("xfjy1" = 幸福佳园 + 1号楼, `services.area_search_key`). A name read with its parent's
    matches everything below too (each unit's key holds its building's), so an area found only that way is left
    out when its parent matches as well: "xfjy1" lists the building, "xfjy1hl1dy" its unit."""
    queryset = under_area(queryset, under)
    if level:
        queryset = queryset.filter(level__code=level)
    if q and q.strip():
        term = q.strip()
        lowered = re.escape(term.lower())
        own = Q(name__icontains=term) | Q(search_key__regex=rf"^(\S*{lowered}|\S* \S*{lowered})")
        parent = Q(parent__name__icontains=term) | Q(parent__search_key__icontains=term.lower())
        queryset = queryset.filter(own | (Q(search_key__icontains=term.lower()) & ~parent))
    return queryset


def area_find(queryset: QuerySet[Area], term: str, limit: int) -> list[Area]:
    """The area finder's matches for `term` (areas_filter), in tree order, at most `limit`."""
    term = (term or "").strip()
    return list(areas_filter(queryset, q=term).order_by("path")[:limit]) if term else []


def households_filter(queryset: QuerySet[Household], *, under: int | None = None,
                      number: str | None = None) -> QuerySet[Household]:
    queryset = under_area(queryset, under)
    return queryset.filter(number=number.strip()) if number and number.strip() else queryset


def people_filter(queryset: QuerySet[Person], *, under: int | None = None, q: str | None = None) -> QuerySet[Person]:
    """`q` must be a whole name, mobile or ID number: a viewer who knows someone can find them, but masked
    names cannot be uncovered letter by letter with partial searches."""
    queryset = under_area(queryset, under)
    if q and q.strip():
        term = q.strip()
        queryset = queryset.filter(Q(name=term) | Q(mobile=term) | Q(id_number=term.upper()))
    return queryset


def organizations_filter(queryset: QuerySet[Organization], *, under: int | None = None, kind: str | None = None,
                         q: str | None = None) -> QuerySet[Organization]:
    queryset = under_area(queryset, under)
    if kind:
        queryset = queryset.filter(kind=kind)
    return queryset.filter(name__icontains=q.strip()) if q and q.strip() else queryset


def roles_filter(queryset: QuerySet[RoleAssignment], *, under: int | None = None, role: str | None = None,
                 person: int | None = None, active: bool | None = True) -> QuerySet[RoleAssignment]:
    queryset = under_area(queryset, under)
    if role:
        queryset = queryset.filter(role=role)
    if person is not None:
        queryset = queryset.filter(person_id=person)
    if active is not None:
        queryset = queryset.filter(is_active=active)
    return queryset.order_by("path", "role", "id")


def level_by_code(code: str) -> AreaLevel | None:
    return AreaLevel.objects.filter(code=code).first()


def community_within_reach(user, community_id: int) -> Area | None:
    """A community-level area the user belongs to or works in or above: their areas.view scope covers it, or
    reaches into it (a grid worker's grid lies inside it). For noticeboards readable by everyone in it."""
    community = Area.objects.select_related("level").filter(pk=community_id).first()
    if community is None or community.depth != community_depth():
        return None
    scope = scope_for(user, "areas.view")
    if scope.covers_path(community.path) or any(path.startswith(community.path) for path in scope.paths):
        return community
    return None


# ---- household claims (住户申报) -----------------------------------------------------------------------------

CLAIM_PICKER_LIMIT = 20


def building_depth() -> int | None:
    """The depth of the level right above the one that holds households (楼栋 in the default tree)."""
    depth = AreaLevel.objects.filter(holds_households=True).values_list("depth", flat=True).first()
    return depth - 1 if depth else None


def claim_buildings(term: str) -> list[Area]:
    """Buildings matching a search: the building's or its estate's name or pinyin, or both run together
    ("幸福佳园1", "xfjy1" → 幸福佳园 1号楼). At most CLAIM_PICKER_LIMIT, never the whole district."""
    term = "".join((term or "").split()).lower()[:30]
    depth = building_depth()
    if not term or depth is None:
        return []
    match = (Q(name__icontains=term) | Q(search_key__icontains=term) | Q(parent__name__icontains=term)
             | Q(parent__search_key__icontains=term))
    for cut in range(1, len(term)):
        head, tail = term[:cut], term[cut:]
        match |= ((Q(parent__name__startswith=head) | Q(parent__search_key__startswith=head))
                  & (Q(name__istartswith=tail) | Q(search_key__startswith=tail)))
    return list(Area.objects.filter(match, level__depth=depth, is_active=True).select_related("parent")
                .order_by("path")[:CLAIM_PICKER_LIMIT])


def building_households(building: Area) -> QuerySet[Household]:
    """The households of one building, unit by unit (a building holds tens to a few hundred)."""
    return Household.objects.filter(subtree_q(building.path)).select_related("unit").order_by("path", "number")


def claims_of_user(user) -> QuerySet[HouseholdClaim]:
    """The user's own claims, newest first, with the household's place for display."""
    return (HouseholdClaim.objects.filter(person__user=user)
            .select_related("household__unit__parent", "decided_by"))


def claims_to_verify(user) -> QuerySet[HouseholdClaim]:
    """Pending claims in the areas where `user` may verify (households.verify_claim), oldest first. Their own
    are left out (nobody verifies themselves)."""
    scope = scope_for(user, "households.verify_claim")
    return (HouseholdClaim.objects.filter(scope.q("path"), status=ClaimStatus.PENDING)
            .exclude(person__user=user)
            .select_related("person", "household__unit__parent").order_by("created_at", "id"))


def owner_list_names(household_ids: list[int]) -> dict[int, list[Person]]:
    """The owners on record for each household (to compare a claim with), in two queries at most."""
    owners: dict[int, list[Person]] = {pk: [] for pk in household_ids}
    rows = Person.objects.filter(household_id__in=household_ids, roles__role="owner", roles__is_active=True).distinct()
    for person in rows:
        owners[person.household_id].append(person)
    return owners


def office_staff_nearest(area: Area | None) -> list[Person]:
    """The office staff of `area`, or of the nearest level above it that has any (warnings and escalations go to
    someone even where a level's posts are empty)."""
    while area is not None:
        people = list(Person.objects.filter(roles__path=area.path, roles__role__in=OFFICE_ROLES,
                                            roles__is_active=True).distinct().order_by("pk"))
        if people:
            return people
        area = area.parent
    return []
