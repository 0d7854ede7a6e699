"""Races on PostgreSQL (SQLite serializes every write, so there is no race there): many postings at once keep
balance = income − remuneration − expenses; the two sides approving at once pay once; one side's two phones decide
once; a refusal racing the approval that would pay: exactly one outcome. The same for reversals (the same 双密码:
services.dual)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from yishiting.common.errors import Conflict
from yishiting.common.testing import race
from yishiting.trusts import selectors
from yishiting.trusts import services as trust
from yishiting.trusts.choices import EntryKind, ExpenseStatus, ReversalStatus
from yishiting.trusts.models import Entry, Expense, Reversal, TrustFund

from .world import build_cast, voucher

pytestmark = [pytest.mark.django_db(transaction=True, serialized_rollback=True), pytest.mark.races]


def _expense(cast, amount: str) -> Expense:
    return trust.expense_propose(actor=cast.user("trust_company"), fund=cast.fund, category="repair",
                                 supplier="历下管道疏通队", amount=amount, description="疏通下水道", photos=[voucher()])


def test_concurrent_postings_keep_the_balance_equal_to_the_ledger(world):
    cast = build_cast(world)
    trust.income_post(actor=cast.user("trust_company"), fund=cast.fund, category="property_fee",
                      amount="1000.00", booked_on=date(2026, 2, 1))  # balance 900.00
    expenses = [_expense(cast, "100.00") for _ in range(4)]
    for x in expenses:
        trust.expense_approve(actor=cast.user("trust_company"), expense=x)

    def income(amount: str):
        return lambda: trust.income_post(actor=cast.user("trust_company"), fund=TrustFund.objects.get(pk=cast.fund.pk),
                                         category="parking", amount=amount, booked_on=date(2026, 2, 2))

    def pay(x: Expense):
        return lambda: trust.expense_approve(actor=cast.user("trust_committee"), expense=Expense.objects.get(pk=x.pk))

    outcomes = race([income("33.33"), income("66.67"), income("10.01"), *[pay(x) for x in expenses]])
    assert not [o for o in outcomes if isinstance(o, Exception)], outcomes
    fund = TrustFund.objects.get(pk=cast.fund.pk)
    sums = selectors.ledger_sums(fund)
    assert fund.income_total == sums[EntryKind.INCOME] == Decimal("1110.01")
    assert fund.remuneration_total == sums[EntryKind.REMUNERATION] == Decimal("111.00")  # 100 + 3.33 + 6.67 + 1.00
    assert fund.expense_total == sums[EntryKind.EXPENSE] == Decimal("400.00")
    assert fund.balance == fund.income_total - fund.remuneration_total - fund.expense_total == Decimal("599.01")
    assert sorted(Entry.objects.filter(fund=fund).values_list("seq", flat=True)) == list(range(1, fund.entry_count + 1))


def test_the_two_sides_approving_at_once_pay_once(world):
    cast = build_cast(world)
    trust.income_post(actor=cast.user("trust_company"), fund=cast.fund, category="property_fee",
                      amount="1000.00", booked_on=date(2026, 2, 1))
    x = _expense(cast, "300.00")
    outcomes = race([lambda n=name: trust.expense_approve(actor=cast.user(n), expense=Expense.objects.get(pk=x.pk))
                     for name in ("trust_committee", "trust_company")])
    assert all(isinstance(o, Expense) for o in outcomes), outcomes
    x.refresh_from_db()
    assert x.status == ExpenseStatus.PAID and Entry.objects.filter(expense=x).count() == 1
    assert TrustFund.objects.get(pk=cast.fund.pk).balance == Decimal("600.00")


def test_one_side_deciding_twice_at_once_counts_once(world):
    cast = build_cast(world)
    x = _expense(cast, "10.00")
    outcomes = race([lambda: trust.expense_approve(actor=cast.user("trust_committee"), expense=Expense.objects.get(pk=x.pk))
                     for _ in range(2)])
    assert sorted(type(o).__name__ for o in outcomes) == ["Conflict", "Expense"], outcomes
    assert next(o for o in outcomes if isinstance(o, Conflict)).code == "side_decided"
    assert x.approvals.count() == 1


def test_a_refusal_racing_the_paying_approval_has_exactly_one_outcome(world):
    cast = build_cast(world)
    trust.income_post(actor=cast.user("trust_company"), fund=cast.fund, category="property_fee",
                      amount="1000.00", booked_on=date(2026, 2, 1))
    x = _expense(cast, "300.00")
    trust.expense_approve(actor=cast.user("trust_company"), expense=x)
    # the committee's two authorised phones: one approves (which would pay), the other refuses
    outcomes = race([
        lambda: trust.expense_approve(actor=cast.user("trust_committee"), expense=Expense.objects.get(pk=x.pk)),
        lambda: trust.expense_refuse(actor=cast.user("trust_committee"), expense=Expense.objects.get(pk=x.pk),
                                     reason="价格偏高"),
    ])
    won = [o for o in outcomes if isinstance(o, Expense)]
    lost = [o for o in outcomes if isinstance(o, Conflict)]
    assert len(won) == 1 and len(lost) == 1, outcomes
    x.refresh_from_db()
    paid = Entry.objects.filter(expense=x).count()
    assert (x.status, paid) in {(ExpenseStatus.PAID, 1), (ExpenseStatus.REFUSED, 0)}
    assert lost[0].code in {"expense_closed", "side_decided"}


def _reversal(cast) -> Reversal:
    wrong = trust.income_post(actor=cast.user("trust_company"), fund=cast.fund, category="parking",
                              amount="500.00", booked_on=date(2026, 2, 1))
    return trust.reversal_request(actor=cast.user("trust_company"), entry=wrong, reason="金额录错")


def test_the_two_sides_approving_a_reversal_at_once_post_it_once(world):
    cast = build_cast(world)
    r = _reversal(cast)
    outcomes = race([lambda n=name: trust.reversal_approve(actor=cast.user(n), reversal=Reversal.objects.get(pk=r.pk))
                     for name in ("trust_committee", "trust_company")])
    assert all(isinstance(o, Reversal) for o in outcomes), outcomes
    r.refresh_from_db()
    assert r.status == ReversalStatus.POSTED and Entry.objects.filter(reverses=r.entry).count() == 1
    fund = TrustFund.objects.get(pk=cast.fund.pk)
    assert (fund.balance, fund.entry_count) == (Decimal("0.00"), 4)
    assert selectors.ledger_sums(fund)[EntryKind.INCOME] == fund.income_total == Decimal("0.00")


def test_a_refusal_racing_the_posting_approval_of_a_reversal_has_exactly_one_outcome(world):
    cast = build_cast(world)
    r = _reversal(cast)
    trust.reversal_approve(actor=cast.user("trust_company"), reversal=r)
    outcomes = race([
        lambda: trust.reversal_approve(actor=cast.user("trust_committee"), reversal=Reversal.objects.get(pk=r.pk)),
        lambda: trust.reversal_refuse(actor=cast.user("trust_committee"), reversal=Reversal.objects.get(pk=r.pk),
                                      reason="金额无误"),
    ])
    won = [o for o in outcomes if isinstance(o, Reversal)]
    lost = [o for o in outcomes if isinstance(o, Conflict)]
    assert len(won) == 1 and len(lost) == 1, outcomes
    r.refresh_from_db()
    posted = Entry.objects.filter(reverses=r.entry).count()
    assert (r.status, posted) in {(ReversalStatus.POSTED, 1), (ReversalStatus.REFUSED, 0)}
    assert lost[0].code in {"reversal_closed", "side_decided"}
