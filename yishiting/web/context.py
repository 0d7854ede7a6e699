"""What every page's header needs: who is signed in (masked), which roles they hold, and the navigation."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from yishiting.areas.models import Person
from yishiting.areas.selectors import person_for_user, roles_of_user
from yishiting.common.masking import mask_name
from yishiting.common.rules import has_perm


@dataclass(frozen=True)
class NavItem:
    label: str
    url: str
    active: bool = False


@dataclass
class Viewer:
    display_name: str
    person: Person | None = None
    roles: list = field(default_factory=list)

    @property
    def role_labels(self) -> list[str]:
        return [f"{r.get_role_display()} · {r.area.name}" for r in self.roles]


def viewer_for(request: HttpRequest) -> Viewer | None:
    """The signed-in user as the header shows them; computed once per request."""
    user = request.user
    if not user.is_authenticated:
        return None
    cached = getattr(request, "_yishiting_viewer", None)
    if cached is None:
        person = person_for_user(user)
        name = mask_name(person.name) if person else user.get_username()
        cached = Viewer(display_name=name, person=person, roles=list(roles_of_user(user)))
        request._yishiting_viewer = cached
    return cached


def _nav_items(request: HttpRequest) -> list[NavItem]:
    user = request.user
    current = getattr(request.resolver_match, "url_name", "") or ""
    items = [NavItem(_("首页"), reverse("web:home"), current == "home")]
    if has_perm(user, "areas.view"):
        items.append(NavItem(_("区域"), reverse("web:area_index"), current.startswith("area")))
    items.append(NavItem(_("接口令牌"), reverse("web:tokens"), current.startswith("token")))
    if user.is_staff:
        items.append(NavItem(_("后台管理"), reverse("admin:index")))
    return items


def navigation(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    match = getattr(request, "resolver_match", None)
    # The admin has its own header; skip the queries there.
    if user is None or not user.is_authenticated or (match and match.namespace == "admin"):
        return {"viewer": None, "nav_items": []}
    return {"viewer": viewer_for(request), "nav_items": _nav_items(request)}
