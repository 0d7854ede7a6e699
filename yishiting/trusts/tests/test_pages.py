"""The owner's pages at phone size and the desk: what each reads and may press; the monthly statement PDF."""

from __future__ import annotations

from datetime import date

import pytest

from yishiting.trusts import services as trust

from .world import voucher

pytestmark = pytest.mark.django_db


def _story(cast):
    income = trust.income_post(actor=cast.user("trust_company"), fund=cast.fund, category="property_fee",
                               amount="8000.00", booked_on=date(2026, 2, 1))
    expense = trust.expense_propose(actor=cast.user("trust_company"), fund=cast.fund, category="repair",
                                    supplier="历下管道疏通队", amount="1200.00", description="疏通3栋下水道",
                                    photos=[voucher()])
    return income, expense


def test_the_owner_reads_balance_lines_vouchers_and_asks(cast):
    income, expense = _story(cast)
    owner = cast.client("trust_owner")
    page = owner.get(f"/trust/funds/{cast.fund.pk}/").content.decode()
    assert "7200.00" in page and "历下管道疏通队" in page and "记账与审批" not in page
    entry = owner.get(f"/trust/entries/{income.pk}/").content.decode()
    assert "提问" in entry and "记冲正" not in entry
    shown = owner.get(f"/trust/expenses/{expense.pk}/").content.decode()
    assert "待双方审批" in shown and "同意支付" not in shown  # owners read both sides' decisions, never decide
    voucher_id = expense.vouchers.get().pk
    assert owner.get(f"/trust/expenses/{expense.pk}/vouchers/{voucher_id}/").status_code == 200
    response = owner.post(f"/trust/entries/{income.pk}/ask/", {"text": "物业费收缴率多少？"}, follow=True)
    assert "物业费收缴率多少？" in response.content.decode()


def test_each_side_decides_once_on_the_expense_page(cast):
    _, expense = _story(cast)
    manager = cast.client("trust_company")
    assert "同意支付" in manager.get(f"/trust/expenses/{expense.pk}/").content.decode()
    manager.post(f"/trust/expenses/{expense.pk}/approve/", {"note": ""})
    assert "同意支付" not in manager.get(f"/trust/expenses/{expense.pk}/").content.decode()
    assert "同意支付" in cast.client("trust_committee").get(f"/trust/expenses/{expense.pk}/").content.decode()
    refused = cast.client("trust_committee").post(f"/trust/expenses/{expense.pk}/refuse/", {"reason": ""})
    assert refused.status_code == 400 and "请写明拒绝理由" in refused.content.decode()


def test_the_desk_is_for_the_sides_and_the_supervisors_read_it(cast):
    _story(cast)
    assert "记收入" in cast.client("trust_company").get(f"/trust/funds/{cast.fund.pk}/desk/").content.decode()
    staff = cast.client("community_staff").get(f"/trust/funds/{cast.fund.pk}/desk/").content.decode()
    assert "社区监督" in staff and "记收入" not in staff
    assert cast.client("trust_owner").get(f"/trust/funds/{cast.fund.pk}/desk/").status_code == 403
    posted = cast.client("trust_company").post(f"/trust/funds/{cast.fund.pk}/desk/income/", {
        "category": "advertising", "amount": "600.50", "booked_on": "2026-02-10", "note": "电梯广告"}, follow=True)
    assert "物业酬金已按合同比例自动计提" in posted.content.decode()


def test_the_monthly_statement_and_its_pdf(cast):
    _story(cast)
    owner = cast.client("trust_owner")
    page = owner.get(f"/trust/funds/{cast.fund.pk}/statements/2026-2/").content.decode()
    assert "期末余额" in page and "7200.00" in page
    pdf = owner.get(f"/trust/funds/{cast.fund.pk}/statements/2026-2.pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf" and pdf.content[:4] == b"%PDF"


def test_the_home_page_lists_what_the_person_may_read(cast):
    assert "幸福苑小区信托基金" in cast.client("trust_owner").get("/trust/").content.decode()
    assert cast.client("resident").get("/trust/").status_code == 403
