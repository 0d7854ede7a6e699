"""The matter followed to its end, as each person sees it: the resident's demand page and 我的诉求 through every
stage (a topic to its archive, a direct-handling task to its rating and archive, a merged demand), with links
only to pages the reader may open; the rating page showing what was done; the handler's home with the tasks
waiting for them and 签收; the officials' home with the three rates; the 责任清单 following the real state."""

from __future__ import annotations

import io
import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook

from yishiting.common.dates import day_text
from yishiting.common.events import event_append
from yishiting.demands.choices import Nature, Outcome
from yishiting.demands.choices import Status as DemandStatus
from yishiting.demands.models import Demand
from yishiting.demands.screening import Decision, demand_screen
from yishiting.demands.services import Submission, demand_submit
from yishiting.handling.models import Notice, Task
from yishiting.handling.services.archive import dossier_archive, dossier_archive_task
from yishiting.handling.services.tasks import task_verify
from yishiting.handling.tests.archive_world import evaluating_topic, jpeg
from yishiting.handling.tests.tasks_world import assign, backdate, handling_topic

from .pages import main

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def steps_of(page: str) -> str:
    return page.split('<ol class="matter-steps">')[1].split("</ol>")[0]


def links_of(html: str) -> list[str]:
    return sorted(set(re.findall(r'href="(/[^"#]*)"', html)))


def archived_matter(world):
    topic = evaluating_topic(world)
    dossier = dossier_archive(actor=world.users["community_secretary"], topic=topic)
    Demand.objects.filter(topic=topic).update(outcome=Outcome.TOPIC)  # as screening records it
    return topic, dossier, Demand.objects.get(topic=topic)


def test_the_resident_follows_an_archived_topic_through_every_stage_with_working_links(world, as_persona):
    topic, dossier, demand = archived_matter(world)
    client = as_persona("resident")
    mine = main(client.get("/demands/mine/"))
    assert "议题已归档" in mine and "已转为议题" not in mine
    page = main(client.get(f"/demands/{demand.pk}/"))
    steps = steps_of(page)
    for label in ("征求意见", "协商会议", "形成决议", "结果公示", "落实办理", "办结", "群众评价", "归档"):
        assert f"<strong>{label}</strong>" in steps
    assert steps.count("matter-step-done") == 8 and "进行中" not in steps
    assert "更换3栋全部楼道灯为声控LED灯" in steps and "1 项任务已销号" in steps and "一事一档已封存" in steps
    notice = Notice.objects.get(topic=topic)
    round_ = topic.evaluation_rounds.get()
    for url in (f"/topics/{topic.pk}/", f"/notices/{notice.pk}/public/", f"/evaluations/{round_.pk}/rate/",
                f"/archive/{dossier.pk}/"):
        assert f'href="{url}"' in steps, url
    for url in links_of(page):  # every link on the page opens for the resident
        assert client.get(url).status_code == 200, url
    assert f'<a href="/topics/{topic.pk}/">“{topic.title}”</a>' in page  # the topic is a link, not plain text
    timeline = page.split('<ol class="timeline">')[1]
    for said in ("发布公示“关于", "公示期满", "办理任务：签收任务", "核验通过，已销号", "群众评价结束", "一事一档归档",
                 "变为“已归档”"):
        assert said in timeline, said


def test_a_reporter_outside_the_topics_area_gets_no_link_they_cannot_open(world, as_persona):
    topic, dossier, _ = archived_matter(world)
    outsider = demand_submit(actor=world.users["resident3"], submission=Submission(
        text="路过幸福苑3栋，楼道灯不亮", area=world.areas["U3"]))
    Demand.objects.filter(pk=outsider.pk).update(topic=topic, status=DemandStatus.TOPIC)
    client = as_persona("resident3")
    assert client.get(f"/topics/{topic.pk}/").status_code == 404
    page = main(client.get(f"/demands/{outsider.pk}/"))
    assert f"/topics/{topic.pk}/" not in page and f"/archive/{dossier.pk}/" not in page
    assert "<strong>归档</strong>" in steps_of(page)  # the stage is told, without the link
    for url in links_of(page):
        assert client.get(url).status_code == 200, url


def _direct(world) -> Demand:
    demand = demand_submit(actor=world.users["resident"], submission=Submission(
        text="家门口的下水道堵了，请帮忙疏通", area=world.areas["B1"]))
    return demand_screen(actor=world.users["community_staff"], demand=demand, decision=Decision(
        outcome=Outcome.HANDLING, nature=Nature.INDIVIDUAL, handler=world.people["handler"],
        deadline=timezone.localdate() + timedelta(days=5)))


def test_a_direct_handling_demand_is_followed_from_acceptance_to_rating_and_archive(world, as_persona):
    demand = _direct(world)
    resident, handler = as_persona("resident"), as_persona("handler")
    assert "已交办，待签收" in main(resident.get("/demands/mine/"))
    assert handler.post(f"/tasks/{demand.task_id}/accept/").status_code == 302
    handler.post(f"/tasks/{demand.task_id}/report/", {"text": "已到现场疏通", "percent": "100"})
    handler.post(f"/tasks/{demand.task_id}/submit/", {"evidence": "管道已疏通，排水正常",
                                                      "files": [_upload()]})
    steps = steps_of(main(resident.get(f"/demands/{demand.pk}/")))
    assert "已签收" in steps and "已到现场疏通" in steps and "已提交销号，等候核验" in steps
    task_verify(actor=world.users["community_staff"], task=Task.objects.get(pk=demand.task_id), approve=True)
    page = main(resident.get(f"/demands/{demand.pk}/"))
    rate_url = f"/evaluations/tasks/{demand.task_id}/rate/"
    assert f'href="{rate_url}"' in steps_of(page) and "已办结" in main(resident.get("/demands/mine/"))
    rate = main(resident.get(rate_url))
    assert "办理结果" in rate and "管道已疏通，排水正常" in rate
    photos = [url for link in re.findall(r'<a href="(/tasks/\d+/files/\d+/)"><img src="\1thumb/"', rate)
              for url in (link, f"{link}thumb/")]  # the strip shows thumbnails, each a link to the photo
    assert photos and all(resident.get(url).status_code == 200 for url in photos)  # the evidence opens
    assert as_persona("resident3").get(photos[0]).status_code == 404  # for the reporter, not for everyone
    dossier = dossier_archive_task(actor=world.users["community_secretary"], task=Task.objects.get(pk=demand.task_id))
    assert "已办结归档" in main(resident.get("/demands/mine/"))
    page = main(resident.get(f"/demands/{demand.pk}/"))
    assert "一事一档已封存" in steps_of(page)
    for url in links_of(page):
        assert resident.get(url).status_code == 200, url
    assert dossier.number


def _upload():
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("现场.jpg", jpeg(), content_type="image/jpeg")


def test_a_merged_demand_follows_its_primary(world, as_persona):
    topic, _, primary = archived_matter(world)
    duplicate = demand_submit(actor=world.users["resident"], submission=Submission(
        text="3栋楼道灯不亮，和上次说的一样", area=world.areas["B1"]))
    Demand.objects.filter(pk=duplicate.pk).update(status=DemandStatus.MERGED, merged_into=primary)
    event_append(subject=duplicate, kind="demand.merged", actor=world.users["community_staff"],
                 payload={"into": primary.number, "reason": "同一件事"})
    client = as_persona("resident")
    assert "已合并 · 议题已归档" in main(client.get("/demands/mine/"))
    page = main(client.get(f"/demands/{duplicate.pk}/"))
    assert "<strong>归档</strong>" in steps_of(page) and steps_of(page).count("matter-step-done") == 8


def test_my_demands_costs_the_same_queries_for_few_or_many_demands(world, as_persona):
    topic, _ = handling_topic(world)

    def file(n: int) -> None:
        for i in range(n):
            demand = demand_submit(actor=world.users["resident"], submission=Submission(
                text=f"第{i}件事：楼道里堆了杂物{i}", area=world.areas["B1"]))
            if i % 3 == 0:
                Demand.objects.filter(pk=demand.pk).update(topic=topic, status=DemandStatus.TOPIC)
            elif i % 3 == 1:
                demand_screen(actor=world.users["community_staff"], demand=demand, decision=Decision(
                    outcome=Outcome.HANDLING, nature=Nature.INDIVIDUAL, handler=world.people["handler"],
                    deadline=timezone.localdate() + timedelta(days=5)))

    client = as_persona("resident")

    def queries() -> int:
        # The page's own queries at this volume: a first request also fills the per-process header and role
        # caches (and may renew the session), which a request right after does not repeat.
        assert client.get("/demands/mine/").status_code == 200
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/demands/mine/").status_code == 200
        return len(captured)

    file(3)
    few = queries()
    file(17)
    assert queries() == few and few <= 14


def test_the_handler_home_lists_waiting_tasks_most_pressing_first_and_the_task_page_accepts(world, as_persona):
    topic, resolution = handling_topic(world)
    later = assign(world, topic, resolution, accepted=False, title="更换3栋楼道声控灯")
    late = backdate(assign(world, topic, resolution, title="清理3栋楼道杂物"),
                    timezone.localdate() - timedelta(days=20), timezone.localdate() - timedelta(days=2))
    handler = as_persona("handler")
    home = main(handler.get("/"))
    assert "交办给本单位的事项将在这里列出" not in home
    queue = home.split('id="task-queue"')[1].split("</section>")[0]
    assert queue.index("清理3栋楼道杂物") < queue.index("更换3栋楼道声控灯")  # overdue first
    assert "已逾期" in queue and "待签收" in queue and "1 项任务等待签收" in queue and "task-overdue" in queue
    assert f'href="/tasks/{later.pk}/"' in queue and handler.get(f"/tasks/{later.pk}/").status_code == 200
    page = main(handler.get(f"/tasks/{later.pk}/"))
    assert "签收</button>" in page and "退回</button>" in page and "提交进展" not in page
    assert "未签收" in page
    assert "签收" in main(handler.post(f"/tasks/{later.pk}/accept/", follow=True))
    page = main(handler.get(f"/tasks/{later.pk}/"))
    assert "提交进展" in page and "签收</button>" not in page and "未签收" not in page and "签收（交办后 " in page
    assert handler.post(f"/tasks/{later.pk}/accept/").status_code == 302  # a retry is harmless
    refused = main(handler.post(f"/tasks/{later.pk}/return/", {"reason": "不归我们管"}, follow=True))
    assert "已签收，不能再退回" in refused and Task.objects.get(pk=later.pk).status == "in_progress"
    assert late.pk  # still listed, still overdue
    assert "待签收" not in main(handler.get("/")).split('id="task-queue"')[1].split("</section>")[0]


def test_the_handlers_progress_link_opens_and_the_progress_page_does_not_link_to_the_topic(world, as_persona):
    topic, resolution = handling_topic(world)
    task = assign(world, topic, resolution)
    handler = as_persona("handler")
    assert handler.get(f"/topics/{topic.pk}/").status_code == 404
    page = main(handler.get(f"/tasks/{task.pk}/"))
    assert f'href="/topics/{topic.pk}/progress/"' in page
    progress = main(handler.get(f"/topics/{topic.pk}/progress/"))
    assert f"/topics/{topic.pk}/\"" not in progress
    for url in links_of(page) + links_of(progress):
        assert handler.get(url).status_code == 200, url
    assert as_persona("resident3").get(f"/topics/{topic.pk}/progress/").status_code == 404
    for persona in ("resident", "grid_worker", "community_staff"):  # whoever opens the task page: no dead link
        client = as_persona(persona)
        response = client.get(f"/tasks/{task.pk}/")
        if response.status_code == 200:
            for url in links_of(main(response)):
                assert client.get(url).status_code == 200, (persona, url)


@pytest.mark.parametrize("persona", ["street_official", "district_official"])
def test_officials_see_the_three_rates_on_their_home_and_reach_the_page(world, as_persona, persona):
    client = as_persona(persona)
    home = main(client.get("/"))
    for label in ("响应率", "按期办结率", "满意率", "三率统计"):
        assert label in home, label
    url = re.search(r'href="(/kpis/\?[^"]+)"', home).group(1).replace("&amp;", "&")
    assert "按期办结率" in main(client.get(url))
    assert "三率" not in main(as_persona("resident").get("/"))


def test_the_responsibility_list_follows_the_archived_topic_and_its_tasks(world, as_persona):
    topic, _, demand = archived_matter(world)
    task = topic.tasks.get()
    client = as_persona("community_secretary")
    page = main(client.get("/lists/responsibility/"))
    row = page.split(demand.number)[1].split("</tr>")[0]
    assert "议题已归档" in row and day_text(task.deadline) in row
    sheet = load_workbook(io.BytesIO(client.get("/lists/responsibility/export.xlsx").content)).active
    headers = [c.value for c in sheet[1]]
    rows = [dict(zip(headers, [c.value for c in r], strict=True)) for r in sheet.iter_rows(min_row=2)]
    mine = next(r for r in rows if r["编号"] == demand.number)
    assert mine["经办人"] == "郑经办" and mine["办理期限"].date() == task.deadline and mine["进展"] == "已归档"


def test_the_rating_page_shows_what_was_done_and_asks_to_confirm_before_rating(world, as_persona):
    from yishiting.handling.models import Rating
    from yishiting.handling.tests.test_evaluation import evaluating_topic as open_round

    topic, round_ = open_round(world)
    client, url = as_persona("resident"), f"/evaluations/{round_.pk}/rate/"
    page = main(client.get(url))
    assert "协商决议" in page and topic.resolutions.get().text in page and "办结报告：" in page and "已全部更换" in page
    # A phone does not download each full photo for a 96 px box: the strip loads thumbnails, each a link to the photo
    photos = [url for link in re.findall(r'<a href="(/tasks/\d+/files/\d+/)"><img src="\1thumb/"', page)
              for url in (link, f"{link}thumb/")]
    assert photos and all(client.get(photo).status_code == 200 for photo in photos)
    assert all(client.get(thumb)["Content-Type"] == "image/jpeg" for thumb in photos[1::2])
    assert as_persona("resident3").get(photos[1]).status_code == 404  # not invited to rate: no photo
    refused = client.post(url, {"value": "dissatisfied", "comment": ""})  # refused at once, not after confirming
    assert refused.status_code == 400 and "请写明哪里不满意" in main(refused) and "请确认" not in main(refused)
    asked = main(client.post(url, {"value": "dissatisfied", "comment": "3楼还是不亮"}))
    assert "请确认您的评价" in asked and "不满意" in asked and "3楼还是不亮" in asked and not Rating.objects.exists()
    back = main(client.post(url, {"value": "dissatisfied", "comment": "3楼还是不亮", "confirm": "0"}))
    assert "请确认" not in back and "3楼还是不亮" in back and not Rating.objects.exists()  # 返回修改: kept
    assert client.post(url, {"value": "dissatisfied", "comment": "3楼还是不亮", "confirm": "1"}).status_code == 302
    assert Rating.objects.get().comment == "3楼还是不亮"


def test_mediation_and_escalation_read_plainly_in_my_demands(world, as_persona):
    staff = world.users["community_staff"]
    texts = {"mediation": "楼上邻居装修噪音太大，协商不成", "escalate": "小区门口主干道的红绿灯坏了"}
    made = {k: demand_submit(actor=world.users["resident"], submission=Submission(text=t, area=world.areas["B1"]))
            for k, t in texts.items()}
    demand_screen(actor=staff, demand=made["mediation"], decision=Decision(
        outcome=Outcome.MEDIATION, nature=Nature.INDIVIDUAL, reason="邻里纠纷"))
    demand_screen(actor=staff, demand=made["escalate"], decision=Decision(
        outcome=Outcome.ESCALATE, nature=Nature.PUBLIC, reason="道路信号灯由区交警管理"))
    client = as_persona("resident")
    mine = main(client.get("/demands/mine/"))
    assert "待受理调解" in mine and "调解调解" not in mine and "已提请上级" in mine  # no mediator has accepted it yet
    page = main(client.get(f"/demands/{made['mediation'].pk}/"))
    assert "<strong>受理</strong>" in steps_of(page) and "<strong>社区初调</strong>" in steps_of(page)
    for url in links_of(page):
        assert client.get(url).status_code == 200, url


def test_the_handler_queue_puts_the_most_urgent_demand_before_an_earlier_deadline(world, as_persona):
    from yishiting.demands.choices import Urgency

    topic, resolution = handling_topic(world)
    assign(world, topic, resolution, title="粉刷3栋楼道", deadline=timezone.localdate() + timedelta(days=3))
    demand = demand_submit(actor=world.users["resident"], submission=Submission(
        text="3栋燃气管道有异味，怕漏气", area=world.areas["B1"], urgency=Urgency.CRITICAL))
    demand_screen(actor=world.users["community_staff"], demand=demand, decision=Decision(
        outcome=Outcome.HANDLING, nature=Nature.INDIVIDUAL, handler=world.people["handler"],
        deadline=timezone.localdate() + timedelta(days=10)))
    queue = main(as_persona("handler").get("/")).split('id="task-queue"')[1].split("</section>")[0]
    assert queue.index("燃气管道") < queue.index("粉刷3栋楼道") and "特急" in queue


def test_the_demand_page_of_an_archived_matter_costs_a_bounded_number_of_queries(world, as_persona,
                                                                                 django_assert_max_num_queries):
    _, _, demand = archived_matter(world)
    client = as_persona("resident")
    # about 33 today: a fixed few per stage (each link checked by its page's own selector) and one for the 类案 the
    # demand may belong to (举一反三), never per record
    with django_assert_max_num_queries(35):
        assert client.get(f"/demands/{demand.pk}/").status_code == 200
