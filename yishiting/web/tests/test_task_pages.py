"""Task and supervision pages: the handler's phone (report with a photo, ask for 销号), staff lists with warning
colours and filters, assigning from a topic, approving an extension, verifying, the supervision page and the
public progress bulletin — and the errors a user sees."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from yishiting.deliberation.choices import TopicStatus
from yishiting.handling.models import Bulletin, SupervisionRecord, Task
from yishiting.handling.tests import tasks_world
from yishiting.handling.tests.tasks_world import assign, backdate, handling_topic, ledger, photo
from yishiting.handling.warnings import warnings_tick

from .pages import main

pytestmark = pytest.mark.usefixtures("file_media")


def jpeg(name: str = "现场.jpg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, photo(), content_type="image/jpeg")


def test_the_handler_reports_from_the_phone_and_asks_for_closing(world, as_persona):
    task = assign(world)
    client = as_persona("handler")
    page = main(client.get("/tasks/mine/"))
    assert "更换3栋楼道声控灯" in page
    page = main(client.get(f"/tasks/{task.pk}/"))
    assert 'capture="environment"' in page and "报告进展" in page
    response = client.post(f"/tasks/{task.pk}/report/", {"text": "灯具已到货", "percent": "40", "photos": [jpeg()]})
    assert response.status_code == 302
    page = main(client.get(f"/tasks/{task.pk}/"))
    assert "灯具已到货" in page and "进展照片 1" in page and "40%" in page
    bad = client.post(f"/tasks/{task.pk}/report/", {"text": "倒退", "percent": "10"})
    assert bad.status_code == 400 and "不能低于上次报告的 40%" in main(bad)
    response = client.post(f"/tasks/{task.pk}/submit/", {"evidence": "全部更换完毕"})
    assert response.status_code == 302 and Task.objects.get(pk=task.pk).status == "verifying"


def test_staff_see_warning_colours_and_filter(world, as_persona):
    backdate(assign(world, title="逾期的任务"), date(2026, 11, 2), date(2026, 11, 13))
    assign(world, title="刚交办的任务")
    warnings_tick(today=timezone.localdate())
    client = as_persona("community_staff")
    page = main(client.get("/tasks/"))
    assert "提级督办" in page and "刚交办的任务" in page
    page = main(client.get("/tasks/", {"overdue": "on"}))
    assert "逾期的任务" in page and "刚交办的任务" not in page
    assert as_persona("resident").get("/tasks/").status_code == 403
    assert as_persona("resident").get("/tasks/mine/").status_code == 403


def test_assign_from_a_topic_only_once_its_publicity_is_done(world, as_persona):
    topic, _ = handling_topic(world)
    client = as_persona("community_staff")
    form = {"title": "更换楼道灯", "area": world.areas["B1"].pk, "subject_kind": "community",
            "handler_role": world.people["handler"].pk, "deadline_days": "10",
            "milestones-TOTAL_FORMS": "2", "milestones-INITIAL_FORMS": "0", "milestones-0-title": "采购灯具",
            "milestones-0-day": (timezone.localdate() + timedelta(days=3)).isoformat()}
    page = main(client.get(f"/topics/{topic.pk}/tasks/new/"))
    assert "办理节点" in page and 'name="milestones-0-title"' in page and 'type="date"' in page
    added = client.post(f"/topics/{topic.pk}/tasks/new/", {**form, "milestones-action": "add"})
    assert added.status_code == 200 and "第 3 项" in main(added) and 'value="采购灯具"' in main(added)
    assert 'value="更换楼道灯"' in main(added) and not Task.objects.exists()
    half = client.post(f"/topics/{topic.pk}/tasks/new/", {**form, "milestones-1-title": "验收"})
    assert half.status_code == 400 and "第 2 项：请选择完成日期。" in main(half) and 'value="验收"' in main(half)
    response = client.post(f"/topics/{topic.pk}/tasks/new/", form)
    assert response.status_code == 302, main(response)
    task = Task.objects.get()
    assert (task.topic, task.milestones.get().title, task.handler) == (topic, "采购灯具", world.people["handler"])
    bad = client.post(f"/topics/{topic.pk}/tasks/new/", {**form, "deadline_days": "", "deadline": ""})
    assert bad.status_code == 400 and "二选一" in main(bad)
    topic.status = TopicStatus.PUBLICISING
    topic.save(update_fields=["status"])
    page = main(client.get(f"/topics/{topic.pk}/tasks/new/"))
    assert "公示期满" in page
    assert as_persona("handler").get(f"/topics/{topic.pk}/tasks/new/").status_code == 403


def test_extension_approved_and_verification_on_the_task_page(world, as_persona):
    task = assign(world)
    handler, staff = as_persona("handler"), as_persona("community_staff")
    new = task.deadline + timedelta(days=5)
    handler.post(f"/tasks/{task.pk}/extension/", {"new_deadline": new.isoformat(), "reason": "灯具缺货"})
    page = main(staff.get(f"/tasks/{task.pk}/"))
    assert "延期申请待审批" in page
    assert "延期申请待审批" not in main(handler.get(f"/tasks/{task.pk}/"))
    staff.post(f"/tasks/{task.pk}/decide/", {"approve": "yes"})
    task.refresh_from_db()
    assert (task.deadline, task.original_deadline) == (new, new - timedelta(days=5))
    handler.post(f"/tasks/{task.pk}/submit/", {"evidence": "已修好", "files": [jpeg()]})
    refused = staff.post(f"/tasks/{task.pk}/verify/", {"approve": "no", "note": ""})
    assert refused.status_code == 400 and "说明原因" in main(refused)
    own = handler.post(f"/tasks/{task.pk}/verify/", {"approve": "yes"})
    assert own.status_code == 400 and "只有该任务的核验人" in own.content.decode()
    assert Task.objects.get(pk=task.pk).status == "verifying"  # the handler may not verify their own work
    staff.post(f"/tasks/{task.pk}/verify/", {"approve": "yes"})
    assert Task.objects.get(pk=task.pk).status == "closed"
    assert "核验通过，已销号" in main(staff.get(f"/tasks/{task.pk}/"))


def test_out_of_scope_tasks_are_404(world, as_persona):
    task = assign(world)
    assert as_persona("resident3").get(f"/tasks/{task.pk}/").status_code == 404
    assert as_persona("resident3").get(f"/tasks/{task.pk}/report/").status_code == 405


def test_supervision_page_and_the_public_progress_bulletin(world, as_persona):
    topic, resolution = handling_topic(world)
    assign(world, topic, resolution)
    staff = as_persona("community_staff")
    staff.post(f"/topics/{topic.pk}/supervision/member/", {"person": world.people["resident"].pk,
                                                           "role": "stakeholder"})
    staff.post(f"/topics/{topic.pk}/supervision/record/", {"kind": "visit", "happened_on": timezone.localdate(),
                                                           "text": "走访3栋住户"})
    staff.post(f"/topics/{topic.pk}/supervision/bulletin/", {"text": "灯具已到货"})
    assert (SupervisionRecord.objects.count(), Bulletin.objects.count()) == (1, 1)
    page = main(staff.get(f"/topics/{topic.pk}/supervision/"))
    assert "张*" in page and "张三" not in page and "走访3栋住户" in page
    public = main(as_persona("resident").get(f"/topics/{topic.pk}/progress/"))
    assert "灯具已到货" in public and "郑**" in public and "郑经办" not in public
    assert "发布通报" not in main(as_persona("resident").get(f"/topics/{topic.pk}/supervision/"))
    assert as_persona("resident").post(f"/topics/{topic.pk}/supervision/bulletin/", {"text": "x"}).status_code == 403
    assert as_persona("resident3").get(f"/topics/{topic.pk}/progress/").status_code == 404


def test_the_topic_partial_lists_tasks(world, rf):
    from django.template.loader import render_to_string

    topic, resolution = handling_topic(world)
    assign(world, topic, resolution)
    html = render_to_string("web/partials/handling/tasks_on_topic.html", {"topic": topic, "may_manage": True})
    assert "更换3栋楼道声控灯" in html and "交办任务" in html and f"/topics/{topic.pk}/progress/" in html
    public = render_to_string("web/partials/handling/tasks_on_topic.html", {"topic": topic, "may_manage": False})
    assert "更换3栋楼道声控灯" in public and "交办任务" not in public and "督办</a>" not in public
    assert f"/topics/{topic.pk}/progress/" in public


# ---- the 任务台账: filters shared by the list and its XLSX export ----

def ledger_rows(response) -> dict[str, dict]:
    """The downloaded workbook's rows by task title."""
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.spreadsheetml")
    assert "attachment" in response["Content-Disposition"] and ".xlsx" in response["Content-Disposition"]
    return tasks_world.ledger_rows(response.content)


def test_the_list_filters_by_area_and_period_and_exports_what_it_shows(world, as_persona):
    tasks = ledger(world)
    street = as_persona("street_official")
    page = main(street.get("/tasks/"))
    assert "共 3 项任务" in page and "导出 Excel" in page and "和平里1栋外墙修补" in page
    query = {"area": world.areas["C2"].pk}
    page = main(street.get("/tasks/", query))
    assert "和平里1栋外墙修补" in page and "更换3栋楼道声控灯" not in page
    assert f'href="/tasks/export.xlsx?area={world.areas["C2"].pk}"' in page  # the export keeps the filter
    assert list(ledger_rows(street.get("/tasks/export.xlsx", query))) == ["和平里1栋外墙修补"]
    last_month = timezone.localdate() - timedelta(days=30)
    period = {"start": last_month.isoformat(), "end": (timezone.localdate() - timedelta(days=20)).isoformat()}
    assert list(ledger_rows(street.get("/tasks/export.xlsx", period))) == ["清理3栋楼道杂物"]
    assert "清理3栋楼道杂物" in main(street.get("/tasks/", period))
    backwards = main(street.get("/tasks/", {"start": period["end"], "end": period["start"]}))
    assert "截止日期不能早于起始日期" in backwards
    refused = street.get("/tasks/export.xlsx", {"start": period["end"], "end": period["start"]})
    assert refused.status_code == 400 and "筛选条件有误" in main(refused)
    assert tasks["late"].pk == ledger_rows(street.get("/tasks/export.xlsx", {"overdue": "on"}))["清理3栋楼道杂物"]["编号"]


def test_the_export_has_every_page_not_only_the_one_shown(world, as_persona):
    ledger(world)
    for n in range(32):  # 30 a page
        assign(world, title=f"巡查第{n + 1:02d}号路灯")
    staff = as_persona("community_staff")
    page = main(staff.get("/tasks/", {"page": 2, "q": "巡查"}))
    assert "第 2 / 2 页，共 32 条" in page
    assert 'href="/tasks/export.xlsx?q=%E5%B7%A1%E6%9F%A5"' in page  # the page number is left out
    rows = ledger_rows(staff.get("/tasks/export.xlsx", {"page": 2, "q": "巡查"}))
    assert len(rows) == 32 and all(title.startswith("巡查") for title in rows)


def test_a_community_worker_exports_only_their_community_with_names_masked(world, as_persona):
    ledger(world)
    rows = ledger_rows(as_persona("community_staff").get("/tasks/export.xlsx"))
    assert set(rows) == {"更换3栋楼道声控灯", "清理3栋楼道杂物"}  # not 和平里's task
    closed = rows["更换3栋楼道声控灯"]
    assert (closed["办理人"], closed["核验人"], closed["是否延期"], closed["批准延期（天）"]) == ("郑**", "钱**", "是", 5)
    assert rows["清理3栋楼道杂物"]["是否超期"] == "是" and rows["清理3栋楼道杂物"]["预警"].startswith("红色")
    assert as_persona("resident").get("/tasks/export.xlsx").status_code == 403
    assert as_persona("handler").get("/tasks/export.xlsx").status_code == 403
