"""The ledger and the 双密码 as the people using them notice: remuneration computed from the contract in force,
exact amounts, expenses paid only with both sides' approval, refusals, corrections, questions, disclosures; a
refused write changes nothing."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.db import DatabaseError, transaction

from yishiting.common.errors import Conflict, DomainError, PermissionDeniedError
from yishiting.common.events import events_of
from yishiting.common.testing import raw_sql
from yishiting.notifications.models import Notification
from yishiting.trusts import selectors
from yishiting.trusts import services as trust
from yishiting.trusts.choices import Category, EntryKind, ExpenseStatus
from yishiting.trusts.models import Entry, Expense, TrustContract, TrustFund

from .world import voucher

pytestmark = pytest.mark.django_db
D = Decimal


def _fund(cast) -> TrustFund:
    return TrustFund.objects.get(pk=cast.fund.pk)


def _income(cast, amount="1000.00", day=date(2026, 2, 3), category=Category.PROPERTY_FEE):
    return trust.income_post(actor=cast.user("trust_company"), fund=cast.fund, category=category, amount=amount,
                             booked_on=day)


def _propose(cast, amount="300.00", who="trust_company", corrects=None):
    return trust.expense_propose(actor=cast.user(who), fund=cast.fund, category=Category.REPAIR, supplier="历下管道疏通队",
                                 amount=amount, description="疏通3栋下水道", photos=[voucher()], corrects=corrects)


def assert_balanced(fund: TrustFund) -> None:
    fund.refresh_from_db()
    sums = selectors.ledger_sums(fund)
    assert fund.income_total == sums[EntryKind.INCOME]
    assert fund.remuneration_total == sums[EntryKind.REMUNERATION]
    assert fund.expense_total == sums[EntryKind.EXPENSE]
    assert fund.balance == fund.income_total - fund.remuneration_total - fund.expense_total


def test_income_posts_the_remuneration_of_the_contract_in_force_that_day(cast):
    TrustContract.objects.create(fund=cast.fund, effective_from=date(2026, 3, 1), rate="12.50")
    february = _income(cast, "1000.00", date(2026, 2, 27))
    march = _income(cast, "333.33", date(2026, 3, 2), Category.PARKING)
    assert february.remuneration.amount == D("100.00") and february.remuneration.contract.rate == D("10.00")
    assert march.remuneration.amount == D("41.67")  # 333.33 × 12.5% = 41.66625, half up to the fen
    fund = _fund(cast)
    assert (fund.income_total, fund.remuneration_total, fund.balance) == (D("1333.33"), D("141.67"), D("1191.66"))
    assert [e.seq for e in fund.entries.order_by("seq")] == [1, 2, 3, 4]
    assert_balanced(fund)


@pytest.mark.parametrize("amount", ["0", "-5", "12.345", "abc", "1e20"])
def test_a_wrong_amount_is_refused_and_nothing_is_written(cast, amount):
    with pytest.raises(DomainError) as refused:
        _income(cast, amount)
    assert refused.value.code == "invalid_amount" and refused.value.details == {"field": "amount"}
    assert not Entry.objects.exists() and _fund(cast).balance == 0


def test_income_before_any_contract_and_outsiders_are_refused(cast):
    with pytest.raises(DomainError) as early:
        _income(cast, day=date(2025, 12, 31))
    assert early.value.code == "before_opening"
    for name in ("trust_owner", "community_staff", "resident"):
        with pytest.raises(PermissionDeniedError):
            trust.income_post(actor=cast.user(name), fund=cast.fund, category=Category.PROPERTY_FEE,
                              amount="10.00", booked_on=date(2026, 2, 3))
    assert not Entry.objects.exists()


def test_an_expense_is_paid_only_when_both_sides_approve(cast):
    _income(cast, "1000.00")
    expense = _propose(cast)
    assert expense.vouchers.count() == 1 and expense.status == ExpenseStatus.PENDING
    expense = trust.expense_approve(actor=cast.user("trust_company"), expense=expense)
    assert expense.status == ExpenseStatus.PENDING and _fund(cast).expense_total == 0  # one side cannot move money
    with pytest.raises(Conflict) as twice:
        trust.expense_approve(actor=cast.user("trust_company"), expense=expense)
    assert twice.value.code == "side_decided"
    paid = trust.expense_approve(actor=cast.user("trust_committee"), expense=expense, note="已核对发票")
    assert paid.status == ExpenseStatus.PAID and paid.entry.amount == D("300.00")
    fund = _fund(cast)
    assert (fund.expense_total, fund.balance) == (D("300.00"), D("600.00"))
    kinds = [e.kind for e in events_of(paid)]
    assert kinds == ["expense.proposed", "expense.approved", "expense.approved", "expense.paid"]
    assert_balanced(fund)


def test_a_refusal_ends_the_expense_and_a_corrected_one_is_paid(cast):
    _income(cast, "2000.00")
    first = _propose(cast, "1500.00")
    trust.expense_approve(actor=cast.user("trust_company"), expense=first)
    refused = trust.expense_refuse(actor=cast.user("trust_committee"), expense=first, reason="报价高于市场价")
    assert refused.status == ExpenseStatus.REFUSED and _fund(cast).expense_total == 0
    with pytest.raises(Conflict) as closed:
        trust.expense_approve(actor=cast.user("trust_committee"), expense=first)
    assert closed.value.code == "expense_closed"
    corrected = _propose(cast, "300.00", corrects=refused)
    for name in ("trust_committee", "trust_company"):
        corrected = trust.expense_approve(actor=cast.user(name), expense=corrected)
    assert corrected.status == ExpenseStatus.PAID and corrected.corrects == refused
    assert _fund(cast).balance == D("1500.00")  # 2000 − 200 remuneration − 300


def test_paying_more_than_the_balance_changes_nothing(cast):
    _income(cast, "100.00")  # balance 90.00
    expense = _propose(cast, "95.00")
    trust.expense_approve(actor=cast.user("trust_committee"), expense=expense)
    with pytest.raises(Conflict) as short:
        trust.expense_approve(actor=cast.user("trust_company"), expense=expense)
    assert short.value.code == "insufficient_balance"
    expense.refresh_from_db()
    assert expense.status == ExpenseStatus.PENDING and expense.approvals.count() == 1
    assert _fund(cast).balance == D("90.00") and not Entry.objects.filter(kind=EntryKind.EXPENSE).exists()


def test_an_expense_needs_a_voucher_and_a_signatory(cast):
    with pytest.raises(DomainError) as bare:
        trust.expense_propose(actor=cast.user("trust_company"), fund=cast.fund, category=Category.REPAIR,
                              supplier="某公司", amount="10", description="维修", photos=[])
    assert bare.value.code == "voucher_required"
    with pytest.raises(PermissionDeniedError):
        _propose(cast, who="trust_owner")
    expense = _propose(cast)
    for name in ("trust_owner", "community_staff"):
        with pytest.raises(PermissionDeniedError):
            trust.expense_approve(actor=cast.user(name), expense=expense)
    assert not Expense.objects.exclude(pk=expense.pk).exists() and expense.approvals.count() == 0


def _reverse(cast, entry, reason: str = "金额录错"):
    """A reversal under the 双密码: requested by the company, approved by both sides."""
    request = trust.reversal_request(actor=cast.user("trust_company"), entry=entry, reason=reason)
    trust.reversal_approve(actor=cast.user("trust_company"), reversal=request)
    return trust.reversal_approve(actor=cast.user("trust_committee"), reversal=request).line


def test_a_wrong_income_is_reversed_with_its_remuneration_and_the_line_stays(cast):
    wrong = _income(cast, "1200.00")
    reversal = _reverse(cast, wrong)
    assert reversal.amount == D("-1200.00") and reversal.reverses == wrong
    assert Entry.objects.get(reverses=wrong.remuneration).amount == D("-120.00")
    fund = _fund(cast)
    assert (fund.income_total, fund.remuneration_total, fund.balance, fund.entry_count) == (0, 0, 0, 4)
    with pytest.raises(Conflict) as again:
        trust.reversal_request(actor=cast.user("trust_committee"), entry=wrong, reason="再冲一次")
    assert again.value.code == "already_reversed"
    assert_balanced(fund)


def test_one_side_alone_cannot_reverse_a_line_and_a_refusal_ends_the_request(cast):
    wrong = _income(cast, "500.00")
    company, committee = cast.user("trust_company"), cast.user("trust_committee")
    request = trust.reversal_request(actor=company, entry=wrong, reason="重复记账")
    with pytest.raises(Conflict) as twice:
        trust.reversal_request(actor=committee, entry=wrong, reason="重复记账")
    assert twice.value.code == "reversal_pending"
    trust.reversal_approve(actor=company, reversal=request)
    assert _fund(cast).entry_count == 2 and not Entry.objects.filter(reverses=wrong).exists()
    with pytest.raises(Conflict) as again:
        trust.reversal_approve(actor=company, reversal=request)
    assert again.value.code == "side_decided"
    with pytest.raises(PermissionDeniedError):
        trust.reversal_approve(actor=cast.user("trust_owner"), reversal=request)
    refused = trust.reversal_refuse(actor=committee, reversal=request, reason="并未重复")
    assert refused.status == "refused" and refused.line is None and _fund(cast).entry_count == 2
    with pytest.raises(Conflict) as closed:
        trust.reversal_approve(actor=committee, reversal=request)
    assert closed.value.code == "reversal_closed"
    kinds = [e.kind for e in events_of(refused)]
    assert kinds[:1] == ["reversal.requested"] and {"reversal.approved", "reversal.refused", "reversal.closed"} <= set(kinds)
    again = trust.reversal_request(actor=committee, entry=wrong, reason="确为重复")  # a new request may follow
    assert again.pk != request.pk
    with pytest.raises(Conflict) as remuneration:
        trust.reversal_request(actor=company, entry=wrong.remuneration, reason="x")
    assert remuneration.value.code == "not_reversible"


def test_the_database_refuses_to_change_or_delete_a_line(cast):
    line = _income(cast)
    for statement in ("UPDATE trusts_entry SET amount = 1 WHERE id = %s", "DELETE FROM trusts_entry WHERE id = %s"):
        with pytest.raises(DatabaseError, match="trust_append_only"), transaction.atomic():
            raw_sql(statement, [line.pk])
    with pytest.raises(ValueError):
        line.save()
    assert Entry.objects.get(pk=line.pk).amount == D("1000.00")


def test_a_question_goes_to_both_sides_and_its_answer_stays_with_the_line(cast):
    line = _income(cast)
    question = trust.question_ask(actor=cast.user("trust_owner"), entry=line, text="这笔物业费是几月的？")
    told = set(Notification.objects.filter(text__contains="提问").values_list("person__user__username", flat=True))
    assert told == {"trust_committee", "trust_company"}
    with pytest.raises(PermissionDeniedError):
        trust.question_ask(actor=cast.user("resident"), entry=line, text="租户也想问")
    answered = trust.question_answer(actor=cast.user("trust_committee"), question=question, text="1月份的")
    assert answered.answered_side == "committee" and list(selectors.questions_of(line)) == [answered]
    with pytest.raises(Conflict):
        trust.question_answer(actor=cast.user("trust_company"), question=question, text="补充")


def test_the_monthly_statement_adds_up(cast):
    _income(cast, "1000.00", date(2026, 1, 20))
    _income(cast, "500.00", date(2026, 2, 3))
    statement = selectors.statement(cast.fund, 2026, 2)
    assert statement.opening == D("900.00") and statement.totals[EntryKind.INCOME] == D("500.00")
    assert statement.closing == D("1350.00") and len(statement.lines) == 2


def test_a_disclosure_is_for_estates_without_a_trust_and_published_for_good(cast, world):
    from yishiting.areas import services as area_services
    from yishiting.areas.choices import OrganizationKind, Role

    with pytest.raises(PermissionDeniedError):
        trust.disclosure_create(actor=cast.user("trust_committee"), estate=world.areas["G2"], year=2026, quarter=1)
    with pytest.raises(Conflict) as has_trust:
        trust.disclosure_create(actor=cast.user("trust_committee"), estate=world.areas["G1"], year=2026, quarter=1)
    assert has_trust.value.code == "has_trust"
    g2 = area_services.organization_create(actor=None, kind=OrganizationKind.OWNERS_COMMITTEE, name="和平里业委会",
                                           area=world.areas["G2"])
    area_services.role_assign(actor=None, person=world.people["trust_other_owner"], role=Role.ORG_REPRESENTATIVE,
                              area=world.areas["G2"], organization=g2)
    user = cast.user("trust_other_owner")
    draft = trust.disclosure_create(actor=user, estate=world.areas["G2"], year=2026, quarter=1)
    with pytest.raises(DomainError):
        trust.disclosure_publish(actor=user, disclosure=draft)
    trust.disclosure_line_add(actor=user, disclosure=draft, kind="income", item="停车费", amount="4800.00")
    trust.disclosure_line_add(actor=user, disclosure=draft, kind="use", item="更换路灯", amount="1200.50")
    published = trust.disclosure_publish(actor=user, disclosure=draft)
    assert published.status == "published"
    assert selectors.disclosure_totals(published) == {"income": D("4800.00"), "use": D("1200.50")}
    with pytest.raises(Conflict):
        trust.disclosure_line_add(actor=user, disclosure=draft, kind="use", item="补记", amount="1")
    with pytest.raises(Conflict) as twice:
        trust.disclosure_create(actor=user, estate=world.areas["G2"], year=2026, quarter=1)
    assert twice.value.code == "quarter_exists"
