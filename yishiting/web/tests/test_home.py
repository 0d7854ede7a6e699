"""Each persona's home page shows what they hold and the scope it gives them."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone

from yishiting.common.models import CalendarYear
from yishiting.oversight.projection import catch_up

pytestmark = pytest.mark.django_db


def stats(html: str) -> list[dict[str, int]]:
    """The count boxes of each area card, in page order: [{"下级区域": 2, "住户": 2, "人员": 2}, …]."""
    found = []
    for block in re.findall(r'<dl class="stats">(.*?)</dl>', html, re.S):
        found.append({dt: int(dd) for dt, dd in re.findall(r"<dt>(.*?)</dt><dd>(\d+)</dd>", block)})
    return found


def home(as_persona, persona: str) -> str:
    response = as_persona(persona).get("/")
    assert response.status_code == 200
    return response.content.decode()


def test_resident_sees_own_household_and_community_masked(world, as_persona):
    html = home(as_persona, "resident")
    assert "居民" in html and "1单元" in html  # role @ area
    assert "我的住户与社区" in html and "幸福区/东风街道/幸福苑社区" in html
    assert "您好，张三" in html and "138****0001" in html  # one's own name in full, the mobile still masked
    assert "13800000001" not in html
    assert f'href="/communities/{world.areas["C1"].pk}/notices/"' in html
    assert "/areas/" not in html and "/tokens/" not in html and "接口令牌" not in html  # work tools, not for residents
    assert "我负责的区域" not in html and "系统状态" not in html and "/admin/" not in html


@pytest.mark.parametrize("persona, area, expected", [
    ("grid_worker", "G1", {"下级区域": 2, "住户": 2, "人员": 2}),
    ("community_staff", "C1", {"下级区域": 3, "住户": 2, "人员": 4}),
    ("community_secretary", "C1", {"下级区域": 3, "住户": 2, "人员": 4}),
    ("street_official", "S1", {"下级区域": 8, "住户": 3, "人员": 8}),
    ("district_official", "D", {"下级区域": 14, "住户": 4, "人员": 11}),
])
def test_officials_see_their_area_with_subtree_counts(world, as_persona, persona, area, expected):
    html = home(as_persona, persona)
    assert "我负责的区域" in html
    assert f'<a href="/areas/{world.areas[area].pk}/">{world.areas[area].name}</a>' in html
    assert stats(html) == [expected]
    assert f'href="/areas/{world.areas[area].pk}/people/"' in html
    assert "我的住户与社区" not in html and "系统状态" not in html


def test_handler_sees_their_organization(world, as_persona):
    html = home(as_persona, "handler")
    assert "我所在的单位" in html and "东风街道城管执法队" in html and "职能部门" in html
    assert "我负责的区域" not in html and stats(html) == []


def test_admin_sees_admin_link_and_system_status(world, as_persona):
    html = home(as_persona, "admin")
    assert "系统状态" in html and 'href="/admin/"' in html
    assert "2004–2026" in html  # chinesecalendar's years, seeded by the migration
    assert re.search(r"\d+ 条事件，\d+ 条哈希链", html)


def test_admin_is_warned_when_next_years_holidays_are_missing(world, as_persona):
    next_year = timezone.localdate().year + 1
    CalendarYear.objects.filter(year=next_year).delete()
    assert f"{next_year} 年的节假日安排尚未录入" in home(as_persona, "admin")
    CalendarYear.objects.create(year=next_year, source="admin")
    assert "节假日安排尚未录入" not in home(as_persona, "admin")


def test_non_admins_see_no_system_status(world, as_persona):
    for persona in ["resident", "grid_worker", "street_official", "handler"]:
        html = home(as_persona, persona)
        assert "系统状态" not in html and "后台管理" not in html


def test_header_shows_ones_own_name_and_roles(world, as_persona):
    html = home(as_persona, "community_secretary")
    header = html.split("</header>")[0]
    assert "孙书记" in header and "社区书记 · 幸福苑社区" in header and "孙**" not in header
    assert 'href="/areas/"' in header and 'href="/tokens/"' in header  # staff keep their work tools


def test_user_without_roles_is_told_so(db, client):
    from yishiting.accounts.models import User

    client.force_login(User.objects.create_user("newcomer", password="Newcomer-2026"))
    html = client.get("/").content.decode()
    assert "还没有分配角色" in html and "newcomer" in html


def test_home_page_query_budget(world, as_persona, django_assert_max_num_queries):
    client = as_persona("district_official")
    # 14 for the page itself, plus a fixed few whatever the volume: this month's rates (from the roll-ups, without
    # drill-down samples), the official's own task queue (3) and the mediation section (3: the viewer's person as
    # cases_visible_to reads it, the cases in their list counted at once, their own cases as a party), and the
    # overview's open items (5: the area, then waiting demands, topics by stage, open tasks with their red
    # warnings and open mediation cases, each one grouped count).
    catch_up()  # the roll-ups' steady state (kept each minute): counting events written since is extra
    with django_assert_max_num_queries(35):
        assert client.get("/").status_code == 200
