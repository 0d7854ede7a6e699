"""/api/v1/grid as the phone and the desk use it, and who sees what: each persona × an object inside and outside
their scope (records, findings, 包联, coverage), the Idempotency-Key, and bad input answered in Chinese."""

from __future__ import annotations

import pytest

from yishiting.api.tests.conftest import api_as, assert_error  # noqa: F401 — the fixture
from yishiting.grid import services as grid
from yishiting.grid.choices import RecordKind

pytestmark = pytest.mark.django_db


def _patrol(world, place="B1", user="grid_worker"):
    return grid.record_create(actor=world.users[user], entry=grid.RecordEntry(
        kind=RecordKind.PATROL, place=world.areas[place], summary="巡查", findings=["路灯不亮"]))


def test_record_from_the_phone_is_idempotent(world, api_as):  # noqa: F811
    phone = api_as("grid_worker")
    body = {"kind": "patrol", "place_id": world.areas["B1"].pk, "summary": "巡查3栋", "findings": ["楼道灯坏了"]}
    first = phone.post("/grid/records", body, headers={"Idempotency-Key": "abc"})
    assert first.status_code == 201, first.content.decode()
    again = phone.post("/grid/records", body, headers={"Idempotency-Key": "abc"})
    assert again.status_code == 201 and again.json()["id"] == first.json()["id"]
    assert_error(phone.post("/grid/records", {**body, "summary": "另一次"}, headers={"Idempotency-Key": "abc"}), 409,
                 "idempotency_key_reused")
    assert first.json()["findings"][0]["text"] == "楼道灯坏了" and first.json()["recorder"] == "赵**"


def test_bad_input_is_answered_in_chinese(world, api_as):  # noqa: F811
    phone = api_as("grid_worker")
    place = world.areas["B1"].pk
    assert_error(phone.post("/grid/records", {"kind": "fly", "place_id": place, "summary": "x"}), 400, "invalid_choice")
    assert_error(phone.post("/grid/records", {"kind": "visit", "place_id": place, "summary": "x"}), 400,
                 "household_required")
    assert_error(phone.post("/grid/records", {"kind": "patrol", "place_id": place, "summary": " "}), 400)
    assert_error(phone.post("/grid/records", {"kind": "patrol", "summary": "x"}), 422)
    assert_error(phone.post("/grid/records", {"kind": "patrol", "place_id": 999999, "summary": "x"}), 404)
    assert_error(phone.post("/grid/records", {"kind": "patrol", "place_id": world.areas["B2"].pk, "summary": "x"}),
                 403)
    assert_error(phone.post("/grid/records", {"kind": "visit", "place_id": place, "summary": "x",
                                              "household_id": world.households["H3"].pk}), 400, "invalid_household")
    assert_error(phone.post("/grid/records", {"kind": "patrol", "place_id": place, "summary": "x",
                                              "latitude": "91"}), 400, "invalid_point")


@pytest.mark.parametrize(("persona", "status"), [
    ("grid_worker", 200), ("community_staff", 200), ("street_official", 200), ("district_official", 200),
    ("resident", 404), ("resident2", 404), ("handler", 404)])
def test_who_reads_a_record(world, api_as, persona, status):  # noqa: F811
    record = _patrol(world)
    assert api_as(persona).get(f"/grid/records/{record.pk}").status_code == status


@pytest.mark.parametrize(("persona", "status"), [
    ("grid_worker", 201), ("community_staff", 201), ("resident", 404), ("resident3", 404), ("handler", 404)])
def test_who_makes_a_finding_a_demand(world, api_as, persona, status):  # noqa: F811
    finding = _patrol(world).findings.get()
    response = api_as(persona).post(f"/grid/findings/{finding.pk}/demand")
    assert response.status_code == status, response.content.decode()


def test_assignments_inside_the_scope_only(world, api_as):  # noqa: F811
    staff = api_as("community_staff")
    body = {"keeper_id": world.people["grid_worker"].pk, "household_id": world.households["H1"].pk}
    made = staff.post("/grid/assignments", body)
    assert made.status_code == 201 and made.json()["visited"] is False
    assert made.json()["keeper"] == "赵网格"  # a grid worker acts in office: named (docs/masking.md)
    assert_error(staff.post("/grid/assignments", body), 409, "already_assigned")
    assert_error(staff.post("/grid/assignments", {**body, "household_id": world.households["H3"].pk}), 403)
    assert_error(api_as("grid_worker").post("/grid/assignments", {**body, "household_id": world.households["H2"].pk}),
                 403)
    mine = api_as("grid_worker").get("/grid/assignments").json()
    assert [a["place"] for a in mine["items"]] == ["幸福苑3栋1单元 101"]
    estate = world.areas["G1"].pk
    assert api_as("street_official").get("/grid/assignments", estate=estate).json()["count"] == 1
    assert api_as("resident3").get("/grid/assignments", estate=estate).status_code == 404
    ended = staff.post(f"/grid/assignments/{made.json()['id']}/end")
    assert ended.status_code == 200
    assert api_as("grid_worker").get("/grid/assignments").json()["count"] == 0


def test_coverage_lists_the_grids_in_scope(world, api_as):  # noqa: F811
    _patrol(world)
    street = api_as("street_official").get("/grid/coverage").json()
    names = [row["estate"] for row in street["items"]]
    assert names == ["幸福苑小区", "和平里小区"] and street["items"][0]["patrols"] == 1
    assert [r["estate"] for r in api_as("grid_worker").get("/grid/coverage").json()["items"]] == ["幸福苑小区"]
    assert api_as("resident").get("/grid/coverage").json()["items"] == []


def test_mine_shows_the_chain_masked(world, api_as):  # noqa: F811
    body = api_as("resident").get("/grid/mine").json()
    assert body["estate"] == "幸福苑小区" and body["building"] == "幸福苑3栋"
    assert {"role": "grid_worker", "label": "网格员", "name": "赵网格", "area": "幸福苑小区", "plaque_on": None} in body["chain"]
    assert api_as("street_official").get("/grid/mine").json() == {"estate": None, "building": None, "chain": [],
                                                                  "keepers": []}
