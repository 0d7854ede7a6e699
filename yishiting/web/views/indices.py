"""堡垒指数 / 先锋指数 pages: the ranking within one level (printable, XLSX), one index with its derivation
(part → measure → the records counted, paginated) and its history, and a party member's own 先锋指数."""

from __future__ import annotations

from datetime import date

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from yishiting.areas.selectors import person_for_user
from yishiting.common.dbrouter import heavy_read
from yishiting.common.rules import has_perm
from yishiting.common.xlsx import Column, xlsx_of
from yishiting.oversight.indices import selectors
from yishiting.oversight.indices.periods import label as period_label
from yishiting.oversight.models import IndexKind, IndexSnapshot

from .common import permission_required

PAGES = "web/pages/oversight/"


def _choice(request: HttpRequest) -> selectors.RankingChoice:
    """The ranking asked for; anything unreadable falls back to the newest period and highest level."""
    get = request.GET
    period, _bar, start_text = get.get("pick", "").partition("|")  # the page's one period menu
    if not start_text:
        period, start_text = get.get("period", ""), get.get("start", "")
    try:
        start = date.fromisoformat(start_text)
    except ValueError:
        start = None
    area = get.get("area", "")
    return selectors.ranking_choice(request.user, get.get("kind", ""), period, start,
                                    int(area) if area.isdigit() else None)


def _rows(request: HttpRequest, choice: selectors.RankingChoice) -> list[tuple[IndexSnapshot, str]]:
    return [(s, selectors.subject_label(s)) for s in selectors.ranking(request.user, choice)]


@permission_required("oversight.indices_rank")
@heavy_read
def index_ranking(request: HttpRequest) -> HttpResponse:
    choice = _choice(request)
    return render(request, PAGES + "ranking.html", {
        "choice": choice, "rows": _rows(request, choice), "kinds": IndexKind.choices,
        "period_label": period_label(choice.period, choice.start) if choice.start else ""})


EXPORT_COLUMNS = [
    Column("名次", 6, lambda r: r[0].rank), Column("对象", 36, lambda r: r[1]),  # zh-only: the printed 台账
    Column("指数", 10, lambda r: float(r[0].value)), Column("同级数量", 10, lambda r: r[0].peers),  # zh-only: the printed 台账
    Column("区域", 30, lambda r: r[0].area.full_name),  # zh-only: the printed 台账
]


@permission_required("oversight.indices_rank")
@heavy_read
def index_ranking_export(request: HttpRequest) -> HttpResponse:
    """The ranking as a 台账 (Chinese, like every printable record)."""
    choice = _choice(request)
    if choice.start is None:
        raise Http404
    title = f"{choice.peer_area.name}{IndexKind(choice.kind).label}"
    data = xlsx_of(_rows(request, choice), EXPORT_COLUMNS, title=str(title)[:31])
    response = HttpResponse(data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="{choice.kind}-{choice.start:%Y%m%d}.xlsx"'
    return response


def _visible(request: HttpRequest, pk: int) -> IndexSnapshot:
    return get_object_or_404(selectors.snapshots_visible_to(request.user), pk=pk)


@login_required
def index_detail(request: HttpRequest, pk: int) -> HttpResponse:
    snapshot = _visible(request, pk)
    past = selectors.history(snapshot).filter(pk__in=selectors.snapshots_visible_to(request.user).values("pk"))
    return render(request, PAGES + "detail.html", {
        "snap": snapshot, "subject": selectors.subject_label(snapshot), "parts": selectors.derivation(snapshot),
        "history": [(s, period_label(s.period, s.start)) for s in past[:24]],
        "period_label": period_label(snapshot.period, snapshot.start),
        "may_rank": has_perm(request.user, "oversight.indices_rank", snapshot)})


@login_required
def index_part(request: HttpRequest, pk: int, key: str) -> HttpResponse:
    snapshot = _visible(request, pk)
    try:
        part, page = selectors.part_records(snapshot, key, request.GET.get("page"))
    except KeyError:
        raise Http404 from None
    return render(request, PAGES + "part.html", {
        "snap": snapshot, "subject": selectors.subject_label(snapshot), "part": part, "page": page,
        "period_label": period_label(snapshot.period, snapshot.start)})


@login_required
def index_mine(request: HttpRequest) -> HttpResponse:
    """A party member's own 先锋指数, newest first (every period kind)."""
    person = person_for_user(request.user)
    if person is None or not has_perm(request.user, "oversight.indices"):
        raise PermissionDenied("oversight.indices")
    mine = (IndexSnapshot.objects.filter(person=person, kind=IndexKind.PIONEER)
            .select_related("organization").order_by("-start", "period"))
    return render(request, PAGES + "mine.html", {
        "person": person, "rows": [(s, period_label(s.period, s.start)) for s in mine[:36]]})
