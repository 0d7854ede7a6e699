"""The fund's ledger: every line is written here, under the fund's row lock, with the running totals.

Remuneration is computed per income line (decided in docs/trusts.md): the contract in force on the income's date
gives the rate, the amount is rounded half up to the fen, and the line is posted in the same transaction as the
income, so the balance never shows income without its remuneration. A correction is a reversing line (and an
income's reversal reverses its remuneration too), posted under the 双密码 by services.reversals."""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.db import transaction
from django.utils.translation import gettext

from yishiting.areas.models import Person
from yishiting.common.errors import Conflict, DomainError, PermissionDeniedError
from yishiting.common.events import event_append

from ..choices import INCOME_CATEGORIES, Category, EntryKind
from ..models import Entry, TrustContract, TrustFund
from ..rules import may_keep

FEN = Decimal("0.01")
MAX_AMOUNT = Decimal("100000000")  # one line of a hundred million yuan is a typo
TOTALS = {EntryKind.INCOME: "income_total", EntryKind.REMUNERATION: "remuneration_total",
          EntryKind.EXPENSE: "expense_total"}


def money(raw, field: str = "amount") -> Decimal:
    """An amount in yuan to the fen: positive, at most two decimals (never rounded silently)."""
    try:
        value = raw if isinstance(raw, Decimal) else Decimal(str(raw).strip())
    except (InvalidOperation, ValueError):
        value = None
    if value is None or not value.is_finite() or value <= 0 or value >= MAX_AMOUNT or value != value.quantize(FEN):
        raise DomainError("invalid_amount", gettext("金额应为大于 0 的数，精确到分（最多两位小数）。"),
                          details={"field": field})
    return value.quantize(FEN)


def person_of(actor) -> Person:
    person = Person.objects.filter(user_id=actor.pk).first() if actor.is_authenticated else None
    if person is None:
        raise PermissionDeniedError(gettext("您的账号未关联人员信息。"))
    return person


def require_keeper(actor, fund: TrustFund) -> Person:
    if not may_keep(actor, fund):
        raise PermissionDeniedError(gettext("只有业委会和物业公司的授权人可以记账。"))
    return person_of(actor)


def lock_fund(fund: TrustFund) -> TrustFund:
    return TrustFund.objects.select_for_update().get(pk=fund.pk)


def contract_on(fund: TrustFund, day: date) -> TrustContract:
    contract = fund.contracts.filter(effective_from__lte=day).order_by("-effective_from").first()
    if contract is None:
        raise DomainError("no_contract", gettext("%(day)s 没有生效的信托合同，无法计算物业酬金。") % {"day": day},
                          details={"field": "booked_on"})
    return contract


def remuneration_of(amount: Decimal, rate: Decimal) -> Decimal:
    return (amount * rate / Decimal(100)).quantize(FEN, rounding=ROUND_HALF_UP)


def post(locked: TrustFund, *, kind: str, category: str, amount: Decimal, booked_on: date, note: str = "",
         person: Person | None = None, **links) -> Entry:
    """Append one line to a locked fund and move its totals (the CHECK constraints refuse a negative balance)."""
    sign = -1 if kind in (EntryKind.REMUNERATION, EntryKind.EXPENSE) else 1
    if locked.balance + sign * amount < 0:
        raise Conflict("insufficient_balance", gettext("基金余额 %(balance)s 元，不足以支付 %(amount)s 元。")
                       % {"balance": locked.balance, "amount": abs(amount)})
    locked.entry_count += 1
    total = TOTALS[kind]
    setattr(locked, total, getattr(locked, total) + amount)
    locked.balance += sign * amount
    locked.save(update_fields=["entry_count", total, "balance"])
    entry = Entry.objects.create(fund=locked, seq=locked.entry_count, kind=kind, category=category, amount=amount,
                                 booked_on=booked_on, note=note[:300], posted_by=person, **links)
    event_append(subject=entry, kind=f"trust_entry.{kind}", actor=getattr(person, "user", None), new_subject=True,
                 payload={"fund": locked.pk, "seq": entry.seq, "amount": str(amount), "category": category,
                          "reverses": links["reverses"].pk if links.get("reverses") else None})
    return entry


def _day(value) -> date:
    if not isinstance(value, date):
        raise DomainError("invalid_date", gettext("请填写记账日期。"), details={"field": "booked_on"})
    return value


@transaction.atomic
def income_post(*, actor, fund: TrustFund, category: str, amount, booked_on: date, note: str = "") -> Entry:
    """An income line (物业费 or public income) and, computed from the contract in force that day, the property
    company's remuneration line — both in one transaction (events trust_entry.income, trust_entry.remuneration)."""
    person = require_keeper(actor, fund)
    if category not in INCOME_CATEGORIES:
        raise DomainError("invalid_category", gettext("请选择收入类别。"), details={"field": "category"})
    amount, booked_on = money(amount), _day(booked_on)
    if booked_on < fund.opened_on:
        raise DomainError("before_opening", gettext("记账日期早于基金设立日期。"), details={"field": "booked_on"})
    contract = contract_on(fund, booked_on)
    locked = lock_fund(fund)
    income = post(locked, kind=EntryKind.INCOME, category=category, amount=amount, booked_on=booked_on,
                  note=note.strip(), person=person)
    share = remuneration_of(amount, contract.rate)
    if share > 0:
        post(locked, kind=EntryKind.REMUNERATION, category=Category.REMUNERATION, amount=share, booked_on=booked_on,
             note=f"按 {contract.rate}% 提取", person=person, income=income,  # zh-only: a stored ledger line
             contract=contract)
    return income
