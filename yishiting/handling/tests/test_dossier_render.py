"""The dossier and the minutes as real files: PDF pages rendered to PNG and looked at, fonts embedded, DOCX opened."""

from __future__ import annotations

import io
import re
import subprocess
from pathlib import Path

import pytest
from docx import Document
from PIL import Image

from yishiting.common.events import event_append
from yishiting.common.reconcile import text_digest
from yishiting.deliberation.choices import StepKind
from yishiting.deliberation.models import Meeting, MeetingStep, Topic
from yishiting.handling.dossier_render import (
    dossier_docx,
    dossier_pdf,
    dossier_view,
    minutes_docx,
    minutes_pdf,
)
from yishiting.handling.services.archive import dossier_archive

from .archive_world import evaluating_topic

pytestmark = pytest.mark.django_db


def tool(*args: str) -> str:
    return subprocess.run(args, check=True, capture_output=True, text=True, timeout=60).stdout


@pytest.fixture
def dossier(world):
    return dossier_archive(actor=world.users["community_secretary"], topic=evaluating_topic(world, reports=12))


def _pdf_file(pdf: bytes, tmp_path: Path) -> Path:
    path = tmp_path / "doc.pdf"
    path.write_bytes(pdf)
    return path


def _ink(png: Path) -> int:
    """How many pixels are not (near) white."""
    gray = Image.open(png).convert("L")
    return sum(count for value, count in enumerate(gray.histogram()) if value < 200)


def test_dossier_pdf_pages_are_a4_with_chinese_text_and_none_is_blank(dossier, tmp_path):
    pdf = dossier_pdf(dossier)
    path = _pdf_file(pdf, tmp_path)
    info = tool("pdfinfo", str(path))
    pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))
    assert pages >= 2 and "(A4)" in info
    subprocess.run(["pdftoppm", "-r", "50", "-png", str(path), str(tmp_path / "page")], check=True, timeout=60)
    images = sorted(tmp_path.glob("page*.png"))
    assert len(images) == pages
    assert all(_ink(png) > 500 for png in images), "a page rendered blank"


CJK_FACES = ("Droid-Sans-Fallback", "CJK")  # the TrueType face the style asks for first, or Noto CJK behind it


def _embedded_fonts(path: Path) -> list[str]:
    """pdffonts rows (after the two heading lines); each must say `yes` in the emb column."""
    rows = tool("pdffonts", str(path)).splitlines()[2:]
    assert rows and all(" yes " in row for row in rows), rows
    return rows


def test_dossier_pdf_embeds_a_cjk_font(dossier, tmp_path):
    rows = _embedded_fonts(_pdf_file(dossier_pdf(dossier), tmp_path))
    assert any(face in row for row in rows for face in CJK_FACES), rows


def test_dossier_pdf_has_the_number_on_each_page_and_the_hash_on_the_last(dossier, tmp_path):
    path = _pdf_file(dossier_pdf(dossier), tmp_path)
    pages = tool("pdftotext", "-layout", str(path), "-").split("\f")
    pages = [p for p in pages if p.strip()]
    assert all(dossier.number in page for page in pages)
    assert f"第1页/共{len(pages)}页" in re.sub(r"\s+", "", pages[0])
    last = re.sub(r"\s+", "", pages[-1])
    assert dossier.content_sha256 in last and "附件清单" in re.sub(r"\s+", "", "".join(pages))
    text = "".join(pages)
    assert "社区书记 孙书记" in text and "张三" not in text  # officials named, the resident masked


def test_dossier_pdf_lists_every_record_in_order_and_every_attachment_hash_unbroken(dossier, tmp_path):
    """The print layout is one paragraph per record (no table): nothing may be dropped or reordered, and a
    SHA-256 must stay one unbroken line a reader can copy and compare."""
    text = tool("pdftotext", "-layout", str(_pdf_file(dossier_pdf(dossier), tmp_path)), "-")
    lines = [re.sub(r"\s+", " ", line).strip() for line in text.splitlines()]
    position = 0
    for stage in dossier_view(dossier).stages:  # what the reader sees: sealed records, runs of sign-ins as one
        position = next(i for i, line in enumerate(lines) if i >= position and line == stage["heading"])
        for entry in stage["entries"]:
            record = re.sub(r"\s+", " ", f"{entry['when']} {entry['who'] or '—'} {entry['what']}").strip()
            position = next(i for i, line in enumerate(lines) if i > position and line.startswith(record[:40]))
    for attachment in dossier.content["attachments"]:
        assert f"SHA-256 {attachment['sha256']}" in lines, attachment
    assert dossier.content_sha256 in lines


def test_dossier_is_rendered_from_its_sealed_content_not_from_live_rows(dossier, tmp_path):
    before = tool("pdftotext", str(_pdf_file(dossier_pdf(dossier), tmp_path)), "-")
    Topic.objects.filter(pk=dossier.topic_id).update(title="事后改过的标题")  # no event: a stray write
    after = tool("pdftotext", str(_pdf_file(dossier_pdf(dossier), tmp_path)), "-")
    assert before == after and "事后改过的标题" not in after


def test_dossier_docx_opens_and_holds_the_title_stages_and_hashes(dossier):
    doc = Document(io.BytesIO(dossier_docx(dossier)))
    text = "\n".join(p.text for p in doc.paragraphs)
    cells = "\n".join(c.text for t in doc.tables for row in t.rows for c in row.cells)
    assert "幸福苑3栋楼道照明改造" in text and dossier.content_sha256 in text
    assert all(a["sha256"] in cells for a in dossier.content["attachments"])
    assert [h for h in text.splitlines() if h.startswith("办 · ")]
    assert dossier.number in doc.sections[0].header.paragraphs[0].text


def _meeting(world) -> Meeting:
    topic = evaluating_topic(world)
    meeting = Meeting.objects.get(agenda__topic=topic)
    MeetingStep.objects.create(meeting=meeting, topic=topic, seq=1, kind=StepKind.SPEECH,
                               speaker=world.people["resident"], party="resident", text="希望尽快换灯")
    event_append(subject=meeting, kind="meeting.step", actor=None, payload={  # as step_record writes it
        "seq": 1, "kind": StepKind.SPEECH, "topic": topic.pk, "party": "resident",
        "speaker": world.people["resident"].pk, "text_sha256": text_digest("希望尽快换灯")})
    return meeting


def test_minutes_pdf_and_docx(world, tmp_path):
    meeting = _meeting(world)
    path = _pdf_file(minutes_pdf(meeting), tmp_path)
    text = tool("pdftotext", str(path), "-")
    assert "会议纪要" in text and meeting.title in text and "希望尽快换灯" in text
    assert "张*" in text and "张三" not in text
    assert any(face in row for row in _embedded_fonts(path) for face in CJK_FACES)
    doc = Document(io.BytesIO(minutes_docx(meeting)))
    body = "\n".join(p.text for p in doc.paragraphs)
    assert "会议纪要" in body and "希望尽快换灯" in body and "张三" not in body
    assert "更换3栋全部楼道灯" in body  # the resolution
