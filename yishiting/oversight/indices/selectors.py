"""Reads of 堡垒指数 / 先锋指数: the snapshots a user may see, a ranking within one level, the derivation of one
index (part → measure → the records counted) and the member's own history. People are shown masked."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.apps import apps
from django.core.paginator import Page, Paginator
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from yishiting.areas.models import Area
from yishiting.common.masking import mask_name
from yishiting.common.rules import scope_for

from ..models import IndexKind, IndexSnapshot
from ..rules import INDICES_RANK, INDICES_VIEW
from .measures import COUNT, MEASURES, RATE
from .periods import label as period_label

RECORDS_PER_PAGE = 20


def snapshots_visible_to(user) -> QuerySet[IndexSnapshot]:
    scope = scope_for(user, INDICES_VIEW.name)
    own = Q(person_id=scope.own_person_id) if scope.own_person_id else None
    return (IndexSnapshot.objects.filter(scope.q(own=own))
            .select_related("organization", "person", "area", "peer_area"))


def rankable_by(user) -> QuerySet[IndexSnapshot]:
    """Snapshots a user may see in rankings: their subtree only (a member's own is not a ranking)."""
    scope = scope_for(user, INDICES_RANK.name)
    return (IndexSnapshot.objects.filter(scope.q()) if not scope.empty else IndexSnapshot.objects.none()
            ).select_related("organization", "person", "area", "peer_area")


@dataclass
class RankingChoice:
    kind: str
    period: str
    start: date | None
    peer_area: Area | None
    periods: list[tuple[str, str, date]]  # (period, label, start) with snapshots, newest first
    levels: list[Area]


def ranking_choice(user, kind: str, period: str, start: date | None, area_id: int | None) -> RankingChoice:
    """What to rank: the periods and levels (peer areas) with snapshots in the user's scope, defaulting to the
    newest period and the highest level."""
    kind = kind if kind in IndexKind.values else IndexKind.FORTRESS
    mine = rankable_by(user).filter(kind=kind)
    periods = [(p, period_label(p, s), s) for p, s in
               mine.values_list("period", "start").distinct().order_by("-start", "period")]
    if not any(p == period and s == start for p, _l, s in periods):
        period, start = (periods[0][0], periods[0][2]) if periods else (period, None)
    ids = mine.filter(period=period, start=start).values("peer_area_id")
    levels = list(Area.objects.filter(pk__in=ids).order_by("path"))
    # By default the highest level inside the user's own area (a street official: the street's communities).
    scope = scope_for(user, INDICES_RANK.name)
    inside = next((a for a in levels if scope.covers_path(a.path)), levels[0] if levels else None)
    peer = next((a for a in levels if a.pk == area_id), inside)
    return RankingChoice(kind, period, start, peer, periods, levels)


def ranking(user, choice: RankingChoice) -> QuerySet[IndexSnapshot]:
    if choice.peer_area is None:
        return IndexSnapshot.objects.none()
    order = ["organization__kind", "rank", "pk"] if choice.kind == IndexKind.FORTRESS else ["rank", "pk"]
    return rankable_by(user).filter(kind=choice.kind, period=choice.period, start=choice.start,
                                    peer_area=choice.peer_area).order_by(*order)


def subject_label(snapshot: IndexSnapshot) -> str:
    if snapshot.person_id:
        return _("%(name)s（%(organization)s）") % {"name": mask_name(snapshot.person.name),
                                                 "organization": snapshot.organization.name}
    return snapshot.organization.name


def history(snapshot: IndexSnapshot) -> QuerySet[IndexSnapshot]:
    """The same subject's snapshots of the same index and period kind, newest first."""
    same = Q(person_id=snapshot.person_id) if snapshot.person_id else Q(organization_id=snapshot.organization_id,
                                                                        person__isnull=True)
    return IndexSnapshot.objects.filter(same, kind=snapshot.kind, period=snapshot.period).order_by("-start")


def derivation(snapshot: IndexSnapshot) -> list[dict[str, Any]]:
    """Each part in words: measure, rule, the figure, its score, weight and points."""
    rows = []
    for part in snapshot.parts:
        measure = MEASURES.get(part["key"])
        if measure is None:
            continue
        if measure.kind == COUNT:
            scoring = _("%(n)s 件 ÷ 满分数量 %(target)s，最高 100 分") % {"n": part["considered"], "target": part["target"]}
        elif measure.kind == RATE:
            scoring = _("%(hits)s ÷ %(n)s × 100，无记录计 0 分") % {"hits": part["counted"], "n": part["considered"]}
        else:
            scoring = _("%(n)s 条评价，基本满意按 %(w)s 计，无评价计 0 分") % {"n": part["considered"], "w": part["basic_weight"]}
        rows.append({**part, "label": str(measure.label), "rule": str(measure.rule), "scoring": scoring})
    return rows


def part_records(snapshot: IndexSnapshot, key: str, page: str | int | None) -> tuple[dict, Page]:
    """One part's records, paginated, each marked counted (in the numerator) or only considered."""
    part = snapshot.part(key)
    if part is None or key not in MEASURES:
        raise KeyError(key)
    paged = Paginator(part["ids"], RECORDS_PER_PAGE).get_page(page)
    hits = set(part["hits"])
    found = {o.pk: o for o in _records(part["model"], list(paged.object_list))}
    paged.object_list = [{"id": pk, "counted": pk in hits, **_describe(part["model"], found.get(pk))}
                         for pk in paged.object_list]
    return {**part, "label": str(MEASURES[key].label), "rule": str(MEASURES[key].rule)}, paged


def _records(model: str, ids: list[int]) -> QuerySet:
    related = {"demands.demand": ["category", "area"], "handling.task": ["area"],
               "deliberation.meeting": ["chair", "level_area"], "handling.rating": ["person"],
               "participation.serviceorder": ["community"]}[model]
    return apps.get_model(model).objects.filter(pk__in=ids).select_related(*related)


def _describe(model: str, obj) -> dict[str, Any]:
    """A record in one line, no personal data beyond a masked name (the record may have gone: say so)."""
    if obj is None:
        return {"title": _("（记录已删除）"), "detail": "", "when": None}
    if model == "demands.demand":
        return {"title": obj.number, "detail": f"{obj.category.name} · {obj.area.name} · {obj.get_status_display()}",
                "when": obj.created_at}
    if model == "handling.task":
        return {"title": obj.title, "detail": _("期限 %(deadline)s") % {"deadline": obj.deadline.isoformat()},
                "when": obj.closed_at}
    if model == "deliberation.meeting":
        return {"title": obj.title, "detail": _("主持人 %(chair)s") % {"chair": mask_name(obj.chair.name)},
                "when": obj.starts_at}
    if model == "participation.serviceorder":
        return {"title": obj.title, "detail": _("%(community)s · %(stars)s 星") % {
            "community": obj.community.name, "stars": obj.rating}, "when": obj.rated_at}
    return {"title": obj.get_value_display(), "detail": _("评价人 %(name)s") % {"name": mask_name(obj.person.name)},
            "when": obj.created_at}
