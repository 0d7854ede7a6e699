"""Notices through the API as the personas: a draft from a resolution, publishing on the working-day calendar,
objections (masked on the way out) and answers, completion, the street's legality review, and the poster."""

from __future__ import annotations

import subprocess
from datetime import date

import pytest
from django.utils import timezone

from yishiting.deliberation.choices import TopicStatus
from yishiting.deliberation.models import Topic
from yishiting.handling.models import Notice
from yishiting.handling.tests.world import resolved_topic

pytestmark = pytest.mark.django_db
MONDAY = date(2026, 11, 2)
PLAN = [{"when": "12月上旬", "what": "采购灯具", "who": "物业 钱经理"}]


@pytest.fixture(autouse=True)
def today(monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *args: MONDAY)


def create(api_as, world, persona: str = "community_secretary", **topic) -> dict:
    _, resolution = resolved_topic(world, **topic)
    response = api_as(persona).post("/notices", {"resolution_id": resolution.pk, "plan": PLAN,
                                                 "responsible": "孙书记 13800000006"})
    assert response.status_code == 201, response.content
    return response.json()


def publish(api_as, world, **topic) -> dict:
    notice = create(api_as, world, **topic)
    response = api_as("community_secretary").post(f"/notices/{notice['id']}/publish", {})
    assert response.status_code == 200, response.content
    return response.json()


def test_draft_publish_and_read_as_staff_and_resident(world, api_as):
    notice = create(api_as, world)
    assert (notice["status"], notice["working_days"], notice["plan"]) == ("draft", 5, PLAN)
    assert notice["responsible"] == "孙书记 138****0006"
    assert api_as("resident").get(f"/notices/{notice['id']}").status_code == 404   # a draft is the office's
    published = api_as("community_secretary").post(f"/notices/{notice['id']}/publish", {}).json()
    assert (published["starts_on"], published["ends_on"], published["days_left"]) == ("2026-11-02", "2026-11-06", 5)
    seen = api_as("resident").get(f"/notices/{notice['id']}").json()
    assert seen["may_object"] is True and seen["status_label"] == "公示中"
    assert api_as("resident3").get(f"/notices/{notice['id']}").status_code == 404  # another street
    listed = api_as("resident").get("/notices", status="published").json()
    assert [item["id"] for item in listed["items"]] == [notice["id"]]


def test_calendar_warning_only_for_staff(world, api_as, monkeypatch):
    from yishiting.common.models import CalendarDay, CalendarYear

    CalendarDay.objects.filter(date__year=2027).delete()
    CalendarYear.objects.filter(year=2027).delete()
    monkeypatch.setattr(timezone, "localdate", lambda *args: date(2026, 12, 28))
    notice = publish(api_as, world)
    assert notice["ends_on"] == "2027-01-04" and "2027 年" in notice["calendar_warnings"][0]
    assert api_as("resident").get(f"/notices/{notice['id']}").json()["calendar_warnings"] == []


@pytest.mark.parametrize("persona, status", [("resident", 403), ("handler", 403), ("grid_worker", 403)])
def test_who_may_not_draft(world, api_as, persona, status):
    _, resolution = resolved_topic(world)
    response = api_as(persona).post("/notices", {"resolution_id": resolution.pk})
    assert response.status_code in (status, 404)
    assert not Notice.objects.exists()


def test_bad_plan_is_422_in_chinese_and_nothing_saved(world, api_as):
    _, resolution = resolved_topic(world)
    response = api_as("community_secretary").post("/notices", {"resolution_id": resolution.pk,
                                                               "plan": [{"when": "12月", "what": "换灯"}]})
    assert response.status_code == 422 and response.json()["message"]
    blank = api_as("community_secretary").post("/notices", {"resolution_id": resolution.pk,
                                                            "plan": [{"when": "12月", "what": "", "who": "物业"}]})
    assert blank.status_code == 400 and blank.json()["code"] == "invalid_plan"
    assert not Notice.objects.exists()


def test_objection_answered_then_complete_moves_the_topic(world, api_as, monkeypatch):
    notice = publish(api_as, world)
    raised = api_as("resident").post(f"/notices/{notice['id']}/objections", {"text": "施工噪音"})
    assert raised.status_code == 201 and raised.json()["person"] == "张*"
    assert api_as("resident2").post(f"/notices/{notice['id']}/objections", {"text": "x"}).status_code == 404
    monkeypatch.setattr(timezone, "localdate", lambda *args: date(2026, 11, 9))
    blocked = api_as("community_secretary").post(f"/notices/{notice['id']}/complete")
    assert blocked.status_code == 409 and blocked.json()["code"] == "objections_unanswered"
    objection_id = raised.json()["id"]
    denied = api_as("handler").post(f"/notices/objections/{objection_id}/answer", {"answer": "好", "substantial": False})
    assert denied.status_code == 404
    answered = api_as("community_staff").post(f"/notices/objections/{objection_id}/answer",
                                              {"answer": "白天施工", "substantial": False})
    assert answered.status_code == 200 and answered.json()["substantial"] is False
    done = api_as("community_secretary").post(f"/notices/{notice['id']}/complete")
    assert done.json()["status"] == "completed"
    assert Topic.objects.get(pk=notice["topic_id"]).status == TopicStatus.HANDLING
    again = api_as("community_secretary").post(f"/notices/{notice['id']}/complete")
    assert again.status_code == 200 and again.json()["status"] == "completed"


def test_substantial_objection_withdraws(world, api_as):
    notice = publish(api_as, world)
    objection = api_as("resident").post(f"/notices/{notice['id']}/objections", {"text": "未征求意见"}).json()
    api_as("community_staff").post(f"/notices/objections/{objection['id']}/answer",
                                   {"answer": "退回重议", "substantial": True})
    assert api_as("community_staff").get(f"/notices/{notice['id']}").json()["status"] == "withdrawn"
    assert Topic.objects.get(pk=notice["topic_id"]).status == TopicStatus.ANALYSING


def test_street_reviews_a_major_matter_community_cannot(world, api_as):
    notice = publish(api_as, world, title="幸福苑3栋加装电梯")
    assert notice["is_major"] and notice["legal_review"]["status"] == "pending"
    inbox = api_as("street_official").get("/notices/legal-reviews").json()
    assert [r["notice_id"] for r in inbox["items"]] == [notice["id"]]
    assert api_as("community_secretary").get("/notices/legal-reviews").json()["count"] == 0
    review_id = inbox["items"][0]["id"]
    refused = api_as("community_secretary").post(f"/notices/legal-reviews/{review_id}/decide",
                                                  {"approve": True, "opinion": "同意"})
    assert refused.status_code == 404
    empty = api_as("street_official").post(f"/notices/legal-reviews/{review_id}/decide",
                                           {"approve": True, "opinion": ""})
    assert empty.status_code == 400 and empty.json()["code"] == "required"
    decided = api_as("street_official").post(f"/notices/legal-reviews/{review_id}/decide",
                                             {"approve": False, "opinion": "审批手续不全"})
    assert decided.json()["status"] == "rejected"
    assert Topic.objects.get(pk=notice["topic_id"]).status == TopicStatus.ANALYSING
    twice = api_as("street_official").post(f"/notices/legal-reviews/{review_id}/decide",
                                           {"approve": True, "opinion": "同意"})
    assert twice.status_code == 409


def test_mark_major_needs_a_reason(world, api_as):
    notice = create(api_as, world)
    bad = api_as("community_staff").post(f"/notices/{notice['id']}/major", {"reason": ""})
    assert bad.status_code == 400
    good = api_as("community_staff").post(f"/notices/{notice['id']}/major", {"reason": "涉及公共安全"}).json()
    assert good["is_major"] and good["major_reason"] == "工作人员认定：涉及公共安全"


def test_poster_is_a_real_pdf_with_the_chinese_text(world, api_as, tmp_path):
    notice = publish(api_as, world)
    response = api_as("community_staff").get(f"/notices/{notice['id']}/poster.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    pdf = tmp_path / "poster.pdf"
    pdf.write_bytes(response.content)
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "“幸福苑3栋楼道照明改造”协商结果的公示" in text and "采购灯具" in text and "2026年11月6日" in text
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "CJK" in fonts and " yes " in fonts   # embedded


def test_list_filters_and_pages(world, api_as):
    for title in ("楼道照明", "健身器材", "停车划线"):
        create(api_as, world, title=f"幸福苑{title}")
    api = api_as("community_staff")
    assert api.get("/notices", q="健身").json()["count"] == 1
    page = api.get("/notices", page_size=2, page=2).json()
    assert (page["count"], len(page["items"])) == (3, 1)
    assert api.get("/notices", area_id=world.areas["C1"].pk).json()["count"] == 3
