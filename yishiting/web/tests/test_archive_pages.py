"""Archive pages: searching the archive, the printable dossier and its downloads, the archive button on a topic
in evaluation, and the minutes as PDF and DOCX."""

from __future__ import annotations

import io

import pytest
from django.contrib.messages import get_messages
from django.template.loader import render_to_string
from django.utils import timezone
from docx import Document

from yishiting.deliberation.choices import TopicStatus
from yishiting.deliberation.models import Meeting, Topic
from yishiting.handling.models import Dossier
from yishiting.handling.services.archive import dossier_archive
from yishiting.handling.tests.archive_world import evaluating_topic

from .pages import main

pytestmark = pytest.mark.django_db


@pytest.fixture
def dossier(world) -> Dossier:
    return dossier_archive(actor=world.users["community_secretary"], topic=evaluating_topic(world))


def _old_dossiers(world, n: int) -> None:
    """Last year's dossiers as bare rows (the list reads no content): enough to need a second page."""
    c1 = world.areas["C1"]
    topics = Topic.objects.bulk_create(Topic(title=f"往年事项{i}", level_area=c1, path=c1.path,
                                             status=TopicStatus.ARCHIVED) for i in range(n))
    Dossier.objects.bulk_create(Dossier(
        topic=topic, number=f"档-2025-{i:06d}", title=topic.title, area=c1, path=c1.path, category="环境整治",
        year=2025, search_text=f"{topic.title} 垃圾分类", content={}, content_sha256="0" * 64, chain_head="0" * 64)
        for i, topic in enumerate(topics, start=1))


def test_the_list_pages_and_keeps_the_filters(world, as_persona):
    _old_dossiers(world, 35)
    staff = as_persona("community_staff")
    first = main(staff.get("/archive/?q=垃圾分类&year=2025"))
    assert "第 1 / 2 页，共 35 条" in first and "page=2" in first and "q=" in first and "year=2025" in first
    second = main(staff.get("/archive/?q=垃圾分类&year=2025&page=2"))
    assert "第 2 / 2 页" in second and "档-2025-000001" in second


def test_residents_find_their_communitys_dossiers_and_others_do_not(world, as_persona, dossier):
    page = main(as_persona("resident").get("/archive/"))
    assert dossier.number in page and "幸福苑3栋楼道照明改造" in page
    assert dossier.number not in main(as_persona("resident3").get("/archive/"))
    assert as_persona("resident3").get(f"/archive/{dossier.pk}/").status_code == 404


@pytest.mark.parametrize("query, found", [
    ("q=楼道灯", True), ("q=电梯", False), ("category=设施维护", True), ("category=环境整治", False),
    (f"year={timezone.localdate().year}", True), ("year=2001", False), ("year=abc", True),
])
def test_search_filters(as_persona, dossier, query, found):
    page = main(as_persona("community_staff").get(f"/archive/?{query}"))
    assert (dossier.number in page) is found
    if not found:
        assert "没有符合条件的档案" in page


def test_area_filter_takes_the_subtree(world, as_persona, dossier):
    api = as_persona("street_official")
    assert dossier.number in main(api.get(f"/archive/?area={world.areas['S1'].pk}"))
    assert dossier.number not in main(api.get(f"/archive/?area={world.areas['C2'].pk}"))


def test_the_dossier_page_is_printable_with_downloads(as_persona, dossier):
    response = as_persona("resident").get(f"/archive/{dossier.pk}/")
    page = main(response)
    assert "data-print" in response.content.decode() and dossier.content_sha256 in page
    assert "集 · " in page and "备 · " in page and "社区书记 孙书记" in page and "张三" not in page
    pdf = as_persona("resident").get(f"/archive/{dossier.pk}/dossier.pdf")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF-")
    docx = as_persona("resident").get(f"/archive/{dossier.pk}/dossier.docx")
    assert dossier.number in Document(io.BytesIO(docx.content)).sections[0].header.paragraphs[0].text


def test_staff_archive_a_topic_from_its_page(world, as_persona):
    topic = evaluating_topic(world)
    assert "归档" not in as_persona("resident").get(f"/topics/{topic.pk}/archive/panel/").content.decode()
    staff = as_persona("community_staff")
    assert "归档" in staff.get(f"/topics/{topic.pk}/archive/panel/").content.decode()
    assert as_persona("resident").post(f"/topics/{topic.pk}/archive/", {"confirm": "yes"}).status_code == 403
    confirm = staff.get(f"/topics/{topic.pk}/archive/").content.decode()  # the panel's button leads here first
    assert "确认归档" in confirm and "不能再作任何改动" in confirm and "诉求 1 件" in confirm and "办理任务 1 项" in confirm
    unconfirmed = staff.post(f"/topics/{topic.pk}/archive/")  # a stray tap or an old form: asks, seals nothing
    assert unconfirmed.status_code == 200 and "确认归档并封存" in unconfirmed.content.decode()
    assert not Dossier.objects.exists()
    response = staff.post(f"/topics/{topic.pk}/archive/", {"confirm": "yes"}, follow=True)
    dossier = Dossier.objects.get(topic=topic)
    assert response.redirect_chain[-1][0] == f"/archive/{dossier.pk}/"
    assert f"已归档，档案号 {dossier.number}" in response.content.decode()
    again = staff.post(f"/topics/{topic.pk}/archive/", {"confirm": "yes"})
    assert again.status_code == 302 and again["Location"] == f"/topics/{topic.pk}/"
    assert "已经归档" in str(list(get_messages(again.wsgi_request))) and Dossier.objects.count() == 1


def test_the_topic_partial_links_an_archived_topic_to_its_dossier(world, dossier):
    html = render_to_string("web/partials/handling/archive_on_topic.html", {"topic": dossier.topic})
    assert dossier.number in html and f"/archive/{dossier.pk}/" in html
    topic = evaluating_topic(world)
    assert topic.status == TopicStatus.EVALUATING
    assert f"/topics/{topic.pk}/archive/panel/" in render_to_string(
        "web/partials/handling/archive_on_topic.html", {"topic": topic})


def test_minutes_download_as_pdf_and_docx(world, as_persona):
    meeting = Meeting.objects.get(agenda__topic=evaluating_topic(world))
    staff = as_persona("community_staff")
    assert f"/meetings/{meeting.pk}/minutes.pdf" in staff.get(f"/meetings/{meeting.pk}/minutes/").content.decode()
    pdf = staff.get(f"/meetings/{meeting.pk}/minutes.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF-")
    docx = staff.get(f"/meetings/{meeting.pk}/minutes.docx")
    assert "会议纪要" in "\n".join(p.text for p in Document(io.BytesIO(docx.content)).paragraphs)
    assert as_persona("resident3").get(f"/meetings/{meeting.pk}/minutes.pdf").status_code == 404

