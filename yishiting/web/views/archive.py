"""Archive pages (备): search the archive, read one dossier (printable), download it as PDF or DOCX, archive a
finished topic from its page; and the meeting minutes as PDF or DOCX. Out of scope → 404."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models.functions import Length
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from yishiting.areas.models import PATH_STEP
from yishiting.areas.selectors import areas_visible_to
from yishiting.common.errors import DomainError
from yishiting.common.rules import has_perm
from yishiting.deliberation.choices import TopicStatus
from yishiting.deliberation.selectors.meetings import meetings_visible_to
from yishiting.deliberation.selectors.topics import topics_visible_to
from yishiting.handling.dossier_render import (
    dossier_file,
    dossier_view,
    minutes_docx,
    minutes_pdf,
)
from yishiting.handling.rules import ARCHIVE_MANAGE, HANDLING_VIEW, may_view_topic
from yishiting.handling.selectors.archive import (
    DossierFilter,
    archive_preview,
    dossier_facets,
    dossier_search,
    dossiers_visible_to,
)
from yishiting.handling.services.archive import dossier_archive

from .common import paginate_capped, permission_required, query_pk

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _filters(request: HttpRequest, user) -> tuple[DossierFilter, dict]:
    """The search form's values, each checked: an unknown area or a bad year is ignored, never an error page."""
    get = request.GET
    area_pk, year = query_pk(request, "area"), query_pk(request, "year")
    area = areas_visible_to(user).filter(pk=area_pk).first() if area_pk else None
    year = year if year and 2000 <= year <= 2100 else None
    text, category = (get.get("q") or "").strip()[:100], (get.get("category") or "").strip()[:64]
    return (DossierFilter(text=text, area_path=area.path if area else "", category=category, year=year),
            {"q": text, "area": area, "category": category, "year": year})


@permission_required(HANDLING_VIEW.name)
def archive_list(request: HttpRequest) -> HttpResponse:
    visible = dossiers_visible_to(request.user)
    f, chosen = _filters(request, request.user)
    categories, years = dossier_facets(visible)
    areas = (areas_visible_to(request.user).annotate(path_length=Length("path"))
             .filter(path_length__lte=3 * PATH_STEP).order_by("path"))  # district, street, community
    return render(request, "web/pages/handling/archive/list.html", {
        "page": paginate_capped(request, dossier_search(visible, f)), "categories": categories, "years": years,
        "areas": areas, **chosen})


def _dossier(request: HttpRequest, pk: int):
    return get_object_or_404(dossiers_visible_to(request.user).defer(None), pk=pk)


@permission_required(HANDLING_VIEW.name)
def dossier_page(request: HttpRequest, pk: int) -> HttpResponse:
    dossier = _dossier(request, pk)
    return render(request, "web/pages/handling/archive/detail.html", {
        "dossier": dossier, "d": dossier_view(dossier), "topic_visible": may_view_topic(request.user, dossier.topic_id)})


def _download(data: bytes, media_type: str, name: str) -> HttpResponse:
    response = HttpResponse(data, content_type=media_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@permission_required(HANDLING_VIEW.name)
def dossier_download(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    dossier = _dossier(request, pk)
    if fmt == "pdf":
        return _download(dossier_file(dossier, "pdf"), PDF, f"dossier-{dossier.pk}.pdf")
    return _download(dossier_file(dossier, "docx"), DOCX, f"dossier-{dossier.pk}.docx")


@login_required
def archive_panel(request: HttpRequest, pk: int) -> HttpResponse:
    """The topic page's archive block (loaded by htmx): the button for staff when the topic is evaluating."""
    topic = get_object_or_404(topics_visible_to(request.user), pk=pk)
    may_archive = topic.status == TopicStatus.EVALUATING and has_perm(request.user, ARCHIVE_MANAGE.name, topic)
    return render(request, "web/pages/handling/archive/panel.html", {"topic": topic, "may_archive": may_archive})


@permission_required(ARCHIVE_MANAGE.name)
def topic_archive(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: what archiving will seal, and the confirm button; POST with confirm=yes: archive. Sealing is for
    good, so a POST without the confirmation (an old form, a stray tap) only brings up this page."""
    topic = get_object_or_404(topics_visible_to(request.user), pk=pk)
    if request.method != "POST" or request.POST.get("confirm") != "yes":
        if request.method not in ("GET", "HEAD", "POST"):
            return HttpResponseNotAllowed(["GET", "POST"])
        return render(request, "web/pages/handling/archive/confirm.html", {
            "topic": topic, "sealed": archive_preview(topic),
            "ready": topic.status == TopicStatus.EVALUATING and has_perm(request.user, ARCHIVE_MANAGE.name, topic)})
    try:
        dossier = dossier_archive(actor=request.user, topic=topic)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("web:topic_detail", pk=pk)
    messages.success(request, _("已归档，档案号 %(number)s。") % {"number": dossier.number})
    return redirect("web:dossier_page", pk=dossier.pk)


@permission_required("deliberation.view")
def minutes_download(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    meeting = get_object_or_404(meetings_visible_to(request.user), pk=pk)
    if fmt == "pdf":
        return _download(minutes_pdf(meeting), PDF, f"minutes-{meeting.pk}.pdf")
    return _download(minutes_docx(meeting), DOCX, f"minutes-{meeting.pk}.docx")
