"""举一反三 reads: clusters of one problem across communities, the open 类案 a new demand may belong to, and
recurrences (复发) of an archived matter at the same place.

Clusters are read from the similar-demand index (``demands.DemandKey``, see ``demands.suggest``), never by
comparing every pair of demands:

1. one aggregate over the index rows of the area and period — counted per (key, category, community), then per
   (key, category) — keeping the groups found in at least N communities. Only the concept keys (``c:``
   object×problem, ``o:``, ``i:``) and the two min-hashes (``m1:``/``m2:``) take part: they are what two
   reports of one matter share, while the rare-syllable keys (``s:``) mostly say *where* (a name), which is
   what a cluster spans;
2. the newest ``MAX_GROUP`` members of those groups, picked in the database (ROW_NUMBER per group), are re-ranked
   with the app's ``similarity`` against the group's most central demand (the one most alike the others among
   the first ``SEED_SAMPLE``), keeping those at or above the threshold — the same threshold as the "已有相似诉求"
   list unless the template sets another. Similarities are remembered per pair of texts within a run, and a
   group whose members are exactly those of the area's last run takes that run's result from its memo
   (``ClusterRun.memo``): a refresh re-ranks only the groups new demands reached;
3. groups are taken largest spread first and a demand joins one cluster only, so one matter is one cluster
   even when its demands share several keys; a group left under N communities is dropped.

Cost: with K index rows in the area and period (about 7 per demand), steps 1–2 are two statements over K rows
in the database — no pairwise work, at most 200 × 500 rows sent; step 2's re-rank computes at most
O(G · (SEED_SAMPLE + 1) · m) similarities for G candidate groups of m ≤ ``MAX_GROUP`` members — bounded by the
candidates, not the demands, and only for the groups that changed. At 1 M demands (bench/clusters_scale.py) a
district's recompute went from 43 s to the figures in docs/oversight.md. ``tests/clusters_reference.py`` is the
plain computation the result must equal exactly (test_cluster_speed).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import reduce
from operator import or_

from django.db import connection
from django.db.models import Count, F, Q, QuerySet, Subquery, Window
from django.db.models.functions import RowNumber
from django.utils import timezone
from django.utils.translation import gettext

from yishiting.areas.models import PATH_STEP, Area
from yishiting.areas.selectors import community_depth
from yishiting.common.errors import DomainError
from yishiting.demands import suggest
from yishiting.demands.choices import Status as DemandStatus
from yishiting.demands.intake import placement
from yishiting.demands.models import Category, Demand, DemandKey

from .cluster_raised import add_raised  # noqa: F401 — callers import it from here
from .models import ClusterSettings, ClusterTopic

CLUSTER_KEY_PREFIXES = ("c:", "o:", "i:", "m1:", "m2:")
MAX_GROUP = 500  # members re-ranked per candidate group (the newest); a bigger group is cut, not slower
SEED_SAMPLE = 20
MAX_SUGGESTED = 50
MAX_CANDIDATE_GROUPS = 200
LABEL_CHARS = 30
WEEKLY_UP_TO_DAYS = 92  # a period up to a quarter shows its trend by week, a longer one by month


@dataclass(frozen=True)
class Settings:
    min_communities: int = 3
    threshold: float = suggest.DUPLICATE_THRESHOLD
    recurrence_months: int = 6


def cluster_settings() -> Settings:
    """The settings of the district's default process template (admin: 举一反三设置), else the defaults."""
    from yishiting.deliberation.models import ProcessTemplate

    # one query: the default template (as deliberation.services.topics.default_template picks it) in a subquery
    template = ProcessTemplate.objects.filter(is_active=True).order_by("-is_default", "code").values("pk")[:1]
    row = ClusterSettings.objects.filter(template_id=Subquery(template)).first()
    if row is None:
        return Settings()
    threshold = float(row.similarity_threshold) if row.similarity_threshold is not None else suggest.DUPLICATE_THRESHOLD
    return Settings(row.min_communities, threshold, row.recurrence_months)


def cluster_id(category_id: int, key: str) -> str:
    """A URL-safe id: the category and the index key (base64url, unpadded)."""
    return f"{category_id}-{base64.urlsafe_b64encode(key.encode()).decode().rstrip('=')}"


def parse_cluster_id(value: str) -> tuple[int, str] | None:
    head, _, tail = (value or "").partition("-")
    if not head.isdigit() or not tail:
        return None
    try:
        return int(head), base64.urlsafe_b64decode(tail + "=" * (-len(tail) % 4)).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None


@dataclass
class Spread:
    area: Area
    count: int


@dataclass
class Cluster:
    key: str
    category: Category
    seed: Demand
    members: list[Demand]
    communities: list[Spread] = field(default_factory=list)
    streets: list[Spread] = field(default_factory=list)
    raised: ClusterTopic | None = None

    @property
    def category_id(self) -> int:
        return self.category.pk

    @property
    def id(self) -> str:
        return cluster_id(self.category.pk, self.key)

    @property
    def ident(self) -> str:
        return self.id

    @property
    def count(self) -> int:
        return len(self.members)

    @property
    def label(self) -> str:
        """What the cluster is about, in a resident's words: the most central demand's text, cut short. (The key's
        concept names — 电梯/故障 — are the matcher's lexicon, not words of the page or of the data.)"""
        text = " ".join(self.seed.text.split())
        return text if len(text) <= LABEL_CHARS else text[: LABEL_CHARS - 1] + "…"


@dataclass
class Period:
    start: date
    end: date  # inclusive

    def bounds(self) -> tuple[datetime, datetime]:
        tz = timezone.get_current_timezone()
        return (datetime.combine(self.start, time.min, tzinfo=tz),
                datetime.combine(self.end + timedelta(days=1), time.min, tzinfo=tz))


def default_period(today: date | None = None) -> Period:
    """The last 90 days to today."""
    today = today or timezone.localdate()
    return Period(today - timedelta(days=89), today)


MAX_PERIOD_DAYS = 366


def period_of(start: date | None, end: date | None) -> Period:
    """The period asked for (a missing end: 90 days after the start or today; a missing start: 90 days before the
    end), at most a year and not after today; else a DomainError naming the field."""
    end = end or (start + timedelta(days=89) if start else timezone.localdate())
    start = start or end - timedelta(days=89)
    if start > end:
        raise DomainError("invalid_period", gettext("结束日期不能早于开始日期。"), details={"field": "end"})
    if (end - start).days >= MAX_PERIOD_DAYS:
        raise DomainError("invalid_period", gettext("统计期不能超过一年。"), details={"field": "start"})
    if end > timezone.localdate() + timedelta(days=1):
        raise DomainError("invalid_period", gettext("结束日期不能晚于今天。"), details={"field": "end"})
    return Period(start, end)


def _key_q() -> Q:
    query = Q()
    for prefix in CLUSTER_KEY_PREFIXES:
        query |= Q(key__startswith=prefix)
    return query


def index_rows(area: Area, period: Period, category_id: int | None) -> QuerySet[DemandKey]:
    """The index rows clusters are read from: the cluster keys of the area's demands that came in in the period,
    rejected ones left out (of one category if asked)."""
    start, end = period.bounds()
    rows = (DemandKey.objects.filter(_key_q(), created_at__gte=start, created_at__lt=end,
                                     demand__path__startswith=area.path)
            .exclude(demand__status=DemandStatus.REJECTED))
    return rows.filter(demand__category_id=category_id) if category_id else rows


def _raw(queryset: QuerySet) -> tuple[str, tuple]:
    sql, params = queryset.query.sql_with_params()
    return sql, tuple(params)


def _candidate_groups(rows: QuerySet[DemandKey], n: int) -> list[tuple[str, int]]:
    """Step 1: (key, category) found in at least `n` communities, widest first — one statement. The rows are
    first counted per (key, category, community) — a hash aggregate, few groups — and those groups counted per
    (key, category): COUNT(DISTINCT community) over the rows themselves sorted every row of the period on disk
    (6.6 s of 8 at 1 M demands). A demand has each key once (`intake.index_keys`), so the rows of a group
    are its demands."""
    # Ties go to the key that names the problem best: an object with its problem, then the longer name (路灯/故障
    # over 灯/故障), the min-hashes last (they name nothing a reader understands).
    inner, params = _raw(rows.order_by().values("key", "demand__category_id", "community_id").annotate(n=Count("pk")))
    category = "demand__category_id"  # the inner query's name for it (Django's, after the lookup)
    sql = (f"SELECT g.key, g.{category} FROM (SELECT t.key, t.{category}, COUNT(t.community_id) AS spread, "
           f"SUM(t.n) AS size FROM ({inner}) AS t GROUP BY t.key, t.{category} "
           f"HAVING COUNT(t.community_id) >= %s) AS g "
           f"ORDER BY g.spread DESC, g.size DESC, CASE WHEN g.key LIKE 'c:%%' THEN 0 WHEN g.key LIKE 'm%%' THEN 2 "
           f"ELSE 1 END, LENGTH(g.key) DESC, g.key, g.{category} LIMIT {MAX_CANDIDATE_GROUPS}")
    with connection.cursor() as cursor:
        cursor.execute(sql, (*params, n))
        return [(key, category_id) for key, category_id in cursor.fetchall()]


@dataclass(frozen=True, eq=False)
class Member:
    """What the re-ranking needs of a demand (the whole row is read only for the members kept)."""

    pk: int
    text: str
    created_at: datetime
    community_id: int | None


def _members(rows: QuerySet[DemandKey], groups: list[tuple[str, int]]) -> dict[tuple[str, int], list[Member]]:
    """Step 2: the newest MAX_GROUP members of each candidate group with their community — one statement, the
    newest picked in the database (ROW_NUMBER per group), so only those rows are sent (every row of the
    candidate keys was: 1.4 M rows and 12 s at 1 M demands) — and their texts in one more."""
    wanted = set(groups)
    newest = Window(RowNumber(), partition_by=[F("key"), F("demand__category_id")],
                    order_by=[F("created_at").desc(), F("demand_id").desc()])
    ranked: dict[tuple[str, int], list[tuple[int, int, int | None]]] = defaultdict(list)
    for key, category_id, rank, demand_id, community_id in (
            rows.filter(key__in={key for key, _ in groups}).annotate(newest=newest).filter(newest__lte=MAX_GROUP)
            .order_by().values_list("key", "demand__category_id", "newest", "demand_id", "community_id")):
        if (key, category_id) in wanted:
            ranked[(key, category_id)].append((rank, demand_id, community_id))
    texts = {pk: (text, at) for pk, text, at in Demand.objects.filter(
        pk__in={pk for found in ranked.values() for _r, pk, _c in found}).values_list("pk", "text", "created_at")}
    people: dict[int, Member] = {}
    return {group: [people.setdefault(pk, Member(pk, *texts[pk], community))
                    for _rank, pk, community in sorted(found) if pk in texts]
            for group, found in ranked.items()}


class Similarity:
    """`suggest.similarity` remembered per pair of texts for one computation: a demand is a member of several
    candidate groups (one per key it shares), so the same pairs come up again."""

    def __init__(self) -> None:
        self.known: dict[tuple[str, str], float] = {}

    def __call__(self, a: str, b: str) -> float:
        found = self.known.get((a, b))
        if found is None:
            found = self.known[(a, b)] = suggest.similarity(a, b)
        return found


def _central(members: list, similar=suggest.similarity):
    """The member most alike the others, among the first SEED_SAMPLE (bounded work, not all pairs)."""
    sample = members[:SEED_SAMPLE]
    return max(sample, key=lambda d: (sum(similar(d.text, o.text) for o in members if o is not d), -d.pk))


def _refine(members: list, threshold: float, similar=suggest.similarity) -> list:
    if not members:
        return []
    seed = _central(members, similar)
    return [seed, *(d for d in members if d is not seed and similar(seed.text, d.text) >= threshold)]


MEMO_VERSION = 1  # bump when the re-ranking changes (similarity, SEED_SAMPLE): kept memos then no longer match


def memo_key(members: list[Member], threshold: float) -> str:
    """What a group's re-ranking depends on: its free members in order (id, community, text), the threshold and the
    similarity in use (the index's signature version and MEMO_VERSION)."""
    digest = hashlib.blake2b(f"{MEMO_VERSION}/{suggest.SIGNATURE_VERSION}/{threshold!r}".encode(), digest_size=16)
    for member in members:
        digest.update(f"{member.pk}\x1f{member.community_id}\x1f{member.text}\x1e".encode())
    return digest.hexdigest()


def _by_created(members) -> list:
    return sorted(members, key=lambda d: (d.created_at, d.pk))


def _kept(free: list[Member], threshold: float, similar: Similarity, previous: dict) -> tuple[str, list, int | None]:
    """Step 2's re-ranking of one group: (its memo key, the members kept in created order, the central one's id
    if the memo knows it). A group whose free members are exactly as at the area's last run reads the result
    from that run's memo — what makes a refresh cheap: only the groups new (or gone) demands reached are
    re-ranked. The kept set does not depend on the seed's place in the list: it is sorted by creation."""
    key = memo_key(free, threshold)
    hit = previous.get(key)
    if hit is not None:
        dropped = set(hit[1])
        return key, _by_created(m for m in free if m.pk not in dropped), hit[0]
    return key, _by_created(_refine(free, threshold, similar)), None


def clusters_in(area: Area, period: Period, *, category_id: int | None = None, min_communities: int | None = None,
                settings: Settings | None = None, memo: dict | None = None) -> list[Cluster]:
    """The clusters under `area` in `period` (see the module docstring for how, and what it costs): widest
    spread first. `min_communities` may only raise the template's N (a filter), never lower it. `memo` (a
    group's members → what was kept, from the area's last run: `ClusterRun.memo`) is read, and replaced by
    this run's."""
    settings = settings or cluster_settings()
    n = max(settings.min_communities, min_communities or 0)
    rows = index_rows(area, period, category_id)
    groups = _candidate_groups(rows, n)
    previous, fresh = dict(memo or {}), {}
    chosen: list[tuple[str, list[Member], Member]] = []
    if groups:
        member_lists, similar, taken = _members(rows, groups), Similarity(), set()
        for key, category_id_ in groups:
            free = [m for m in member_lists.get((key, category_id_), []) if m.pk not in taken]
            memo_id, kept, seed_id = _kept(free, settings.threshold, similar, previous)
            if kept and len({m.community_id for m in kept}) >= n:
                seed = next((m for m in kept if m.pk == seed_id), None) or _central(kept, similar)
                taken.update(m.pk for m in kept)
                chosen.append((key, kept, seed))
            else:
                seed = next((m for m in kept if m.pk == seed_id), None)
            if kept:
                ids = {m.pk for m in kept}
                fresh[memo_id] = [seed.pk if seed else None, [m.pk for m in free if m.pk not in ids]]
    if memo is not None:
        memo.clear()
        memo.update(fresh)
    clusters = _as_clusters(chosen)
    _add_spread(clusters, {m.pk: m.community_id for _k, kept, _s in chosen for m in kept})
    add_raised(clusters, area)
    clusters.sort(key=lambda c: (-len(c.communities), -c.count, c.id))
    return clusters


def _as_clusters(chosen: list) -> list[Cluster]:
    """The kept members as whole demand rows (one query for all clusters)."""
    demands = (Demand.objects.filter(pk__in={m.pk for _k, kept, _s in chosen for m in kept})
               .select_related("category", "area", "reporter").in_bulk())
    return [Cluster(key=key, category=demands[kept[0].pk].category, seed=demands[seed.pk],
                    members=[demands[m.pk] for m in kept])
            for key, kept, seed in chosen if all(m.pk in demands for m in kept)]


def _add_spread(clusters: list[Cluster], community_of: dict[int, int]) -> None:
    ids = {community_of.get(d.pk) for c in clusters for d in c.members} - {None}
    communities = Area.objects.filter(pk__in=ids).select_related("parent").in_bulk()
    for cluster in clusters:
        by_community = Counter(community_of.get(d.pk) for d in cluster.members)
        cluster.communities = spreads(communities, by_community.items())
        cluster.streets = streets_of(cluster.communities)


def spreads(communities: dict[int, Area], counts) -> list[Spread]:
    """(community id, count) pairs as spreads, widest first (communities no longer there are left out)."""
    return sorted((Spread(communities[pk], n) for pk, n in counts if pk in communities),
                  key=lambda s: (-s.count, s.area.path))


def streets_of(communities: list[Spread]) -> list[Spread]:
    """The communities' counts added up per street (the community's parent), widest first."""
    by_street: Counter[int] = Counter()
    streets: dict[int, Area] = {}
    for spread in communities:
        street = spread.area.parent or spread.area
        streets[street.pk] = street
        by_street[street.pk] += spread.count
    return sorted((Spread(streets[pk], n) for pk, n in by_street.items()), key=lambda s: (-s.count, s.area.path))


def cluster_find(area: Area, period: Period, ident: str, *, settings: Settings | None = None) -> Cluster | None:
    """One cluster of `clusters_in` by its id (computed the same way, so its members match the list's)."""
    parsed = parse_cluster_id(ident)
    if parsed is None:
        return None
    category_id, key = parsed
    return next((c for c in clusters_in(area, period, category_id=category_id, settings=settings) if c.key == key),
                None)


def trend(cluster: Cluster, period: Period) -> list[tuple[str, int]]:
    """The members per week (a period up to a quarter) or per month, every bucket of the period listed."""
    weekly = (period.end - period.start).days < WEEKLY_UP_TO_DAYS
    counts = Counter(_bucket(timezone.localtime(d.created_at).date(), weekly) for d in cluster.members)
    buckets, day = [], period.start
    while day <= period.end:
        label = _bucket(day, weekly)
        if not buckets or buckets[-1] != label:
            buckets.append(label)
        day += timedelta(days=1)
    return [(label, counts.get(label, 0)) for label in buckets]


def _bucket(day: date, weekly: bool) -> str:
    if weekly:
        monday = day - timedelta(days=day.weekday())
        return monday.isoformat()
    return f"{day.year}-{day.month:02d}"


# ---- screening: the open 类案 a demand may belong to, and recurrences ----

def open_cluster_topics_for(demand: Demand, *, category_id: int | None = None,
                            settings: Settings | None = None) -> list[ClusterTopic]:
    """Open 类案 whose topic still takes demands, covering the demand's place, of its category — `category_id`,
    the one the screener has chosen on the form, else the stored one — and at least as alike their
    representative text as the threshold: what screening suggests. Bounded: a place has few open 类案 above it
    (the newest MAX_SUGGESTED are compared)."""
    from yishiting.deliberation.transitions import MERGEABLE

    if not demand.is_open:
        return []
    settings = settings or cluster_settings()
    candidates = (ClusterTopic.objects.filter(is_open=True, category_id=category_id or demand.category_id,
                                              path__in=Area(path=demand.path).ancestor_paths(),
                                              topic__status__in=MERGEABLE)
                  .select_related("topic", "level_area").order_by("-raised_at")[:MAX_SUGGESTED])
    return [c for c in candidates if suggest.similarity(c.seed_text, demand.text) >= settings.threshold]


@dataclass
class Recurrence:
    demand: Demand  # the new one
    earlier: Demand  # the demand of the archived matter
    dossier_id: int
    archived_at: datetime


def _place_area(demand: Demand) -> Area:
    """The same place: the estate or grid (小区/网格) containing the demand, else its own area."""
    return placement(demand.area).level


def _archived_q(since: datetime, before: datetime) -> Q:
    """Demands whose topic, task or case was archived in [since, before) (one place's: the joins are fine)."""
    return (Q(topic__dossier__archived_at__gte=since, topic__dossier__archived_at__lt=before)
            | Q(task__dossier__archived_at__gte=since, task__dossier__archived_at__lt=before)
            | Q(mediation__dossier__archived_at__gte=since, mediation__dossier__archived_at__lt=before))


def _archived_in_area_q(since: datetime, before: datetime) -> Q:
    """The same for a whole area: the dossiers archived then are read first (one query), then the demands by
    their foreign-key indexes — an OR over three joins (or three subqueries) scanned every demand of the area."""
    from yishiting.handling.models import Dossier

    ids: dict[str, set[int]] = {"topic_id": set(), "task_id": set(), "mediation_id": set()}
    for row in Dossier.objects.filter(archived_at__gte=since, archived_at__lt=before).values(*ids):
        for column, found in ids.items():
            if row[column] is not None:
                found.add(row[column])
    q = Q(pk__in=[])
    for column, found in ids.items():
        if found:
            q |= Q(**{f"{column}__in": sorted(found)})
    return q


MAX_PLACES = 200  # past this many places with an archived matter, the later demands are narrowed by category only
MAX_CANDIDATES = 50  # the newest earlier matters at the place compared with a demand (one text comparison each)


def _dossiers(earlier: Demand) -> list:
    subjects = (earlier.topic, earlier.task, earlier.mediation)
    found = (getattr(s, "dossier", None) for s in subjects if s is not None)
    return [d for d in found if d is not None and d.archived_at is not None]


def _window(settings: Settings) -> timedelta:
    return timedelta(days=round(settings.recurrence_months * 30.44))


def _repeats(demand: Demand, earlier: Demand, settings: Settings) -> Recurrence | None:
    """`demand` repeats `earlier` when it came later, reads alike, and `earlier`'s matter was archived within
    the window before it came in."""
    dossiers = _dossiers(earlier)
    if not dossiers or earlier.pk == demand.pk or earlier.created_at >= demand.created_at:
        return None
    if not demand.created_at - _window(settings) <= dossiers[0].archived_at < demand.created_at:
        return None
    if suggest.similarity(earlier.text, demand.text) < settings.threshold:
        return None
    return Recurrence(demand, earlier, dossiers[0].pk, dossiers[0].archived_at)


def first_repeat(demand: Demand, candidates, settings: Settings, *, category_id: int | None = None
                 ) -> Recurrence | None:
    """THE 复发 rule, the only one (the screening banner, the catch-up that stores it, the backfill, the overview
    and its list all come here): among `candidates` (any superset of them), the earlier demands at the demand's
    place (its estate or grid, else its own area, and anything under it) of its category (or `category_id`: the
    screening form's choice), come in before it and with a matter archived within the template's M months
    before it came in, the MAX_CANDIDATES newest (by time, then id) are compared in that order, and the first
    that reads alike (`_repeats`) is the one it repeats."""
    place, category = _place_area(demand).path, category_id or demand.category_id
    since, before = demand.created_at - _window(settings), demand.created_at
    eligible = sorted((e for e in candidates if e.pk != demand.pk and e.category_id == category
                       and e.path.startswith(place) and e.created_at < before
                       and any(since <= d.archived_at < before for d in _dossiers(e))),
                      key=lambda e: (e.created_at, e.pk), reverse=True)
    return next((hit for e in eligible[:MAX_CANDIDATES] if (hit := _repeats(demand, e, settings))), None)


ARCHIVED_RELATED = ("area", "topic__dossier", "task__dossier", "mediation__dossier")


def recurrence_of(demand: Demand, *, category_id: int | None = None,
                  settings: Settings | None = None) -> Recurrence | None:
    """The archived matter this demand repeats, if any (`first_repeat`), read for one demand: the database
    returns exactly the candidates the rule keeps, newest first, at most MAX_CANDIDATES."""
    settings = settings or cluster_settings()
    place = _place_area(demand)
    candidates = (Demand.objects.filter(_archived_q(demand.created_at - _window(settings), demand.created_at),
                                        path__startswith=place.path, category_id=category_id or demand.category_id,
                                        created_at__lt=demand.created_at)
                  .exclude(pk=demand.pk).select_related(*ARCHIVED_RELATED)
                  .order_by("-created_at", "-pk")[:MAX_CANDIDATES])
    return first_repeat(demand, candidates, settings, category_id=category_id)


def recurrences(area: Area, start: date, end: date, *, settings: Settings | None = None) -> list[Recurrence]:
    """Demands under `area` that came in between `start` and `end` (inclusive) and repeat an archived matter,
    compared now (the overview and the list read what the catch-up stored instead: oversight.recurrence_store;
    this is the rule's bulk form, as the backfill stores it)."""
    lo, hi = Period(start, end).bounds()
    return found_between(area.path, lo, hi, settings=settings or cluster_settings())


def _near(path: str) -> str:
    """A path cut at the level below the community (an estate or grid's level): a demand whose place is a prefix
    of `path` lies under this cut or exactly at one of its ancestors (placement: a place is an estate, that
    level, or a demand's own area above it)."""
    return path[:(community_depth() + 1) * PATH_STEP]


def found_between(path: str, lo: datetime, hi: datetime, *, settings: Settings, rejected: bool = False
                  ) -> list[Recurrence]:
    """The recurrences among the demands under `path` that came in within [lo, hi) (the rejected too when
    `rejected`), by `first_repeat`. Two queries: the matters archived near `path` in the window are read once
    and grouped by category and each ancestor of their place; the database then returns only the demands that
    may repeat one of them (`_after_archived`) — only those are compared, in memory."""
    window, archived = _window(settings), defaultdict(list)
    earlier = list(Demand.objects.filter(_archived_in_area_q(lo - window, hi), path__startswith=_near(path))
                   .select_related(*ARCHIVED_RELATED))
    for e in earlier:
        for prefix in Area(path=e.path).ancestor_paths():
            archived[(prefix, e.category_id)].append(e)
    if not earlier:
        return []
    later = Demand.objects.filter(_after_archived(earlier, window), path__startswith=path,
                                  created_at__gte=lo, created_at__lt=hi)
    if not rejected:
        later = later.exclude(status=DemandStatus.REJECTED)
    found = []
    for demand in later.select_related("area", "category").order_by("created_at", "pk"):
        candidates = archived.get((_place_area(demand).path, demand.category_id), [])
        if hit := first_repeat(demand, candidates, settings):
            found.append(hit)
    return found


def _after_archived(earlier: list[Demand], window: timedelta) -> Q:
    """The demands that may repeat one of `earlier` (archived): of its category, under the estate/grid-level
    cut of its path or exactly at one of the cut's ancestors, come in after its matter was archived and at most
    `window` after (`_repeats`' rule), one range per (cut, category). Past MAX_PLACES of them, by category only
    (from the category's earliest archiving to its latest + window)."""
    spans: dict[tuple[str, int], tuple[datetime, datetime]] = {}
    for e in earlier:
        for dossier in _dossiers(e)[:1]:
            key, at = (_near(e.path), e.category_id), dossier.archived_at
            first, last = spans.get(key, (at, at + window))
            spans[key] = (min(first, at), max(last, at + window))
    if len(spans) > MAX_PLACES:
        by_category: dict[int, tuple[datetime, datetime]] = {}
        for (_cut, category), (first, last) in spans.items():
            was = by_category.get(category, (first, last))
            by_category[category] = (min(was[0], first), max(was[1], last))
        return reduce(or_, (Q(category_id=c, created_at__gt=f, created_at__lte=la)
                            for c, (f, la) in by_category.items()), Q(pk__in=[]))
    near = Q(pk__in=[])
    for (cut, category), (first, last) in spans.items():
        near |= Q(Q(path__startswith=cut) | Q(path__in=Area(path=cut).ancestor_paths()), category_id=category,
                  created_at__gt=first, created_at__lte=last)
    return near


def screening_hints(demand: Demand, category_id: int | None = None) -> dict:
    """What the screening page shows about 举一反三 for the category chosen on the form (`category_id`; None: the
    stored one): the open 类案 the demand may belong to (one-click merge) and the archived matter it repeats
    (复发 banner). One settings read for both."""
    settings = cluster_settings()
    return {"cluster_suggestions": open_cluster_topics_for(demand, category_id=category_id, settings=settings),
            "recurrence": recurrence_of(demand, category_id=category_id, settings=settings)}
