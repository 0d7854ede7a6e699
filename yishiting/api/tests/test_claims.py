"""/api/v1/register and /api/v1/claims: the same registration and claims as the pages, with the API's error
shape; and, on PostgreSQL, an approve and a reject of one claim at the same moment (exactly one wins)."""

from __future__ import annotations

from decimal import Decimal

import pytest
import requests

from yishiting.areas import services as areas
from yishiting.areas.choices import ClaimStatus
from yishiting.areas.models import HouseholdClaim, Person
from yishiting.common.models import Event

from .conftest import ApiClient, assert_error
from .test_demands_concurrency import bearer, race

MOBILE = "13700000011"


def code_of(outbox) -> str:
    return outbox[-1].text.split("验证码是 ")[1][:6]


def api_register(outbox, *, mobile: str = MOBILE, name: str = "马新民") -> ApiClient:
    anonymous = ApiClient()
    assert anonymous.post("/register/code", {"mobile": mobile}).status_code == 202
    created = anonymous.post("/register", {"mobile": mobile, "code": code_of(outbox), "name": name})
    assert created.status_code == 201, created.content.decode()
    return ApiClient(created.json()["secret"])


@pytest.fixture
def h6(world):
    return areas.household_create(actor=None, unit=world.areas["U1"], number="106", exclusive_area=Decimal("88.00"))


@pytest.mark.django_db
def test_register_claim_and_verify_through_the_api(world, messages_outbox, api_as, h6):
    resident = api_register(messages_outbox)
    assert resident.get("/me").json()["username"] == MOBILE
    buildings = resident.get("/claims/buildings", q="xfy3").json()
    assert [b["name"] for b in buildings] == ["幸福苑3栋"] and buildings[0]["estate"] == "幸福苑小区"
    rooms = resident.get(f"/claims/buildings/{buildings[0]['id']}/households").json()
    assert {"unit": "1单元", "number": "106", "id": h6.pk} in rooms
    claim = resident.post("/claims", {"household_id": h6.pk, "relation": "owner"})
    assert claim.status_code == 201 and claim.json()["status"] == "pending"
    assert claim.json()["person_name"] == "马**" and claim.json()["person_mobile"] == "137****0011"
    claim_id = claim.json()["id"]
    grid = api_as("grid_worker")
    assert [c["id"] for c in grid.get("/claims/inbox").json()["items"]] == [claim_id]
    assert_error(api_as("street_official").post(f"/claims/{claim_id}/approve"), 404, "not_found")
    assert_error(grid.post(f"/claims/{claim_id}/reject", {"reason": ""}), 400, "reason_required")
    approved = grid.post(f"/claims/{claim_id}/approve")
    assert approved.status_code == 200 and approved.json()["status"] == "approved"
    assert resident.get("/claims").json()["items"][0]["status_label"] == "已认证"
    assert_error(resident.post(f"/claims/{claim_id}/withdraw"), 409, "stale_state")


@pytest.mark.django_db
def test_registration_errors_have_the_api_shape(world, messages_outbox):
    anonymous = ApiClient()
    assert_error(anonymous.post("/register/code", {"mobile": "13800000001"}), 409, "already_registered")
    assert_error(anonymous.post("/register/code", {"mobile": "123"}), 400, "invalid_mobile")
    anonymous.post("/register/code", {"mobile": MOBILE})
    assert_error(anonymous.post("/register/code", {"mobile": MOBILE}), 429, "too_frequent")
    wrong = "000000" if code_of(messages_outbox) != "000000" else "111111"
    assert_error(anonymous.post("/register", {"mobile": MOBILE, "code": wrong, "name": "马新民"}), 400, "invalid_code")
    assert not Person.objects.filter(mobile=MOBILE).exists()
    assert_error(ApiClient().get("/claims"), 401)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # live_server flushes the DB
@pytest.mark.races
def test_approve_and_reject_at_the_same_moment_exactly_one_wins(world, live_server, messages_outbox, h6):
    api = f"{live_server.url}/api/v1"
    grid, staff = bearer(world, "grid_worker"), bearer(world, "community_staff")
    for round_ in range(5):
        mobile = f"1370000010{round_}"
        resident = api_register(messages_outbox, mobile=mobile)
        claim_id = resident.post("/claims", {"household_id": h6.pk, "relation": "owner"}).json()["id"]
        approve, reject = race([
            lambda c=claim_id: requests.post(f"{api}/claims/{c}/approve", headers=grid, timeout=30),
            lambda c=claim_id: requests.post(f"{api}/claims/{c}/reject", json={"reason": "核实无此人"}, headers=staff,
                                             timeout=30)])
        assert sorted([approve.status_code, reject.status_code]) == [200, 409], (approve.text, reject.text)
        claim = HouseholdClaim.objects.get(pk=claim_id)
        person = Person.objects.get(mobile=mobile)
        won = ClaimStatus.APPROVED if approve.status_code == 200 else ClaimStatus.REJECTED
        assert claim.status == won
        assert (person.household_id == h6.pk) is (won == ClaimStatus.APPROVED)
        assert Event.objects.filter(kind__in=["household_claim.approved", "household_claim.rejected"],
                                    subject_id=str(claim_id)).count() == 1
        # Two approvals at once of a fresh claim: both answer 200, one decision is recorded.
        other = api_register(messages_outbox, mobile=f"1370000020{round_}")
        second = other.post("/claims", {"household_id": h6.pk, "relation": "tenant"}).json()["id"]
        both = race([lambda c=second, h=h: requests.post(f"{api}/claims/{c}/approve", headers=h, timeout=30)
                     for h in (grid, staff)])
        assert [r.status_code for r in both] == [200, 200]
        assert Event.objects.filter(kind="household_claim.approved", subject_id=str(second)).count() == 1
