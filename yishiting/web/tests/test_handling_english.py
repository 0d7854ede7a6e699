"""The handling pages (notices, tasks, supervision, evaluation, archive) in English when the person picks it:
no word of the pages' own stays Chinese (what residents and staff typed, names and areas are data and stay as
written), the same pages stay Chinese by default, and the dossier — a record — stays Chinese either way."""

from __future__ import annotations

import io
import re
from functools import cache
from html import unescape
from pathlib import Path

import pytest
from django.utils import translation
from docx import Document

from yishiting.handling.dossier_render import dossier_docx
from yishiting.handling.models import Notice
from yishiting.handling.tests.archive_world import evaluating_topic
from yishiting.handling.tests.tasks_world import assign

from .pages import main

pytestmark = pytest.mark.usefixtures("file_media")

CATALOG = Path(__file__).resolve().parents[2] / "handling" / "locale" / "en" / "LC_MESSAGES" / "django.po"
HAN = re.compile(r"[\u4e00-\u9fff]")


@cache
def page_words() -> frozenset[str]:
    """The catalog's Chinese that shows on its own (no placeholder): a label, a button, a heading, a sentence."""
    ids = re.findall(r'^msgid "(.+)"$', CATALOG.read_text(encoding="utf-8"), flags=re.M)
    return frozenset(m for m in ids if len(m) > 1 and HAN.search(m) and "%(" not in m)  # 集定议… are the dossier's


def untranslated(html: str) -> list[str]:
    """Text nodes and shown attributes of the page that are, whole, one of the catalog's Chinese msgids."""
    texts = re.findall(r">([^<>]+)<", html) + re.findall(r'(?:placeholder|aria-label|alt|title|data-label)="([^"]+)"', html)
    return sorted({t.strip() for t in map(unescape, texts) if t.strip() in page_words()})



def english(client):
    client.cookies["django_language"] = "en"
    return client


@pytest.fixture
def matter(world):
    topic = evaluating_topic(world)
    return topic, topic.tasks.get(), Notice.objects.get(topic=topic), topic.evaluation_rounds.get()


def test_every_handling_page_is_english_when_picked(world, as_persona, matter):
    topic, task, notice, round_ = matter
    pages = {
        "community_secretary": [
            "/tasks/", f"/tasks/{task.pk}/", f"/topics/{topic.pk}/supervision/", f"/topics/{topic.pk}/progress/",
            "/notices/", f"/notices/{notice.pk}/", "/evaluations/", f"/evaluations/{round_.pk}/",
            f"/topics/{topic.pk}/archive/", f"/topics/{topic.pk}/archive/panel/", "/archive/"],
        "street_official": ["/legal-reviews/", "/kpis/"],
        "handler": ["/tasks/mine/", f"/tasks/{task.pk}/"],
        "resident": [f"/notices/{notice.pk}/public/"],
    }
    for persona, urls in pages.items():
        client = english(as_persona(persona))
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, (persona, url, response.status_code)
            assert untranslated(response.content.decode()) == [], (persona, url)
    staff = english(as_persona("community_secretary"))
    assert "Supervision group" in main(staff.get(f"/topics/{topic.pk}/supervision/"))
    assert "Archiving seals it for good" in main(staff.get(f"/topics/{topic.pk}/archive/"))
    assert "Progress reports" in main(english(as_persona("handler")).get(f"/tasks/{task.pk}/"))


def test_the_same_pages_stay_chinese_by_default(world, as_persona, matter):
    topic, task, notice, round_ = matter
    client = as_persona("community_secretary")
    client.cookies["django_language"] = "zh-hans"
    assert "进展报告" in main(client.get(f"/tasks/{task.pk}/"))
    page = main(as_persona("community_secretary").get(f"/topics/{topic.pk}/archive/"))
    assert "归档后将永久封存" in page and "诉求 1 件" in page and "Archiving" not in page


def test_an_error_a_service_raises_reads_english_and_keeps_its_code(world, as_persona):
    task = assign(world, accepted=False)
    client = english(as_persona("handler"))
    response = client.post(f"/tasks/{task.pk}/report/", {"text": "lamps bought", "percent": "40"}, follow=True)
    assert "Please accept the task first, then report progress." in main(response)
    api = client.post(f"/api/v1/tasks/{task.pk}/reports", {"text": "lamps bought", "percent": 40},
                      content_type="application/json")  # the API answers in Chinese whatever the cookie
    assert api.status_code == 409, api.content
    assert api.json()["code"] == "task_not_accepted" and api.json()["message"] == "请先签收任务，再报告进展。"


def test_the_dossier_is_a_record_in_chinese_whoever_archives_it(world, as_persona, matter):
    topic, *_ = matter
    staff = english(as_persona("community_secretary"))
    response = staff.post(f"/topics/{topic.pk}/archive/", {"confirm": "yes"})
    assert response.status_code == 302
    dossier = topic.__class__.objects.get(pk=topic.pk).dossier
    sealed = str(dossier.content)
    assert "满意" in sealed and "Satisfied" not in sealed and "Verified and closed" not in sealed
    page = main(staff.get(f"/archive/{dossier.pk}/"))
    assert "Download PDF" in page and "Attachments" in page and "Dossier number" in page  # labels: English
    assert "收集诉求" in page and "附件清单" not in page  # the sealed record reads as it was sealed
    with translation.override("en"):  # the DOCX (like the PDF) is laid out in Chinese whoever downloads it
        word = Document(io.BytesIO(dossier_docx(dossier)))
    text = "\n".join(p.text for p in word.paragraphs) + "".join(c.text for t in word.tables for r in t.rows
                                                                for c in r.cells)
    assert "档案号" in text and "Dossier number" not in text
