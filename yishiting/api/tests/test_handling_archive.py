"""一事一档 through the API as the personas: archive once, search by words, area, category and year, read the
record, download PDF and DOCX; who may do what."""

from __future__ import annotations

import pytest
from django.utils import timezone

from yishiting.deliberation.choices import TopicStatus
from yishiting.handling.models import Dossier
from yishiting.handling.tests.archive_world import evaluating_topic

pytestmark = pytest.mark.django_db


def archive(api_as, topic, persona="community_secretary"):
    return api_as(persona).post(f"/dossiers/topics/{topic.pk}")


def test_secretary_archives_a_finished_topic_once(world, api_as):
    topic = evaluating_topic(world)
    response = archive(api_as, topic)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["number"] == f"档-{timezone.localdate().year}-000001" and body["kind"] == "topic"
    assert [s["heading"][0] for s in body["content"]["stages"]] == list("集定议公办督评备")
    again = archive(api_as, topic)
    assert again.status_code == 409 and again.json()["code"] == "already_archived"
    assert "已经归档" in again.json()["message"] and Dossier.objects.count() == 1


def test_an_unfinished_topic_is_refused_in_chinese_and_stays_as_it_was(world, api_as):
    topic = evaluating_topic(world)
    type(topic).objects.filter(pk=topic.pk).update(status=TopicStatus.HANDLING)
    response = archive(api_as, topic)
    assert response.status_code == 409 and response.json()["code"] == "not_ready"
    assert "评价结束后才能归档" in response.json()["message"]
    topic.refresh_from_db()
    assert topic.status == TopicStatus.HANDLING and not Dossier.objects.exists()


@pytest.mark.parametrize("persona, status", [("resident", 403), ("grid_worker", 403), ("handler", 404)])
def test_who_may_not_archive(world, api_as, persona, status):
    topic = evaluating_topic(world)
    assert archive(api_as, topic, persona).status_code == status
    assert not Dossier.objects.exists()


@pytest.fixture
def archived(world, api_as):
    topic = evaluating_topic(world)
    return Dossier.objects.get(pk=archive(api_as, topic).json()["id"])


@pytest.mark.parametrize("query, found", [
    ({}, 1), ({"q": "楼道灯"}, 1), ({"q": "楼道灯 声控"}, 1), ({"q": "电梯"}, 0), ({"q": "档-"}, 1),
    ({"category": "设施维护"}, 1), ({"category": "环境整治"}, 0),
    ({"year": timezone.localdate().year}, 1), ({"year": 2001}, 0),
])
def test_search_by_words_category_and_year(archived, api_as, query, found):
    response = api_as("community_staff").get("/dossiers", **query)
    assert response.status_code == 200 and response.json()["count"] == found


def test_search_by_area_subtree_and_pages(world, api_as, archived):
    api = api_as("street_official")
    assert api.get("/dossiers", area_id=world.areas["S1"].pk).json()["count"] == 1
    assert api.get("/dossiers", area_id=world.areas["C2"].pk).json()["count"] == 0
    second = archive(api_as, evaluating_topic(world))
    assert second.status_code == 201
    page = api.get("/dossiers", page=2, page_size=1).json()
    assert (page["count"], len(page["items"]), page["items"][0]["number"]) == (2, 1, archived.number)


@pytest.mark.parametrize("persona, visible", [
    ("resident", True), ("community_staff", True), ("street_official", True), ("district_official", True),
])
def test_who_sees_the_archive(archived, api_as, persona, visible):
    response = api_as(persona).get(f"/dossiers/{archived.pk}")
    assert response.status_code == (200 if visible else 404)
    assert "张三" not in response.content.decode()


def test_outside_the_community_the_dossier_does_not_exist(world, api_as, archived):
    from yishiting.areas.choices import Role
    from yishiting.areas.services import person_create, role_assign
    from yishiting.common.testing import make_user

    person = person_create(actor=None, name="何社工", mobile="13800000099", area=world.areas["C2"])
    make_user(world, "c2_staff", person)
    role_assign(actor=None, person=person, role=Role.COMMUNITY_STAFF, area=world.areas["C2"])
    api = api_as("c2_staff")
    assert api.get(f"/dossiers/{archived.pk}").status_code == 404
    assert api.get(f"/dossiers/{archived.pk}/pdf").status_code == 404
    assert api.get("/dossiers").json()["count"] == 0


def test_detail_pdf_and_docx(archived, api_as):
    api = api_as("community_staff")
    detail = api.get(f"/dossiers/{archived.pk}").json()
    assert detail["content_sha256"] == archived.content_sha256 and detail["chain_head"] == archived.chain_head
    assert detail["content"]["attachments"][0]["sha256"]
    pdf = api.get(f"/dossiers/{archived.pk}/pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF-")
    docx = api.get(f"/dossiers/{archived.pk}/docx")
    assert docx.status_code == 200 and docx.content.startswith(b"PK") and ".docx" in docx["Content-Disposition"]


def test_openapi_documents_the_dossier_endpoints_in_chinese(api_as):
    paths = api_as("community_staff").get("/openapi.json").json()["paths"]
    assert paths["/api/v1/dossiers"]["get"]["summary"] == "检索档案"
    assert "已归档" in paths["/api/v1/dossiers/topics/{topic_id}"]["post"]["description"]
    assert "application/pdf" in paths["/api/v1/dossiers/{dossier_id}/pdf"]["get"]["responses"]["200"]["content"]


def test_a_write_to_an_archived_matter_is_a_409_and_changes_nothing(world, api_as, archived):
    from yishiting.common.models import Event
    from yishiting.handling.models import ProgressReport, Task

    task = Task.objects.get(topic=archived.topic)
    reports, events = ProgressReport.objects.count(), Event.objects.count()
    response = api_as("handler").post(f"/tasks/{task.pk}/reports", {"text": "归档后又来报告", "percent": 100})
    assert response.status_code == 409, response.content
    assert ProgressReport.objects.count() == reports and Event.objects.count() == events

