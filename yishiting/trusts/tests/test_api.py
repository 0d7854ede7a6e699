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


def test_the_committee_writes_a_quarterly_disclosure_through_the_api(cast):
    from yishiting.areas import services as area_services
    from yishiting.areas.choices import OrganizationKind, Role

    world = cast.world
    g2 = area_services.organization_create(actor=None, kind=OrganizationKind.OWNERS_COMMITTEE, name="和平里业委会",
                                           area=world.areas["G2"])
    area_services.role_assign(actor=None, person=world.people["trust_other_owner"], role=Role.ORG_REPRESENTATIVE,
                              area=world.areas["G2"], organization=g2)
    writer, estate = cast.client("trust_other_owner"), world.areas["G2"].pk
    for name in ("resident", "trust_owner", "trust_committee"):  # a tenant, an owner, a trust fund's committee
        refused = _post(cast.client(name), f"{API}/disclosures", {"estate": estate, "year": 2026, "quarter": 1})
        assert refused.status_code == 403 and refused.json()["code"] == "permission_denied", name
    elsewhere = _post(writer, f"{API}/disclosures", {"estate": world.areas["G1"].pk, "year": 2026, "quarter": 1})
    assert elsewhere.status_code == 404
    bad = _post(writer, f"{API}/disclosures", {"estate": estate, "year": 2026, "quarter": 5})
    assert bad.status_code == 422 and bad.json()["code"] == "validation_error" and "不能大于 4" in bad.json()["message"]
    made = _post(writer, f"{API}/disclosures", {"estate": estate, "year": 2026, "quarter": 1, "note": "业委会账户"})
    assert made.status_code == 201 and made.json()["status"] == "draft", made.content.decode()
    again = _post(writer, f"{API}/disclosures", {"estate": estate, "year": 2026, "quarter": 1})
    assert again.status_code == 409 and again.json()["code"] == "quarter_exists"
    d = made.json()["id"]
    assert _post(cast.client("resident"), f"{API}/disclosures/{d}/lines",
                 {"kind": "income", "item": "停车费", "amount": "1.00"}).status_code == 404  # a draft is the writer's
    for body in ({"kind": "income", "item": "停车费", "amount": "1.234"}, {"kind": "gift", "item": "x", "amount": "1"},
                 {"kind": "use", "item": "", "amount": "1"}):
        wrong = _post(writer, f"{API}/disclosures/{d}/lines", body)
        assert wrong.status_code == 422 and any("\u4e00" <= ch <= "\u9fff" for ch in wrong.json()["message"]), body
    added = _post(writer, f"{API}/disclosures/{d}/lines", {"kind": "income", "item": "停车费", "amount": "4800.00"})
    assert added.status_code == 201 and added.json()["lines"][0]["amount"] == "4800.00"
    published = _post(writer, f"{API}/disclosures/{d}/publish")
    assert published.status_code == 200 and published.json()["status"] == "published"
    assert _post(writer, f"{API}/disclosures/{d}/lines",
                 {"kind": "use", "item": "路灯", "amount": "1.00"}).json()["code"] == "published"
