"""The overview (统计总览) for street and district officials and community secretaries: the 三率 with their trend,
the funnel, open items, rankings — every figure drilling down to its records, every table as XLSX — and the
kept monthly reports (月报). Areas outside the viewer's subtree are not offered and answer 400/404."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from yishiting.areas.models import Area
from yishiting.areas.selectors import areas_visible_to
from yishiting.common.dbrouter import heavy_read
from yishiting.common.errors import DomainError
from yishiting.common.rules import has_perm
from yishiting.common.xlsx import xlsx_of
from yishiting.oversight import overview as figures
from yishiting.oversight import records
from yishiting.oversight.funnel import DONE_RULE
from yishiting.oversight.periods import Period
from yishiting.oversight.report_selectors import report_areas_for, reports_visible_to
from yishiting.oversight.rules import may_view_recurrences
from yishiting.oversight.services import reports as services
from yishiting.oversight.tables import TABLES, table_rows
from yishiting.whistles.selectors import area_whistles

from ..forms.overview import OverviewForm
from .common import paginate, permission_required

PERM = "oversight.view_overview"
PAGES = "web/pages/oversight/"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
AREA_DEPTH = 3  # district, streets, communities


def _form(request: HttpRequest) -> OverviewForm:
    areas = areas_visible_to(request.user, PERM).filter(level__depth__lte=AREA_DEPTH).order_by("path")
    return OverviewForm(request.GET if "area" in request.GET else None, areas=areas, today=timezone.localdate())


def _xlsx(data: bytes, name: str) -> HttpResponse:
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    return response


@permission_required(PERM)
@heavy_read
def overview_page(request: HttpRequest) -> HttpResponse:
    form = _form(request)
    chosen = form.chosen()
    data = figures.overview(*chosen, timezone.localdate()) if chosen else None
    return render(request, PAGES + "overview.html", {
        "form": form, "o": data, "charts": figures.charts(data) if data else {},
        "query": urlencode({"area": chosen[0].pk, "period": chosen[1].key}) if chosen else "",
        # a child area has its own overview only down to the communities (a grid's would answer 400)
        "child_overview": bool(chosen) and chosen[0].depth < AREA_DEPTH,
        "recurrence_link": _recurrence_link(request, *chosen) if chosen else "", "done_rule": DONE_RULE,
        "whistles": area_whistles(chosen[0], timezone.localdate()) if chosen else None},
        status=400 if form.is_bound and form.errors else 200)


def _recurrence_link(request: HttpRequest, area: Area, period: Period) -> str:
    """The 复发 figure's link to the recurrence list for the same area and period (that list stops at today),
    for those who may read it."""
    if not may_view_recurrences(request.user, area):
        return ""
    end = min(period.end, timezone.localdate())
    return reverse("web:recurrence_list") + "?" + urlencode({"area": area.pk, "start": f"{period.start:%Y-%m-%d}",
                                                               "end": f"{end:%Y-%m-%d}"})


@permission_required(PERM)
@heavy_read
def overview_records(request: HttpRequest) -> HttpResponse:
    """The records behind one figure (`figure`), paginated, or as XLSX with `format=xlsx`."""
    form = _form(request)
    chosen, figure = form.chosen(), request.GET.get("figure") or "funnel.collected"
    if chosen is None:
        raise Http404
    try:
        found = records.drill(figure, *chosen)
    except DomainError:
        raise Http404 from None
    if request.GET.get("format") == "xlsx":
        return _xlsx(xlsx_of(found.rows[:records.MAX_EXPORT], found.columns, title=found.title[:31]),
                     f"records-{chosen[1].key}")
    page = paginate(request, found.rows)
    headers = [column.header for column in found.columns]
    rows = [(list(zip(headers, records.as_cells(found, row), strict=True)), found.link(row) if found.link else "")
            for row in page]
    return render(request, PAGES + "records.html", {
        "form": form, "area": chosen[0], "period": chosen[1], "drill": found, "page": page, "rows": rows,
        "has_link": found.link is not None,
        "query": urlencode({"area": chosen[0].pk, "period": chosen[1].key, "figure": figure})})


@permission_required(PERM)
@heavy_read
def overview_export(request: HttpRequest, table: str) -> HttpResponse:
    """One table of the overview as XLSX (the figures as shown, with the same area and period)."""
    form = _form(request)
    chosen = form.chosen()
    if chosen is None or table not in TABLES:
        raise Http404
    columns, rows = table_rows(table, figures.overview(*chosen, timezone.localdate()))
    return _xlsx(xlsx_of(rows, columns, title=str(TABLES[table])), f"overview-{table}-{chosen[1].key}")


@permission_required(PERM)
def report_list(request: HttpRequest) -> HttpResponse:
    return render(request, PAGES + "reports.html", {
        "page": paginate(request, reports_visible_to(request.user)),
        "areas": report_areas_for(request.user), "months": services.recent_months(timezone.localdate())})


@permission_required(PERM)  # first: whoever may not is refused (403) whatever the method
@require_POST
def report_generate(request: HttpRequest) -> HttpResponse:
    area = get_object_or_404(report_areas_for(request.user), pk=request.POST.get("area") or 0)
    try:
        month = services.month_of(request.POST.get("month", ""))
        report = services.report_generate(actor=request.user, area=area, month=month)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已生成 %(area)s %(month)s 的月报。") % {"area": area.name,
                                                                          "month": f"{report.month:%Y-%m}"})
    return redirect("web:report_list")


@permission_required(PERM)
def report_download(request: HttpRequest, pk: int) -> FileResponse:
    report = get_object_or_404(reports_visible_to(request.user), pk=pk)
    if not has_perm(request.user, PERM, report):
        raise PermissionDenied(PERM)
    return FileResponse(report.file.open("rb"), content_type="application/pdf", as_attachment=False,
                        filename=f"monthly-report-{report.area.code}-{report.month:%Y-%m}.pdf")
