"""The 调解协议书 (人民调解法 art. 29) as files: PDF (WeasyPrint, CJK fonts embedded) and DOCX (python-docx, an
editable copy for the committee's own letterhead). An oral agreement (art. 28) prints as its record.

Both are rendered from one `AgreementDocument` read from the case: the parties' basic details, the main facts and
the points in dispute with each side's statement, the responsibility, the content agreed and how and by when it
is performed (its obligations), then the signature lines — filled in with who signed and when once they signed.
The document is a record of the community: it is worded in Chinese whatever language the reader picked. Phone
and ID numbers are masked (a signed copy holds them in full; the file people download does not).
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field

from django.template.loader import render_to_string
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from yishiting.common.dates import full_day
from yishiting.common.documents import render_pdf
from yishiting.common.masking import mask_mobile
from yishiting.handling.records_language import in_site_language

from .choices import AgreementForm
from .selectors import AgreementDocument as Content

FONT = "Noto Sans CJK SC"


@dataclass
class Line:
    """A party, a statement, an obligation or a signature: who (and on which side) and what."""

    side: str = ""
    name: str = ""
    details: str = ""
    text: str = ""
    who: str = ""
    what: str = ""
    due: str = ""
    signed_at: str = ""


@dataclass
class AgreementDocument:
    number: str
    written: bool
    committee: str
    dated: str
    parties: list[Line]
    facts: str
    statements: list[Line]
    disputed: str
    responsibility: str
    content: str
    performance: str
    obligations: list[Line]
    party_signatures: list[Line]
    mediator_signatures: list[Line]
    oral_note: str = ""
    copies: int = field(default=3)

    @property
    def heading(self) -> str:
        return "人民调解协议书" if self.written else "口头调解协议登记"


def agreement_filename(number: int, fmt: str) -> str:
    """调解协议书-12.pdf: the file's name is part of the record, in the community's language."""
    return f"调解协议书-{number}.{fmt}"


def _day(value) -> str:
    return full_day(value) if value else ""


def _details(party: dict) -> str:
    """个人，住幸福苑3栋1单元201，电话 139****0001: the kind, the address and the phone masked."""
    parts = [party.get("kind", "")]
    if party.get("address"):
        parts.append(f"住{party['address']}")
    if party.get("mobile"):
        parts.append(f"电话 {mask_mobile(party['mobile'])}")
    return "，".join(p for p in parts if p)


def document_from(c: Content) -> AgreementDocument:
    """The print view of the agreement's content (mediation.selectors.agreement_document): parties in order,
    each party's signature line (filled in once it signed), the mediators' lines, the committee's date."""
    signed = {s["name"]: s for s in c.party_signatures}
    mediator_signed = {s["name"]: s for s in c.mediator_signatures}
    parties = [Line(side=p["side"], name=p["name"], details=_details(p)) for p in c.parties]
    dated = c.effective_on or c.stamped_on
    return AgreementDocument(
        number=c.number, written=c.form == AgreementForm.WRITTEN, committee=c.committee or "人民调解委员会",
        dated=_day(dated) if dated else "　　年　　月　　日", parties=parties, facts=c.facts, statements=[],
        disputed=c.disputed_points, responsibility=c.responsibilities, content=c.content,
        performance=c.performance + (f"（履行期限：{_day(c.perform_by)}）" if c.perform_by else ""),
        obligations=[Line(who=o["party"], what=o["text"], due=_day(o["due_on"])) for o in c.obligations],
        party_signatures=[Line(side=p.side, name=p.name, signed_at=_signed_text(signed.get(p.name)))
                          for p in parties],
        mediator_signatures=[Line(name=name, signed_at=_signed_text(mediator_signed.get(name)))
                             for name in dict.fromkeys([*c.mediators, *mediator_signed])],
        oral_note=c.oral_note)


def _signed_text(signature: dict | None) -> str:
    if not signature:
        return ""
    method = f"（{signature['method']}）" if signature.get("method") and signature["method"] != "签名" else ""
    return f"{_day(signature['signed_on'])}{method}"


@in_site_language
def agreement_pdf(document: AgreementDocument) -> bytes:
    return render_pdf(render_to_string("mediation/agreement_pdf.html", {"a": document}))


def _new_document() -> Document:
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin = section.right_margin = Mm(20)
    style = doc.styles["Normal"]
    style.font.name, style.font.size = FONT, Pt(11)
    # Word picks the East Asian font from its own attribute; without it Chinese falls back to a default face.
    style.element.rPr.rFonts.set(qn("w:eastAsia"), FONT)
    return doc


def _centered(doc: Document, text: str, size: int) -> None:
    paragraph = doc.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.add_run(text).font.size = Pt(size)


@in_site_language
def agreement_docx(d: AgreementDocument) -> bytes:
    """The same sections as the PDF, in paragraphs a committee can edit (Word/WPS)."""
    doc = _new_document()
    doc.core_properties.title, doc.core_properties.identifier = d.heading, d.number
    _centered(doc, d.heading, 20)
    doc.add_paragraph(d.number).alignment = WD_ALIGN_PARAGRAPH.RIGHT
    doc.add_heading("当事人", level=2)
    for p in d.parties:
        doc.add_paragraph(f"{p.side}：{p.name}" + (f"，{p.details}" if p.details else ""))
    doc.add_heading("纠纷的主要事实、争议事项", level=2)
    doc.add_paragraph(d.facts)
    for s in d.statements:
        doc.add_paragraph(f"{s.side}{s.name}称：{s.text}")
    if d.disputed:
        doc.add_paragraph(f"争议事项：{d.disputed}")
    if d.responsibility:
        doc.add_heading("各方当事人的责任", level=2)
        doc.add_paragraph(d.responsibility)
    doc.add_heading("经调解，当事人自愿达成如下协议" if d.written else "经调解，当事人口头达成如下协议", level=2)
    doc.add_paragraph(d.content)
    if d.performance or d.obligations:
        doc.add_heading("履行协议的方式、期限", level=2)
        if d.performance:
            doc.add_paragraph(d.performance)
        for o in d.obligations:
            doc.add_paragraph(f"{o.who}：{o.what}，于 {o.due} 前履行完毕。", style="List Number")
    _signatures(doc, d)
    closing = doc.add_paragraph(f"{d.committee}（盖章）\n{d.dated}")
    closing.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _signatures(doc: Document, d: AgreementDocument) -> None:
    if not d.written:
        if d.oral_note:
            doc.add_heading("调解员记录", level=2)
            doc.add_paragraph(d.oral_note)
        doc.add_paragraph("本协议为口头协议（《中华人民共和国人民调解法》第二十八条），由人民调解员记录在案。")
        for s in d.mediator_signatures:
            doc.add_paragraph(f"人民调解员：{s.name}")
        return
    doc.add_paragraph(f"本协议自各方当事人签名、盖章或者按指印，人民调解员签名并加盖人民调解委员会印章之日起生效。"
                      f"本协议一式{d.copies}份，当事人各执一份，人民调解委员会留存一份。")
    doc.add_paragraph("依照《中华人民共和国人民调解法》第三十三条，双方当事人认为有必要的，可以自本协议生效之日起三十日内"
                      "共同向人民法院申请司法确认。")
    for s in d.party_signatures:
        signed = f"{s.name}　{s.signed_at}" if s.signed_at else "＿＿＿＿＿＿＿＿"
        doc.add_paragraph(f"{s.side}（签名、盖章或按指印）：{signed}")
    for s in d.mediator_signatures:
        signed = f"{s.name}　{s.signed_at}" if s.signed_at else f"{s.name} ＿＿＿＿＿＿＿＿"
        doc.add_paragraph(f"人民调解员（签名）：{signed}")
