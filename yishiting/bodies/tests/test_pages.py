"""The bodies' pages through the test client: the list (search, kinds, pages), a body with its members masked
for a neighbour and revealed (audited) for the office, the staff forms and their refusals, and the API."""

from __future__ import annotations

import pytest
from django.test import Client

from yishiting.bodies import services
from yishiting.bodies.models import Body, BodyKind, Membership
from yishiting.common.models import AuditEntry

from .conftest import add_person, council, kind

pytestmark = pytest.mark.django_db


def _client(world, name: str) -> Client:
    client = Client()
    client.force_login(world.users[name])
    return client


def test_a_resident_sees_the_community_council_with_neighbours_masked_and_officials_named(world):
    body = council(world)
    listing = _client(world, "resident").get("/bodies/").content.decode()
    assert body.name in listing and "3 名成员" in listing
    page = _client(world, "resident").get(f"/bodies/{body.pk}/").content.decode()
    assert "社区书记" in page and "孙书记" in page and "钱社工" in page  # in office: named with the office
    assert "张*" in page  # a resident's seat is masked on a page others read
    assert "添加成员" not in page and "调整职务" not in page


def test_members_are_masked_for_neighbours_and_revealed_to_the_office_with_an_audit(world):
    add_person(world, "neighbour", "欧阳明", "13900000051", role="resident")
    neighbour = _client(world, "neighbour")
    other = services.body_create(actor=None, area=world.areas["G1"], kind=kind("estate_council"))
    seat = services.membership_add(actor=None, body=other, person=world.people["resident"])
    page = neighbour.get(f"/bodies/{other.pk}/").content.decode()
    assert "张*" in page and "张三" not in page
    before = AuditEntry.objects.filter(action=AuditEntry.Action.UNMASK).count()
    staff_page = _client(world, "community_staff").get(f"/bodies/{other.pk}/").content.decode()
    assert "张三" in staff_page and f'id="member-{seat.pk}"' in staff_page
    assert AuditEntry.objects.filter(action=AuditEntry.Action.UNMASK).count() == before + 1


def test_another_communitys_body_is_not_found(world):
    body = council(world)
    assert _client(world, "resident3").get(f"/bodies/{body.pk}/").status_code == 404
    assert _client(world, "resident3").get("/bodies/").content.decode().count(body.name) == 0


def test_search_and_kind_filter_and_pages(world):
    staff = world.users["community_staff"]
    council(world)
    services.body_create(actor=staff, area=world.areas["G1"], kind=kind("estate_council"))
    services.body_create(actor=staff, area=world.areas["B1"], kind=kind("building_group"))
    client = _client(world, "community_staff")
    assert "幸福苑3栋楼栋居民议事小组" in client.get("/bodies/?q=3栋").content.decode()
    assert "幸福苑社区社区党群议事会" not in client.get("/bodies/?q=3栋").content.decode()
    only = client.get("/bodies/?kind=estate_council").content.decode()
    assert "幸福苑小区小区居民议事会" in only and "楼栋居民议事小组</span>" not in only
    assert client.get("/bodies/?page=99&kind=nonsense&q=" + "长" * 300).status_code == 200


def test_staff_found_a_body_seat_change_and_end_members_on_the_pages(world):
    client = _client(world, "community_staff")
    page = client.post("/bodies/new/", {"kind": kind("estate_council").pk, "area": world.areas["G1"].pk})
    body = Body.objects.get(area=world.areas["G1"])
    assert page.status_code == 302 and page["Location"] == f"/bodies/{body.pk}/"
    assert client.post(f"/bodies/{body.pk}/members/", {"role": "member", "term_start": "2026-01-01"}).status_code == 400
    both = client.post(f"/bodies/{body.pk}/members/", {"person": world.people["resident"].pk, "term_start": "2026-01-01",
                                                       "organization": world.organizations["property"].pk, "role": "member"})
    assert both.status_code == 400 and "二选一" in both.content.decode()
    added = client.post(f"/bodies/{body.pk}/members/", {"person": world.people["resident"].pk, "role": "member",
                                                        "term_start": "2026-01-01"}, follow=True)
    assert "已添加成员" in added.content.decode()
    seat = Membership.objects.get(body=body)
    assert "已调整职务" in client.post(f"/bodies/members/{seat.pk}/role/", {"role": "convener"}, follow=True).content.decode()
    ended = client.post(f"/bodies/members/{seat.pk}/end/", {"reason": "搬离小区"}, follow=True).content.decode()
    assert "已登记离任" in ended and "搬离小区" in ended  # in the history
    assert client.post(f"/bodies/members/{seat.pk}/nonsense/").status_code == 404


def test_the_wrong_level_and_a_second_body_are_refused_in_chinese(world):
    council(world)
    client = _client(world, "community_staff")
    page = client.post("/bodies/new/", {"kind": kind("party_mass_council").pk, "area": world.areas["G1"].pk})
    assert page.status_code == 400 and "设在社区（村）一级" in page.content.decode()
    page = client.post("/bodies/new/", {"kind": kind("party_mass_council").pk, "area": world.areas["C1"].pk})
    assert page.status_code == 400 and "已有社区党群议事会" in page.content.decode()


def test_residents_and_officials_cannot_change_members(world):
    body = council(world)
    seat = Membership.objects.filter(body=body).first()
    for name in ("resident", "street_official"):
        client = _client(world, name)
        assert client.get("/bodies/new/").status_code == 403
        assert client.post(f"/bodies/{body.pk}/members/", {"person": world.people["resident"].pk}).status_code == 403
        assert client.post(f"/bodies/members/{seat.pk}/end/", {}).status_code == 403


def test_the_person_picker_answers_only_for_the_bodys_keepers(world):
    body = council(world)
    ok = _client(world, "community_staff").get(f"/pick/body_member/?name=person&body={body.pk}&person_q=张三")
    assert ok.status_code == 200 and "张三" in ok.content.decode()
    assert _client(world, "resident").get(f"/pick/body_member/?name=person&body={body.pk}&person_q=张").status_code == 403
    orgs = _client(world, "community_staff").get(f"/pick/body_org/?name=organization&body={body.pk}&organization_q=物业")
    assert "幸福苑物业服务有限公司" in orgs.content.decode()


def test_the_api_lists_a_body_and_its_members_as_the_pages_do(world):
    from yishiting.accounts.services import token_create
    from yishiting.api.tests.conftest import ApiClient

    body = council(world)
    api = ApiClient(token_create(actor=world.users["resident"], name="测试")[1])
    listed = api.get("/bodies", q="党群").json()
    assert [b["id"] for b in listed["items"]] == [body.pk] and listed["items"][0]["seats"] == 3
    detail = api.get(f"/bodies/{body.pk}").json()
    names = {m["name"] for m in detail["members"]}
    assert {"孙书记", "钱社工", "张*"} == names
    assert api.get(f"/bodies/{body.pk}/members").json()[0]["role"] == "convener"
    refused = api.post(f"/bodies/{body.pk}/members", {"person_id": world.people["resident"].pk})
    assert refused.status_code == 403
    staff = ApiClient(token_create(actor=world.users["community_staff"], name="测试")[1])
    bad = staff.post(f"/bodies/{body.pk}/members", {"role": "boss", "person_id": world.people["grid_worker"].pk})
    assert bad.status_code == 400 and bad.json()["code"] == "invalid_choice"
    assert staff.get("/bodies/999999").status_code == 404
    assert BodyKind.objects.count() == 7
