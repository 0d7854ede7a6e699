"""The area browser, people and household lists, and the audited reveal — each within the viewer's scope."""

from __future__ import annotations

import pytest

from yishiting.common.models import AuditEntry

pytestmark = pytest.mark.django_db


def page(client, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status, (url, response.status_code)
    return response.content.decode()


def test_area_index_opens_the_only_root(world, as_persona):
    response = as_persona("grid_worker").get("/areas/")
    assert response.status_code == 302 and response["Location"] == f"/areas/{world.areas['G1'].pk}/"


def test_area_detail_has_breadcrumb_children_and_counts(world, as_persona):
    a = world.areas
    html = page(as_persona("community_staff"), f"/areas/{a['C1'].pk}/")
    crumb = html.split('class="breadcrumb"')[1].split("</nav>")[0]
    # Ancestors above the viewer's scope are named but not linked.
    assert "幸福区" in crumb and f"/areas/{a['D'].pk}/" not in crumb and f"/areas/{a['S1'].pk}/" not in crumb
    assert f'href="/areas/{a["G1"].pk}/"' in html and "幸福苑小区" in html
    assert "和平里" not in html
    assert f'href="/areas/{a["C1"].pk}/people/"' in html


@pytest.mark.parametrize("query, found, absent", [
    ("xfy", ["幸福苑社区", "幸福苑小区", "幸福苑3栋"], ["和平里社区", "湖滨社区"]),
    ("hepingli", ["和平里社区", "和平里小区"], ["幸福苑社区"]),
    ("湖滨", ["湖滨社区", "湖滨花园"], ["幸福苑社区"]),
])
def test_search_by_name_or_pinyin(world, as_persona, query, found, absent):
    html = page(as_persona("district_official"), f"/areas/{world.areas['D'].pk}/?q={query}")
    for name in found:
        assert name in html
    for name in absent:
        assert name not in html


def test_search_stays_inside_scope(world, as_persona):
    html = page(as_persona("community_staff"), "/areas/?q=hpl")
    assert "没有找到" in html and "和平里" not in html


def test_area_lists_paginate(world, as_persona):
    from yishiting.areas.models import AreaLevel
    from yishiting.areas.services import area_create

    building = AreaLevel.objects.get(code="building")
    for number in range(35):
        area_create(actor=None, name=f"新楼{number:02d}栋", level=building, code=f"NB{number}",
                    parent=world.areas["G1"])
    client = as_persona("grid_worker")
    first = page(client, f"/areas/{world.areas['G1'].pk}/")
    assert "第 1 / 2 页" in first and "?page=2" in first
    assert "新楼34栋" in page(client, f"/areas/{world.areas['G1'].pk}/?page=2")


# persona → (own area, sibling, parent): the own one opens, the others are 404 — never data.
SCOPE_MATRIX = {
    "grid_worker": ("G1", "G2", "C1"),
    "community_staff": ("C1", "C2", "S1"),
    "community_secretary": ("C1", "C2", "S1"),
    "street_official": ("S1", "S2", "D"),
    "handler": ("S1", "S2", "D"),
}


@pytest.mark.parametrize("persona", SCOPE_MATRIX)
@pytest.mark.parametrize("suffix", ["", "people/", "households/"])
def test_out_of_scope_areas_are_404(world, as_persona, persona, suffix):
    own, sibling, parent = (world.areas[code] for code in SCOPE_MATRIX[persona])
    client = as_persona(persona)
    for area in (sibling, parent):
        response = client.get(f"/areas/{area.pk}/{suffix}")
        assert response.status_code in (403, 404), (persona, area.name, suffix)
        assert area.name not in response.content.decode().split("</header>")[1]
    if suffix == "":
        assert client.get(f"/areas/{own.pk}/").status_code == 200


def test_people_list_is_masked_with_reveal_button_for_office_staff(world, as_persona):
    html = page(as_persona("community_staff"), f"/areas/{world.areas['C1'].pk}/people/")
    assert "张*" in html and "138****0001" in html and "赵**" in html
    assert "张三" not in html and "13800000001" not in html
    assert "查看完整信息" in html and f'hx-post="/people/{world.people["resident"].pk}/reveal/"' in html
    assert "李*" not in html  # resident2 lives in the sibling community


def test_grid_worker_sees_masked_people_without_the_button(world, as_persona):
    html = page(as_persona("grid_worker"), f"/areas/{world.areas['G1'].pk}/people/")
    assert "张*" in html and "查看完整信息" not in html and "/reveal/" not in html


@pytest.mark.parametrize("suffix", ["", "people/", "households/"])
def test_the_area_browser_is_refused_to_a_resident_even_for_their_own_community(world, as_persona, suffix):
    response = as_persona("resident").get(f"/areas/{world.areas['C1'].pk}/{suffix}")
    html = response.content.decode()
    assert response.status_code == 403 and "无权访问" in html and "返回首页" in html
    assert "赵**" not in html and "89.50" not in html
    assert as_persona("resident").get("/areas/").status_code == 403


def test_reveal_swaps_in_clear_values_and_is_audited(world, as_persona):
    resident = world.people["resident"]
    response = as_persona("community_staff").post(f"/people/{resident.pk}/reveal/", HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith("<tr") and "张三" in html and "13800000001" in html
    assert "no-store" in response["Cache-Control"]
    entry = AuditEntry.objects.get(action=AuditEntry.Action.UNMASK)
    assert entry.user == world.users["community_staff"]
    assert (entry.outcome, entry.target) == (AuditEntry.Outcome.SUCCESS, f"person:{resident.pk}")


def test_reveal_without_htmx_renders_a_page(world, as_persona):
    response = as_persona("street_official").post(f"/people/{world.people['resident'].pk}/reveal/")
    assert response.status_code == 200
    assert "<html" in response.content.decode() and "张三" in response.content.decode()


@pytest.mark.parametrize("persona", ["grid_worker", "resident"])
def test_reveal_is_refused_and_audited_for_others(world, as_persona, persona):
    response = as_persona(persona).post(f"/people/{world.people['resident'].pk}/reveal/", HTTP_HX_REQUEST="true")
    assert response.status_code == 403
    assert "张三" not in response.content.decode().split("</header>")[-1]  # the header names the viewer: themself
    entry = AuditEntry.objects.get(action=AuditEntry.Action.UNMASK)
    assert (entry.user, entry.outcome) == (world.users[persona], AuditEntry.Outcome.DENIED)


def test_reveal_outside_scope_is_404_and_get_is_not_allowed(world, as_persona):
    client = as_persona("community_staff")
    assert client.post(f"/people/{world.people['resident3'].pk}/reveal/").status_code == 404
    assert client.get(f"/people/{world.people['resident'].pk}/reveal/").status_code == 405
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.UNMASK).exists()


def test_households_list(world, as_persona):
    html = page(as_persona("grid_worker"), f"/areas/{world.areas['G1'].pk}/households/")
    assert "89.50" in html and "120.25" in html and "<td data-label=\"单元\">幸福苑3栋/1单元</td>" in html


def test_lists_have_a_print_stylesheet(world, as_persona):
    html = page(as_persona("community_staff"), f"/areas/{world.areas['C1'].pk}/people/")
    assert "data-print" in html and 'class="print-only' in html
    from django.contrib.staticfiles import finders

    with open(finders.find("web/app.css"), encoding="utf-8") as handle:
        css = handle.read()
    assert "@media print" in css and "size: A4" in css


def test_people_page_query_budget(world, as_persona, django_assert_max_num_queries):
    client = as_persona("district_official")
    with django_assert_max_num_queries(12):
        assert client.get(f"/areas/{world.areas['D'].pk}/people/").status_code == 200
