"""公开统计: the public statistics page and its open data (CSV, XLSX, JSON), for everyone, with no login.

Aggregates only — never a record, never a name — read through oversight.public.monthly_counts and suppressed by
oversight.suppression; the page states the rule."""

from __future__ import annotations

import csv
import io
import json
from datetime import date

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from yishiting.common.dbrouter import heavy_read
from yishiting.common.xlsx import Column, xlsx_of
from yishiting.oversight.funnel import DONE_RULE
from yishiting.oversight.public import MEASURES
from yishiting.oversight.selectors.public_stats import (
    OPEN_DATA_COLUMNS,
    PublicStats,
    open_data_rows,
    public_areas,
    public_stats,
)

from .common import parse_pk

DEFAULT_MONTHS = 6


def _month(value: str | None) -> date | None:
    try:
        year, month = (int(part) for part in (value or "").split("-")[:2])
        return date(year, month, 1) if 2000 <= year <= 2100 else None
    except ValueError:
        return None


def _query(request: HttpRequest) -> tuple[object, date, date]:
    areas = public_areas()
    area = areas.filter(pk=parse_pk(request.GET.get("area"))).first() or areas.order_by("path").first()
    today = timezone.localdate()
    end = _month(request.GET.get("to")) or today.replace(day=1)
    index = end.year * 12 + end.month - DEFAULT_MONTHS  # DEFAULT_MONTHS months, the last one included
    default_start = date(index // 12, index % 12 + 1, 1)
    start = _month(request.GET.get("from")) or default_start
    return area, min(start, end), max(start, end)


def _stats(request: HttpRequest) -> PublicStats | None:
    area, start, end = _query(request)
    return public_stats(area, start, end) if area is not None else None


@require_GET
@heavy_read
def public_stats_page(request: HttpRequest) -> HttpResponse:
    area, start, end = _query(request)
    measure = request.GET.get("measure") if request.GET.get("measure") in MEASURES else "received"
    stats = public_stats(area, start, end, (measure,)) if area is not None else None
    return render(request, "web/pages/oversight/public_stats.html", {
        "stats": stats, "areas": public_areas().order_by("path"), "start": start, "end": end, "measure": measure,
        "query": request.GET.urlencode(), "columns": OPEN_DATA_COLUMNS,
        "done_rule": DONE_RULE})


@require_GET
@heavy_read
def public_stats_data(request: HttpRequest, fmt: str) -> HttpResponse:
    stats = _stats(request)
    rows = open_data_rows(stats) if stats else []
    name = f"public-stats-{stats.area.code if stats else 'none'}"
    if fmt == "json":
        body = json.dumps({"columns": OPEN_DATA_COLUMNS, "rows": rows}, ensure_ascii=False)
        response = HttpResponse(body, content_type="application/json; charset=utf-8")
    elif fmt == "xlsx":
        columns = [Column(key, 16, lambda row, key=key: row[key]) for key in OPEN_DATA_COLUMNS]
        response = HttpResponse(xlsx_of(rows, columns, title="public-stats"), content_type=(
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))
    else:
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=OPEN_DATA_COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows({k: ("" if v is None else v) for k, v in row.items()} for row in rows)
        response = HttpResponse("\ufeff" + out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    response["Access-Control-Allow-Origin"] = "*"
    return response
