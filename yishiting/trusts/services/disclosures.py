"""The 业委会's quarterly disclosure of public income and its use, for estates without a trust fund: drafted
line by line by a 单位代表 of the estate's owners' committee, then published for good (草稿 → 已公开)."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext

from yishiting.areas.models import Area
from yishiting.common.errors import Conflict, DomainError, PermissionDeniedError
from yishiting.common.events import event_append
from yishiting.common.transitions import transition

from ..choices import DisclosureStatus, LineKind
from ..models import Disclosure, DisclosureLine, TrustFund
from ..rules import committee_of
from ..transitions import DISCLOSURE_TRANSITIONS
from .ledger import money, person_of


def _committee(actor, estate: Area):
    committee = committee_of(actor, estate)
    if committee is None:
        raise PermissionDeniedError(gettext("只有本小区业委会的代表可以编制公共收益公开表。"))
    return committee


@transaction.atomic
def disclosure_create(*, actor, estate: Area, year: int, quarter: int, note: str = "") -> Disclosure:
    """A draft for one quarter (event disclosure.drafted). An estate with a trust fund shows its ledger instead."""
    committee = _committee(actor, estate)
    if TrustFund.objects.filter(estate=estate).exists():
        raise Conflict("has_trust", gettext("该小区已实行信托制物业，收支在信托账目中公开。"))
    if quarter not in (1, 2, 3, 4) or not 2000 <= year <= timezone.localdate().year:
        raise DomainError("invalid_quarter", gettext("请选择年度和季度。"), details={"field": "quarter"})
    try:
        with transaction.atomic():
            disclosure = Disclosure.objects.create(estate=estate, path=estate.path, owners_committee=committee,
                                                   year=year, quarter=quarter, note=(note or "").strip()[:500],
                                                   created_by=person_of(actor))
    except IntegrityError:
        raise Conflict("quarter_exists", gettext("%(year)s年第%(quarter)s季度已有公开表。")
                       % {"year": year, "quarter": quarter}) from None
    event_append(subject=disclosure, kind="disclosure.drafted", actor=actor, new_subject=True,
                 payload={"year": year, "quarter": quarter})
    return disclosure


def _draft(actor, disclosure: Disclosure) -> Disclosure:
    _committee(actor, disclosure.estate)
    locked = Disclosure.objects.select_for_update().get(pk=disclosure.pk)
    if locked.status != DisclosureStatus.DRAFT:
        raise Conflict("published", gettext("公开表已公开，不能再修改。"))
    return locked


@transaction.atomic
def disclosure_line_add(*, actor, disclosure: Disclosure, kind: str, item: str, amount, description: str = "") -> DisclosureLine:
    locked = _draft(actor, disclosure)
    if kind not in LineKind.values:
        raise DomainError("invalid_choice", gettext("请选择公共收益或收益使用。"), details={"field": "kind"})
    item = (item or "").strip()[:100]
    if not item:
        raise DomainError("item_required", gettext("请填写项目。"), details={"field": "item"})
    return DisclosureLine.objects.create(disclosure=locked, kind=kind, item=item, amount=money(amount),
                                         description=(description or "").strip()[:300])


@transaction.atomic
def disclosure_publish(*, actor, disclosure: Disclosure) -> Disclosure:
    """草稿 → 已公开 (event disclosure.published): the estate's owners see it; it never changes again."""
    locked = _draft(actor, disclosure)
    if not locked.lines.exists():
        raise DomainError("empty", gettext("公开表还没有明细。"))
    totals = {kind: str(sum((line.amount for line in locked.lines.filter(kind=kind)), 0)) for kind in LineKind.values}
    return transition(locked, to=DisclosureStatus.PUBLISHED, actor=actor, table=DISCLOSURE_TRANSITIONS,
                      kind="disclosure.published", payload=totals, changes={"published_at": timezone.now()})
