"""The topic page's template part (issue 20): which template and why, the household visits a 幸福圆桌会 needs
(recorded on the page by the grid worker, refused to a resident), an admin changing the template with a reason;
and the back office showing where a template applies."""

from __future__ import annotations

import pytest
from django.utils import timezone

from yishiting.accounts.models import User
from yishiting.common.events import events_of
from yishiting.deliberation.models import ProcessTemplate, TemplateAssignment
from yishiting.deliberation.services.assignments import template_assign
from yishiting.deliberation.services.topics import topic_propose

from .pages import main

pytestmark = pytest.mark.django_db


@pytest.fixture
def round_table(world):
    template_assign(actor=world.users["admin"], area=world.areas["S1"],
                    template=ProcessTemplate.objects.get(code="nanchang-round-table"), reason="街道推行")
    return topic_propose(actor=world.users["community_secretary"], title="东门垃圾点迁移", description="",
                         level_area=world.areas["C1"], scope_area=world.areas["G1"])


def test_the_topic_says_which_template_and_where_it_comes_from(world, as_persona, round_table):
    page = main(as_persona("resident").get(f"/topics/{round_table.pk}/"))
    assert "议事规则：幸福圆桌会" in page and "东风街道适用此模板，本议题按区域继承" in page
    assert "已走访 0 户，会前至少须走访 3 户" in page
    assert "记录一次走访" not in page and "更换模板" not in page  # neither a council member nor an admin


def test_the_grid_worker_records_a_visit_on_the_page(world, as_persona, round_table):
    worker = as_persona("grid_worker")
    url = f"/topics/{round_table.pk}/"
    assert "记录一次走访" in main(worker.get(url))
    data = {"household": world.households["H1"].pk, "visited_on": timezone.localdate().isoformat(), "said": ""}
    empty = worker.post(f"{url}consultation/", data)
    assert empty.status_code == 400 and "请记录住户说了什么" in main(empty)
    saved = worker.post(f"{url}consultation/", {**data, "said": "同意迁到围墙边"}, follow=True)
    assert "同意迁到围墙边" in main(saved) and "已走访 1 户" in main(saved)
    outside = worker.post(f"{url}consultation/", {**data, "household": world.households["H4"].pk, "said": "好"})
    assert outside.status_code == 400 and round_table.consultations.count() == 1
    refused = as_persona("resident").post(f"{url}consultation/", {**data, "said": "我来记"}, follow=True)
    assert "只有本区域民情理事会的成员" in main(refused) and round_table.consultations.count() == 1


def test_an_admin_changes_the_template_with_a_reason(world, as_persona, round_table):
    admin = as_persona("admin")
    url = f"/topics/{round_table.pk}/"
    kenli = ProcessTemplate.objects.get(code="kenli-345")
    assert "更换模板（系统管理员）" in main(admin.get(url))
    missing = admin.post(f"{url}template/", {"template": kenli.pk, "reason": ""})
    assert missing.status_code == 400 and "请说明更换模板的理由" in main(missing)
    changed = main(admin.post(f"{url}template/", {"template": kenli.pk, "reason": "全街道统一按345议"}, follow=True))
    assert f"议事规则：{kenli.name}" in changed
    assert "系统管理员更换了模板，理由：全街道统一按345议" in changed
    other = ProcessTemplate.objects.get(code="yangzhou-5yi")
    refused = as_persona("community_secretary").post(f"{url}template/", {"template": other.pk, "reason": "想换"})
    assert refused.status_code == 400 and "只有系统管理员" in main(refused)
    round_table.refresh_from_db()
    assert round_table.template == kenli and events_of(round_table).filter(kind="topic.template_changed").count() == 1


def test_the_back_office_shows_where_a_template_applies_and_sets_it_through_the_service(world, round_table, client):
    root = User.objects.create_superuser("root", password="Root-Pass-2026")
    client.force_login(root)
    nanchang = ProcessTemplate.objects.get(code="nanchang-round-table")
    page = client.get(f"/admin/deliberation/processtemplate/{nanchang.pk}/change/").content.decode()
    assert "东风街道" in page and "适用区域" in page
    cenxi = ProcessTemplate.objects.get(code="cenxi-linli")
    response = client.post("/admin/deliberation/templateassignment/add/",
                           {"area": world.areas["C3"].pk, "template": cenxi.pk, "reason": "试点"})
    assert response.status_code == 302, response.content.decode()[:1500]
    assert TemplateAssignment.objects.get(area=world.areas["C3"]).template == cenxi
    assert events_of(cenxi).get().kind == "template.assigned"
    assert client.get("/admin/deliberation/templateassignment/").status_code == 200
