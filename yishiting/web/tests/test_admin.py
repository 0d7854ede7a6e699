"""The back office: every staff member sees only their scope, writes go through services, personal data is
masked in lists and audited when shown in full, and the area import writes all or nothing."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from yishiting.accounts.models import ApiToken, User
from yishiting.accounts.services import token_create
from yishiting.areas import services
from yishiting.areas.choices import Role
from yishiting.areas.models import Area, AreaLevel, Person, RoleAssignment
from yishiting.common.audit import audit_record
from yishiting.common.events import events_of
from yishiting.common.models import AuditEntry, CalendarYear
from yishiting.common.testing import PERSONA_PASSWORD

pytestmark = pytest.mark.django_db


def staff_client(world, persona: str) -> Client:
    user = world.users[persona]
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def street_admin(world) -> User:
    """A non-superuser administrator of street S1 only (ADMIN role at S1)."""
    user = User.objects.create_user("street_admin", password="Street-Admin-2026", is_staff=True)
    person = services.person_create(actor=None, name="何管理", mobile="13800000020", area=world.areas["S1"],
                                    user=user)
    services.role_assign(actor=None, person=person, role=Role.ADMIN, area=world.areas["S1"])
    return user


@pytest.fixture
def superuser(db) -> User:
    return User.objects.create_superuser("root", password="Root-Pass-2026")


def login(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def listed(client: Client, url: str) -> list:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return list(response.context["cl"].queryset)


def codes(areas) -> set[str]:
    return {a.code for a in areas}


# ---- scope ----

def test_community_secretary_sees_only_their_community(world):
    client = staff_client(world, "community_secretary")
    assert codes(listed(client, "/admin/areas/area/")) == {"C1", "G1", "B1", "U1"}
    names = {p.name for p in listed(client, "/admin/areas/person/")}
    assert names == {"张三", "赵网格", "钱社工", "孙书记"}


def test_street_admin_sees_their_street_and_superuser_everything(world, street_admin, superuser):
    assert codes(listed(login(street_admin), "/admin/areas/area/")) == {
        "S1", "C1", "G1", "B1", "U1", "C2", "G2", "B2", "U2"}
    assert len(listed(login(superuser), "/admin/areas/area/")) == Area.objects.count() == 15
    assert len(listed(staff_client(world, "admin"), "/admin/areas/area/")) == 15


@pytest.mark.parametrize("url", ["/admin/areas/area/{C2}/change/", "/admin/areas/area/{S2}/change/",
                                 "/admin/areas/person/{resident3}/change/"])
def test_out_of_scope_objects_do_not_open(world, url):
    client = staff_client(world, "community_secretary")
    target = url.format(C2=world.areas["C2"].pk, S2=world.areas["S2"].pk, resident3=world.people["resident3"].pk)
    response = client.get(target)
    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert "王五" not in client.get("/admin/", follow=True).content.decode()


def test_staff_without_roles_see_no_data(db):
    user = User.objects.create_user("clerk", password="Clerk-Pass-2026", is_staff=True)
    client = login(user)
    assert client.get("/admin/areas/area/").status_code == 403
    assert "区域" not in client.get("/admin/").content.decode().split('id="content"')[1]


def test_admin_apps_are_in_chinese(world):
    html = staff_client(world, "admin").get("/admin/").content.decode()
    for label in ["区域与人员", "账号与安全", "节假日 / 调休日", "审计日志", "事件日志", "角色分配"]:
        assert label in html


# ---- people: masked lists, audited full view ----

def test_person_list_is_masked(world):
    html = staff_client(world, "admin").get("/admin/areas/person/").content.decode()
    assert "张*" in html and "138****0001" in html
    assert "张三" not in html and "13800000001" not in html


def test_opening_a_person_is_an_audited_unmasked_read(world):
    resident = world.people["resident"]
    html = staff_client(world, "community_secretary").get(f"/admin/areas/person/{resident.pk}/change/")
    assert "张三" in html.content.decode()
    entry = AuditEntry.objects.get(action=AuditEntry.Action.UNMASK)
    assert (entry.user, entry.target, entry.details["reason"]) == (
        world.users["community_secretary"], f"person:{resident.pk}", "admin")


def test_staff_without_unmask_see_the_person_masked_and_read_only(world):
    resident = world.people["resident"]
    html = staff_client(world, "grid_worker").get(f"/admin/areas/person/{resident.pk}/change/").content.decode()
    assert "张*" in html and "张三" not in html and "13800000001" not in html
    assert 'name="_save"' not in html
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.UNMASK).exists()


def test_only_those_who_may_unmask_can_search_people_by_name_or_mobile(world):
    secretary = staff_client(world, "community_secretary")
    assert {p.name for p in listed(secretary, "/admin/areas/person/?q=张三")} == {"张三"}
    grid_worker = staff_client(world, "grid_worker")
    everyone = {p.name for p in listed(grid_worker, "/admin/areas/person/")}
    assert {p.name for p in listed(grid_worker, "/admin/areas/person/?q=张三")} == everyone == {"张三", "赵网格"}
    assert {p.name for p in listed(grid_worker, "/admin/areas/person/?q=13800000001")} == everyone


def test_person_add_and_change_go_through_services(world):
    client = staff_client(world, "community_secretary")
    response = client.post("/admin/areas/person/add/", {
        "name": "刘新", "mobile": "13900001111", "id_number": "", "household": world.households["H2"].pk,
        "area": "", "_save": "保存"})
    assert response.status_code == 302, response.content.decode()[:2000]
    person = Person.objects.get(mobile="13900001111")
    assert person.path == world.households["H2"].path
    response = client.post(f"/admin/areas/person/{person.pk}/change/", {
        "name": "刘新民", "mobile": "13900001111", "id_number": "", "household": world.households["H2"].pk,
        "area": world.areas["U1"].pk, "_save": "保存"})
    assert response.status_code == 302
    assert [e.kind for e in events_of(person)] == ["person.created", "person.updated"]


def test_person_with_bad_id_number_is_refused(world):
    client = staff_client(world, "community_secretary")
    response = client.post("/admin/areas/person/add/", {
        "name": "刘新", "mobile": "13900001111", "id_number": "110101199003070000",
        "household": "", "area": world.areas["C1"].pk})
    assert response.status_code == 200
    assert "身份证号格式或校验位不正确" in response.content.decode()
    assert not Person.objects.filter(mobile="13900001111").exists()


def test_household_outside_scope_cannot_be_chosen(world):
    client = staff_client(world, "community_secretary")
    response = client.post("/admin/areas/person/add/", {
        "name": "刘新", "mobile": "13900001111", "household": world.households["H4"].pk, "area": ""})
    assert response.status_code == 200
    assert not Person.objects.filter(mobile="13900001111").exists()


# ---- areas: service-computed paths, level rules, scope of writes ----

def add_area(client: Client, parent: Area | None, level: str, name: str, code: str):
    return client.post("/admin/areas/area/add/", {
        "parent": parent.pk if parent else "", "level": AreaLevel.objects.get(code=level).pk,
        "name": name, "code": code, "_save": "保存"})


def test_area_created_in_admin_gets_its_path_from_the_service(world):
    response = add_area(staff_client(world, "admin"), world.areas["C2"], "estate", "和平里二区", "G2B")
    assert response.status_code == 302
    area = Area.objects.get(code="G2B")
    assert area.path.startswith(world.areas["C2"].path) and len(area.path) == len(world.areas["C2"].path) + 4
    assert area.full_name == "幸福区/东风街道/和平里社区/和平里二区"
    assert area.search_key.startswith("hpleq")
    assert [e.kind for e in events_of(area)] == ["area.created"]
    assert events_of(area)[0].actor == world.users["admin"]


def test_area_at_the_wrong_level_is_refused(world):
    response = add_area(staff_client(world, "admin"), world.areas["C2"], "building", "错层楼", "BAD1")
    assert response.status_code == 200
    assert "层级不对" in response.content.decode()
    assert not Area.objects.filter(code="BAD1").exists()


def test_only_superusers_create_top_level_areas(world, superuser):
    response = add_area(staff_client(world, "admin"), None, "district", "新区", "D2")
    assert response.status_code == 200 and "请选择上级区域" in response.content.decode()
    assert add_area(login(superuser), None, "district", "新区", "D2").status_code == 302


def test_street_admin_cannot_add_under_another_street(world, street_admin):
    client = login(street_admin)
    response = add_area(client, world.areas["S2"], "community", "越界社区", "X1")
    assert response.status_code == 200 and not Area.objects.filter(code="X1").exists()
    assert add_area(client, world.areas["S1"], "community", "新村", "X2").status_code == 302


def test_staff_without_manage_permission_cannot_add(world):
    client = staff_client(world, "community_secretary")
    assert client.get("/admin/areas/area/add/").status_code == 403
    assert add_area(client, world.areas["C1"], "estate", "新小区", "X3").status_code == 403


def test_renaming_an_area_renames_its_subtree(world):
    client = staff_client(world, "admin")
    response = client.post(f"/admin/areas/area/{world.areas['C1'].pk}/change/", {"name": "幸福家园社区",
                                                                                 "_save": "保存"})
    assert response.status_code == 302
    assert Area.objects.get(code="U1").full_name == "幸福区/东风街道/幸福家园社区/幸福苑小区/幸福苑3栋/1单元"


# ---- roles ----

def test_role_assigned_and_revoked_through_services(world):
    client = staff_client(world, "admin")
    person = world.people["street_resident"]
    response = client.post("/admin/areas/roleassignment/add/", {
        "person": person.pk, "role": Role.BUILDING_HEAD, "area": world.areas["B1"].pk, "organization": "",
        "expert_level": "", "title": "楼长", "_save": "保存"})
    assert response.status_code == 302, response.content.decode()[:3000]
    assignment = RoleAssignment.objects.get(person=person, role=Role.BUILDING_HEAD)
    client.post("/admin/areas/roleassignment/", {"action": "revoke_selected", "_selected_action": [assignment.pk]})
    assignment.refresh_from_db()
    assert not assignment.is_active
    assert [e.kind for e in events_of(person)][-2:] == ["role.assigned", "role.revoked"]


def test_a_service_refusal_is_a_message_not_a_server_error(world):
    client = staff_client(world, "admin")
    data = {"person": world.people["street_resident"].pk, "role": Role.HANDLER, "area": world.areas["S1"].pk,
            "organization": "", "expert_level": "", "title": "", "_save": "保存"}
    response = client.post("/admin/areas/roleassignment/add/", data, follow=True)
    assert response.status_code == 200
    assert "承办单位经办人必须指定所属组织" in response.content.decode()
    assert not RoleAssignment.objects.filter(role=Role.HANDLER, person=world.people["street_resident"]).exists()


# ---- logs, accounts, calendar ----

def test_event_log_is_read_only_and_scoped(world, street_admin):
    client = login(street_admin)
    subjects = {(e.subject_type, e.subject_id) for e in listed(client, "/admin/common/event/")}
    assert ("areas.area", str(world.areas["C1"].pk)) in subjects
    assert ("areas.area", str(world.areas["S2"].pk)) not in subjects
    assert ("areas.area", str(world.areas["D"].pk)) not in subjects
    event = events_of(world.areas["C1"]).first()
    html = client.get(f"/admin/common/event/{event.pk}/change/").content.decode()
    assert 'name="_save"' not in html
    assert staff_client(world, "community_secretary").get("/admin/common/event/").status_code == 403


def test_audit_log_is_scoped_to_people_in_scope(world, street_admin):
    for persona in ["resident", "resident3"]:
        audit_record(action=AuditEntry.Action.LOGIN, outcome=AuditEntry.Outcome.FAILURE, username=persona)
    usernames = {e.username for e in listed(login(street_admin), "/admin/common/auditentry/")}
    assert "resident" in usernames and "resident3" not in usernames


def test_event_chain_heads_are_for_superusers_only(world, superuser):
    assert staff_client(world, "admin").get("/admin/common/eventhead/").status_code == 403
    assert login(superuser).get("/admin/common/eventhead/").status_code == 200


def test_staff_cannot_edit_accounts_or_see_token_digests(world):
    client = staff_client(world, "admin")
    token, _secret = token_create(actor=world.users["grid_worker"], name="巡查")
    target = world.users["resident"]
    html = client.get(f"/admin/accounts/user/{target.pk}/change/").content.decode()
    assert 'name="_save"' not in html
    assert client.post(f"/admin/accounts/user/{target.pk}/change/", {"is_superuser": "on"}).status_code == 403
    assert not User.objects.get(pk=target.pk).is_superuser
    token_page = client.get(f"/admin/accounts/apitoken/{token.pk}/change/").content.decode()
    assert ApiToken.objects.get(pk=token.pk).digest not in token_page and "巡查" in token_page


def test_calendar_is_editable_by_admins_only(world):
    next_year = 2099
    client = staff_client(world, "admin")
    response = client.post("/admin/common/calendaryear/add/", {"year": next_year, "source": "admin", "note": ""})
    assert response.status_code == 302 and CalendarYear.objects.filter(year=next_year).exists()
    assert staff_client(world, "community_secretary").get("/admin/common/calendarday/").status_code == 403


# ---- import ----

GOOD_CSV = """类型,编码,名称,层级,上级编码,专有面积
区域,G1N,幸福苑北区,小区,C1,
区域,B1N,北区1栋,楼栋,G1N,
区域,U1N,1单元,单元,B1N,
住户,,101,,U1N,88.50
"""
BAD_CSV = """类型,编码,名称,层级,上级编码,专有面积
区域,G1N,幸福苑北区,小区,C1,
区域,B1N,北区1栋,单元,G1N,
住户,,101,,U1N,abc
"""


def upload(client: Client, text: str, name: str = "areas.csv"):
    return client.post("/admin/areas/area/import/",
                       {"file": SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")})


def test_import_with_errors_lists_rows_and_imports_nothing(world):
    before = Area.objects.count()
    response = upload(staff_client(world, "admin"), BAD_CSV)
    assert response.status_code == 200
    html = response.content.decode()
    assert "未导入任何数据" in html and 'id="import-errors"' in html
    assert "<td>3</td>" in html and "<td>4</td>" in html  # the bad rows, by spreadsheet row number
    assert Area.objects.count() == before


def test_clean_import_creates_the_tree(world):
    client = staff_client(world, "admin")
    assert "导入区域与住户" in client.get("/admin/areas/area/").content.decode()
    response = upload(client, GOOD_CSV)
    html = response.content.decode()
    assert "导入成功" in html and "新建区域：3" in html and "新建住户：1" in html
    unit = Area.objects.get(code="U1N")
    assert unit.full_name.endswith("幸福苑社区/幸福苑北区/北区1栋/1单元")
    assert unit.households.get().exclusive_area == Decimal("88.50")


def test_import_page_needs_the_manage_permission(world):
    client = staff_client(world, "community_secretary")
    assert client.get("/admin/areas/area/import/").status_code == 403
    assert "导入区域与住户" not in client.get("/admin/areas/area/").content.decode()


def test_the_admin_signs_in_through_the_site_login(world):
    response = Client().get("/admin/areas/area/", follow=True)
    assert response.redirect_chain[-1][0] == "/login/?next=/admin/areas/area/"
    client = Client()
    client.post("/login/", {"username": "admin", "password": PERSONA_PASSWORD, "next": "/admin/"})
    assert client.get("/admin/").status_code == 200
    resident = Client()
    resident.force_login(world.users["resident"])
    assert resident.get("/admin/", follow=True).status_code == 403  # signed in, not staff: no redirect loop
