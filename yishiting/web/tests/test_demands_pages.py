"""我的诉求, one demand with its timeline, 我的消息, the community's topic board, the three lists with their XLSX
export, the navigation — each for the right people, 404/403 for the others."""

from __future__ import annotations

import io

import pytest
from django.test import Client
from openpyxl import load_workbook

from yishiting.demands.screening import Decision, demand_screen
from yishiting.notifications.models import Notification

pytestmark = pytest.mark.django_db


def body(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode().split('<main id="main"')[1].split("</main>")[0]


def make_topic(world, demand, title="3栋电梯维修"):
    return demand_screen(actor=world.users["community_staff"], demand=demand,
                         decision=Decision(outcome="topic", nature="public", topic_title=title, reason="多户受影响"))


def test_my_demands_lists_only_my_own(world, as_persona, new_demand):
    mine = new_demand("resident")
    entered_for_me = new_demand("grid_worker", reporter_kind="on_behalf", reporter=world.people["resident"],
                                consent_recorded=True, text="3栋门口的路灯不亮了")
    other = new_demand("resident2", area=world.areas["B2"], text="和平里1栋楼顶漏水")
    html = body(as_persona("resident").get("/demands/mine/"))
    assert mine.number in html and entered_for_me.number in html and "代录" in html
    assert other.number not in html
    assert "您还没有反映过问题" in body(as_persona("resident3").get("/demands/mine/"))


@pytest.mark.parametrize("persona, status", [("resident", 200), ("grid_worker", 200), ("community_staff", 200),
                                             ("street_official", 200), ("resident2", 404), ("resident3", 404),
                                             ("handler", 404)])
def test_a_demand_page_for_who_may_see_it(world, as_persona, new_demand, persona, status):
    demand = new_demand("resident")
    assert as_persona(persona).get(f"/demands/{demand.pk}/").status_code == status


def test_anonymous_visitors_are_sent_to_sign_in(world, new_demand):
    demand = new_demand()
    for url in ["/demands/mine/", f"/demands/{demand.pk}/", "/messages/", "/demands/inbox/", "/lists/problem/"]:
        assert Client().get(url)["Location"].startswith("/login/?next="), url


def test_the_detail_page_masks_the_reporter_for_staff_and_offers_screening(world, as_persona, new_demand):
    demand = new_demand("resident")
    staff = body(as_persona("community_staff").get(f"/demands/{demand.pk}/"))
    assert "张*" in staff and "张三" not in staff and f"/demands/{demand.pk}/screen/" in staff
    own = body(as_persona("resident").get(f"/demands/{demand.pk}/"))
    assert f"/demands/{demand.pk}/screen/" not in own and "进展" in own
    assert f"居民 张三 通过线上提交诉求，编号 {demand.number}" in own and "张三（本人）" in own  # yourself: in full
    assert f"居民 张* 通过线上提交诉求，编号 {demand.number}" in staff


def test_my_messages_shows_what_was_sent_and_marks_it_read(world, as_persona, new_demand):
    demand = new_demand("resident")
    client = as_persona("resident")
    assert "您有 1 条未读消息" in client.get("/").content.decode()
    html = body(client.get("/messages/"))
    assert f"已收到您的诉求（编号 {demand.number}）" in html and "未读" in html and "已发短信" in html
    assert f'href="/demands/{demand.pk}/"' in html
    assert not Notification.objects.filter(read_at__isnull=True).exists()
    assert "未读" not in body(client.get("/messages/"))
    assert "未读消息" not in client.get("/").content.decode()
    assert "还没有消息" in body(as_persona("resident2").get("/messages/"))


def test_the_topic_board_is_masked_and_for_the_community(world, as_persona, new_demand):
    make_topic(world, new_demand("resident"))
    url = f"/communities/{world.areas['C1'].pk}/topics/"
    html = body(as_persona("resident").get(url))
    assert "3栋电梯维修" in html and "征求意见" in html and "1 件" in html
    assert "张" not in html and "钱" not in html  # neither proposer nor staff are named
    assert "3栋电梯维修" in body(as_persona("grid_worker").get(url))
    assert as_persona("resident3").get(url).status_code == 404  # another street's resident
    assert as_persona("resident").get(f"/communities/{world.areas['B1'].pk}/topics/").status_code == 404
    assert Client().get(url).status_code == 302


@pytest.mark.parametrize("persona, status", [("community_staff", 200), ("grid_worker", 200),
                                             ("district_official", 200), ("resident", 403), ("handler", 403)])
def test_the_three_lists_are_for_those_who_work_for_areas(world, as_persona, persona, status):
    for kind in ("problem", "need", "responsibility"):
        assert as_persona(persona).get(f"/lists/{kind}/").status_code == status
    assert as_persona("community_staff").get("/lists/other/").status_code == 404


def test_the_lists_filter_and_sort_demands_into_problem_need_and_responsibility(world, as_persona, new_demand):
    problem = new_demand(text="3栋电梯坏了两天")                               # 设施维护 → problem list
    need = new_demand(text="社区能不能组织一个合唱队，我们退休了想唱唱歌")       # 文体娱乐 → need list
    make_topic(world, problem)
    client = as_persona("community_staff")
    problems = body(client.get("/lists/problem/"))
    assert problem.number in problems and need.number not in problems
    assert need.number in body(client.get("/lists/need/"))
    responsibility = body(client.get("/lists/responsibility/"))
    assert problem.number in responsibility and "3栋电梯维修" in responsibility
    assert problem.number not in body(client.get("/lists/problem/?status=pending"))
    assert problem.number in body(client.get("/lists/problem/?status=topic&level=estate"))
    assert problem.number not in body(client.get("/lists/problem/?channel=hotline"))
    assert "截止日期不能早于起始日期" in body(client.get("/lists/problem/?start=2026-05-01&end=2026-04-01"))
    assert "data-print" in problems and "打印于" in problems


def test_export_xlsx_keeps_the_filters_and_masks_people(world, as_persona, new_demand):
    new_demand(text="3栋电梯坏了两天")
    new_demand(text="东门路灯坏了", channel="hotline")
    client = as_persona("community_staff")
    page = body(client.get("/lists/problem/?channel=hotline&page=1"))
    assert 'href="/lists/problem/export.xlsx?channel=hotline"' in page
    response = client.get("/lists/problem/export.xlsx?channel=hotline")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert len(rows) == 2 and "东门路灯坏了" in rows[1]
    assert "张*" in rows[1] and "张三" not in rows[1]


def test_export_needs_the_export_permission(world, as_persona):
    assert as_persona("grid_worker").get("/lists/problem/export.xlsx").status_code == 403
    assert "导出 XLSX" not in body(as_persona("grid_worker").get("/lists/problem/"))


@pytest.mark.parametrize("persona, present, absent", [
    ("resident", ["反映问题", "我的诉求", "我的消息"], ["快速录入", "诉求筛选", "三张清单"]),
    ("grid_worker", ["快速录入", "三张清单", "我的消息"], ["反映问题", "诉求筛选"]),
    ("community_staff", ["快速录入", "诉求筛选", "三张清单"], ["反映问题"]),
    ("handler", ["我的消息"], ["反映问题", "快速录入", "诉求筛选", "三张清单"]),
])
def test_navigation_offers_what_each_persona_may_do(world, as_persona, persona, present, absent):
    html = as_persona(persona).get("/").content.decode()
    nav = html.split('class="site-nav"')[1].split("</nav>")[0]
    for label in present:
        assert label in nav, label
    for label in absent:
        assert label not in nav, label


def test_home_shows_the_inbox_count_to_staff(world, as_persona, new_demand):
    new_demand()
    html = body(as_persona("community_staff").get("/"))
    assert "待筛选诉求 <strong>1</strong> 件" in html and 'href="/demands/inbox/"' in html
    resident = body(as_persona("resident").get("/"))
    assert 'href="/demands/new/"' in resident and f'/communities/{world.areas["C1"].pk}/topics/' in resident
