"""The dossier (一事一档) and meeting minutes (会议纪要) as files: PDF (WeasyPrint, CJK fonts embedded) and DOCX
(python-docx, an editable copy).

A dossier is rendered from its stored content only (plus its number and content hash), never from live rows, so
the file printed tomorrow is the file printed today. Minutes are rendered from what the meeting recorded
(`yishiting.deliberation.selectors.meetings.minutes`).
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from yishiting.common.dates import full_moment
from yishiting.common.documents import render_pdf
from yishiting.common.masking import mask_free_text
from yishiting.common.text import list_words
from yishiting.deliberation.models import Meeting
from yishiting.deliberation.selectors.meetings import Minutes, meeting_details, minutes, speaker_name
from yishiting.handling.records_language import in_site_language

from .models import Dossier, DossierFile

FONT = "Noto Sans CJK SC"


@dataclass
class DossierView:
    number: str
    title: str
    meta: list[tuple[str, str]]
    note: str
    demands: list[dict[str, str]]
    resolutions: list[dict[str, str]]
    stages: list[dict[str, Any]]
    attachments: list[dict[str, Any]]
    ratings: dict[str, int]
    content_sha256: str
    chain_head: str


def _local(iso: str) -> str:
    return full_moment(datetime.fromisoformat(iso)) if iso else ""


def human_size(size: int) -> str:
    if size < 1024:
        return f"{size} B"
    return f"{size / 1024:.1f} KB" if size < 1024 * 1024 else f"{size / 1024 / 1024:.1f} MB"


def _grouped(entries: list[dict[str, str]]) -> list[dict[str, str]]:
    """Runs of sign-ins read as one record: "15 位参会人签到：张*、李*、社区工作人员 钱社工……" (the sealed
    content keeps one record each; the page, the PDF and the DOCX show them together)."""
    out: list[dict[str, str]] = []
    for entry in entries:
        previous = out[-1] if out else None
        if entry.get("kind") == "meeting.signed_in" and previous and previous.get("kind") == "meeting.signed_in":
            previous["_names"].append(_signed_in_name(entry))
        else:
            out.append({**entry, "_names": [_signed_in_name(entry)]} if entry.get("kind") == "meeting.signed_in"
                       else entry)
    for entry in out:
        names = entry.pop("_names", None)
        if names is not None and len(names) > 1:
            known = [n for n in names if n]
            entry.update(who="", what=(gettext("%(n)s 位参会人签到：%(names)s") % {"n": len(names), "names": list_words(known)})
                         if known else gettext("%(n)s 位参会人签到") % {"n": len(names)})
    return out


def _signed_in_name(entry: dict[str, str]) -> str:
    what = entry.get("what", "")
    return what[len("参会人 "):-len(" 签到")] if what.startswith("参会人 ") and what.endswith(" 签到") else ""


def dossier_view(dossier: Dossier) -> DossierView:
    """What every rendering of a dossier shows, read from the sealed content. The PDF and DOCX call it in the
    site's language; the web page words its labels in the reader's (the sealed records stay as sealed)."""
    c = dossier.content
    meta = [(gettext("档案号"), c["number"]), (gettext("事项"), c["title"]), (gettext("区域"), c["area"]["name"]),
            (gettext("类别"), c.get("category") or "—"), (gettext("议事规则"), c.get("template") or "—"),
            (gettext("记录条数"), str(c.get("event_count", 0))), (gettext("归档人"), c.get("archived_by", "")),
            (gettext("归档时间"), _local(c.get("archived_at", "")))]
    attachments = [{**a, "size_text": human_size(a["size"])} for a in c.get("attachments", [])]
    # A dossier is a public record: phone and ID numbers typed into its texts are masked for every reader.
    meta = [(label, mask_free_text(value)) for label, value in meta]
    demands = [{**d, "text": mask_free_text(d.get("text", ""))} for d in c.get("demands", [])]
    resolutions = [{**r, "text": mask_free_text(r.get("text", ""))} for r in c.get("resolutions", [])]
    stages = [{**stage, "entries": [{**e, "what": mask_free_text(e.get("what", ""))} for e in _grouped(stage["entries"])]}
              for stage in c["stages"]]
    return DossierView(number=c["number"], title=mask_free_text(c["title"]), meta=meta, note=c.get("people_note", ""),
                       demands=demands, resolutions=resolutions, stages=stages,
                       attachments=attachments, ratings=c.get("ratings", {}),
                       content_sha256=dossier.content_sha256, chain_head=c.get("chain_head", ""))


@in_site_language
def dossier_pdf(dossier: Dossier) -> bytes:
    """A4, header with the 档案号, page x / y, the eight stage sections (one paragraph per record: time, person,
    what happened), attachments with SHA-256, and the content hash at the end. The print layout has no tables:
    that halves the render's CPU time (bench/README.md, 一事一档 PDF)."""
    return render_pdf(render_to_string("handling/dossier_pdf.html", {"d": dossier_view(dossier)}))


def dossier_file(dossier: Dossier, kind: str) -> bytes:
    """The dossier's PDF or DOCX as kept by the `handling.dossier_files` job after archiving, or rendered now when
    the job has not run yet (or its file is missing from the storage)."""
    stored = DossierFile.objects.filter(dossier=dossier, kind=kind).first()
    if stored is not None:
        try:
            with stored.file.open("rb") as handle:
                return handle.read()
        except FileNotFoundError:
            pass
    return dossier_pdf(dossier) if kind == DossierFile.Kind.PDF else dossier_docx(dossier)


def _minutes_of(meeting: Meeting) -> Minutes:
    queryset = Meeting.objects.select_related("template", "venue", "chair", "level_area")
    return minutes(meeting_details(queryset).get(pk=meeting.pk))


@in_site_language
def minutes_pdf(meeting: Meeting) -> bytes:
    """The printable minutes page as an A4 PDF (signature lines included)."""
    data = _minutes_of(meeting)
    return render_pdf(render_to_string("handling/minutes_pdf.html", {"minutes": data, "meeting": data.meeting}))


# — DOCX —

def _new_document(header: str) -> Document:
    doc = Document()
    section = doc.sections[0]
    section.orientation, section.page_width, section.page_height = WD_ORIENT.PORTRAIT, Mm(210), Mm(297)
    section.left_margin = section.right_margin = Mm(20)
    style = doc.styles["Normal"]
    style.font.name, style.font.size = FONT, Pt(10.5)
    # Word picks the East Asian font from its own attribute; without it Chinese falls back to a default face.
    style.element.rPr.rFonts.set(qn("w:eastAsia"), FONT)
    section.header.paragraphs[0].text = header
    return doc


def _table(doc: Document, head: list[str], rows: list[list[str]]) -> None:
    table = doc.add_table(rows=1, cols=len(head))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, head, strict=True):
        cell.text = text
    for row in rows:
        for cell, text in zip(table.add_row().cells, row, strict=True):
            cell.text = text


def _bytes(doc: Document) -> bytes:
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


@in_site_language
def dossier_docx(dossier: Dossier) -> bytes:
    """The same record as the PDF, editable (Word/WPS)."""
    d = dossier_view(dossier)
    doc = _new_document(f"一事一档 · 档案号 {d.number}")
    doc.core_properties.title, doc.core_properties.identifier = d.title, d.number
    doc.add_heading(f"一事一档：{d.title}", level=0)
    _table(doc, ["项目", "内容"], [[k, v] for k, v in d.meta])
    doc.add_paragraph(d.note)
    for demand in d.demands:
        doc.add_paragraph(f"诉求 {demand['number']}（{demand['category']}）：{demand['text']}")
    for resolution in d.resolutions:
        doc.add_paragraph(f"协商决议（{resolution['when']}，{resolution['next_step']}）：{resolution['text']}")
    for stage in d.stages:
        doc.add_heading(stage["heading"], level=1)
        rows = [[e["when"], e["who"], e["what"]] for e in stage["entries"]]
        _table(doc, ["时间", "人员", "事项"], rows) if rows else doc.add_paragraph("本环节无记录。")
    doc.add_heading("附件清单", level=1)
    _table(doc, ["来源", "文件名", "大小", "SHA-256"],
           [[a["source"], a["name"], a["size_text"], a["sha256"]] for a in d.attachments])
    doc.add_paragraph("满意度评价（只计数，不记名）：" + "，".join(f"{k} {v}" for k, v in d.ratings.items()))
    doc.add_paragraph(f"档案内容哈希（SHA-256）：{d.content_sha256}")
    doc.add_paragraph(f"归档时事件链哈希：{d.chain_head}")
    return _bytes(doc)


def _minutes_topic(doc: Document, t) -> None:
    doc.add_heading(f"议题{t.order}：{t.topic.title}", level=2)
    doc.add_paragraph(f"来源：{t.source}" + (f"（关联诉求 {t.demand_count} 件）" if t.demand_count else ""))
    for s in t.steps:
        speaker = f"（{speaker_name(s)}，{s.get_party_display()}）" if s.speaker_id else ""
        doc.add_paragraph(f"{s.get_kind_display()}{speaker}：{s.text}", style="List Number")
    for v in t.votes:
        lines = "；".join((v.result or {}).get("lines", []))
        doc.add_paragraph(f"表决：{v.question}（{v.get_method_display()}，{v.get_rule_display()}）{lines}")
    if t.resolution:
        doc.add_paragraph(f"决议：{t.resolution.text}（{t.resolution.get_next_step_display()}）")
    else:
        doc.add_paragraph("未形成决议。")


def _minutes_head(doc: Document, m: Minutes) -> None:
    q = m.quorum
    starts, ends = timezone.localtime(m.starts_at), timezone.localtime(m.ends_at)
    _table(doc, ["项目", "内容"], [
        ["形式", f"{m.meeting.get_form_display()}（{m.meeting.template.name}）"],
        ["时间", f"{full_moment(starts)}–{ends:%H:%M}"], ["地点", m.venue], ["主持人", m.chair],
        ["到会", f"应到 {q.invited} 人，实到 {q.present} 人"]])
    doc.add_heading("参会各方", level=2)
    _table(doc, ["代表方", "到会", "缺席"],
           [[r.label, "、".join(r.present) or "—", "、".join(r.absent) or "—"] for r in m.attendance])


@in_site_language
def minutes_docx(meeting: Meeting) -> bytes:
    """会议纪要 as an editable document: the same sections as the printable page."""
    m = _minutes_of(meeting)
    doc = _new_document(f"会议纪要 · {m.meeting.title}")
    doc.add_heading("会议纪要", level=0)
    doc.add_heading(m.meeting.title, level=1)
    _minutes_head(doc, m)
    for s in m.opening_steps:
        doc.add_paragraph(f"{s.get_kind_display()}：{s.text}")
    for t in m.topics:
        _minutes_topic(doc, t)
    doc.add_paragraph("主持人（签字）：＿＿＿＿＿＿　记录人（签字）：＿＿＿＿＿＿")
    return _bytes(doc)
