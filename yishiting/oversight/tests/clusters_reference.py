"""The clusters as first computed, step by step and nothing kept between runs (the code `clusters_in` had before
it was made fast): the reference the fast computation must equal exactly, on random data (test_cluster_speed)."""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Case, Count, QuerySet, Value, When
from django.db.models.functions import Length

from yishiting.demands import suggest
from yishiting.demands.models import Demand, DemandKey
from yishiting.oversight.clusters import MAX_CANDIDATE_GROUPS, MAX_GROUP, SEED_SAMPLE, index_rows


def _candidate_groups(rows: QuerySet[DemandKey], n: int) -> list[tuple[str, int]]:
    kind = Case(When(key__startswith="c:", then=Value(0)), When(key__startswith="m", then=Value(2)), default=Value(1))
    groups = (rows.order_by().values("key", "demand__category_id")
              .annotate(spread=Count("community_id", distinct=True), size=Count("demand_id", distinct=True),
                        kind=kind, key_length=Length("key"))
              .filter(spread__gte=n).order_by("-spread", "-size", "kind", "-key_length", "key")[:MAX_CANDIDATE_GROUPS])
    return [(g["key"], g["demand__category_id"]) for g in groups]


def _members(rows: QuerySet[DemandKey], groups: list[tuple[str, int]]) -> dict[tuple[str, int], list[int]]:
    wanted = set(groups)
    found: dict[tuple[str, int], list[int]] = defaultdict(list)
    for key, category_id, demand_id in (rows.filter(key__in={k for k, _ in groups}).order_by("-created_at", "-demand_id")
                                        .values_list("key", "demand__category_id", "demand_id")):
        members = found[(key, category_id)]
        if (key, category_id) in wanted and len(members) < MAX_GROUP and demand_id not in members[-1:]:
            members.append(demand_id)
    return found


def _central(members: list[Demand]) -> Demand:
    sample = members[:SEED_SAMPLE]
    return max(sample, key=lambda d: (sum(suggest.similarity(d.text, o.text) for o in members if o is not d), -d.pk))


def _refine(members: list[Demand], threshold: float) -> list[Demand]:
    if not members:
        return []
    seed = _central(members)
    return [seed, *(d for d in members if d is not seed and suggest.similarity(seed.text, d.text) >= threshold)]


def reference_clusters(area, period, *, n: int, threshold: float, category_id: int | None = None) -> list[tuple]:
    """(key, category id, seed id, member ids in order, {community id: count}) of each cluster, widest first."""
    rows = index_rows(area, period, category_id)
    groups = _candidate_groups(rows, n)
    if not groups:
        return []
    member_ids = _members(rows, groups)
    every_id = {pk for ids in member_ids.values() for pk in ids}
    demands = Demand.objects.filter(pk__in=every_id).in_bulk()
    community_of = dict(rows.filter(demand_id__in=every_id).order_by().values_list("demand_id", "community_id")
                        .distinct())
    taken: set[int] = set()
    found = []
    for key, category_id_ in groups:
        free = [demands[pk] for pk in member_ids.get((key, category_id_), []) if pk not in taken and pk in demands]
        kept = _refine(free, threshold)
        if len({community_of.get(d.pk) for d in kept}) < n:
            continue
        taken.update(d.pk for d in kept)
        kept.sort(key=lambda d: (d.created_at, d.pk))
        spread: dict[int, int] = defaultdict(int)
        for d in kept:
            spread[community_of.get(d.pk)] += 1
        found.append((key, category_id_, _central(kept).pk, [d.pk for d in kept], dict(spread)))
    return found
