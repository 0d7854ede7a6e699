"""Intake helpers: numbering, the level suggestion, category suggestion and the similar-demand index."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import F, QuerySet
from django.utils import timezone

from yishiting.areas.models import PATH_STEP, Area, AreaLevel
from yishiting.areas.selectors import community_depth

from . import suggest
from .models import Category, Demand, DemandCounter, DemandKey

ESTATE_LEVEL_CODE = "estate"
CANDIDATES_PER_KEY = 50
RERANK = 50


def next_number(district: Area) -> str:
    """2026-000123: sequential per district and year; the counter row is locked, so no gaps under load.

    The increment is one UPDATE (which takes the row lock until commit) and one read: two queries, where
    get_or_create + SELECT … FOR UPDATE + save took three. The row is created once a year."""
    year = timezone.localdate().year
    counter = DemandCounter.objects.filter(district=district, year=year)
    if not counter.update(last=F("last") + 1):
        DemandCounter.objects.get_or_create(district=district, year=year)
        counter.update(last=F("last") + 1)
    return f"{year}-{counter.values_list('last', flat=True).get():06d}"


def _ancestor(area: Area, depth: int) -> Area:
    if area.depth <= depth:
        return area
    return Area.objects.select_related("level").get(path=area.path[: depth * PATH_STEP])


def district_of(area: Area) -> Area:
    return _ancestor(area, 1)


def community_area(area: Area) -> Area:
    """Where screening starts: the community containing the area (or the area itself if higher)."""
    return _ancestor(area, community_depth())


def suggested_level(area: Area) -> Area:
    """小事不出网格、大事不出社区: the grid/estate containing the place, or the place itself if higher."""
    level = AreaLevel.objects.filter(code=ESTATE_LEVEL_CODE).only("depth").first()
    return _ancestor(area, level.depth if level else community_depth() + 1)


@dataclass(frozen=True)
class Placement:
    district: Area
    community: Area  # where screening starts (community_area)
    level: Area  # the suggested handling level (suggested_level)


def placement(area: Area) -> Placement:
    """district_of, community_area and suggested_level of a place from one query over its ancestors
    (submitting asked for them one by one: five queries)."""
    chain = {a.depth: a for a in Area.objects.filter(path__in=area.ancestor_paths()).select_related("level")}
    estate = next((a for a in chain.values() if a.level.code == ESTATE_LEVEL_CODE), None)
    return Placement(district=chain[1], community=chain[min(community_depth(), area.depth)],
                     level=estate or chain[min(community_depth() + 1, area.depth)])


def suggest_category(text: str) -> tuple[Category | None, Decimal | None, list[tuple[Category, Decimal]]]:
    """The catalogue entry the engine thinks most likely, its confidence, and the ranked list."""
    by_name = {c.name: c for c in Category.objects.filter(is_active=True)}
    ranked = [(by_name[name], Decimal(str(round(conf, 3)))) for name, conf in suggest.suggest_category(text)
              if name in by_name]
    if not ranked:
        return None, None, []
    return ranked[0][0], ranked[0][1], ranked


def index_demand(demand: Demand, community: Area | None = None) -> None:
    community = community or community_area(demand.area)
    DemandKey.objects.bulk_create([
        DemandKey(key=key[:64], community=community, demand=demand, created_at=demand.created_at,
                  version=suggest.SIGNATURE_VERSION)
        for key in dict.fromkeys(suggest.signature(demand.text))
    ])


def _candidate_ids(keys: list[str], community: Area | None) -> list[int]:
    ids: list[int] = []
    for key in keys:
        rows = DemandKey.objects.filter(key=key)
        rows = rows.filter(community=community) if community is not None else rows
        ids += rows.order_by("-created_at").values_list("demand_id", flat=True)[:CANDIDATES_PER_KEY]
    counted: dict[int, int] = {}
    for pk in ids:
        counted[pk] = counted.get(pk, 0) + 1
    return [pk for pk, _ in sorted(counted.items(), key=lambda item: -item[1])[:RERANK]]


def similar_demands(text: str, area: Area, *, visible: QuerySet[Demand], limit: int = 5,
                    exclude_id: int | None = None) -> list[tuple[Demand, float, bool]]:
    """Most similar stored demands the viewer may see: same community first, then elsewhere.

    Returns (demand, similarity, same_area). Bounded work whatever the table size: at most
    CANDIDATES_PER_KEY rows per signature key, RERANK candidates re-ranked.
    """
    keys = list(dict.fromkeys(suggest.signature(text)))
    if not keys:
        return []
    community = community_area(area)
    results: list[tuple[Demand, float, bool]] = []
    seen: set[int] = {exclude_id} if exclude_id else set()
    for local in (True, False):
        ids = [pk for pk in _candidate_ids(keys, community if local else None) if pk not in seen]
        for demand in visible.filter(pk__in=ids).select_related("area", "category"):
            seen.add(demand.pk)
            score = suggest.similarity(text, demand.text)
            if score >= 0.3:
                results.append((demand, score, local and demand.path.startswith(community.path)))
        if len(results) >= limit:
            break
    results.sort(key=lambda item: (not item[2], -item[1]))
    return results[:limit]

