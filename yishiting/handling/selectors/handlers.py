"""Reads for handling: who may be given a direct-handling task."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from yishiting.areas.choices import Role
from yishiting.areas.models import Area, RoleAssignment

# Roles that carry out tasks: the grid up to the district, and responsible-unit handlers (承办单位经办人).
HANDLER_ROLES = [Role.GRID_WORKER, Role.GRID_LEADER, Role.BUILDING_HEAD, Role.UNIT_HEAD, Role.COMMUNITY_STAFF,
                 Role.COMMUNITY_SECRETARY, Role.STREET_OFFICIAL, Role.DISTRICT_OFFICIAL, Role.HANDLER]


def handler_candidates(area: Area, within_path: str) -> QuerySet[RoleAssignment]:
    """Roles whose holder may handle a matter at `area`: held at the place or above it (a street's law
    enforcement team covers the community), or anywhere under the screening level `within_path`."""
    return (RoleAssignment.objects
            .filter(Q(path__in=area.ancestor_paths()) | Q(path__startswith=within_path),
                    is_active=True, role__in=HANDLER_ROLES)
            .select_related("person", "area", "organization")
            .order_by("path", "role", "pk"))
