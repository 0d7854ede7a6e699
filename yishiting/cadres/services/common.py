"""What the cadres services share: text checks, the actor's own archive, and the office check."""

from __future__ import annotations

from django.utils.translation import gettext

from yishiting.areas.models import Person
from yishiting.areas.selectors import person_of_user
from yishiting.common.errors import DomainError, PermissionDeniedError
from yishiting.common.rules import has_perm

from ..models import Cadre


def text(value: str, field: str, limit: int, *, required: bool = True) -> str:
    value = (value or "").strip()
    if required and not value:
        raise DomainError("required", gettext("请填写此项。"), details={"field": field})
    if len(value) > limit:
        raise DomainError("too_long", gettext("不能超过 %(limit)s 字。") % {"limit": limit}, details={"field": field})
    return value


def require_office(actor, obj) -> None:
    """The training office of `obj`'s area (a street's or the district's officials); no actor: imports, the demo."""
    if actor is not None and not has_perm(actor, "cadres.manage", obj):
        raise PermissionDeniedError(gettext("只有本辖区的街道、区级组织部门可以办理。"))


def own_cadre(actor, cadre: Cadre | None = None) -> Cadre:
    """The signed-in person's own archive (with no actor, the one named): cadres write only for themselves."""
    if actor is None and cadre is not None:
        return cadre
    person: Person | None = person_of_user(actor)
    found = Cadre.objects.filter(person_id=person.pk).select_related("person").first() if person else None
    if found is None:
        raise PermissionDeniedError(gettext("您还没有干部成长档案，不能办理此事。"))
    return found


def user_of(actor):
    return actor if getattr(actor, "pk", None) else None
