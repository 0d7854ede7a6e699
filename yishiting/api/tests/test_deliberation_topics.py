"""Topics through the API as the personas: proposing, analysis, attachments, status moves, and the residents'
opinions and stances (one per person, changeable until the period closes, masked on the way out)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from yishiting.common.events import events_of
from yishiting.deliberation.models import Opinion, Topic

pytestmark = pytest.mark.django_db


def propose(api_as, world, persona: str = "community_secretary", **extra) -> dict:
    body = {"title": "幸福苑3栋加装电梯", "description": "3栋居民多为老人，希望加装电梯。",
            "level_area_id": world.areas["C1"].pk, "scope_area_id": world.areas["B1"].pk, **extra}
    response = api_as(persona).post("/topics", body)
    assert response.status_code == 201, response.content
    return response.json()


def test_secretary_proposes_a_topic_with_its_scope_and_the_default_template(world, api_as):
    topic = propose(api_as, world)
    assert (topic["status"], topic["status_label"], topic["source"]) == ("open", "征求意见", "proposal")
    assert topic["scope_area"]["name"] == "幸福苑3栋" and topic["template_code"] == "kenli-345"
    assert topic["timeline"][0]["sentence"].endswith("提出议题“幸福苑3栋加装电梯”")
    assert "社区书记 孙书记" in topic["timeline"][0]["sentence"]


def test_a_proposal_entered_for_someone_else_needs_their_signed_paper(world, api_as):
    api = api_as("community_secretary")
    body = {"title": "小区停车位划线", "level_area_id": world.areas["C1"].pk,
            "proposer_id": world.people["resident"].pk}
    refused = api.post("/topics", body)
    assert refused.status_code == 400 and refused.json()["code"] == "proposal_unsigned"
    assert not Topic.objects.exists()
    accepted = api.post("/topics", {**body, "proposal_signed": True})
    assert accepted.status_code == 201 and accepted.json()["proposer"] == "张*"


@pytest.mark.parametrize("persona", ["resident", "grid_worker", "handler"])
def test_only_the_office_proposes_topics(world, api_as, persona):
    response = api_as(persona).post("/topics", {"title": "x", "level_area_id": world.areas["C1"].pk})
    assert response.status_code in (403, 404)
    assert not Topic.objects.exists()


def test_a_scope_outside_the_level_is_refused(world, api_as):
    response = api_as("street_official").post("/topics", {"title": "x", "level_area_id": world.areas["C1"].pk,
                                                          "scope_area_id": world.areas["C2"].pk})
    assert response.status_code == 400 and response.json()["code"] == "invalid_scope"


def test_residents_in_scope_give_one_opinion_each_and_may_change_it(world, api_as):
    topic = propose(api_as, world)
    resident = api_as("resident")
    first = resident.post(f"/topics/{topic['id']}/opinions", {"stance": "support", "text": "我家在6楼，很需要"})
    assert first.status_code == 200 and first.json()["person"] == "张*"
    second = resident.post(f"/topics/{topic['id']}/opinions", {"stance": "other", "text": "支持，但费用要说清楚"})
    assert second.status_code == 200 and second.json()["id"] == first.json()["id"]
    detail = resident.get(f"/topics/{topic['id']}").json()
    assert detail["opinion_counts"] == {"total": 1, "support": 0, "oppose": 0, "other": 1, "door": 0}
    assert detail["my_opinion"]["stance"] == "other"
    assert [e.kind for e in events_of(Topic.objects.get())][-2:] == ["opinion.given", "opinion.changed"]
    listed = api_as("community_staff").get(f"/topics/{topic['id']}/opinions").json()
    assert listed["count"] == 1 and listed["items"][0]["person"] == "张*" and "张三" not in str(listed)


def test_residents_outside_the_scope_cannot_give_opinions(world, api_as):
    topic = propose(api_as, world)
    response = api_as("resident2").post(f"/topics/{topic['id']}/opinions", {"stance": "oppose"})
    assert response.status_code in (403, 404)
    assert not Opinion.objects.exists()


def test_a_worker_enters_a_door_to_door_opinion_for_a_resident_in_scope(world, api_as):
    topic = propose(api_as, world)
    worker = api_as("grid_worker")
    entered = worker.post(f"/topics/{topic['id']}/door-opinions",
                          {"person_id": world.people["resident"].pk, "stance": "oppose", "text": "怕影响采光"})
    assert entered.status_code == 200 and entered.json()["channel"] == "door"
    counts = worker.get(f"/topics/{topic['id']}").json()["opinion_counts"]
    assert (counts["oppose"], counts["door"]) == (1, 1)
    outside = worker.post(f"/topics/{topic['id']}/door-opinions",
                          {"person_id": world.people["street_resident"].pk, "stance": "support"})
    assert outside.status_code in (400, 404)


@pytest.mark.parametrize("body, code", [({"stance": "maybe"}, "invalid_choice"),
                                        ({"stance": "other", "text": ""}, "required"),
                                        ({"stance": "support", "text": "长" * 1001}, None)])
def test_bad_opinions_are_refused(world, api_as, body, code):
    topic = propose(api_as, world)
    response = api_as("resident").post(f"/topics/{topic['id']}/opinions", body)
    assert response.status_code in (400, 422)
    if code:
        assert response.json()["code"] == code
    assert not Opinion.objects.exists()


def test_no_opinions_after_the_period_closes(world, api_as):
    topic = propose(api_as, world)
    Topic.objects.filter(pk=topic["id"]).update(opinions_close_at=timezone.now() - timedelta(minutes=1))
    response = api_as("resident").post(f"/topics/{topic['id']}/opinions", {"stance": "support"})
    assert response.status_code == 409 and response.json()["code"] == "opinions_closed"
    assert "截止" in response.json()["message"]


def test_analysis_moves_the_topic_and_dropping_needs_a_reason(world, api_as):
    topic = propose(api_as, world)
    staff = api_as("community_staff")
    analysed = staff.post(f"/topics/{topic['id']}/analysis",
                          {"analysis": "3栋6层，符合加装条件；需一楼住户同意。", "draft_plan": "申请财政补贴20万"})
    assert analysed.status_code == 200 and analysed.json()["status"] == "analysing"
    no_reason = staff.post(f"/topics/{topic['id']}/transition", {"to": "dropped"})
    assert no_reason.status_code == 400 and no_reason.json()["code"] == "reason_required"
    skipped = staff.post(f"/topics/{topic['id']}/transition", {"to": "resolved"})
    assert skipped.status_code == 409 and skipped.json()["code"] == "invalid_transition"
    dropped = staff.post(f"/topics/{topic['id']}/transition", {"to": "dropped", "reason": "一楼住户均不同意"})
    assert dropped.json()["status_label"] == "不再推进"
    assert "理由：一楼住户均不同意" in dropped.json()["timeline"][-1]["sentence"]


def test_attachments_are_checked_by_content(world, api_as):
    from django.test import Client

    from yishiting.accounts.services import token_create

    topic = propose(api_as, world)
    _, secret = token_create(actor=world.users["community_staff"], name="测试")
    client = Client(headers={"Authorization": f"Bearer {secret}"})
    url = f"/api/v1/topics/{topic['id']}/attachments"
    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    from django.core.files.uploadedfile import SimpleUploadedFile

    ok = client.post(url, {"file": SimpleUploadedFile("可行性报告.pdf", pdf)})
    assert ok.status_code == 201 and ok.json()["content_type"] == "application/pdf"
    disguised = client.post(url, {"file": SimpleUploadedFile("报告.pdf", b"MZ\x90\x00 not a pdf")})
    assert disguised.status_code == 400 and disguised.json()["code"] == "invalid_file"
    assert Topic.objects.get().attachments.count() == 1


def test_an_attached_photo_is_kept_without_its_location_and_its_hash_is_of_the_kept_copy(world, api_as, settings,
                                                                                          tmp_path):
    import hashlib
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    from yishiting.handling.tests.tasks_world import jpeg_with_gps

    settings.MEDIA_ROOT = tmp_path
    topic = propose(api_as, world)
    raw = jpeg_with_gps()
    assert Image.open(io.BytesIO(raw)).getexif().get_ifd(0x8825)
    response = api_as("community_staff").client.post(
        f"/api/v1/topics/{topic['id']}/attachments", {"file": SimpleUploadedFile("现场.jpg", raw)},
        headers={"Authorization": f"Bearer {api_as('community_staff').secret}"})
    assert response.status_code == 201, response.content
    attachment = Topic.objects.get().attachments.get()
    with attachment.file.open("rb") as stored:
        kept = stored.read()
    assert not Image.open(io.BytesIO(kept)).getexif() and attachment.sha256 == hashlib.sha256(kept).hexdigest()
    assert events_of(Topic.objects.get()).last().payload["sha256"] == attachment.sha256


def test_residents_see_their_communitys_topics_and_filters_work(world, api_as):
    propose(api_as, world)
    propose(api_as, world, "street_official", title="和平里广场舞噪音", level_area_id=world.areas["C2"].pk, scope_area_id=None)
    mine = api_as("resident").get("/topics").json()
    assert [t["title"] for t in mine["items"]] == ["幸福苑3栋加装电梯"]
    street = api_as("street_official").get("/topics", q="噪音").json()
    assert [t["title"] for t in street["items"]] == ["和平里广场舞噪音"]
    templates = api_as("resident").get("/topics/templates").json()
    assert {t["code"] for t in templates} == {"kenli-345", "nanchang-round-table", "shuangyashan-5fang", "altay-qiaxiu",
                                             "cenxi-linli", "yangzhou-5yi"}
    nanchang = next(t for t in templates if t["code"] == "nanchang-round-table")
    assert (nanchang["min_size"], nanchang["max_size"], nanchang["cadence"]) == (15, 25, "monthly")
