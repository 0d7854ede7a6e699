"""志愿服务证明: a volunteer's confirmed hours, services and ratings on one printable page (PDF, CJK fonts
embedded by common.documents), issued in the name of the volunteer's community. A printed record, so Chinese
whatever the page language (docs/i18n.md)."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import override

from yishiting.areas.selectors import community_of
from yishiting.common.documents import render_pdf

from .selectors import Record


def certificate_html(record: Record) -> str:
    person = record.person
    community = community_of(person.area) if person.area_id else None
    rows = [(timezone.localtime(a.checked_out_at).date(), a.activity.title, a.activity.team.name if a.activity.team_id else "", a.hours,
             a.rating) for a in record.attendances]
    rows += [(s.day, s.claim.post.name, s.note, s.hours, s.rating) for s in record.confirmed_shifts]
    rows.sort(key=lambda row: row[0], reverse=True)
    with override("zh-hans"):
        return render_to_string("volunteers/certificate_pdf.html", {
            "person": person, "community": community, "record": record, "rows": rows,
            "printed_on": timezone.localdate()})


def certificate_pdf(record: Record) -> bytes:
    return render_pdf(certificate_html(record))
