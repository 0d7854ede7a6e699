"""Screening through the pages: the inbox (order, overdue in red, filters, who may open it), each of the five
outcomes through the form, merging duplicates, the conflict when someone else screened first, and the timeline
the resident then reads."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from yishiting.deliberation.models import Topic
from yishiting.demands.models import ConsultationRule, Demand
from yishiting.notifications.models import Notification
from yishiting.web.forms.screening import default_handling_deadline

pytestmark = pytest.mark.django_db


def screen(client, demand, **fields):
    data = {"expected_status": fields.pop("expected_status", demand.status), "reason": "理由已核实", **fields}
    return client.post(f"/demands/{demand.pk}/screen/", data)


def inbox_numbers(html: str) -> list[str]:
    return re.findall(r'<a href="/demands/\d+/screen/">([\d-]+)</a>', html)


@pytest.mark.parametrize("persona, status", [("community_staff", 200), ("community_secretary", 200),
                                             ("street_official", 200), ("grid_worker", 403),
                                             ("resident", 403), ("handler", 403)])
def test_who_may_open_the_inbox(as_persona, persona, status):
    assert as_persona(persona).get("/demands/inbox/").status_code == status


def test_inbox_puts_the_most_urgent_first_and_marks_overdue_in_red(world, as_persona, new_demand):
    normal = new_demand(text="小区西门的垃圾桶三天没人清运了，臭气熏天")
    critical = new_demand(text="3栋楼道有很浓的煤气味", urgency="critical")
    late = new_demand(text="东门路灯坏了一个多月了")
    Demand.objects.filter(pk=late.pk).update(screening_deadline=timezone.localdate() - timedelta(days=1))
    html = as_persona("community_staff").get("/demands/inbox/").content.decode()
    assert inbox_numbers(html) == [critical.number, late.number, normal.number]
    row = html.split(f'id="demand-{late.pk}"')[0].rsplit("<tr", 1)[1]
    assert 'class="is-overdue"' in row and "已逾期" in html.split(f'id="demand-{late.pk}"')[1].split("</tr>")[0]
    assert "1 件已逾期" in html
    only_overdue = as_persona("community_staff").get("/demands/inbox/?overdue=on").content.decode()
    assert inbox_numbers(only_overdue) == [late.number]
    urgent = as_persona("community_staff").get("/demands/inbox/?urgency=critical").content.decode()
    assert inbox_numbers(urgent) == [critical.number]


def test_inbox_paginates_and_keeps_the_filters(world, as_persona, new_demand):
    for n in range(31):
        new_demand(text=f"第{n}号意见：小区绿化需要修剪")
    html = as_persona("community_staff").get("/demands/inbox/?urgency=normal").content.decode()
    assert "第 1 / 2 页" in html and "?urgency=normal&amp;page=2" in html


def test_the_screen_page_shows_suggestions_and_similar_demands(world, as_persona, new_demand):
    first = new_demand(text="3栋电梯坏了两天，老人上下楼很困难")
    second = new_demand("grid_worker", text="幸福苑3号楼的电梯又停了，卡在二楼不动")
    html = as_persona("community_staff").get(f"/demands/{second.pk}/screen/").content.decode()
    assert "系统建议" in html and "设施维护" in html and "把握" in html and "幸福苑小区" in html
    assert first.number in html.split("相似诉求")[1] and "同一社区" in html
    assert 'name="outcome"' in html and "公共事务：" in html and "个人诉求：" in html and "矛盾纠纷：" in html
    assert f'value="{default_handling_deadline().isoformat()}"' in html


@pytest.mark.parametrize("persona, status", [("community_staff", 200), ("street_official", 200),
                                             ("grid_worker", 403), ("resident", 403)])
def test_who_may_open_the_screen_page(world, as_persona, new_demand, persona, status):
    demand = new_demand()
    assert as_persona(persona).get(f"/demands/{demand.pk}/screen/").status_code == status


def test_a_demand_outside_ones_scope_is_404(world, as_persona, new_demand):
    other = new_demand("resident3", area=world.areas["B3"], text="湖滨花园2栋门口积水")
    assert as_persona("community_staff").get(f"/demands/{other.pk}/screen/").status_code == 404


def test_public_affair_becomes_a_new_topic_and_the_resident_reads_it(world, as_persona, new_demand,
                                                                    django_capture_on_commit_callbacks,
                                                                    messages_outbox):
    demand = new_demand()
    with django_capture_on_commit_callbacks(execute=True):
        response = screen(as_persona("community_staff"), demand, outcome="topic", nature="public",
                          topic_title="3栋电梯维修", reason="整栋楼的住户都受影响")
    assert response.status_code == 302 and response["Location"] == "/demands/inbox/"
    demand.refresh_from_db()
    assert demand.status == "topic" and demand.topic.title == "3栋电梯维修" and demand.nature == "public"
    assert "已转为议题" in messages_outbox[-1].text
    html = as_persona("resident").get(f"/demands/{demand.pk}/").content.decode()
    assert re.search(r"\d+月\d+日 \d\d:\d\d</time> <span class=\"timeline-text\">社区工作人员 钱社工 将诉求转为议题“3栋电梯维修”"
                     r"（性质：公共事务；理由：整栋楼的住户都受影响）", html)
    assert "居民 张三 通过线上提交诉求，编号 " + demand.number in html  # the resident reads their own name
    assert "公共事务" in html.split("筛选结果")[1] and "整栋楼的住户都受影响" in html


def test_a_second_demand_joins_the_open_topic(world, as_persona, new_demand):
    topic_demand, joining = new_demand(), new_demand(text="3号楼电梯还是坏的，什么时候修")
    staff = as_persona("community_staff")
    screen(staff, topic_demand, outcome="topic", nature="public", topic_title="3栋电梯维修")
    topic = Topic.objects.get()
    assert f'value="{topic.pk}">3栋电梯维修' in staff.get(f"/demands/{joining.pk}/screen/").content.decode()
    screen(staff, joining, outcome="topic", nature="public", topic=topic.pk)
    assert Topic.objects.count() == 1 and list(topic.demands.order_by("pk")) == [topic_demand, joining]


def test_individual_need_is_handled_directly_by_a_chosen_handler(world, as_persona, new_demand):
    demand = new_demand(text="我家门口的灯坏了，能不能帮忙换一下")
    handler = world.people["handler"]
    deadline = default_handling_deadline()
    staff = as_persona("community_staff")
    page = staff.get(f"/demands/{demand.pk}/screen/").content.decode()
    # no <select> of every handler: a search box that asks /pick/handler/ for this demand's candidates
    assert '<select name="handler_role"' not in page and 'name="handler_role_q"' in page
    assert f'hx-get="/pick/handler/?name=handler_role&amp;demand={demand.pk}"' in page
    found = staff.get("/pick/handler/", {"name": "handler_role", "demand": demand.pk, "handler_role_q": "城管"})
    row = found.content.decode()
    assert f'name="handler_role" value="{handler.pk}"' in row and "郑**" in row and "东风街道城管执法队" in row
    assert "郑经办" not in row  # a street's handler is beyond the community staff's unmask scope
    nobody = staff.get("/pick/handler/", {"name": "handler_role", "demand": demand.pk, "handler_role_q": "张三"})
    assert "没有找到" in nobody.content.decode()  # a resident handles nothing
    assert as_persona("resident").get("/pick/handler/", {"name": "handler_role", "demand": demand.pk,
                                                         "handler_role_q": "城管"}).status_code == 403
    missing = screen(staff, demand, outcome="handling", nature="individual").content.decode()
    assert "请选择经办人" in missing
    wrong = screen(staff, demand, outcome="handling", nature="individual", handler_role=world.people["resident"].pk,
                   deadline=deadline.isoformat())
    assert "所选经办人不能办理此诉求" in wrong.content.decode()
    demand.refresh_from_db()
    assert demand.status != "handling"
    screen(staff, demand, outcome="handling", nature="individual", handler_role=handler.pk,
           deadline=deadline.isoformat())
    demand.refresh_from_db()
    assert demand.status == "handling" and demand.task.handler == world.people["handler"]
    assert demand.task.organization == world.organizations["agency"] and demand.task.deadline == deadline
    html = as_persona("resident").get(f"/demands/{demand.pk}/").content.decode()
    assert f"将诉求交由东风街道城管执法队 郑经办 直接办理，{deadline.month}月{deadline.day}日前办结" in html


def test_dispute_goes_to_mediation(world, as_persona, new_demand):
    demand = new_demand(text="楼上邻居每天半夜跺地板，上去沟通了好几次还是不听")
    screen(as_persona("community_secretary"), demand, outcome="mediation", nature="dispute",
           reason="邻里噪音纠纷，先由社区调解")
    demand.refresh_from_db()
    assert demand.status == "mediation" and demand.mediation is not None and demand.nature == "dispute"
    assert "社区书记 孙书记 将诉求转入调解（性质：矛盾纠纷；理由：邻里噪音纠纷，先由社区调解）" in \
        as_persona("resident").get(f"/demands/{demand.pk}/").content.decode()


def test_escalation_hands_it_to_the_street_whose_staff_screen_it(world, as_persona, new_demand):
    demand = new_demand(text="小区旁边工地夜间施工，噪音扰民")
    screen(as_persona("community_staff"), demand, outcome="escalate", reason="涉及城管执法，社区无权处理")
    demand.refresh_from_db()
    assert demand.status == "escalated" and demand.screening_area == world.areas["S1"]
    assert demand.number not in as_persona("community_staff").get("/demands/inbox/").content.decode()
    street = as_persona("street_official")
    assert demand.number in street.get("/demands/inbox/").content.decode()
    screen(street, demand, outcome="handling", nature="public", reason="由执法队处理",
           handler_role=world.people["handler"].pk,
           deadline=default_handling_deadline().isoformat(), level_area=world.areas["S1"].pk)
    demand.refresh_from_db()
    assert demand.status == "handling"
    html = as_persona("resident").get(f"/demands/{demand.pk}/").content.decode()
    assert "将诉求提请东风街道研究处理（理由：涉及城管执法，社区无权处理）" in html
    assert "街道干部 周主任 将诉求交由东风街道城管执法队" in html


def test_rejection_cites_the_catalogue_and_explains(world, as_persona, new_demand):
    demand = new_demand(text="请社区帮我起诉前夫要抚养费")
    rule = ConsultationRule.objects.filter(kind="exclude", text__contains="诉讼").get()
    staff = as_persona("community_staff")
    assert "（示例条目）" in staff.get(f"/demands/{demand.pk}/screen/").content.decode()
    screen(staff, demand, outcome="reject", nature="individual", rejection_rule=rule.pk,
           reason="已进入诉讼程序，建议咨询法律顾问")
    demand.refresh_from_db()
    assert demand.status == "rejected" and demand.rejection_rule == rule
    html = as_persona("resident").get(f"/demands/{demand.pk}/").content.decode()
    assert f"决定不予受理，依据协商目录“{rule.text}”" in html and "已进入诉讼程序" in html


def test_missing_nature_reason_or_level_reason_is_refused(world, as_persona, new_demand):
    demand = new_demand()
    staff = as_persona("community_staff")
    html = screen(staff, demand, outcome="topic", topic_title="3栋电梯维修", reason="").content.decode()
    assert "请选择事项性质" in html and "请写明判断理由" in html
    html = screen(staff, demand, outcome="topic", nature="public", topic_title="3栋电梯维修",
                  level_area=world.areas["C1"].pk).content.decode()
    assert "调整办理层级须说明理由" in html
    html = screen(staff, demand, outcome="topic", nature="individual", topic_title="3栋电梯维修").content.decode()
    assert "只有公共事务才转为议题" in html
    demand.refresh_from_db()
    assert demand.status == "pending" and not Topic.objects.exists()


def test_someone_else_screened_first_shows_a_conflict_and_the_current_state(world, as_persona, new_demand):
    demand = new_demand()
    secretary, staff = as_persona("community_secretary"), as_persona("community_staff")
    staff.get(f"/demands/{demand.pk}/screen/")  # staff opens the page (expected_status = pending) …
    screen(secretary, demand, outcome="mediation", nature="dispute", reason="先调解")  # … the secretary wins
    response = screen(staff, demand, outcome="topic", nature="public", topic_title="3栋电梯维修",
                      expected_status="pending")
    html = response.content.decode()
    assert response.status_code == 409
    assert "该诉求已被他人处理（当前状态：转入调解）" in html and "您的决定没有保存" in html
    assert "社区书记 孙书记" in html and "调解（矛盾纠纷）" in html and 'name="outcome"' not in html
    assert not Topic.objects.exists()


def test_bulk_merge_asks_for_the_primary_and_a_reason(world, as_persona, new_demand,
                                                      django_capture_on_commit_callbacks, messages_outbox):
    first = new_demand(text="3栋电梯坏了两天")
    second = new_demand("resident", text="3号楼电梯停了，卡在二楼")
    staff = as_persona("community_staff")
    step = staff.post("/demands/merge/", {"ids": [first.pk, second.pk]}).content.decode()
    assert "主诉求" in step and first.number in step and second.number in step and "确认合并" in step
    no_reason = staff.post("/demands/merge/", {"ids": [first.pk, second.pk], "primary": first.pk})
    assert "请填写合并理由" in no_reason.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        done = staff.post("/demands/merge/", {"ids": [first.pk, second.pk], "primary": first.pk,
                                              "reason": "同一部电梯"})
    assert done["Location"] == f"/demands/{first.pk}/screen/"
    second.refresh_from_db()
    assert second.status == "merged" and second.merged_into == first
    assert "已合并处理" in messages_outbox[-1].text
    html = as_persona("resident").get(f"/demands/{second.pk}/").content.decode()
    assert f"将诉求合并到诉求 {first.number}" in html and "已合并处理" in html


def test_merging_needs_two(world, as_persona, new_demand):
    demand = new_demand()
    response = as_persona("community_staff").post("/demands/merge/", {"ids": [demand.pk]}, follow=True)
    assert "至少勾选两条诉求才能合并" in response.content.decode()
    assert Demand.objects.get().status == "pending"


def test_merge_refuses_demands_outside_the_inbox(world, as_persona, new_demand):
    mine, theirs = new_demand(), new_demand("resident3", area=world.areas["B3"], text="湖滨花园门口积水")
    response = as_persona("community_staff").post("/demands/merge/", {"ids": [mine.pk, theirs.pk]}, follow=True)
    assert response.status_code == 200 and not Demand.objects.filter(status="merged").exists()
    assert Notification.objects.filter(text__contains="合并").count() == 0


def test_a_decision_on_a_demand_a_colleague_escalated_meanwhile_is_a_conflict(world, as_persona, new_demand):
    demand = new_demand()
    screen(as_persona("community_secretary"), demand, outcome="escalate", reason="需街道协调")
    response = screen(as_persona("community_staff"), demand, outcome="mediation", nature="dispute",
                      reason="先调解", expected_status="pending")
    assert response.status_code == 409
    assert "当前状态：已提请上级" in response.content.decode()
    demand.refresh_from_db()
    assert demand.status == "escalated" and demand.mediation is None
    # Without a stale form it is simply no longer theirs to screen.
    assert as_persona("community_staff").get(f"/demands/{demand.pk}/screen/").status_code == 403
