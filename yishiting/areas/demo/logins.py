"""The fixed demo logins: one account per persona, all with the same password (hashed once)."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.hashers import make_password

from yishiting.accounts.models import User
from yishiting.areas.choices import Role
from yishiting.areas.models import Area, RoleAssignment

# Meets the policy: 8+ characters of 3 classes (upper, lower, digit, symbol).
DEMO_PASSWORD = "Yishiting@2026"
PERSONAS: dict[str, str] = {
    "resident": Role.RESIDENT,
    "grid_worker": Role.GRID_WORKER,
    "community_staff": Role.COMMUNITY_STAFF,
    "community_secretary": Role.COMMUNITY_SECRETARY,
    "street_official": Role.STREET_OFFICIAL,
    "district_official": Role.DISTRICT_OFFICIAL,
    "handler": Role.HANDLER,
    "admin": Role.ADMIN,
}


@dataclass(frozen=True)
class Login:
    username: str
    password: str
    role: str
    area: str


def demo_user_ids(district: Area) -> set[int]:
    """Accounts that belong to the demo: linked to a person in the demo district."""
    return set(User.objects.filter(person__path__startswith=district.path).values_list("pk", flat=True))


def demo_users(*, keep_ids: set[int]) -> tuple[dict[str, User], list[str]]:
    """Create the persona accounts, or reset those a previous demo owned. An unrelated account that happens to
    have a persona's username is left untouched (and that persona gets no login), with a warning."""
    hashed = make_password(DEMO_PASSWORD)
    existing = {u.username: u for u in User.objects.filter(username__in=list(PERSONAS))}
    users: dict[str, User] = {}
    warnings: list[str] = []
    for username, role in PERSONAS.items():
        user = existing.get(username)
        if user is not None and user.pk not in keep_ids:
            warnings.append(f"账号“{username}”已存在且不属于演示数据，未作改动；该演示身份没有登录账号。")
            continue
        user = user or User(username=username)
        user.password = hashed
        user.is_active = True
        user.is_staff = user.is_superuser = role == Role.ADMIN
        user.save()
        users[username] = user
    return users, warnings


def demo_logins(district: Area) -> list[Login]:
    """The persona logins of the built demo, with the role and area each one holds."""
    assignments = (RoleAssignment.objects
                   .filter(person__user__username__in=list(PERSONAS), path__startswith=district.path, is_active=True)
                   .select_related("person__user", "area"))
    found = {(a.person.user.username, a.role): a for a in assignments}
    logins = []
    for username, role in PERSONAS.items():
        assignment = found.get((username, role))
        if assignment is not None:
            logins.append(Login(username, DEMO_PASSWORD, Role(role).label, assignment.area.full_name))
    return logins
