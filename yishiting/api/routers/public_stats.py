"""/public: 公开统计 for everyone, with no login — the same figures and suppression as the page /public/stats/
(oversight.selectors.public_stats), read from the roll-ups; a page is cut from the month tables it touches and
its total is known from their shape, never counted."""

from __future__ import annotations

from datetime import date

from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router

from yishiting.api.access import visible_or_404
from yishiting.api.pagination import page_of, paginate
from yishiting.api.schemas.common import ErrorOut
from yishiting.api.schemas.public_stats import (
    PublicAreaOut,
    PublicAreaQuery,
    PublicStatsOut,
    PublicStatsQuery,
)
from yishiting.common.dbrouter import heavy_read
from yishiting.common.errors import DomainError, NotFound
from yishiting.oversight.public import MEASURES
from yishiting.oversight.selectors.public_stats import MAX_MONTHS, open_data_page, public_areas

router = Router(tags=["公开统计"])
NO_AUTH = {"security": [{}]}
PUBLIC_ERRORS = {400: ErrorOut, 404: ErrorOut, 422: ErrorOut}
DEFAULT_MONTHS = 6
RULE = ("1 到 4 件的数字隐藏（suppressed=small，0 照常公开）；同一行或同一列中只有一个隐藏数、或能由合计推算出的，"
        "再隐藏一个较小的非零数（suppressed=complementary），直到任何合计都算不出隐藏的数。隐藏位置按全区每月统一确定。")


def area_out(area) -> dict:
    return {"id": area.pk, "code": area.code, "name": area.name, "full_name": area.full_name or area.name,
            "level": area.level.code, "parent_id": area.parent_id}


def _month(value: str | None, field: str) -> date | None:
    if value is None:
        return None
    year, month = (int(part) for part in value.split("-"))
    if not 2000 <= year <= 2100:
        raise DomainError("invalid_month", "月份须在 2000 年到 2100 年之间。", details={"field": field})
    return date(year, month, 1)


def _period(query: PublicStatsQuery) -> tuple[date, date]:
    end = _month(query.end, "end") or timezone.localdate().replace(day=1)
    index = end.year * 12 + end.month - DEFAULT_MONTHS
    start = _month(query.start, "start") or date(index // 12, index % 12 + 1, 1)
    if start > end:
        raise DomainError("invalid_period", "起始月份不能晚于结束月份。", details={"field": "start"})
    if (end.year - start.year) * 12 + end.month - start.month >= MAX_MONTHS:
        raise DomainError("period_too_long", f"一次最多查询 {MAX_MONTHS} 个月。", details={"field": "start"})
    return start, end


@router.get("/areas", auth=None, openapi_extra=NO_AUTH, response={200: page_of(PublicAreaOut), **PUBLIC_ERRORS},
            summary="可查询公开统计的地区")
def areas(request: HttpRequest, query: Query[PublicAreaQuery]):
    """无需登录：区、街道、社区（名称是公开的），按区域树顺序。"""
    found = public_areas().order_by("path")
    if query.parent is not None:
        found = found.filter(parent_id=query.parent)
    page = paginate(found, query)
    return {**page, "items": [area_out(a) for a in page["items"]]}


@router.get("/stats", auth=None, openapi_extra=NO_AUTH, response={200: PublicStatsOut, **PUBLIC_ERRORS},
            summary="公开统计")
def stats(request: HttpRequest, query: Query[PublicStatsQuery]):
    """无需登录。各社区每月收到和办结的诉求件数，按类别；只有汇总数字，没有任何一件诉求、任何人的姓名。
    与页面 /public/stats/ 和开放数据（CSV、XLSX、JSON）的数字和隐藏规则相同。不存在或未启用的地区返回 404。"""
    return _stats(request, query)


@heavy_read  # (not on the endpoint itself: django-ninja reads the endpoint's own annotations)
def _stats(request: HttpRequest, query: PublicStatsQuery) -> dict:
    places = public_areas()
    area = visible_or_404(places, query.area, "找不到该地区。") if query.area is not None else \
        places.order_by("path").first()
    if area is None:
        raise NotFound("还没有可统计的地区。")
    start, end = _period(query)
    measures = (query.measure,) if query.measure else MEASURES
    offset = (query.page - 1) * query.page_size
    figures, rows, total = open_data_page(area, start, end, measures, offset, query.page_size)
    return {"area": area_out(area), "start": start.strftime("%Y-%m"), "end": end.strftime("%Y-%m"),
            "counted_to": figures.counted_to, "rule": RULE, "count": total, "count_capped": False,
            "has_next": offset + len(rows) < total, "page": query.page, "page_size": query.page_size,
            "items": rows}
