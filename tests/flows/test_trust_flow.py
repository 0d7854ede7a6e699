"""信托制物业 through the pages, as the people of seed 001 (Yuyuan, Jinan) use it: the property company posts a
month's property fees (its 10 % remuneration is computed, not typed) and proposes a drain repair with a voucher
scan; the property company approves, the owners' committee refuses (the quote is too high) — no money moves; a
corrected, cheaper expense is proposed, both sides approve it and it is paid; the estate's owner sees the refused
one, the paid one with its voucher and the service it paid for, asks a question that both sides receive, reads the
answer under the line, and downloads the month's statement (PDF, read back as text, CJK embedded)."""

from __future__ import annotations

import re
import subprocess
import tempfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from yishiting.notifications.models import Notification
from yishiting.trusts.models import Entry, Expense, TrustFund
from yishiting.trusts.tests.world import build_cast, voucher

from .http import follow, signed_in

pytestmark = pytest.mark.django_db


def pdf_text(data: bytes) -> str:
    with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
        f.write(data)
        f.flush()
        return subprocess.run(["pdftotext", "-layout", f.name, "-"], check=True, capture_output=True, text=True).stdout


def _propose(client, fund: TrustFund, amount: str, corrects: int | None = None) -> str:
    data = {"category": "repair", "supplier": "历下管道疏通队", "amount": amount, "description": "疏通3栋下水道",
            "photos": SimpleUploadedFile("fapiao.jpg", voucher(), content_type="image/jpeg")}
    if corrects:
        data["corrects"] = corrects
    return follow(client, f"/trust/funds/{fund.pk}/desk/expense/", data)


def test_an_expense_refused_by_one_side_then_a_corrected_one_paid_and_seen_by_an_owner(world):
    cast = build_cast(world)
    fund, today = cast.fund, timezone.localdate()
    company, committee, owner = (signed_in(world, n) for n in ("trust_company", "trust_committee", "trust_owner"))

    page = follow(company, f"/trust/funds/{fund.pk}/desk/income/", {
        "category": "property_fee", "amount": "20000.00", "booked_on": today.isoformat(), "note": "本月物业费"})
    assert "物业酬金已按合同比例自动计提" in page
    fund.refresh_from_db()
    assert (fund.income_total, fund.remuneration_total, fund.balance) == (20000, 2000, 18000)

    assert "待业委会和物业公司双方审批" in _propose(company, fund, "5000.00")
    first = Expense.objects.get(amount=5000)
    assert "已同意" in follow(company, f"/trust/expenses/{first.pk}/approve/", {"note": "按报价"})
    fund.refresh_from_db()
    assert fund.expense_total == 0  # one side alone cannot move money
    page = follow(committee, f"/trust/expenses/{first.pk}/refuse/", {"reason": "报价是估算的五倍，请重新询价"})
    assert "已拒绝" in page
    fund.refresh_from_db()
    assert fund.balance == 18000 and not Entry.objects.filter(kind="expense").exists()

    desk = company.get(f"/trust/funds/{fund.pk}/desk/?corrects={first.pk}").content.decode()
    assert "提出更正后的支出" in desk
    _propose(company, fund, "1000.00", corrects=first.pk)
    corrected = Expense.objects.get(amount=1000)
    assert corrected.corrects == first
    follow(committee, f"/trust/expenses/{corrected.pk}/approve/", {"note": "已核对"})
    page = follow(company, f"/trust/expenses/{corrected.pk}/approve/")
    assert "已支付" in page
    fund.refresh_from_db()
    assert (fund.expense_total, fund.balance) == (1000, 17000)
    follow(company, f"/trust/funds/{fund.pk}/desk/service/", {
        "what": "3栋下水道疏通", "done_on": today.isoformat(), "description": "一个月内解决", "expense": corrected.pk})

    ledger = owner.get(f"/trust/funds/{fund.pk}/").content.decode()
    assert "17000.00" in ledger and "历下管道疏通队" in ledger
    line = Entry.objects.get(expense=corrected)
    entry = owner.get(f"/trust/entries/{line.pk}/").content.decode()
    assert "3栋下水道疏通" in entry and f"/trust/expenses/{corrected.pk}/vouchers/" in entry
    voucher_url = re.search(rf'href="(/trust/expenses/{corrected.pk}/vouchers/\d+/)"', entry).group(1)
    assert owner.get(voucher_url)["Content-Type"] == "image/jpeg"
    refused = owner.get(f"/trust/expenses/{first.pk}/").content.decode()
    assert "已拒绝" in refused and "报价是估算的五倍" in refused

    follow(owner, f"/trust/entries/{line.pk}/ask/", {"text": "为什么比原来的报价便宜这么多？"})
    told = set(Notification.objects.filter(text__contains="提问").values_list("person__user__username", flat=True))
    assert told == {"trust_committee", "trust_company"}
    question = line.questions.get()
    follow(committee, f"/trust/entries/{line.pk}/answer/", {"question": question.pk, "text": "重新询价后换了施工队"})
    assert "重新询价后换了施工队" in owner.get(f"/trust/entries/{line.pk}/").content.decode()

    pdf = owner.get(f"/trust/funds/{fund.pk}/statements/{today.year}-{today.month}.pdf")
    text = pdf_text(pdf.content)
    assert "收支表" in text and "历下管道疏通队" in text and "17000.00" in text
    assert signed_in(world, "resident").get(f"/trust/entries/{line.pk}/").status_code == 404  # a tenant sees nothing
