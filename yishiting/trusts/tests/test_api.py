"""/api/v1/trust: income with its computed remuneration, an expense under the 双密码, an owner's question — the
pages' services and rules through JSON; refusals carry stable codes and Chinese messages."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from .world import voucher

pytestmark = pytest.mark.django_db
API = "/api/v1/trust"


def _post(client, url: str, body: dict | None = None):
    return client.post(url, body or {}, content_type="application/json")


def test_income_expense_and_question_through_the_api(cast):
    company, committee, owner = (cast.client(n) for n in ("trust_company", "trust_committee", "trust_owner"))
    fund = cast.fund.pk
    posted = _post(company, f"{API}/funds/{fund}/income", {"category": "parking", "amount": "1234.50",
                                                           "booked_on": "2026-02-01"})
    assert posted.status_code == 201 and posted.json()["effect"] == "1234.50"
    shown = owner.get(f"{API}/funds/{fund}").json()
    assert (shown["balance"], shown["remuneration_total"], shown["rate"]) == ("1111.05", "123.45", "10.00")
    refused = _post(owner, f"{API}/funds/{fund}/income", {"category": "parking", "amount": "1", "booked_on": "2026-02-01"})
    assert refused.status_code == 403
    made = company.post(f"{API}/funds/{fund}/expenses", {
        "category": "cleaning", "supplier": "洁美保洁", "amount": "600.00", "description": "楼道保洁",
        "vouchers": [SimpleUploadedFile("v.jpg", voucher(), content_type="image/jpeg")]})
    assert made.status_code == 201, made.content.decode()
    expense = made.json()["id"]
    assert _post(company, f"{API}/expenses/{expense}/approve").json()["status"] == "pending"
    again = _post(company, f"{API}/expenses/{expense}/approve")
    assert again.status_code == 409 and again.json()["code"] == "side_decided"
    paid = _post(committee, f"{API}/expenses/{expense}/approve", {"note": "已核对"}).json()
    assert paid["status"] == "paid" and {a["side"] for a in paid["approvals"]} == {"committee", "company"}
    lines = owner.get(f"{API}/funds/{fund}/entries").json()["items"]
    assert [line["kind"] for line in lines] == ["expense", "remuneration", "income"]
    asked = _post(owner, f"{API}/entries/{paid['entry']}/questions", {"text": "保洁多久一次？"})
    assert asked.status_code == 201 and asked.json()["asked_by"] != "业主甲"
    answered = _post(company, f"{API}/entries/{paid['entry']}/questions/{asked.json()['id']}/answer",
                     {"text": "每天一次"}).json()
    assert answered["answered_side"] == "company"
    month = owner.get(f"{API}/funds/{fund}/statements/2026/2").json()
    assert month["closing"] == "1111.05" and month["income"] == "1234.50"
