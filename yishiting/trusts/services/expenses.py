"""Expenses under the 双密码: proposed with vouchers by an authorised person, approved or refused by each side;
the second approval pays (the ledger line is written in the same transaction), a refusal ends it — the 双密码 of
services.dual, shared with reversals.

Two decisions on one expense serialize on the expense's row lock (then the fund's, when paying): of two approvals
racing, or a refusal racing an approval, exactly one outcome stands and the other is told what happened."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from yishiting.common.errors import Conflict, DomainError
from yishiting.common.events import event_append

from ..choices import EXPENSE_CATEGORIES, EntryKind, ExpenseStatus
from ..models import Expense, ServiceRecord, TrustFund, Voucher
from ..transitions import EXPENSE_TRANSITIONS
from . import dual
from .dual import Dual
from .dual import required_text as _text
from .dual import tell_signatories as _tell_signatories
from .ledger import lock_fund, money, post, require_keeper

MAX_VOUCHERS = 9


@transaction.atomic
def expense_propose(*, actor, fund: TrustFund, category: str, supplier: str, amount, description: str,
                    photos: list[bytes] | tuple = (), corrects: Expense | None = None) -> Expense:
    """A new expense waiting for both sides (event expense.proposed); at least one voucher scan. A corrected
    expense names the refused one it replaces."""
    from yishiting.demands.photos import clean_photos, stored_photo_fields

    person = require_keeper(actor, fund)
    if category not in EXPENSE_CATEGORIES:
        raise DomainError("invalid_category", gettext("请选择支出类别。"), details={"field": "category"})
    supplier = _text(supplier, "supplier", 100, gettext("请填写收款方。"))
    description = _text(description, "description", 300, gettext("请写明用途。"))
    amount = money(amount)
    if corrects is not None and (corrects.fund_id != fund.pk or corrects.status != ExpenseStatus.REFUSED):
        raise Conflict("not_correctable", gettext("只能更正本基金已被拒绝的支出。"))
    clean = clean_photos(list(photos)[: MAX_VOUCHERS + 1])
    if not clean:
        raise DomainError("voucher_required", gettext("请上传至少一张凭证（发票、收据或合同）。"), details={"field": "photos"})
    expense = Expense.objects.create(fund=fund, path=fund.path, category=category, supplier=supplier, amount=amount,
                                     description=description, proposed_by=person, corrects=corrects)
    for photo in clean:
        Voucher.objects.create(expense=expense, **stored_photo_fields(photo))
    event_append(subject=expense, kind="expense.proposed", actor=actor, new_subject=True,
                 payload={"fund": fund.pk, "amount": str(amount), "vouchers": len(clean),
                          "corrects": corrects.pk if corrects else None})
    _tell_signatories(fund, gettext("%(fund)s有一笔支出待审批：%(supplier)s %(amount)s 元。")
                      % {"fund": fund.name, "supplier": supplier, "amount": amount},
                      reverse("web:trust_expense", args=[expense.pk]), expense, but=person)
    return expense


EXPENSES = Dual(
    model=Expense, field="expense", table=EXPENSE_TRANSITIONS, pending=ExpenseStatus.PENDING,
    settled=ExpenseStatus.PAID, refused=ExpenseStatus.REFUSED, page="web:trust_expense",
    not_signatory=lambda: gettext("只有业委会和物业公司的授权人可以审批支出。"),
    closed=lambda x: gettext("该支出已%(status)s，不能再审批。") % {"status": x.get_status_display()},
    waiting=lambda x, side: gettext("%(side)s已同意支出：%(supplier)s %(amount)s 元，待另一方审批。")
    % {"side": side, "supplier": x.supplier, "amount": x.amount},
    refusal=lambda x, side, reason: gettext("%(side)s拒绝了支出：%(supplier)s %(amount)s 元（%(reason)s）。")
    % {"side": side, "supplier": x.supplier, "amount": x.amount, "reason": reason},
)


def _pay(locked: Expense, person) -> dict:
    fund = lock_fund(locked.fund)
    post(fund, kind=EntryKind.EXPENSE, category=locked.category, amount=locked.amount, booked_on=timezone.localdate(),
         note=f"{locked.supplier}：{locked.description}",  # zh-only: a stored ledger line
         person=person, expense=locked)
    return {}


@transaction.atomic
def expense_approve(*, actor, expense: Expense, note: str = "") -> Expense:
    """One side approves (event expense.approved). With both sides' approval the expense is paid: 待双方审批 →
    已支付 and the expense line written, or — the balance too low — nothing at all changes."""
    return dual.approve(EXPENSES, actor=actor, subject=expense, note=note, settle=_pay)


@transaction.atomic
def expense_refuse(*, actor, expense: Expense, reason: str) -> Expense:
    """One side refuses (events expense.refused, status 待双方审批 → 已拒绝): no money moves; a corrected expense
    may be proposed anew."""
    return dual.refuse(EXPENSES, actor=actor, subject=expense, reason=reason)


@transaction.atomic
def service_record_add(*, actor, fund: TrustFund, what: str, done_on: date, description: str = "",
                       expense: Expense | None = None) -> ServiceRecord:
    """A service done for the estate, with the expense that paid it (event trust_service.recorded)."""
    person = require_keeper(actor, fund)
    what = _text(what, "what", 100, gettext("请填写服务内容。"))
    if not isinstance(done_on, date) or done_on > timezone.localdate():
        raise DomainError("invalid_date", gettext("请填写服务日期（不能晚于今天）。"), details={"field": "done_on"})
    if expense is not None and expense.fund_id != fund.pk:
        raise DomainError("invalid_expense", gettext("只能关联本基金的支出。"), details={"field": "expense"})
    record = ServiceRecord.objects.create(fund=fund, path=fund.path, what=what, done_on=done_on, expense=expense,
                                          description=(description or "").strip()[:500], recorded_by=person)
    event_append(subject=record, kind="trust_service.recorded", actor=actor, new_subject=True,
                 payload={"fund": fund.pk, "expense": expense.pk if expense else None})
    return record
