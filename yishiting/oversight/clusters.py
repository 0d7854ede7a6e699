"""举一反三 reads: clusters of one problem across communities, the open 类案 a new demand may belong to, and
recurrences (复发) of an archived matter at the same place.

Clusters are read from the similar-demand index (``demands.DemandKey``, see ``demands.suggest``), never by
comparing every pair of demands:

1. one ``GROUP BY (key, category)`` over the index rows of the area and period, keeping the keys found in at
   least N communities (``COUNT(DISTINCT community)``). Only the concept keys (``c:`` object×problem, ``o:``,
   ``i:``) and the two min-hashes (``m1:``/``m2:``) take part: they are what two reports of one matter share,
   while the rare-syllable keys (``s:``) mostly say *where* (a name), which is what a cluster spans;
2. the members of those groups are read in one more query and re-ranked with the app's ``similarity`` against
   the group's most central demand (the one most alike the others among the first ``SEED_SAMPLE``), keeping those
   at or above the threshold — the same threshold as the "已有相似诉求" list unless the template sets another;
3. groups are taken largest spread first and a demand joins one cluster only, so one matter is one cluster
   even when its demands share several keys; a group left under N communities is dropped.

Cost: with K index rows in the area and period (about 7 per demand), step 1 is one aggregate over K rows in the
database — O(K log K), no pairwise work; steps 2–3 compute O(G · (SEED_SAMPLE + 1) · m) similarities for G
candidate groups of at most m = ``MAX_GROUP`` members each — bounded by the candidates, not by the number of
demands (a pairwise comparison would be O(n²) over every demand of the period).
"""

from __future__ import annotations

import base64
import binascii
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import Case, Count, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Length
from django.utils import timezone
from django.utils.translation import gettext

from yishiting.areas.models import Area
from yishiting.common.errors import DomainError
from yishiting.demands import suggest
from yishiting.demands.choices import Status as DemandStatus
from yishiting.demands.intake import placement
from yishiting.demands.models import Category, Demand, DemandKey

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


def _index_rows(area: Area, period: Period, category_id: int | None) -> QuerySet[DemandKey]:
    start, end = period.bounds()
    rows = (DemandKey.objects.filter(_key_q(), created_at__gte=start, created_at__lt=end,
                                     demand__path__startswith=area.path)
            .exclude(demand__status=DemandStatus.REJECTED))
    return rows.filter(demand__category_id=category_id) if category_id else rows


def _candidate_groups(rows: QuerySet[DemandKey], n: int) -> list[tuple[str, int]]:
    """Step 1: (key, category) found in at least `n` communities, widest first — one aggregate query."""
    # Ties go to the key that names the problem best: an object with its problem, then the longer name (路灯/故障
    # over 灯/故障), the min-hashes last (they name nothing a reader understands).
    kind = Case(When(key__startswith="c:", then=Value(0)), When(key__startswith="m", then=Value(2)), default=Value(1))
    groups = (rows.order_by().values("key", "demand__category_id")
              .annotate(spread=Count("community_id", distinct=True), size=Count("demand_id", distinct=True),
                        kind=kind, key_length=Length("key"))
              .filter(spread__gte=n).order_by("-spread", "-size", "kind", "-key_length", "key")[:MAX_CANDIDATE_GROUPS])
    return [(g["key"], g["demand__category_id"]) for g in groups]


def _members(rows: QuerySet[DemandKey], groups: list[tuple[str, int]]) -> dict[tuple[str, int], list[int]]:
    """Step 2: the demand ids of each candidate group, newest first, at most MAX_GROUP each — one query."""
    wanted = set(groups)
    found: dict[tuple[str, int], list[int]] = defaultdict(list)
    for key, category_id, demand_id in (rows.filter(key__in={k for k, _ in groups}).order_by("-created_at", "-demand_id")
                                        .values_list("key", "demand__category_id", "demand_id")):
        members = found[(key, category_id)]
        if (key, category_id) in wanted and len(members) < MAX_GROUP and demand_id not in members[-1:]:
            members.append(demand_id)
    return found


def _central(members: list[Demand]) -> Demand:
    """The member most alike the others, among the first SEED_SAMPLE (bounded work, not all pairs)."""
    sample = members[:SEED_SAMPLE]
    return max(sample, key=lambda d: (sum(suggest.similarity(d.text, o.text) for o in members if o is not d), -d.pk))


def _refine(members: list[Demand], threshold: float) -> list[Demand]:
    if not members:
        return []
    seed = _central(members)
    return [seed, *(d for d in members if d is not seed and suggest.similarity(seed.text, d.text) >= threshold)]


def _community_of(rows: QuerySet[DemandKey], ids: set[int]) -> dict[int, int]:
    return dict(rows.filter(demand_id__in=ids).order_by().values_list("demand_id", "community_id").distinct())


def clusters_in(area: Area, period: Period, *, category_id: int | None = None, min_communities: int | None = None,
                settings: Settings | None = None) -> list[Cluster]:
    """The clusters under `area` in `period` (see the module docstring for how, and what it costs): widest
    spread first. `min_communities` may only raise the template's N (a filter), never lower it."""
    settings = settings or cluster_settings()
    n = max(settings.min_communities, min_communities or 0)
    rows = _index_rows(area, period, category_id)
    groups = _candidate_groups(rows, n)
    if not groups:
        return []
    member_ids = _members(rows, groups)
    every_id = {pk for ids in member_ids.values() for pk in ids}
    demands = (Demand.objects.filter(pk__in=every_id).select_related("category", "area", "reporter")
               .in_bulk())
    community_of = _community_of(rows, every_id)
    taken: set[int] = set()
    clusters: list[Cluster] = []
    for key, category_id_ in groups:
        free = [demands[pk] for pk in member_ids.get((key, category_id_), []) if pk not in taken and pk in demands]
        kept = _refine(free, settings.threshold)
        if len({community_of.get(d.pk) for d in kept}) < n:
            continue
        taken.update(d.pk for d in kept)
        kept.sort(key=lambda d: (d.created_at, d.pk))
        clusters.append(Cluster(key=key, category=kept[0].category, seed=_central(kept), members=kept))
    _add_spread(clusters, community_of)
    add_raised(clusters, area)
    clusters.sort(key=lambda c: (-len(c.communities), -c.count, c.id))
    return clusters


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


def add_raised(clusters: list, area: Area) -> None:
    """Each cluster's open 类案 at `area`, above it or below it (one query)."""
    if not clusters:
        return
    raised = (ClusterTopic.objects.filter(is_open=True, key__in={c.key for c in clusters})
              .filter(Q(path__in=area.ancestor_paths()) | Q(path__startswith=area.path)).select_related("topic"))
    by_key = {(r.key, r.category_id): r for r in raised}
    for cluster in clusters:
        cluster.raised = by_key.get((cluster.key, cluster.category_id))


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

def open_cluster_topics_for(demand: Demand, *, settings: Settings | None = None) -> list[ClusterTopic]:
    """Open 类案 whose topic still takes demands, covering the demand's place, of its category and at least as
    alike their representative text as the threshold: what screening suggests. Bounded: a place has few open
    类案 above it (the newest MAX_SUGGESTED are compared)."""
    from yishiting.deliberation.transitions import MERGEABLE

    if not demand.is_open:
        return []
    settings = settings or cluster_settings()
    candidates = (ClusterTopic.objects.filter(is_open=True, category_id=demand.category_id,
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


def _dossier_of(earlier: Demand):
    for subject in (earlier.topic, earlier.task, earlier.mediation):
        dossier = getattr(subject, "dossier", None) if subject is not None else None
        if dossier is not None:
            return dossier
    return None


def _window(settings: Settings) -> timedelta:
    return timedelta(days=round(settings.recurrence_months * 30.44))


def _repeats(demand: Demand, earlier: Demand, settings: Settings) -> Recurrence | None:
    """`demand` repeats `earlier` when it came later, reads alike, and `earlier`'s matter was archived within
    the window before it came in."""
    dossier = _dossier_of(earlier)
    if dossier is None or earlier.pk == demand.pk or earlier.created_at >= demand.created_at:
        return None
    if not demand.created_at - _window(settings) <= dossier.archived_at < demand.created_at:
        return None
    if suggest.similarity(earlier.text, demand.text) < settings.threshold:
        return None
    return Recurrence(demand, earlier, dossier.pk, dossier.archived_at)


ARCHIVED_RELATED = ("area", "topic__dossier", "task__dossier", "mediation__dossier")


def recurrence_of(demand: Demand, *, settings: Settings | None = None) -> Recurrence | None:
    """The archived matter this demand repeats, if any: same estate/grid (or building), same category, similar
    text, archived within the template's M months before the demand came in. Bounded: the 50 newest
    candidates at that place are re-ranked."""
    settings = settings or cluster_settings()
    place = _place_area(demand)
    candidates = (Demand.objects.filter(_archived_q(demand.created_at - _window(settings), demand.created_at),
                                        path__startswith=place.path, category_id=demand.category_id,
                                        created_at__lt=demand.created_at)
                  .exclude(pk=demand.pk).select_related(*ARCHIVED_RELATED).order_by("-created_at")[:50])
    return next((hit for earlier in candidates if (hit := _repeats(demand, earlier, settings))), None)


def recurrences(area: Area, start: date, end: date, *, settings: Settings | None = None) -> list[Recurrence]:
    """Demands under `area` that came in between `start` and `end` (inclusive) and repeat an archived matter at
    the same place, compared now (the overview and the list read what the catch-up stored instead:
    oversight.recurrence_store; this is the rule it is checked against and the backfill's bulk form)."""
    lo, hi = Period(start, end).bounds()
    return found_between(area.path, lo, hi, settings=settings or cluster_settings())


def found_between(path: str, lo: datetime, hi: datetime, *, settings: Settings, rejected: bool = False
                  ) -> list[Recurrence]:
    """The recurrences among the demands under `path` that came in within [lo, hi) (the rejected too when
    `rejected`). Two queries: the matters archived under `path` in the window are read once and grouped by
    place and category; the database then returns only the demands at such a place, of such a category, that
    came in within the template's M months after one of them was archived (one range per group) — only those
    are compared, in memory."""
    window = _window(settings)
    archived: dict[tuple[str, int], list[Demand]] = defaultdict(list)
    for earlier in (Demand.objects.filter(_archived_in_area_q(lo - window, hi), path__startswith=path)
                    .select_related(*ARCHIVED_RELATED).order_by("-created_at")):
        archived[(_place_area(earlier).path, earlier.category_id)].append(earlier)
    if not archived:
        return []
    later = Demand.objects.filter(_after_archived(archived, window), path__startswith=path,
                                  created_at__gte=lo, created_at__lt=hi)
    if not rejected:
        later = later.exclude(status=DemandStatus.REJECTED)
    found = []
    for demand in later.select_related("area", "category").order_by("created_at"):
        earlier = archived.get((_place_area(demand).path, demand.category_id), [])
        if hit := next((h for e in earlier if (h := _repeats(demand, e, settings))), None):
            found.append(hit)
    return found


def _after_archived(archived: dict[tuple[str, int], list[Demand]], window: timedelta) -> Q:
    """The demands that may repeat one of `archived` ((place, category) → its demands): at the place, of the
    category, come in after its earliest archiving and at most `window` after its latest (`_repeats`' rule).
    Past MAX_PLACES groups, by category only (from the category's earliest archiving to its latest + window)."""
    spans: dict[tuple[str, int], tuple[datetime, datetime]] = {}
    for key, demands in archived.items():
        times = [d.archived_at for e in demands if (d := _dossier_of(e)) is not None]
        if times:
            spans[key] = (min(times), max(times) + window)
    if len(spans) > MAX_PLACES:
        by_category: dict[int, tuple[datetime, datetime]] = {}
        for (_place, category), (first, last) in spans.items():
            was = by_category.get(category, (first, last))
            by_category[category] = (min(was[0], first), max(was[1], last))
        spans = {("", category): span for category, span in by_category.items()}
    near = Q(pk__in=[])
    for (place, category), (first, last) in spans.items():
        near |= Q(path__startswith=place, category_id=category, created_at__gt=first, created_at__lte=last)
    return near


def screening_hints(demand: Demand) -> dict:
    """What the screening page shows about 举一反三: the open 类案 the demand may belong to (one-click merge) and
    the archived matter it repeats (复发 banner). One settings read for both."""
    settings = cluster_settings()
    return {"cluster_suggestions": open_cluster_topics_for(demand, settings=settings),
            "recurrence": recurrence_of(demand, settings=settings)}
