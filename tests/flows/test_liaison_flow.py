"""党代表联系群众 and 挂点联系 through HTTP: a deputy's reception day at 幸福苑社区 where a resident raises a matter;
the deputy turns it into a demand in one tap on the phone page; the community screens it to direct handling, the
handler does the work and the office verifies it; the deputy sees the matter done. A street leader linked by the
district to a community outside their street opens 我联系的社区 and reads it — until the link is revoked."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from yishiting.areas import services as areas
from yishiting.areas.choices import Role
from yishiting.common.testing import make_user

from .http import follow, signed_in
from .loop import close, work


@pytest.fixture
def deputy(world):
    person = areas.person_create(actor=None, name="何代表", mobile="13800000021", area=world.areas["C1"])
    make_user(world, "deputy", person)
    areas.role_assign(actor=None, person=person, role=Role.DEPUTY, area=world.areas["C1"], title="人大代表")
    return signed_in(world, "deputy")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_matter_raised_on_the_deputys_reception_day_is_handled_and_the_deputy_sees_it_done(town, world, deputy):
    today = timezone.localdate().isoformat()
    form = deputy.get("/liaison/records/new/").content.decode()
    assert "记录一次联系" in form and 'value="npc" selected' in form.replace("\n", "")  # 人大代表 from the role
    page = follow(deputy, "/liaison/records/new/", {
        "area": world.areas["C1"].pk, "held_on": today, "place": "幸福苑社区党群服务中心", "method": "reception",
        "deputy_kind": "npc", "people_count": "15", "mobiles": "13800000001", "summary": "代表接待日",
        "matters": "3栋门口的路灯坏了一个月"})
    assert "联系记录已保存" in page and "张*" in page and "张三" not in page  # the resident met, masked
    record_url = re.search(r'action="(/liaison/matters/\d+/demand/)"', page).group(1)

    page = follow(deputy, record_url)
    number = re.search(r"已转为诉求 (\S+)，", page).group(1)
    assert "待筛选" in page
    follow(deputy, record_url)  # a second tap: the same demand
    [demand] = [d for d in town["community_staff"].items("/demands/inbox") if d["number"] == number]
    assert demand["channel"] == "member_visit"

    screened = town["community_staff"].post(f"/demands/{demand['id']}/screen", {
        "outcome": "handling", "nature": "individual", "reason": "路灯维修，直接办理",
        "handler_id": town.person("handler"), "deadline": (timezone.localdate() + timedelta(days=10)).isoformat()})
    assert screened["status_label"] == "直接办理"
    [task] = town["handler"].items("/tasks", mine=True)
    work(town, "handler", task)
    close(town, "community_staff", task)

    page = deputy.get("/liaison/records/").content.decode()
    record_page = deputy.get(re.search(r'href="(/liaison/records/\d+/)"', page).group(1)).content.decode()
    assert number in record_page and "已办结" in record_page
    counts = signed_in(world, "community_secretary").get("/liaison/deputies/").content.decode()
    assert "何代表" in counts and re.search(r">1</td>\s*</tr>", counts)  # one matter done


@pytest.mark.django_db
def test_a_linked_leader_opens_the_communities_they_are_linked_to(world):
    district, leader = signed_in(world, "district_official"), signed_in(world, "street_official")
    assert "您目前没有挂点联系的社区" in leader.get("/liaison/").content.decode()
    page = follow(district, "/liaison/links/new/", {
        "leader": world.people["street_official"].pk, "community": world.areas["C3"].pk,
        "starts_on": timezone.localdate().isoformat(), "note": "文明城创建挂点"})
    assert "挂点联系已设立" in page and "周主任" in page and "湖滨社区" in page

    mine = leader.get("/liaison/").content.decode()
    assert "湖滨社区" in mine and "待筛选诉求" in mine and "今年还没有评价" in mine
    link_id = re.search(r'action="/liaison/links/(\d+)/end/"', page).group(1)
    follow(district, f"/liaison/links/{link_id}/end/")
    assert "湖滨社区" not in leader.get("/liaison/").content.decode()
