"""Evaluation pages: a resident rates on the phone (three buttons, then sees what they gave), staff see counts and
the result and close the round, 五方互评 and 组织考评 forms with errors on the page, the rounds list, the three
rates with how they were counted (printable), the topic's evaluation block — and the same in a real browser at
phone width (screenshots var/screenshots/evaluation-*.png)."""

from __future__ import annotations

import pytest
from django.template.loader import render_to_string
from django.utils import timezone
from playwright.sync_api import Page

from yishiting.handling.models import OrgAssessment, PartyRating, Rating
from yishiting.handling.tests.test_evaluation import B, D, S, evaluating_topic, rate_all, residents

from .pages import main
from .test_browser import in_browser, shot, sign_in

pytestmark = pytest.mark.usefixtures("file_media")


def test_a_resident_rates_with_one_button_and_sees_what_they_gave(world, as_persona):
    _, round_ = evaluating_topic(world)
    client = as_persona("resident")
    page = main(client.get(f"/evaluations/{round_.pk}/rate/"))
    assert all(word in page for word in ("满意", "基本满意", "不满意", "提交后不能修改"))
    refused = client.post(f"/evaluations/{round_.pk}/rate/", {"value": "dissatisfied", "comment": ""})
    assert refused.status_code == 400 and "请写明哪里不满意" in main(refused) and not Rating.objects.exists()
    asked = main(client.post(f"/evaluations/{round_.pk}/rate/", {"value": "basic", "comment": "还行"}))
    assert "请确认您的评价" in asked and "基本满意" in asked and not Rating.objects.exists()  # nothing given yet
    assert client.post(f"/evaluations/{round_.pk}/rate/", {"value": "basic", "comment": "还行",
                                                          "confirm": "1"}).status_code == 302
    page = main(client.get(f"/evaluations/{round_.pk}/rate/"))
    assert "您的评价" in page and "基本满意" in page and "还行" in page and "name=\"value\"" not in page
    again = client.post(f"/evaluations/{round_.pk}/rate/", {"value": "satisfied", "confirm": "1"})
    assert again.status_code == 400 and "每人只能评价一次" in main(again)
    assert Rating.objects.get().value == B  # no second rating, no change


def test_outsiders_get_404_and_no_form(world, as_persona):
    _, round_ = evaluating_topic(world)
    assert as_persona("resident3").get(f"/evaluations/{round_.pk}/rate/").status_code == 404
    assert as_persona("resident3").get(f"/evaluations/{round_.pk}/").status_code == 404
    assert "我来评价" not in main(as_persona("community_staff").get(f"/evaluations/{round_.pk}/"))


def test_staff_round_page_counts_and_close(world, as_persona):
    topic, round_ = evaluating_topic(world)
    rate_all(round_, residents(world, 10), [S] * 7 + [B] * 2 + [D])
    staff = as_persona("community_staff")
    page = main(staff.get(f"/evaluations/{round_.pk}/"))
    assert "即时" in page and "（满意 7 + 0.90 × 基本满意 2）÷ 有效评价 10" in page and "88.00%" in page
    assert "居*" in page and "居民0" not in page  # masked names
    assert as_persona("resident").post(f"/evaluations/{round_.pk}/close/").status_code == 302
    assert round_.__class__.objects.get().status == "open"  # a resident's close did nothing
    staff.post(f"/evaluations/{round_.pk}/close/")
    page = main(staff.get(f"/evaluations/{round_.pk}/"))
    assert "已结束" in page and "结束评价并计算结果" not in page and "未达重办条件" in page
    topic_block = render_to_string("web/partials/handling/evaluation_on_topic.html", {"topic": topic})
    assert "第1轮" in topic_block and "满意率 88.00%" in topic_block


def test_party_and_org_forms_show_errors_on_the_page(world, as_persona):
    _, round_ = evaluating_topic(world, template="shuangyashan-5fang")
    secretary = as_persona("community_secretary")
    bad = secretary.post(f"/evaluations/{round_.pk}/party/", {"rater_party": "property", "ratee_party": "property",
                                                             "score": "80"})
    assert bad.status_code == 400 and "不能给本方打分" in main(bad) and not PartyRating.objects.exists()
    stranger = secretary.post(f"/evaluations/{round_.pk}/party/", {"rater_party": "police", "ratee_party": "property",
                                                                  "score": "80"})
    assert stranger.status_code == 400 and "不是该方的代表" in main(stranger)
    ok = secretary.post(f"/evaluations/{round_.pk}/party/", {"rater_party": "residents_committee",
                                                            "ratee_party": "property", "score": "88"})
    assert ok.status_code == 302 and PartyRating.objects.get().score == 88
    assert "物业企业" in main(secretary.get(f"/evaluations/{round_.pk}/"))
    assert "提交考评" not in main(secretary.get(f"/evaluations/{round_.pk}/"))
    street = as_persona("street_official")
    assert street.post(f"/evaluations/{round_.pk}/org/", {"score": "101"}).status_code == 400
    assert street.post(f"/evaluations/{round_.pk}/org/", {"score": "93"}).status_code == 302
    assert OrgAssessment.objects.get().score == 93


def test_list_search_and_kpis_page(world, as_persona):
    _, round_ = evaluating_topic(world)
    rate_all(round_, residents(world, 10), [S] * 7 + [B] * 2 + [D])
    street = as_persona("street_official")
    assert "幸福苑3栋楼道照明改造" in main(street.get("/evaluations/", {"q": "楼道", "status": "open"}))
    assert "幸福苑3栋楼道照明改造" not in main(street.get("/evaluations/", {"q": "电梯"}))
    today = timezone.localdate().isoformat()
    choice = {"area": world.areas["S1"].pk, "start": today, "end": today}
    page = main(street.get("/kpis/", choice))
    assert "满意率" in page and "88.00%" in page and "计算方法" in page and "打印" in page
    assert "期限内销号的任务和结案的调解案件 1 ÷ 期间销号的任务和结案的调解案件 1" in page
    assert "查看满意率计入的记录" in page and "计入分子" not in page  # the records load when opened
    records = street.get("/kpis/records/", {**choice, "figure": "satisfaction"}, HTTP_HX_REQUEST="true")
    assert "计入分子（前 10 条）" in records.content.decode() and "<main" not in records.content.decode()
    alone = main(street.get("/kpis/records/", {**choice, "figure": "satisfaction"}))  # without script: a page
    assert "满意率计入的记录" in alone and "计入分子（前 10 条）" in alone and "‹ 三率统计" in alone
    assert street.get("/kpis/records/", {**choice, "figure": "resolved"}).status_code == 404  # not chosen here
    bad = street.get("/kpis/", {"area": world.areas["S1"].pk, "start": today, "end": "2020-01-01"})
    assert bad.status_code == 400 and "结束日期不能早于开始日期" in main(bad)
    assert as_persona("resident").get("/kpis/").status_code == 403


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_evaluation_pages_in_the_browser(world, live_server):
    base = live_server.url
    _, round_ = evaluating_topic(world, template="shuangyashan-5fang")
    rate_all(round_, residents(world, 6), [S, S, S, B, B, D])

    def resident_rates(page: Page) -> None:
        sign_in(page, base, "resident")
        page.goto(f"{base}/evaluations/{round_.pk}/rate/")
        shot(page, "evaluation-01-rate")
        page.fill("textarea[name=comment]", "灯都亮了，谢谢")
        page.click("button[value=satisfied]")
        page.wait_for_selector("text=请确认您的评价")
        page.click("button[name=confirm][value='1']")
        page.wait_for_selector("text=感谢您的评价")
        shot(page, "evaluation-02-rated")

    def staff_pages(page: Page) -> None:
        sign_in(page, base, "street_official")
        page.goto(f"{base}/evaluations/{round_.pk}/")
        shot(page, "evaluation-03-round")
        page.goto(f"{base}/evaluations/")
        shot(page, "evaluation-04-list")
        today = timezone.localdate().isoformat()
        page.goto(f"{base}/kpis/?area={world.areas['S1'].pk}&start={today}&end={today}")
        assert "满意率" in page.locator("main").inner_text()
        page.locator("summary", has_text="查看满意率计入的记录").focus()
        page.keyboard.press("Enter")  # by keyboard: the details open and their records load
        page.wait_for_selector("text=计入分子（前 7 条）")  # the six and the resident above
        shot(page, "evaluation-05-kpis")

    assert in_browser(resident_rates) == []
    assert in_browser(staff_pages) == []


def test_the_reporter_of_a_direct_handling_demand_is_invited_to_rate_it_on_the_demand_page(world, as_persona):
    """The 已办结 message links to the demand; once the task is closed the reporter finds 去评价 there, rates
    on the task's page, and the invitation is gone — while the grid worker never sees it."""
    from datetime import timedelta

    from yishiting.demands.choices import Nature, Outcome
    from yishiting.demands.screening import Decision, demand_screen
    from yishiting.demands.services import Submission, demand_submit
    from yishiting.handling.tests.test_evaluation import close_task

    demand = demand_submit(actor=world.users["resident"], submission=Submission(text="家门口路灯不亮",
                                                                                area=world.areas["B1"]))
    demand = demand_screen(actor=world.users["community_staff"], demand=demand, decision=Decision(
        outcome=Outcome.HANDLING, nature=Nature.INDIVIDUAL, handler=world.people["handler"],
        deadline=timezone.localdate() + timedelta(days=3)))
    resident = as_persona("resident")
    assert "评价办理结果" not in main(resident.get(f"/demands/{demand.pk}/"))  # not closed yet
    close_task(world, demand.task)
    page = main(resident.get(f"/demands/{demand.pk}/"))
    assert "评价办理结果" in page and f"/evaluations/tasks/{demand.task_id}/rate/" in page
    assert "评价办理结果" not in main(as_persona("community_staff").get(f"/demands/{demand.pk}/"))
    resident.post(f"/evaluations/tasks/{demand.task_id}/rate/", {"value": S, "comment": "很快修好了", "confirm": "1"})
    assert Rating.objects.get(task=demand.task).value == S
    assert "评价办理结果" not in main(resident.get(f"/demands/{demand.pk}/"))

