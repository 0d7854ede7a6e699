"""Tasks and supervision through /api/v1/tasks and /api/v1/supervision: the handler's day on the phone, staff
lists and filters, bad input with nothing changed, scopes, and (PostgreSQL) two supervisors verifying at once."""

from __future__ import annotations

import threading
from datetime import date, timedelta

import pytest
import requests
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from yishiting.accounts.services import token_create
from yishiting.api.routers.handling_tasks import XLSX
from yishiting.common.events import events_of
from yishiting.handling.models import Task, TaskFile
from yishiting.handling.services.tasks import task_submit
from yishiting.handling.tests import tasks_world
from yishiting.handling.tests.tasks_world import assign, backdate, handling_topic, ledger, photo
from yishiting.handling.warnings import warnings_tick

from .conftest import assert_error


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def upload(client: Client, secret: str, path: str, data: dict):
    return client.post("/api/v1" + path, data, headers={"Authorization": f"Bearer {secret}"})


def test_assign_then_the_handler_reports_with_photos_and_asks_for_closing(world, api_as, tmp_path):
    topic, resolution = handling_topic(world)
    staff = api_as("community_staff")
    body = {"title": "更换3栋楼道灯", "area_id": world.areas["B1"].pk, "handler_id": world.people["handler"].pk,
            "subject_kind": "unit", "organization_id": world.organizations["agency"].pk, "topic_id": topic.pk,
            "resolution_id": resolution.pk, "standard": "全部更换为声控LED灯", "deadline_days": 10,
            "milestones": [{"title": "采购", "due_on": (timezone.localdate() + timedelta(days=3)).isoformat()}]}
    created = staff.post("/tasks", body)
    assert created.status_code == 201, created.content
    task = created.json()
    assert (task["status"], task["handler"], task["original_deadline"]) == ("assigned", "郑**", None)
    handler = api_as("handler")
    assert [t["id"] for t in handler.get("/tasks", mine="true").json()["items"]] == [task["id"]]
    assert_error(handler.post(f"/tasks/{task['id']}/reports", {"text": "x", "percent": 10}), 409, "task_not_accepted")
    accepted = handler.post(f"/tasks/{task['id']}/accept").json()
    assert accepted["status"] == "in_progress" and accepted["accepted_at"]
    assert any("签收任务" in line["text"] for line in accepted["timeline"])
    client, secret = Client(), token_create(actor=world.users["handler"], name="手机")[1]
    photo_file = SimpleUploadedFile("现场.jpg", photo(), content_type="image/jpeg")
    sent = upload(client, secret, f"/tasks/{task['id']}/reports/multipart",
                  {"text": "灯具已到货", "percent": "40", "milestone_id": str(task["milestones"][0]["id"]),
                   "photos": [photo_file]})
    assert sent.status_code == 201, sent.content
    report = sent.json()
    assert report["percent"] == 40 and report["milestone"] == "采购" and len(report["files"]) == 1
    got = client.get(report["files"][0]["url"], headers={"Authorization": f"Bearer {secret}"})
    assert got.status_code == 200 and got["Content-Type"] == "image/jpeg"
    submitted = upload(client, secret, f"/tasks/{task['id']}/submit", {"evidence": "全部更换完毕"})
    assert submitted.status_code == 200, submitted.content
    assert submitted.json()["status"] == "verifying"
    assert handler.post(f"/tasks/{task['id']}/verify", {"approve": True}).status_code == 403
    closed = staff.post(f"/tasks/{task['id']}/verify", {"approve": True, "note": "现场核验合格"}).json()
    assert closed["status"] == "closed" and any("已销号" in line["text"] for line in closed["timeline"])


def test_bad_input_is_a_clear_chinese_error_and_changes_nothing(world, api_as):
    staff = api_as("community_staff")
    base = {"title": "x", "area_id": world.areas["B1"].pk, "handler_id": world.people["handler"].pk,
            "subject_kind": "community"}
    assert_error(staff.post("/tasks", base), 400, "deadline_required")
    assert_error(staff.post("/tasks", {**base, "deadline": "2020-01-01"}), 400, "invalid_deadline")
    assert_error(staff.post("/tasks", {**base, "deadline_days": 3, "handler_id": world.people["resident"].pk}),
                 400, "invalid_handler")
    assert_error(staff.post("/tasks", {**base, "deadline_days": 3, "colour": "red"}), 422)
    assert not Task.objects.exists()
    task = assign(world)
    handler = api_as("handler")
    assert_error(handler.post(f"/tasks/{task.pk}/reports", {"text": "x", "percent": 120}), 400, "invalid_percent")
    assert_error(handler.post(f"/tasks/{task.pk}/return", {"reason": ""}), 400, "required")
    assert_error(handler.post(f"/tasks/{task.pk}/extensions", {"new_deadline": "2020-01-01", "reason": "x"}), 400,
                 "invalid_deadline")
    assert Task.objects.get(pk=task.pk).status == "in_progress" and not task.reports.exists()


def test_extension_flow_and_the_figures_show_it(world, api_as):
    task = assign(world)
    handler, staff = api_as("handler"), api_as("community_staff")
    new = (task.deadline + timedelta(days=5)).isoformat()
    ext = handler.post(f"/tasks/{task.pk}/extensions", {"new_deadline": new, "reason": "灯具缺货"})
    assert ext.status_code == 201
    assert_error(handler.post(f"/tasks/{task.pk}/extensions", {"new_deadline": new, "reason": "x"}), 409,
                 "extension_pending")
    decided = staff.post(f"/tasks/{task.pk}/extensions/{ext.json()['id']}/decision", {"approve": True})
    assert decided.json()["status"] == "approved"
    listed = staff.get("/tasks", extended="true").json()["items"]
    assert [(t["id"], t["deadline"], t["original_deadline"]) for t in listed] == [
        (task.pk, new, task.deadline.isoformat())]


def test_lists_filter_by_warning_and_overdue_within_scope(world, api_as):
    late = backdate(assign(world, title="逾期的任务"), date(2026, 11, 2), date(2026, 11, 13))
    assign(world, title="未到期的任务")
    warnings_tick(today=timezone.localdate())
    staff = api_as("community_staff")
    assert [t["title"] for t in staff.get("/tasks", overdue="true").json()["items"]] == ["逾期的任务"]
    red = staff.get("/tasks", warning="red").json()["items"]
    assert [(t["id"], t["warning"]) for t in red] == [(late.pk, "escalated")]
    assert staff.get("/tasks", q="未到期").json()["count"] == 1
    # Another community's staff, and a resident, see none of it; a task out of scope is a 404.
    assert api_as("resident3").get("/tasks").json()["count"] == 0
    assert_error(api_as("resident3").get(f"/tasks/{late.pk}"), 404)



def ledger_rows(response) -> dict[str, dict]:
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"] == XLSX and "attachment" in response["Content-Disposition"]
    return tasks_world.ledger_rows(response.content)


def test_the_ledger_exports_with_the_list_filters_within_scope(world, api_as):
    tasks = ledger(world)
    street, staff = api_as("street_official"), api_as("community_staff")
    assert set(ledger_rows(street.get("/tasks/export.xlsx"))) == {
        "更换3栋楼道声控灯", "清理3栋楼道杂物", "和平里1栋外墙修补"}
    mine = ledger_rows(staff.get("/tasks/export.xlsx"))
    assert set(mine) == {"更换3栋楼道声控灯", "清理3栋楼道杂物"}  # 和平里 is another community
    assert mine["更换3栋楼道声控灯"]["办理人"] == "郑**" and mine["更换3栋楼道声控灯"]["核验人"] == "钱**"
    under = ledger_rows(street.get("/tasks/export.xlsx", under=world.areas["C2"].pk, page_size=1))
    assert list(under) == ["和平里1栋外墙修补"]
    assert [t["title"] for t in street.get("/tasks", under=world.areas["C2"].pk).json()["items"]] == list(under)
    start = (timezone.localdate() - timedelta(days=30)).isoformat()
    end = (timezone.localdate() - timedelta(days=20)).isoformat()
    assert [t["id"] for t in street.get("/tasks", start=start, end=end).json()["items"]] == [tasks["late"].pk]
    assert list(ledger_rows(street.get("/tasks/export.xlsx", start=start, end=end))) == ["清理3栋楼道杂物"]
    assert list(ledger_rows(staff.get("/tasks/export.xlsx", overdue="true"))) == ["清理3栋楼道杂物"]
    assert_error(staff.get("/tasks/export.xlsx", under=world.areas["C2"].pk), 404)
    assert_error(api_as("handler").get("/tasks/export.xlsx"), 403)
    assert_error(api_as("resident").get("/tasks/export.xlsx"), 403)


def test_the_ledger_export_is_documented(client):
    operation = client.get("/api/v1/openapi.json").json()["paths"]["/api/v1/tasks/export.xlsx"]["get"]
    assert operation["summary"] == "导出任务台账（XLSX）"
    assert XLSX in operation["responses"]["200"]["content"]
    names = {p["name"] for p in operation["parameters"]}
    assert {"status", "overdue", "warning", "under", "start", "end", "q"} <= names and "page" not in names

def test_supervision_group_records_bulletins_and_progress(world, api_as):
    topic, resolution = handling_topic(world)
    task = assign(world, topic, resolution)
    staff = api_as("community_staff")
    member = staff.post(f"/supervision/topics/{topic.pk}/members",
                        {"person_id": world.people["resident"].pk, "role": "stakeholder"})
    assert member.status_code == 201 and member.json()["person"] == "张*"
    assert_error(staff.post(f"/supervision/topics/{topic.pk}/members",
                            {"person_id": world.people["resident"].pk, "role": "stakeholder"}), 409, "already_member")
    record = staff.post(f"/supervision/topics/{topic.pk}/records", {
        "kind": "handling", "text": "现场督办灯具安装", "happened_on": timezone.localdate().isoformat(),
        "task_id": task.pk})
    assert record.status_code == 201 and record.json()["kind_label"] == "督办理"
    assert_error(api_as("grid_worker").post(f"/supervision/topics/{topic.pk}/bulletins", {"text": "x"}), 403)
    assert staff.post(f"/supervision/topics/{topic.pk}/bulletins", {"text": "已完成一半"}).status_code == 201
    progress = api_as("resident").get(f"/supervision/topics/{topic.pk}/progress").json()
    assert (progress["percent"], [b["text"] for b in progress["bulletins"]]) == (0, ["已完成一半"])
    assert progress["tasks"][0]["handler"] == "郑**"
    removed = staff.delete(f"/supervision/topics/{topic.pk}/members/{member.json()['id']}")
    assert removed.status_code == 204
    assert staff.get(f"/supervision/topics/{topic.pk}/records", task=task.pk).json()["count"] == 1


def race(url: str, tokens: list[str]) -> list[requests.Response]:
    """POST an approval with each token from its own thread, all released together by a barrier."""
    barrier, answers = threading.Barrier(len(tokens)), [None] * len(tokens)

    def verify(i: int) -> None:
        barrier.wait(timeout=10)
        answers[i] = requests.post(url, json={"approve": True}, timeout=30,
                                   headers={"Authorization": f"Bearer {tokens[i]}"})

    threads = [threading.Thread(target=verify, args=(i,)) for i in range(len(tokens))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return answers


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.races
def test_two_supervisors_verify_the_same_task_at_once_exactly_one_wins(world, live_server):
    topic, resolution = handling_topic(world)
    tokens = [token_create(actor=world.users[p], name="并发")[1] for p in ("community_staff", "community_secretary")]
    tasks = [assign(world, topic, resolution, title=f"任务{i}") for i in range(3)]
    for task in tasks:  # all assigned first: the topic leaves `handling` when the last one closes
        task_submit(actor=world.users["handler"], task=task, evidence="完成", files=[("a.jpg", photo())])
    for task in tasks:
        answers = race(f"{live_server.url}/api/v1/tasks/{task.pk}/verify", tokens)
        assert sorted(a.status_code for a in answers) == [200, 409], [a.text for a in answers]
        assert [e.kind for e in events_of(task)].count("task.closed") == 1
    topic.refresh_from_db()
    assert topic.status == "evaluating"  # moved once, by whichever verification closed the last task
    assert TaskFile.objects.count() == 3
