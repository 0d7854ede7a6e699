"""Helpers shared by the mediation services: locking a case, its one `transition`, input checks, tiers."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from yishiting.areas.models import Area
from yishiting.areas.selectors import community_depth
from yishiting.common.errors import Conflict, DomainError, PermissionDeniedError
from yishiting.common.transitions import transition

from ..choices import CaseStatus, Tier
from ..models import MediationCase, MediationCommittee
from ..rules import may_manage_case, may_mediate, may_view_case
from ..transitions import CASE_TRANSITIONS

PATH_STEP = 4
MAX_TEXT = 5000


def text(value: str | None, field: str, message: str | None = None, *, required: bool = True,
         limit: int = MAX_TEXT) -> str:
    value = (value or "").strip()
    if required and not value:
        raise DomainError("required", message or _("请填写此项。"), details={"field": field})
    if len(value) > limit:
        raise DomainError("too_long", _("内容不能超过 %(limit)s 字。") % {"limit": limit}, details={"field": field})
    return value


def lock(case: MediationCase) -> MediationCase:
    """The case's row, locked for the rest of the transaction: every write to a case starts here, so two
    mediators working the same case at once are served one after the other, and the second sees the first."""
    return (MediationCase.objects.select_for_update(of=("self",))
            .select_related("area", "tier_area", "committee").get(pk=case.pk))


def move(case: MediationCase, *, to: str, actor, kind: str, payload: dict[str, Any] | None = None,
         changes: dict[str, Any] | None = None) -> MediationCase:
    """The one way a case changes status (CASE_TRANSITIONS); appends the event `kind`."""
    return transition(case, to=to, actor=actor, table=CASE_TRANSITIONS, kind=kind, payload=payload,
                      changes=changes)


def require_view(actor, case: MediationCase) -> None:
    if not may_view_case(actor, case):
        raise PermissionDeniedError(_("您不是该调解案件的当事人、调解员或督导人员。"))


def require_mediator(actor, case: MediationCase) -> None:
    if not may_mediate(actor, case):
        raise PermissionDeniedError(_("只有该案件的调解员（或本辖区社区两委、街道和区级干部）可以办理。"))


def require_manager(actor, case: MediationCase) -> None:
    if not may_manage_case(actor, case):
        raise PermissionDeniedError(_("只有本辖区的社区两委、街道和区级干部可以办理此事项。"))


def require_status(case: MediationCase, *allowed: str) -> None:
    if case.status not in allowed:
        raise Conflict("invalid_state", _("案件当前为“%(status)s”，不能办理此事项。")
                       % {"status": case.get_status_display()}, details={"status": case.status})


def require_open(case: MediationCase) -> None:
    require_status(case, CaseStatus.OPEN, CaseStatus.MEDIATING, CaseStatus.AGREED)


def start_tier(area: Area) -> int:
    """The tier a case starts at: the community's (初调) for a place in a community, the street's for a matter
    screened at the street, the district's above that."""
    depth = len(area.path) // PATH_STEP
    return min(max(1 + community_depth() - depth, Tier.COMMUNITY), Tier.DISTRICT)


def tier_area(area: Area, tier: int) -> Area:
    """The area answering for `tier` of a case at `area`: its community, that community's street, the district
    (the highest area above when the tree is shallower)."""
    depth = max(community_depth() - (tier - 1), 1)
    path = area.path[: depth * PATH_STEP] if len(area.path) >= depth * PATH_STEP else area.path
    return Area.objects.select_related("level").get(path=path)


def committee_for(area: Area) -> MediationCommittee | None:
    """The committee of `area` or the nearest one above it."""
    return (MediationCommittee.objects.filter(path__in=area.ancestor_paths()).order_by("-path").first())
