"""The resources a user works with: filters, pagination, masking, audited reveal, writes, query budgets."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from yishiting.areas import services
from yishiting.areas.models import Person, RoleAssignment
from yishiting.common.models import AuditEntry

from .conftest import assert_error


def codes(response) -> list[str]:
    return [item["code"] for item in response.json()["items"]]


def test_me_says_who_i_am_where_my_roles_are_and_what_i_may_do(world, api_as):
    me = api_as("resident").get("/me").json()
    assert me["username"] == "resident"
    assert me["person"]["name"] == "张*"
    assert [(r["role_label"], r["area"]["name"]) for r in me["roles"]] == [("居民", "1单元")]
    assert {p["name"] for p in me["permissions"]} == {"areas.view", "households.view", "people.view",
                                                       "organizations.view", "roles.view",
                                                       "demands.submit", "demands.view",
                                                       "deliberation.view", "deliberation.opine", "handling.view",
                                                       "legal.view", "legal.ask",  # 云律团: a resident may ask
                                                       # issue 19: the services a resident uses
                                                       "participation.view", "participation.order",
                                                       "volunteers.view", "volunteers.join", "wishes.view",
                                                       "wishes.post", "wishes.claim", "appointments.book",
                                                       "canteens.order", "ledgers.view", "ledgers.redeem",
                                                       # bodies/rules.py: members of a community see its
                                                       # standing bodies and their public membership
                                                       "bodies.view",
                                                       # issue 21: the alliances of one's area, their
                                                       # adopted covenant and assigned tasks
                                                       "alliances.view"}


def test_area_list_filters_by_subtree_level_and_pinyin(world, api_as):
    client = api_as("street_official")
    assert codes(client.get("/areas")) == ["S1", "C1", "G1", "B1", "U1", "C2", "G2", "B2", "U2"]
    assert codes(client.get("/areas", under=world.areas["C2"].pk)) == ["C2", "G2", "B2", "U2"]
    assert codes(client.get("/areas", level="unit")) == ["U1", "U2"]
    assert codes(client.get("/areas", q="hpl")) == ["C2", "G2", "B2"]  # 和平里…, by pinyin initials
    assert codes(client.get("/areas", q="xingfuyuan")) == ["C1", "G1", "B1"]
    assert codes(client.get("/areas", q="和平里1")) == ["B2"]
    # A subtree outside the caller's scope, or an unknown id, narrows to nothing — it never widens.
    assert codes(client.get("/areas", under=world.areas["S2"].pk)) == []
    assert codes(client.get("/areas", under=10**9)) == []


def test_a_grid_worker_asking_for_the_street_sees_just_their_grid(world, api_as):
    response = api_as("grid_worker").get("/areas", under=world.areas["S1"].pk)
    assert codes(response) == ["G1", "B1", "U1"]


def test_lists_paginate(world, api_as):
    client = api_as("admin")
    first = client.get("/areas", page_size=4).json()
    second = client.get("/areas", page_size=4, page=2).json()
    assert (first["count"], first["page"], first["page_size"]) == (15, 1, 4)
    assert [a["code"] for a in first["items"]] == ["D", "S1", "C1", "G1"]
    assert [a["code"] for a in second["items"]] == ["B1", "U1", "C2", "G2"]
    assert client.get("/areas", page=99).json()["items"] == []


def test_households_list_and_detail(world, api_as):
    client = api_as("community_staff")
    listing = client.get("/households", under=world.areas["U1"].pk).json()
    assert [(h["number"], h["exclusive_area"]) for h in listing["items"]] == [("101", "89.50"), ("102", "120.25")]
    detail = client.get(f"/households/{world.households['H1'].pk}").json()
    assert detail["unit"]["full_name"].endswith("幸福苑3栋/1单元")


def test_people_are_masked_in_lists_and_details(world, api_as):
    client = api_as("community_secretary")
    listing = client.get("/people", under=world.areas["U1"].pk).json()
    assert [(p["name"], p["mobile"]) for p in listing["items"]] == [("张*", "138****0001")]
    detail = client.get(f"/people/{world.people['resident'].pk}")
    assert "张三" not in detail.content.decode() and "13800000001" not in detail.content.decode()


def test_people_search_needs_a_whole_name_mobile_or_id(world, api_as):
    client = api_as("street_official")
    assert [p["id"] for p in client.get("/people", q="张三").json()["items"]] == [world.people["resident"].pk]
    assert [p["id"] for p in client.get("/people", q="13800000002").json()["items"]] == [world.people["resident2"].pk]
    assert client.get("/people", q="张").json()["count"] == 0  # no letter-by-letter uncovering
    assert client.get("/people", q="王五").json()["count"] == 0  # 王五 lives in another street


def test_reveal_shows_full_values_and_audits_who_why_and_whom(world, api_as):
    person = world.people["resident"]
    response = api_as("community_staff").post(f"/people/{person.pk}/reveal", {"reason": "上门走访核实"})
    assert response.json() == {"name": "张三", "mobile": "13800000001", "id_number": ""}
    entry = AuditEntry.objects.get(action=AuditEntry.Action.UNMASK)
    assert (entry.user, entry.target, entry.outcome) == (world.users["community_staff"], f"person:{person.pk}",
                                                         AuditEntry.Outcome.SUCCESS)
    assert entry.details == {"reason": "上门走访核实"}


def test_reveal_without_a_body_works_and_a_refusal_is_audited_too(world, api_as):
    person = world.people["resident"]
    assert api_as("street_official").post(f"/people/{person.pk}/reveal", raw="").status_code == 200
    assert_error(api_as("grid_worker").post(f"/people/{person.pk}/reveal"), 403, "permission_denied")
    assert AuditEntry.objects.filter(action=AuditEntry.Action.UNMASK, outcome=AuditEntry.Outcome.DENIED,
                                     user=world.users["grid_worker"]).count() == 1


def test_community_staff_register_and_update_a_person_in_a_household(world, api_as):
    client = api_as("community_staff")
    created = client.post("/people", {"name": "钱多多", "mobile": "139 1234 5678",
                                      "household_id": world.households["H2"].pk})
    assert created.status_code == 201, created.content
    data = created.json()
    assert (data["name"], data["mobile"], data["household_id"]) == ("钱**", "139****5678", world.households["H2"].pk)
    person = Person.objects.get(pk=data["id"])
    assert (person.mobile, person.area, person.path) == ("13912345678", world.areas["U1"], world.areas["U1"].path)

    moved = client.patch(f"/people/{person.pk}", {"mobile": "13700000000", "area_id": world.areas["G1"].pk})
    assert moved.status_code == 200, moved.content
    person.refresh_from_db()
    assert (person.mobile, person.household, person.area) == ("13700000000", None, world.areas["G1"])


def test_moving_a_person_out_of_my_scope_is_refused(world, api_as):
    person = services.person_create(actor=None, name="周六", area=world.areas["C1"])
    response = api_as("community_staff").patch(f"/people/{person.pk}", {"area_id": world.areas["C2"].pk})
    assert_error(response, 404, "not_found")
    person.refresh_from_db()
    assert person.area == world.areas["C1"]


def test_admin_creates_an_area_and_a_household_and_renames(world, api_as):
    admin = api_as("admin")
    created = admin.post("/areas", {"parent_id": world.areas["G1"].pk, "level": "building", "name": "幸福苑5栋",
                                    "code": "B5"})
    assert created.status_code == 201, created.content
    building = created.json()
    assert (building["full_name"], building["level"]["code"]) == ("幸福区/东风街道/幸福苑社区/幸福苑小区/幸福苑5栋",
                                                                  "building")
    renamed = admin.patch(f"/areas/{world.areas['G1'].pk}", {"name": "幸福家园"})
    assert renamed.json()["name"] == "幸福家园"
    assert admin.get(f"/areas/{building['id']}").json()["full_name"].endswith("幸福家园/幸福苑5栋")
    household = admin.post("/households", {"unit_id": world.areas["U1"].pk, "number": "103",
                                           "exclusive_area": "95.5"})
    assert household.status_code == 201 and household.json()["exclusive_area"] == "95.50"


def test_only_a_superuser_creates_a_top_level_area(world, api_as):
    response = api_as("admin").post("/areas", {"parent_id": None, "level": "district", "name": "新区", "code": "D9"})
    assert_error(response, 403, "permission_denied")


def test_organizations_list_and_create(world, api_as):
    assert [o["name"] for o in api_as("handler").get("/organizations").json()["items"]] == ["东风街道城管执法队"]
    body = {"kind": "owners_committee", "name": "幸福苑业主委员会", "area_id": world.areas["G1"].pk}
    assert_error(api_as("community_secretary").post("/organizations", body), 403, "permission_denied")
    created = api_as("admin").post("/organizations", body)
    assert created.status_code == 201
    assert (created.json()["kind_label"], created.json()["area"]["name"]) == ("业主委员会", "幸福苑小区")
    assert_error(api_as("admin").post("/organizations", body), 400, "duplicate_organization")


def test_admin_assigns_and_revokes_a_role(world, api_as):
    admin = api_as("admin")
    person = world.people["resident"]
    body = {"person_id": person.pk, "role": "building_head", "area_id": world.areas["B1"].pk, "title": "楼栋长"}
    assert_error(api_as("community_secretary").post("/roles", body), 403, "permission_denied")
    created = admin.post("/roles", body)
    assert created.status_code == 201, created.content
    role = created.json()
    assert (role["role_label"], role["person"]["name"], role["area"]["name"]) == ("楼栋长", "张*", "幸福苑3栋")
    assert admin.delete(f"/roles/{role['id']}").status_code == 204
    assert not RoleAssignment.objects.get(pk=role["id"]).is_active
    assert role["id"] not in [r["id"] for r in admin.get("/roles").json()["items"]]
    assert role["id"] in [r["id"] for r in admin.get("/roles", active=False).json()["items"]]


def test_a_resident_sees_only_their_own_roles(world, api_as):
    roles = api_as("resident").get("/roles").json()["items"]
    assert [(r["person"]["id"], r["role"]) for r in roles] == [(world.people["resident"].pk, "resident")]


@pytest.mark.parametrize(("path", "make"), [
    ("/people", lambda w, n: services.person_create(actor=None, name=f"居民{n}", household=w.households["H2"])),
    ("/households", lambda w, n: services.household_create(actor=None, unit=w.areas["U2"], number=f"8{n:02d}",
                                                           exclusive_area="60")),
    ("/organizations", lambda w, n: services.organization_create(actor=None, kind="social_organization",
                                                                 name=f"志愿队{n}", area=w.areas["G2"])),
    ("/roles", lambda w, n: services.role_assign(
        actor=None, person=services.person_create(actor=None, name=f"楼长{n}", area=w.areas["B2"]),
        role="building_head", area=w.areas["B2"])),
    ("/areas", lambda w, n: services.area_create(actor=None, name=f"{n}号楼", code=f"BX{n}", parent=w.areas["G2"],
                                                 level=w.areas["B2"].level)),
])
def test_a_page_of_50_costs_a_fixed_number_of_queries(world, api_as, django_assert_max_num_queries, path, make):
    for n in range(60):
        make(world, n)
    client = api_as("district_official")
    client.get("/me")  # the token's first use stamps last_used_at; keep that write out of the count
    with CaptureQueriesContext(connection) as small:
        assert len(client.get(path, page_size=5).json()["items"]) == 5
    with django_assert_max_num_queries(4):  # token, the caller's roles, COUNT, the page
        assert len(client.get(path, page_size=50).json()["items"]) == 50
    with CaptureQueriesContext(connection) as large:
        client.get(path, page_size=50)
    assert len(large) == len(small)  # ten times the rows, not one query more
