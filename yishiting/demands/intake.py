"""Intake helpers: numbering, the level suggestion, category suggestion and the similar-demand index."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from decimal import Decimal

from django.db import connection
from django.db.models import QuerySet
from django.utils import timezone

from yishiting.areas.models import Area, AreaLevel
from yishiting.areas.selectors import community_depth
from yishiting.common.localcache import LocalCache

from . import suggest
from .models import Category, Demand, DemandCounter, DemandKey

ESTATE_LEVEL_CODE = "estate"
CANDIDATES_PER_KEY = 50
RERANK = 50


def next_number(district: Area) -> str:
    return _next_number(district, reserve_id=False)[0]


def next_number_and_id(district: Area) -> tuple[str, int | None]:
    """`next_number` and, on PostgreSQL, the id the new demand will have (from its sequence, in the same
    statement), so its other rows can be written with it in one more (common.inserts). None elsewhere."""
    return _next_number(district, reserve_id=connection.vendor == "postgresql")


def _next_number(district: Area, *, reserve_id: bool) -> tuple[str, int | None]:
    """2026-000123: sequential per district and year; the counter row stays locked until commit, so no gaps
    and no duplicates under load.

    One statement, UPDATE … RETURNING (PostgreSQL, and SQLite ≥ 3.35): the row lock is the one point every
    submission of a district passes through, so it is taken late and held briefly. The row is created once a
    year."""
    year = timezone.localdate().year
    sql = counter_update(f"last, {RESERVE_DEMAND_ID}" if reserve_id else "last")
    params = {"district": district.pk, "year": year}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
        if row is None:
            DemandCounter.objects.get_or_create(district=district, year=year)
            cursor.execute(sql, params)
            row = cursor.fetchone()
    return f"{year}-{row[0]:06d}", (row[1] if reserve_id else None)


# PostgreSQL: the id the next demand will have, taken from its sequence inside the counter's statement.
RESERVE_DEMAND_ID = f"nextval(pg_get_serial_sequence('{Demand._meta.db_table}', '{Demand._meta.pk.column}'))"


def counter_update(returning: str) -> str:
    """The district's counter for the year moved on by one (params `district`, `year`), RETURNING `returning`
    (over the counter row; `last` is the new value). Also the first CTE of demands.submit_sql."""
    q = connection.ops.quote_name
    return (f"UPDATE {q(DemandCounter._meta.db_table)} SET {q('last')} = {q('last')} + 1 "
            f"WHERE {q('district_id')} = %(district)s AND {q('year')} = %(year)s RETURNING {returning}")


@dataclass(frozen=True)
class Placement:
    """Where a place sits in the tree, for intake."""

    district: Area
    community: Area  # where screening starts: the community containing the place (or the place, if higher)
    level: Area  # 小事不出网格、大事不出社区: the suggested handling level, the grid/estate containing the place


def _load_placement(path: str) -> Placement:
    chain = {a.depth: a for a in Area.objects.filter(path__in=Area(path=path).ancestor_paths())
             .select_related("level")}
    depth = max(chain)
    estate = next((a for a in chain.values() if a.level.code == ESTATE_LEVEL_CODE), None)
    return Placement(district=chain[1], community=chain[min(community_depth(), depth)],
                     level=estate or chain[min(community_depth() + 1, depth)])


# Every submission asks where its place sits; the tree changes seldom (see common.localcache).
_placements = LocalCache("placements", _load_placement, watch=(Area, AreaLevel))


def placement(area: Area) -> Placement:
    """The district, community and suggested level of a place: one query over its ancestors, kept per
    process by path (every submission and every similar-demand search asks)."""
    return _placements.get(area.path)


def _load_active_categories(_key) -> list[Category]:
    return list(Category.objects.filter(is_active=True).order_by("sort_order", "pk"))


# Read by every submission and every suggestion; edited a few times a year (see common.localcache).
_active_categories = LocalCache("categories", _load_active_categories, watch=(Category,))


def active_categories() -> list[Category]:
    """The active catalogue in its display order (per-process cache; an edit shows within a minute)."""
    return _active_categories.get()


def suggest_category(text: str) -> tuple[Category | None, Decimal | None, list[tuple[Category, Decimal]]]:
    """The catalogue entry the engine thinks most likely, its confidence, and the ranked list."""
    by_name = {c.name: c for c in active_categories()}
    ranked = [(by_name[name], Decimal(str(round(conf, 3)))) for name, conf in suggest.suggest_category(text)
              if name in by_name]
    if not ranked:
        return None, None, []
    return ranked[0][0], ranked[0][1], ranked


def index_demand(demand: Demand, community: Area | None = None) -> None:
    DemandKey.objects.bulk_create(index_rows(demand, community))


def index_rows(demand: Demand, community: Area | None = None) -> list[DemandKey]:
    """The similar-demand index rows of a demand (unsaved; `index_demand` stores them)."""
    community = community or placement(demand.area).community
    return [DemandKey(key=key, community=community, demand=demand, created_at=demand.created_at,
                      version=suggest.SIGNATURE_VERSION)
            for key in index_keys(demand.text)]


def keys_rebuild(*, batch: int = 1000) -> int:
    """Rebuild the similar-demand index rows of every demand indexed under an older ``SIGNATURE_VERSION`` (the
    concept lists or the key recipe changed), keeping each row's community. A batch per transaction, so a
    restart goes on where it stopped; returns how many demands were re-indexed."""
    from django.db import transaction

    done = 0
    while True:
        with transaction.atomic():
            stale = dict(DemandKey.objects.exclude(version=suggest.SIGNATURE_VERSION)
                         .order_by("demand_id").values_list("demand_id", "community_id").distinct()[:batch])
            if not stale:
                return done
            DemandKey.objects.filter(demand_id__in=stale).delete()
            demands = Demand.objects.filter(pk__in=stale).only("pk", "text", "created_at")
            DemandKey.objects.bulk_create([
                DemandKey(key=key, community_id=stale[d.pk], demand=d, created_at=d.created_at,
                          version=suggest.SIGNATURE_VERSION)
                for d in demands for key in index_keys(d.text)])
        done += len(stale)


def index_keys(text: str) -> list[str]:
    """The keys a text is indexed under, each once, in order."""
    return list(dict.fromkeys(key[:64] for key in suggest.signature(text)))


def _candidate_ids(keys: list[str], community: Area | None) -> list[int]:
    """The RERANK demands sharing the most keys with the text, from the newest CANDIDATES_PER_KEY index rows
    of each key (in `community`, or anywhere): one statement, a UNION ALL of one index range scan per key.
    The index holds demand_id, so PostgreSQL answers from the index alone."""
    q = connection.ops.quote_name
    table, key, community_id, created_at, demand_id = (q(DemandKey._meta.db_table), q("key"), q("community_id"),
                                                       q("created_at"), q("demand_id"))
    where = f"{key} = %s AND {community_id} = %s" if community is not None else f"{key} = %s"
    parts, params = [], []
    for number, value in enumerate(keys):
        parts.append(f"SELECT {demand_id} FROM (SELECT {demand_id} FROM {table} WHERE {where} "
                     f"ORDER BY {created_at} DESC LIMIT {CANDIDATES_PER_KEY}) AS k{number}")
        params += [value, community.pk] if community is not None else [value]
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts), params)
        counted = Counter(row[0] for row in cursor.fetchall())
    return [pk for pk, _ in counted.most_common(RERANK)]


def similar_demands(text: str, area: Area, *, visible: QuerySet[Demand], limit: int = 5,
                    exclude_id: int | None = None) -> list[tuple[Demand, float, bool]]:
    """Most similar stored demands the viewer may see: same community first, then elsewhere.

    Returns (demand, similarity, same_area). Bounded work whatever the table size: at most
    CANDIDATES_PER_KEY rows per signature key, RERANK candidates re-ranked.
    """
    keys = [key[:64] for key in dict.fromkeys(suggest.signature(text))]
    if not keys:
        return []
    community = placement(area).community
    scored: list[tuple[int, float, bool]] = []
    seen: set[int] = {exclude_id} if exclude_id else set()
    for local in (True, False):
        ids = [pk for pk in _candidate_ids(keys, community if local else None) if pk not in seen]
        # Re-rank on (id, text, path) only, unordered (the score orders them); whole rows are read for the
        # `limit` kept.
        for pk, other, path in visible.filter(pk__in=ids).order_by().values_list("pk", "text", "path"):
            seen.add(pk)
            score = suggest.similarity(text, other)
            if score >= suggest.DUPLICATE_THRESHOLD:
                scored.append((pk, score, local and path.startswith(community.path)))
        if len(scored) >= limit:
            break
    scored.sort(key=lambda item: (not item[2], -item[1]))
    kept = scored[:limit]
    # The kept ids came out of `visible` just above: read their rows by id, without compiling and running the
    # viewer's scope a second time (about a millisecond of CPU per suggestion) — with the relations
    # `visible` would have brought, which the pages show (area, reporter for masking…).
    rows = (Demand.objects.select_related("category", "area", "screening_area", "level_area", "reporter")
            .in_bulk([pk for pk, _, _ in kept]))
    return [(rows[pk], score, same) for pk, score, same in kept if pk in rows]
