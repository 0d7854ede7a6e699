"""/oversight/indices: 堡垒指数 / 先锋指数 — rankings within a level, one index with its parts, the records a
part counted, and a member's own — the same selectors and rules as the pages (/oversight/indices/…)."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Query, Router

from yishiting.api.access import require, visible_or_404
from yishiting.api.auth import actor
from yishiting.api.pagination import PageQuery, page_of
from yishiting.api.schemas.common import COMMON_ERRORS
from yishiting.api.schemas.oversight_indices import (
    IndexDetailOut,
    IndexRankingQuery,
    IndexRecordOut,
    IndexSnapshotOut,
)
from yishiting.areas.selectors import person_for_user
from yishiting.common.errors import NotFound
from yishiting.oversight.indices import selectors
from yishiting.oversight.models import IndexKind, IndexSnapshot

router = Router(tags=["统计考评"])


def snapshot_out(s: IndexSnapshot) -> dict:
    return {"id": s.pk, "kind": s.kind, "period": s.period, "start": s.start, "end": s.end,
            "subject": selectors.subject_label(s), "organization_id": s.organization_id, "area": s.area.full_name,
            "peer_area_id": s.peer_area_id, "value": str(s.value), "rank": s.rank, "peers": s.peers}


def _page(items: list, query: PageQuery) -> dict:
    start = (query.page - 1) * query.page_size
    return {"count": len(items), "page": query.page, "page_size": query.page_size,
            "items": items[start:start + query.page_size]}


@router.get("", response={200: page_of(IndexSnapshotOut), **COMMON_ERRORS}, summary="指数排名")
def ranking(request: HttpRequest, query: Query[IndexRankingQuery]):
    """一个排名范围内同类对象的指数，按名次；不给周期和范围时为最近一期、最高一级。"""
    user = actor(request)
    require(user, "oversight.indices_rank")
    choice = selectors.ranking_choice(user, query.kind, query.period, query.start, query.area)
    return _page([snapshot_out(s) for s in selectors.ranking(user, choice)], query)


@router.get("/mine", response={200: list[IndexSnapshotOut], **COMMON_ERRORS}, summary="我的先锋指数")
def mine(request: HttpRequest):
    user = actor(request)
    require(user, "oversight.indices")
    person = person_for_user(user)
    return [snapshot_out(s) for s in IndexSnapshot.objects.filter(person=person, kind=IndexKind.PIONEER)
            .select_related("organization", "person", "area").order_by("-start", "period")[:36]] if person else []


@router.get("/{int:snapshot_id}", response={200: IndexDetailOut, **COMMON_ERRORS}, summary="指数及其构成")
def detail(request: HttpRequest, snapshot_id: int):
    s = visible_or_404(selectors.snapshots_visible_to(actor(request)), snapshot_id, "找不到该指数。")
    parts = [{k: p[k] for k in ("key", "label", "rule", "kind", "considered", "counted", "target", "score",
                                "weight", "points")} for p in selectors.derivation(s)]
    return {**snapshot_out(s), "parts": parts, "computed_at": s.computed_at}


@router.get("/{int:snapshot_id}/parts/{key}", response={200: page_of(IndexRecordOut), **COMMON_ERRORS},
            summary="分项计入的记录")
def part(request: HttpRequest, snapshot_id: int, key: str, query: Query[PageQuery]):
    """该分项考察的记录（每页最多 20 条），counted 表示计入（比率的分子）。"""
    s = visible_or_404(selectors.snapshots_visible_to(actor(request)), snapshot_id, "找不到该指数。")
    try:
        _part, page = selectors.part_records(s, key, query.page)
    except KeyError:
        raise NotFound("没有这个分项。") from None
    return {"count": page.paginator.count, "page": page.number, "page_size": selectors.RECORDS_PER_PAGE,
            "items": list(page.object_list)}
