"""Reads of the hot-spot part: which plans a person may open, the plan for a place, and the demands drawn on a
plan as points and as a density grid (for the SVG in oversight.svg)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Q, QuerySet
from django.utils import timezone

from yishiting.areas.models import Area
from yishiting.common.rules import scope_for
from yishiting.demands.selectors import demands_visible_to

from ..geometry import PlanTransform, ref_points, transform_for
from ..models import AreaPlan
from ..rules import OVERSIGHT_HOTSPOTS

MAX_POINTS = 5000  # the most recent this many are drawn; the page says so when there are more
GRID = 24  # density cells along the plan's long side


@dataclass(frozen=True)
class PlanPoint:
    demand_id: int
    number: str
    category: str
    x: float
    y: float


@dataclass
class PlanLayer:
    plan: AreaPlan
    points: list[PlanPoint]
    cells: list[tuple[int, int, int]]  # (column, row, count), non-empty cells only
    cell_size: float
    capped: bool


def plan_transform(plan: AreaPlan) -> PlanTransform:
    return transform_for(ref_points(plan.reference_points))


def plans_for_hotspots(user) -> QuerySet[AreaPlan]:
    """Plans in the viewer's subtree or above part of it (a grid worker opens the community's plan)."""
    scope = scope_for(user, OVERSIGHT_HOTSPOTS.name)
    if scope.everything:
        return AreaPlan.objects.select_related("area")
    above = {p[:i] for p in scope.paths for i in range(1, len(p) + 1)}
    return AreaPlan.objects.filter(scope.q("path") | Q(path__in=above)).select_related("area")


def plan_for_area(area: Area) -> AreaPlan | None:
    """The plan of the area or of its nearest ancestor that has one (a building's demand uses the estate's plan)."""
    return AreaPlan.objects.filter(path__in=area.ancestor_paths()).order_by("-path").first()


def plans_for_places(areas: QuerySet[Area]) -> dict[int, AreaPlan]:
    """For each place a form offers, the plan a tap there is read on (two queries, whatever the number)."""
    places = list(areas.values_list("pk", "path"))
    wanted = {path[:i] for _, path in places for i in range(1, len(path) + 1)}
    plans = {p.path: p for p in AreaPlan.objects.filter(path__in=wanted)}
    found: dict[int, AreaPlan] = {}
    for pk, path in places:
        own = [plans[p] for p in plans if path.startswith(p)]
        if own:
            found[pk] = max(own, key=lambda plan: len(plan.path))
    return found


def _bounds(plan: AreaPlan, transform: PlanTransform) -> Q:
    corners = [transform.to_latlng(x, y) for x in (0, plan.width) for y in (0, plan.height)]
    lats, lngs = [c[0] for c in corners], [c[1] for c in corners]
    return Q(latitude__gte=min(lats), latitude__lte=max(lats), longitude__gte=min(lngs), longitude__lte=max(lngs))


def _period(start: date | None, end: date | None) -> Q:
    """Days outside 1900–2200 are ignored (year 1 would overflow when moved to UTC)."""
    start, end = (d if d and 1900 <= d.year <= 2200 else None for d in (start, end))
    query = Q()
    if start:
        query &= Q(created_at__gte=timezone.make_aware(datetime.combine(start, time.min)))
    if end:
        query &= Q(created_at__lt=timezone.make_aware(datetime.combine(end + timedelta(days=1), time.min)))
    return query


def plan_layer(user, plan: AreaPlan, *, category_id: int | None = None, start: date | None = None,
               end: date | None = None) -> PlanLayer:
    """The demands the viewer may open that fall on the plan: one query (the scope is the demand view's own)."""
    transform = plan_transform(plan)
    demands = (demands_visible_to(user).filter(path__startswith=plan.path).filter(_bounds(plan, transform))
               .filter(_period(start, end)))
    if category_id:
        demands = demands.filter(category_id=category_id)
    rows = list(demands.order_by("-created_at").values_list("pk", "number", "category__name", "latitude",
                                                            "longitude")[:MAX_POINTS + 1])
    points = []
    for pk, number, category, lat, lng in rows[:MAX_POINTS]:
        x, y = transform.to_pixel(float(lat), float(lng))
        if 0 <= x < plan.width and 0 <= y < plan.height:
            points.append(PlanPoint(pk, number, category, round(x, 1), round(y, 1)))
    size = max(plan.width, plan.height) / GRID
    counts: dict[tuple[int, int], int] = {}
    for p in points:
        key = (int(p.x // size), int(p.y // size))
        counts[key] = counts.get(key, 0) + 1
    return PlanLayer(plan, points, [(c, r, n) for (c, r), n in sorted(counts.items())], size,
                     len(rows) > MAX_POINTS)
