"""Named permission predicates with scope.

A permission (e.g. "areas.view", later "demands.screen") is granted to roles, each with a scope kind:
- SUBTREE: the area the role is held at and everything under it;
- COMMUNITY: the whole community (or village) containing the role's area — what a resident may see;
- OWN: only the person's own records (selectors decide what "own" means for their model);
- ORGANIZATION: records of the organization the role is held for (a handler's unit).
A superuser, or an ADMIN role at an area (SUBTREE), has every permission there.
An optional `check(user, obj)` adds conditions beyond scope (phase, ownership) for object checks.

`scope_for(user, name)` returns a Scope; selectors turn it into a queryset filter with `Scope.q(...)`;
`has_perm(user, name, obj)` answers for one object (one with a `scope_path`, or an Area). Web and API both
call these with the same names.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from enum import Enum

from django.db.models import Q

from .localcache import LocalCache


class ScopeKind(Enum):
    SUBTREE = "subtree"
    COMMUNITY = "community"
    OWN = "own"
    ORGANIZATION = "organization"


@dataclass
class Permission:
    name: str
    label: str
    grants: dict[str, ScopeKind]
    check: Callable | None = None


REGISTRY: dict[str, Permission] = {}


def register(name: str, label: str, grants: dict[str, ScopeKind], check: Callable | None = None) -> Permission:
    REGISTRY[name] = Permission(name, label, dict(grants), check)
    return REGISTRY[name]


@dataclass
class Scope:
    everything: bool = False
    paths: AbstractSet[str] = field(default_factory=frozenset)
    own_person_id: int | None = None
    organization_ids: AbstractSet[int] = field(default_factory=frozenset)

    @property
    def empty(self) -> bool:
        return not (self.everything or self.paths or self.own_person_id or self.organization_ids)

    def minimal_paths(self) -> list[str]:
        """Drop paths already covered by a shorter one, so filters stay small."""
        kept: list[str] = []
        for path in sorted(self.paths, key=len):
            if not any(path.startswith(p) for p in kept):
                kept.append(path)
        return sorted(kept)

    def covers_path(self, path: str | None) -> bool:
        if self.everything:
            return True
        return bool(path) and any(path.startswith(p) for p in self.paths)

    def q(self, path_field: str = "path", own: Q | None = None, organization: Q | None = None) -> Q:
        """A filter for a queryset: rows in scope. `own`/`organization` say what those scopes mean here."""
        if self.everything:
            return Q()
        query = Q(pk__in=[])
        for path in self.minimal_paths():
            query |= Q(**{f"{path_field}__startswith": path})
        if self.own_person_id and own is not None:
            query |= own
        if self.organization_ids and organization is not None:
            query |= organization
        return query


def _community_depth() -> int:
    from yishiting.areas.selectors import community_depth

    return community_depth()


class RoleSet(tuple):
    """A user's active role assignments as the process keeps them, with the scopes computed from them so far
    (`scopes`: permission name and community depth → Scope): shared between requests while the roles are
    kept, so a page's forty permission checks cost a dictionary lookup each after the first page."""

    scopes: dict


def _load_roles(user_id: int) -> RoleSet:
    from yishiting.areas.models import RoleAssignment

    roles = RoleSet(RoleAssignment.objects.filter(person__user_id=user_id, is_active=True)
                    .only("role", "path", "organization_id", "person_id"))
    roles.scopes = {}
    return roles


def _roles_cache() -> LocalCache:
    global _roles
    if _roles is None:
        from yishiting.areas.models import Person, RoleAssignment

        _roles = LocalCache("active_roles", _load_roles, watch=(RoleAssignment, Person), ttl=ROLES_CACHE_SECONDS)
    return _roles


# Every permission check starts from the caller's roles. They are kept per process for ROLES_CACHE_SECONDS
# (common.localcache): assigning or revoking a role (or saving a person) clears them at once in the process
# that did it, and other server processes follow within ROLES_CACHE_SECONDS.
ROLES_CACHE_SECONDS = 10.0
_roles: LocalCache | None = None


def active_roles(user) -> Sequence:
    """The user's active role assignments: the process's kept, read-only tuple (shared between requests; never
    copy or change it), also kept on the user object for the request."""
    if not getattr(user, "is_authenticated", False):
        return ()
    return _role_set(user)


def _role_set(user) -> RoleSet:
    """The process's RoleSet of an authenticated user, kept on the user object for the request."""
    cached = getattr(user, "_yishiting_roles", None)
    if cached is None:
        cached = user._yishiting_roles = _roles_cache().get(user.pk)
    return cached


# Read grants beyond roles, in this one place: an app registers a provider (user → area paths) for named read
# permissions, and every page and API that checks those names honours it alike. liaison's 挂点联系: a leader
# linked to a community reads its matters while the link is in force, even where no role of theirs reaches.
_GRANTS: dict[str, Callable] = {}


def register_grant(names: list[str], provider: Callable) -> None:
    """`provider(user)` returns the paths granted to `user` today for each permission in `names`."""
    for name in names:
        _GRANTS[name] = provider


def scope_for(user, name: str) -> Scope:
    """Where `user` holds `name`: from their roles (computed once per kept RoleSet) and the grants. Read only: the
    scope from roles is shared between requests (its sets are frozen)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Scope()
    if user.is_superuser:
        return Scope(everything=True)
    roles = _role_set(user)
    key = (name, _community_depth())
    scope = roles.scopes.get(key)
    if scope is None:
        scope = roles.scopes[key] = _scope_from_roles(roles, REGISTRY[name])
    grant = _GRANTS.get(name)
    granted = grant(user) if grant is not None else ()
    if not granted:
        return scope
    return Scope(paths=scope.paths | frozenset(granted), own_person_id=scope.own_person_id,
                 organization_ids=scope.organization_ids)


def _scope_from_roles(roles: RoleSet, permission: Permission) -> Scope:
    from yishiting.areas.choices import Role

    paths, organizations, own = set(), set(), None
    for assignment in roles:
        kind = ScopeKind.SUBTREE if assignment.role == Role.ADMIN else permission.grants.get(assignment.role)
        if kind is ScopeKind.SUBTREE:
            paths.add(assignment.path)
        elif kind is ScopeKind.COMMUNITY:
            paths.add(assignment.path[: _community_depth() * 4] or assignment.path)
        elif kind is ScopeKind.OWN:
            own = assignment.person_id
        elif kind is ScopeKind.ORGANIZATION and assignment.organization_id:
            organizations.add(assignment.organization_id)
    return Scope(paths=frozenset(paths), own_person_id=own, organization_ids=frozenset(organizations))


def has_perm(user, name: str, obj=None) -> bool:
    """May `user` do `name` (on `obj`, if given)? Without obj: anywhere at all."""
    scope = scope_for(user, name)
    if obj is None:
        return not scope.empty
    if not _in_scope(scope, obj):
        return False
    check = REGISTRY[name].check
    return check(user, obj) if check else True


def _in_scope(scope: Scope, obj) -> bool:
    if scope.covers_path(getattr(obj, "scope_path", None)):
        return True
    if scope.own_person_id and scope.own_person_id in _owner_person_ids(obj):
        return True
    org_id = getattr(obj, "organization_id", None)
    if obj.__class__.__name__ == "Organization":
        org_id = obj.pk
    return bool(scope.organization_ids and org_id in scope.organization_ids)


def _owner_person_ids(obj) -> set[int]:
    owners = getattr(obj, "owner_person_ids", None)
    return set(owners()) if callable(owners) else set()
