"""/oversight/plans: area plans (小区平面图 / 网格图) and the hot spots drawn on them — the same selectors and
rules as the pages (/oversight/hotspots/, the demand form's plan picker). A plan outside the caller's scope
answers like a missing one (404)."""

from __future__ import annotations

from dataclasses import asdict

from django.http import FileResponse, HttpRequest
from django.urls import reverse
from ninja import Query, Router

from yishiting.api.auth import actor
from yishiting.api.pagination import PageQuery, page_of, paginate
from yishiting.api.schemas.common import COMMON_ERRORS
from yishiting.api.schemas.oversight_plans import HotspotQuery, HotspotsOut, PlanOut
from yishiting.areas import selectors as areas
from yishiting.common.errors import NotFound, PermissionDeniedError
from yishiting.common.rules import scope_for
from yishiting.oversight.models import AreaPlan
from yishiting.oversight.rules import OVERSIGHT_HOTSPOTS, may_see_plan, may_view_plan_hotspots
from yishiting.oversight.selectors.hotspots import MAX_POINTS, plan_for_area, plan_layer, plans_for_hotspots

router = Router(tags=["热点分布"])
MISSING = "找不到该平面图。"
IMAGE = {"responses": {200: {"description": "平面图图片", "content": {
    "image/*": {"schema": {"type": "string", "format": "binary"}}}}}}


def plan_out(plan: AreaPlan) -> dict:
    return {"id": plan.pk, "area_id": plan.area_id, "area": plan.area.full_name or plan.area.name,
            "title": plan.title, "width": plan.width, "height": plan.height, "content_type": plan.content_type,
            "image_url": reverse("api:plan_image", args=[plan.pk]), "reference_points": plan.reference_points,
            "updated_at": plan.updated_at}


def _require_hotspots(user) -> None:
    if scope_for(user, OVERSIGHT_HOTSPOTS.name).empty:
        raise PermissionDeniedError("只有网格员及以上的工作人员可以查看热点分布。")


def _plan(user, plan_id: int) -> AreaPlan:
    plan = AreaPlan.objects.select_related("area").filter(pk=plan_id).first()
    if plan is None or not may_see_plan(user, plan):
        raise NotFound(MISSING)
    return plan


@router.get("", response={200: page_of(PlanOut), **COMMON_ERRORS}, summary="可查看热点的平面图")
def plans(request: HttpRequest, query: Query[PageQuery]):
    """您辖区内的平面图，以及覆盖您辖区一部分的上级平面图（网格员看社区的图），按区域树顺序。"""
    user = actor(request)
    _require_hotspots(user)
    page = paginate(plans_for_hotspots(user).order_by("path"), query)
    return {**page, "items": [plan_out(p) for p in page["items"]]}


@router.get("/for-area/{int:area_id}", response={200: PlanOut, **COMMON_ERRORS}, summary="某地点的平面图")
def plan_of_area(request: HttpRequest, area_id: int):
    """提交诉求时在图上点选位置所用的平面图：该地点的，或最近一级上级的（楼栋用小区的图）。只有图，不画任何诉求。
    在图上点选的像素坐标可随诉求提交（`POST /demands` 的 `plan_id`、`plan_x`、`plan_y`）。"""
    user = actor(request)
    area = areas.area_visible(user, area_id)
    plan = plan_for_area(area) if area is not None else None
    if plan is None:
        raise NotFound("找不到该地点的平面图，或您无权查看该地点。")
    return plan_out(AreaPlan.objects.select_related("area").get(pk=plan.pk))


@router.get("/{int:plan_id}", response={200: PlanOut, **COMMON_ERRORS}, summary="平面图")
def plan(request: HttpRequest, plan_id: int):
    """能查看该区域（或在其下工作）的人都可查看；不画任何诉求。"""
    return plan_out(_plan(actor(request), plan_id))


@router.get("/{int:plan_id}/image", url_name="plan_image", response={200: None, **COMMON_ERRORS},
            summary="平面图图片", openapi_extra=IMAGE)
def image(request: HttpRequest, plan_id: int):
    plan = _plan(actor(request), plan_id)
    response = FileResponse(plan.image.open("rb"), content_type=plan.content_type)
    response["Cache-Control"] = "private, max-age=86400"
    return response


@router.get("/{int:plan_id}/hotspots", response={200: HotspotsOut, **COMMON_ERRORS}, summary="热点分布")
def hotspots(request: HttpRequest, plan_id: int, query: Query[HotspotQuery]):
    """平面图上您可查看的诉求（有位置的）：点位（像素坐标）和密度格，可按类别和提交日期筛选；只含位置和类别，
    不含诉求内容和任何人的信息。网格员看社区的图时只画本网格的诉求。范围外的平面图与不存在的一样返回 404。"""
    user = actor(request)
    _require_hotspots(user)
    plan = AreaPlan.objects.select_related("area").filter(pk=plan_id).first()
    if plan is None or not may_view_plan_hotspots(user, plan):
        raise NotFound(MISSING)
    layer = plan_layer(user, plan, category_id=query.category, start=query.start, end=query.end)
    counts: dict[str, int] = {}
    for point in layer.points:
        counts[point.category] = counts.get(point.category, 0) + 1
    return {"plan": plan_out(plan), "points": [asdict(p) for p in layer.points],
            "cells": [{"column": c, "row": r, "count": n} for c, r, n in layer.cells],
            "cell_size": round(layer.cell_size, 3), "max_points": MAX_POINTS, "capped": layer.capped,
            "by_category": [{"category": k, "count": v} for k, v in sorted(counts.items(), key=lambda i: -i[1])]}
