"""Reversing a ledger line (冲正) under the 双密码, like an expense: an authorised person of either side requests it
with a reason (event reversal.requested); each side approves or refuses for their side (services.dual); the
second approval posts the reversing line(s) in the same transaction (event reversal.posted), a refusal ends the
request (a new one may follow). One side alone can never reverse a line.

The reversing line is booked on the day it is posted (past statements stay as they were); reversing an income
reverses its remuneration too; a line is reversed at most once (`Entry.reverses` is one-to-one) and at most one
request waits per line (`reversal_one_pending`)."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from yishiting.common.errors import Conflict
from yishiting.common.events import event_append

from ..choices import EntryKind, ReversalStatus
from ..models import Entry, Reversal
from ..transitions import REVERSAL_TRANSITIONS
from . import dual
from .dual import Dual, required_text, tell_signatories
from .ledger import lock_fund, post, require_keeper

REVERSALS = Dual(
    model=Reversal, field="reversal", table=REVERSAL_TRANSITIONS, pending=ReversalStatus.PENDING,
    settled=ReversalStatus.POSTED, refused=ReversalStatus.REFUSED, page="web:trust_reversal",
    not_signatory=lambda: gettext("只有业委会和物业公司的授权人可以审批冲正。"),
    closed=lambda r: gettext("该冲正申请已%(status)s，不能再审批。") % {"status": r.get_status_display()},
    waiting=lambda r, side: gettext("%(side)s已同意冲正第 %(seq)s 笔账目，待另一方审批。")
    % {"side": side, "seq": r.entry.seq},
    refusal=lambda r, side, reason: gettext("%(side)s拒绝了冲正第 %(seq)s 笔账目（%(reason)s）。")
    % {"side": side, "seq": r.entry.seq, "reason": reason},
)


def _reversible(entry: Entry) -> None:
    if entry.reverses_id or entry.kind == EntryKind.REMUNERATION:
        raise Conflict("not_reversible", gettext("冲正行和物业酬金行不能单独冲正（冲正收入时酬金随之冲正）。"))
    if Entry.objects.filter(reverses=entry).exists():
        raise Conflict("already_reversed", gettext("该笔账目已冲正。"))


@transaction.atomic
def reversal_request(*, actor, entry: Entry, reason: str) -> Reversal:
    """A request waiting for both sides (event reversal.requested); both sides' authorised persons are told."""
    person = require_keeper(actor, entry.fund)
    reason = required_text(reason, "reason", 200, gettext("请写明冲正原因。"))
    _reversible(entry)
    try:
        with transaction.atomic():
            request = Reversal.objects.create(fund=entry.fund, path=entry.fund.path, entry=entry, reason=reason,
                                              requested_by=person)
    except IntegrityError:
        raise Conflict("reversal_pending", gettext("该笔账目已有待审批的冲正申请。")) from None
    event_append(subject=request, kind="reversal.requested", actor=actor, new_subject=True,
                 payload={"fund": entry.fund_id, "entry": entry.pk, "seq": entry.seq, "reason": reason})
    tell_signatories(entry.fund, gettext("%(fund)s有一笔冲正申请待审批：第 %(seq)s 笔（%(reason)s）。")
                     % {"fund": entry.fund.name, "seq": entry.seq, "reason": reason},
                     reverse("web:trust_reversal", args=[request.pk]), request, but=person)
    return request


def _post(locked: Reversal, person) -> dict:
    """The reversing line(s), under the fund's lock: the remuneration comes back first, so the balance never dips
    below zero on the way."""
    entry = locked.entry
    fund = lock_fund(locked.fund)
    _reversible(entry)
    note, today = f"冲正第 {entry.seq} 笔：{locked.reason}", timezone.localdate()  # zh-only: a stored ledger line
    share = Entry.objects.filter(income=entry).first()
    try:
        with transaction.atomic():
            if share is not None:
                post(fund, kind=share.kind, category=share.category, amount=-share.amount, booked_on=today,
                     note=note, person=person, reverses=share)
            line = post(fund, kind=entry.kind, category=entry.category, amount=-entry.amount, booked_on=today,
                        note=note, person=person, reverses=entry)
    except IntegrityError:
        raise Conflict("already_reversed", gettext("该笔账目已冲正。")) from None
    return {"line": line}


@transaction.atomic
def reversal_approve(*, actor, reversal: Reversal, note: str = "") -> Reversal:
    """One side approves (event reversal.approved); with both sides' approval the reversing line is posted
    (待双方审批 → 已冲正), or — the balance cannot take it — nothing at all changes."""
    return dual.approve(REVERSALS, actor=actor, subject=reversal, note=note, settle=_post)


@transaction.atomic
def reversal_refuse(*, actor, reversal: Reversal, reason: str) -> Reversal:
    """One side refuses (event reversal.refused, 待双方审批 → 已拒绝): the line stays as it is."""
    return dual.refuse(REVERSALS, actor=actor, subject=reversal, reason=reason)
