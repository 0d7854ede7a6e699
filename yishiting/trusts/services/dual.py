"""The 双密码 itself, for every subject that moves money: an expense (services.expenses) and a reversal of a ledger
line (services.reversals). Each side's authorised person approves or refuses once for their side (`Approval`, an
event of the subject); the second approval settles the subject — pays the expense, posts the reversing line — in
the same transaction; a refusal by either side ends it.

Locks: the subject's row first, then (to settle) the fund's — always in that order; postings lock only the fund.
So two decisions on one subject serialize: both sides approving at once settle once, one side's two phones decide
once (`side_decided`), and a refusal racing the settling approval leaves exactly one outcome (`<subject>_closed`
for the loser). A settlement that fails (the balance too low) raises, and nothing changes: not even the approval."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from yishiting.common.errors import Conflict, DomainError, PermissionDeniedError
from yishiting.common.events import event_append
from yishiting.common.transitions import transition
from yishiting.notifications.services import notify_many

from ..choices import Decision, Side
from ..models import Approval, Signatory, TrustFund
from ..rules import side_of
from .ledger import person_of


def required_text(raw: str, field: str, limit: int, message: str) -> str:
    text = (raw or "").strip()[:limit]
    if not text:
        raise DomainError(f"{field}_required", message, details={"field": field})
    return text


def tell_signatories(fund: TrustFund, text: str, link: str, subject, but=None) -> None:
    people = [s.person for s in Signatory.objects.filter(fund=fund, is_active=True).select_related("person")
              if s.person_id != getattr(but, "pk", None)]
    notify_many(people=people, text=text, link=link, subject=subject)


@dataclass(frozen=True)
class Dual:
    """What differs between the subjects under the 双密码; the rest is the functions below."""

    model: type[models.Model]
    field: str  # the subject's foreign key on Approval, and the prefix of its events (expense.approved, …)
    table: dict[str, set[str]]
    pending: str
    settled: str  # the status after both sides approved (event <field>.<settled>)
    refused: str  # the status after a refusal (event <field>.closed)
    page: str  # the subject's page (url name), linked from the notifications
    not_signatory: Callable[[], str]
    closed: Callable[[Any], str]  # the subject is no longer pending
    waiting: Callable[[Any, str], str]  # one side approved (subject, side label)
    refusal: Callable[[Any, str, str], str]  # one side refused (subject, side label, reason)


def _decide(dual: Dual, actor, subject, decision: str, note: str):
    side = side_of(actor, subject.fund)
    if side is None:
        raise PermissionDeniedError(dual.not_signatory())
    person = person_of(actor)
    locked = dual.model.objects.select_for_update().select_related("fund").get(pk=subject.pk)
    if locked.status != dual.pending:
        raise Conflict(f"{dual.field}_closed", dual.closed(locked))
    if Approval.objects.filter(**{dual.field: locked}, side=side).exists():
        raise Conflict("side_decided", gettext("%(side)s已对此表态。") % {"side": Side(side).label})
    Approval.objects.create(**{dual.field: locked}, side=side, person=person, decision=decision, note=note[:300])
    event_append(subject=locked, kind=f"{dual.field}.{'approved' if decision == Decision.APPROVE else 'refused'}",
                 actor=actor, payload={"side": side, "note": note[:300]})
    return locked, side


def approve(dual: Dual, *, actor, subject, note: str, settle: Callable[[Any, Any], dict]):
    """One side approves. With both sides' approval `settle(locked subject, person)` moves the money (it locks the
    fund and posts; it returns the subject's fields to change with the status) — in the caller's transaction."""
    locked, side = _decide(dual, actor, subject, Decision.APPROVE, (note or "").strip())
    sides = set(Approval.objects.filter(**{dual.field: locked}, decision=Decision.APPROVE)
                .values_list("side", flat=True))
    if sides != set(Side.values):
        tell_signatories(locked.fund, dual.waiting(locked, Side(side).label), reverse(dual.page, args=[locked.pk]),
                         locked)
        return locked
    changes = settle(locked, person_of(actor))
    return transition(locked, to=dual.settled, actor=actor, table=dual.table, kind=f"{dual.field}.{dual.settled}",
                      changes={"decided_at": timezone.now(), **changes})


def refuse(dual: Dual, *, actor, subject, reason: str):
    """One side refuses: the subject is closed (event <field>.closed), no money moves."""
    reason = required_text(reason, "reason", 300, gettext("请写明拒绝理由。"))
    locked, side = _decide(dual, actor, subject, Decision.REFUSE, reason)
    done = transition(locked, to=dual.refused, actor=actor, table=dual.table, kind=f"{dual.field}.closed",
                      changes={"decided_at": timezone.now()})
    tell_signatories(done.fund, dual.refusal(done, Side(side).label, reason), reverse(dual.page, args=[done.pk]), done)
    return done
