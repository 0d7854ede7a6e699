"""/oversight/clusters: 举一反三 for street and district officials — the same selectors, services and rules as
the pages (/oversight/clusters/…)."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Query, Router, Status

from yishiting.api.access import require, visible_or_404
from yishiting.api.auth import actor
from yishiting.api.schemas.common import COMMON_ERRORS, WRITE_ERRORS
from yishiting.api.schemas.oversight_clusters import (
    ClusterDetailOut,
    ClusterListOut,
    ClusterListQuery,
    ClusterPeriodQuery,
    ClusterRaiseIn,
    ClusterTopicOut,
)
from yishiting.common.errors import NotFound
from yishiting.common.masking import mask_free_text
from yishiting.oversight.clusters import cluster_settings, period_of, trend
from yishiting.oversight.selectors import cluster_areas, clusters_listed, member_rows, stored_cluster
from yishiting.oversight.services.clusters import cluster_raise, cluster_run_for

router = Router(tags=["举一反三"])


def _area(user, area_id: int | None):
    require(user, "oversight.clusters", message="只有街道和区级干部可以查看类案。")
    areas = cluster_areas(user)
    return visible_or_404(areas, area_id, "找不到该区域。") if area_id is not None else areas.first()


def cluster_out(c) -> dict:
    """A kept cluster of the list (StoredCluster) or one read with its members (Cluster)."""
    communities = c.spread if hasattr(c, "spread") else len(c.communities)
    streets = c.street_count if hasattr(c, "street_count") else len(c.streets)
    return {"id": c.ident, "category": c.category.name, "label": c.label, "count": c.count,
            "communities": communities, "streets": streets,
            "raised_topic_id": c.raised.topic_id if c.raised else None}


def _spread(rows) -> list[dict]:
    return [{"area_id": s.area.pk, "area": s.area.name, "count": s.count} for s in rows]


@router.get("", response={200: ClusterListOut, **COMMON_ERRORS}, summary="类案列表")
def clusters(request: HttpRequest, query: Query[ClusterListQuery]):
    """同一类别、内容相似、出现在至少 N 个社区（模板设置）的诉求，按涉及社区数从多到少。"""
    user = actor(request)
    area, period, settings = _area(user, query.area), period_of(query.start, query.end), cluster_settings()
    n = max(settings.min_communities, query.min_communities or 0)
    run = cluster_run_for(area, period, settings)
    found = clusters_listed(run, category_id=query.category, min_communities=n)
    return {"area_id": area.pk, "start": period.start, "end": period.end, "threshold": settings.threshold,
            "computed_at": run.computed_at,
            "min_communities": n, "items": [cluster_out(c) for c in found]}


@router.get("/{ident}", response={200: ClusterDetailOut, **COMMON_ERRORS}, summary="类案详情")
def cluster(request: HttpRequest, ident: str, query: Query[ClusterPeriodQuery]):
    """涉及的诉求（诉求人脱敏）、按社区和街道的分布、按周（一个季度以内）或按月的趋势。"""
    user = actor(request)
    area, period = _area(user, query.area), period_of(query.start, query.end)
    found = stored_cluster(cluster_run_for(area, period, cluster_settings()), ident)
    if found is None:
        raise NotFound("找不到该类案，可能统计期或区域不同。")
    members = [{"id": r.demand.pk, "number": r.demand.number, "text": mask_free_text(r.demand.text),
                "community": r.community.name if r.community else None, "reporter": r.reporter,
                "status": r.demand.status, "created_at": r.demand.created_at} for r in member_rows(found)]
    return {**cluster_out(found), "seed_text": mask_free_text(found.seed.text), "members": members,
            "by_community": _spread(found.communities), "by_street": _spread(found.streets),
            "trend": [{"period": label, "count": n} for label, n in trend(found, period)]}


@router.post("/{ident}/raise", response={201: ClusterTopicOut, **WRITE_ERRORS}, summary="立为类案议题")
def raise_cluster(request: HttpRequest, ident: str, payload: ClusterRaiseIn):
    """新建一个街道或区级议题：尚未筛选的诉求并入该议题（诉求人随议题跟进），已在办理的关联类案。同一类案只能发起一次。"""
    user = actor(request)
    area, period = _area(user, payload.area), period_of(payload.start, payload.end)
    row = cluster_raise(actor=user, area=area, period=period, ident=ident, title=payload.title)
    members = list(row.members.select_related("demand"))
    return Status(201, {"id": row.pk, "topic_id": row.topic_id, "topic_title": row.topic.title,
                        "level_area": row.level_area.name,
                        "merged": sorted(m.demand.number for m in members if m.how == "merged"),
                        "linked": sorted(m.demand.number for m in members if m.how == "linked")})
