"""The A4 notice poster (公示) for the board: decision, plan table, window dates, and a QR code opening the
public notice page. Rendered by WeasyPrint (common.documents.render_pdf) with the Noto CJK fonts embedded."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from yishiting.common.documents import render_pdf
from yishiting.demands.posters import qr_svg
from yishiting.handling.records_language import in_site_language

from .models import Notice


def public_path(notice: Notice) -> str:
    return f"/notices/{notice.pk}/public/"


@in_site_language
def notice_poster_pdf(notice: Notice, public_url: str) -> bytes:
    """One A4 page; `public_url` is the absolute address of the public page (the request's own host)."""
    context = {"notice": notice, "topic": notice.topic, "url": public_url,
               # segno's own markup with only the URL encoded in it: safe to insert as is.
               "qr": mark_safe(qr_svg(public_url))}
    return render_pdf(render_to_string("handling/notice_poster.html", context))


def notice_poster_response(request: HttpRequest, notice: Notice) -> HttpResponse:
    """The poster as a download for the web page and the API alike; the QR code points at this site."""
    pdf = notice_poster_pdf(notice, request.build_absolute_uri(public_path(notice)))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="notice-{notice.pk}.pdf"'
    return response
