"""Reversing a ledger line under the 双密码, through HTTP: the company requests it, approves for its side, the
committee refuses (nothing is posted); a new request approved by both posts the reversing lines, and an owner
reads them. Then the same through /api/v1/trust."""

from __future__ import annotations

from datetime import date

import pytest

from yishiting.trusts import services as trust
from yishiting.trusts.models import Entry, Reversal, TrustFund

pytestmark = pytest.mark.django_db
API = "/api/v1/trust"


def _post(client, url: str, body: dict | None = None):
    return client.post(url, body or {}, content_type="application/json")


def test_a_reversal_one_side_approves_the_other_refuses_then_both_approve_a_new_one(cast):
    wrong = trust.income_post(actor=cast.user("trust_company"), fund=cast.fund, category="parking",
                              amount="999.00", booked_on=date(2026, 2, 3))
    company, committee, owner = (cast.client(n) for n in ("trust_company", "trust_committee", "trust_owner"))
    assert "申请冲正" not in owner.get(f"/trust/entries/{wrong.pk}/").content.decode()
    asked = company.post(f"/trust/entries/{wrong.pk}/reverse/", {"reason": "停车费金额录错"}, follow=True)
    first = Reversal.objects.get(entry=wrong)
    assert asked.redirect_chain[-1][0] == f"/trust/reversals/{first.pk}/"
    assert "待双方审批" in asked.content.decode() and "同意冲正" in asked.content.decode()
    company.post(f"/trust/reversals/{first.pk}/approve/", {"note": ""})
    assert "同意冲正" not in company.get(f"/trust/reversals/{first.pk}/").content.decode()
    assert TrustFund.objects.get(pk=cast.fund.pk).entry_count == 2  # one side alone posts nothing
    refused = committee.post(f"/trust/reversals/{first.pk}/refuse/", {"reason": ""})
    assert refused.status_code == 400 and "请写明拒绝理由" in refused.content.decode()
    committee.post(f"/trust/reversals/{first.pk}/refuse/", {"reason": "金额无误，见收据"})
    first.refresh_from_db()
    assert first.status == "refused" and first.line is None and not Entry.objects.filter(reverses=wrong).exists()
    page = owner.get(f"/trust/reversals/{first.pk}/").content.decode()
    assert "金额无误，见收据" in page and "同意冲正" not in page  # owners read both sides' decisions, never decide

    committee.post(f"/trust/entries/{wrong.pk}/reverse/", {"reason": "经核对确为录错"})
    second = Reversal.objects.get(entry=wrong, status="pending")
    committee.post(f"/trust/reversals/{second.pk}/approve/", {"note": "已核对"})
    company.post(f"/trust/reversals/{second.pk}/approve/", {"note": ""})
    second.refresh_from_db()
    assert second.status == "posted" and second.line.reverses == wrong
    fund = TrustFund.objects.get(pk=cast.fund.pk)
    assert (fund.income_total, fund.remuneration_total, fund.balance, fund.entry_count) == (0, 0, 0, 4)
    ledger = owner.get(f"/trust/funds/{cast.fund.pk}/").content.decode()
    assert "冲正第 1 笔：经核对确为录错" in ledger and "\u2212999.00" in ledger
    line = owner.get(f"/trust/entries/{second.line.pk}/").content.decode()
    assert "冲正第 1 笔" in line and "\u2212999.00" in line
    assert owner.get(f"/trust/entries/{wrong.pk}/").content.decode().count("已冲正") >= 1


def test_reversals_through_the_api_and_a_tenant_sees_none(cast):
    wrong = trust.income_post(actor=cast.user("trust_company"), fund=cast.fund, category="advertising",
                              amount="100.00", booked_on=date(2026, 2, 3))
    company, committee, owner = (cast.client(n) for n in ("trust_company", "trust_committee", "trust_owner"))
    assert _post(owner, f"{API}/entries/{wrong.pk}/reversals", {"reason": "x"}).status_code == 403
    empty = _post(company, f"{API}/entries/{wrong.pk}/reversals", {"reason": ""})
    assert empty.status_code == 422 and empty.json()["message"]
    made = _post(company, f"{API}/entries/{wrong.pk}/reversals", {"reason": "重复记账"})
    assert made.status_code == 201 and made.json()["status"] == "pending", made.content.decode()
    rid = made.json()["id"]
    twice = _post(committee, f"{API}/entries/{wrong.pk}/reversals", {"reason": "重复记账"})
    assert twice.status_code == 409 and twice.json()["code"] == "reversal_pending"
    assert _post(company, f"{API}/reversals/{rid}/approve").json()["line"] is None
    assert _post(company, f"{API}/reversals/{rid}/approve").json()["code"] == "side_decided"
    assert cast.client("resident").get(f"{API}/reversals/{rid}").status_code == 404
    posted = _post(committee, f"{API}/reversals/{rid}/approve", {"note": "同意"}).json()
    assert posted["status"] == "posted" and {a["side"] for a in posted["approvals"]} == {"committee", "company"}
    assert owner.get(f"{API}/entries/{posted['line']}").json()["reverses"] == wrong.pk
    closed = _post(committee, f"{API}/reversals/{rid}/refuse", {"note": "晚了"})
    assert closed.status_code == 409 and closed.json()["code"] == "reversal_closed"
