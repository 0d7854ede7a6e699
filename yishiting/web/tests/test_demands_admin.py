"""The back office for demands and what screening creates: scoped lists, masked people, read-only records,
and the two catalogues edited through services (the example 协商目录 entries clearly labelled)."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client

from yishiting.common.events import events_of
from yishiting.demands.models import Category, ConsultationRule
from yishiting.demands.screening import Decision, demand_screen

pytestmark = pytest.mark.django_db


def staff_client(world, persona: str) -> Client:
    user = world.users[persona]
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    client = Client()
    client.force_login(user)
    return client


def listed(client: Client, url: str) -> list:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return list(response.context["cl"].queryset)


def test_demands_are_scoped_masked_and_read_only(world, new_demand):
    here = new_demand("resident")
    there = new_demand("resident3", area=world.areas["B3"], text="湖滨花园2栋门口积水")
    secretary = staff_client(world, "community_secretary")
    assert listed(secretary, "/admin/demands/demand/") == [here]
    page = secretary.get(f"/admin/demands/demand/{here.pk}/change/").content.decode()
    assert "张* 138****0001" in page and "张三" not in page and "13800000001" not in page
    assert 'name="_save"' not in page and f"/demands/{here.pk}/" in page
    assert secretary.get(f"/admin/demands/demand/{there.pk}/change/").status_code in (302, 403, 404)
    assert secretary.get("/admin/demands/demand/add/").status_code == 403
    assert {d.pk for d in listed(staff_client(world, "admin"), "/admin/demands/demand/")} == {here.pk, there.pk}


def test_topics_tasks_cases_and_notifications_are_scoped(world, new_demand):
    for outcome, fields in [("topic", {"nature": "public", "topic_title": "3栋电梯维修"}),
                            ("mediation", {"nature": "dispute", "reason": "邻里纠纷"}),
                            ("handling", {"nature": "individual", "handler": world.people["grid_worker"],
                                          "deadline": date(2099, 1, 1)})]:
        demand_screen(actor=world.users["community_staff"], demand=new_demand(),
                      decision=Decision(outcome=outcome, **fields))
    new_demand("resident3", area=world.areas["B3"], text="湖滨花园2栋门口积水")
    secretary = staff_client(world, "community_secretary")
    assert [t.title for t in listed(secretary, "/admin/deliberation/topic/")] == ["3栋电梯维修"]
    assert len(listed(secretary, "/admin/handling/task/")) == 1
    assert len(listed(secretary, "/admin/mediation/mediationcase/")) == 1
    notes = listed(secretary, "/admin/notifications/notification/")
    # the reporter, the grid worker told of the task assigned to him, and the secretary asked to assign a
    # mediator to the dispute (the staff member who screened it knows) — not 王五 of another street
    assert notes and {n.person.name for n in notes} == {"张三", "赵网格", "孙书记"}
    html = secretary.get("/admin/notifications/notification/").content.decode()
    assert "张*" in html and "张三" not in html
    assert "赵**" in secretary.get("/admin/handling/task/").content.decode()


def test_the_consultation_catalogue_labels_its_examples(world):
    client = staff_client(world, "admin")
    html = client.get("/admin/demands/consultationrule/").content.decode()
    assert "示例条目（请按本地目录修改）" in html and "没有官方统一目录" in html


def test_admins_edit_the_catalogues_through_services(world):
    client = staff_client(world, "admin")
    response = client.post("/admin/demands/category/add/", {
        "name": "养老服务", "code": "elderly", "description": "", "screening_days": 3, "list_kind": "need",
        "sort_order": 20, "is_active": "on"})
    assert response.status_code == 302
    category = Category.objects.get(code="elderly")
    assert [e.kind for e in events_of(category)] == ["category.created"]
    rule = ConsultationRule.objects.filter(is_example=True).first()
    client.post(f"/admin/demands/consultationrule/{rule.pk}/change/", {
        "kind": rule.kind, "text": "本社区规定：涉及个人隐私的事项不议", "sort_order": rule.sort_order,
        "is_active": "on"})
    rule.refresh_from_db()
    assert rule.text.startswith("本社区规定") and not rule.is_example
    assert [e.kind for e in events_of(rule)] == ["rule.changed"]
    duplicate = client.post("/admin/demands/category/add/", {
        "name": "养老服务", "code": "elderly2", "screening_days": 3, "list_kind": "need", "sort_order": 1})
    assert duplicate.status_code == 200 and Category.objects.filter(name="养老服务").count() == 1


def test_staff_who_screen_may_read_but_not_change_the_catalogues(world):
    secretary = staff_client(world, "community_secretary")
    assert len(listed(secretary, "/admin/demands/category/")) == Category.objects.count()
    assert secretary.get("/admin/demands/category/add/").status_code == 403
    rule = ConsultationRule.objects.first()
    page = secretary.get(f"/admin/demands/consultationrule/{rule.pk}/change/").content.decode()
    assert 'name="_save"' not in page
