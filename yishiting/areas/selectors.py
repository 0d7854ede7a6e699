"""Reads of places and people. Each `*_visible_to(user)` returns only what the user's scope allows."""

from __future__ import annotations

from functools import lru_cache

from django.db.models import Q, QuerySet

from yishiting.common.rules import scope_for

from .models import PATH_STEP, Area, AreaLevel, Household, Organization, Person, RoleAssignment

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


def person_for_user(user) -> Person | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return Person.objects.filter(user=user).select_related("household", "area").first()
