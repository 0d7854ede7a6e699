"""Keeping the roll-ups: each *source* (a demand, topic, task, mediation case or rating) is recomputed from its row
and its events, and the difference from what it contributed before is added to the cells.

Why a catch-up and not a hook in `event_append`: events are written by four paths (event_append, its
one-statement PostgreSQL form, event_append_many and the raw-SQL fast paths of api.fast/submit_sql), and a
source's counts depend on its row as the transaction leaves it (deadline, path, category), which is only final
at commit. The catch-up reads the log after commit, whoever wrote it. Recomputing a whole source makes it
idempotent: an event read twice changes nothing. It runs from the pages that read the roll-ups (up to
INLINE_LIMIT events before answering), from `yishiting rollups` (cron, each minute) and from `yishiting tick`;
pages state the time they are counted to. Event ids seen missing (allocated by a transaction not yet committed)
are looked for again until GAP_WAIT has passed, so a slow transaction is not skipped.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db import connection, transaction
from django.db.models import Max, Min, Q, Subquery
from django.utils import timezone

from yishiting.common.dbrouter import reading_replica
from yishiting.common.models import Event
from yishiting.deliberation.choices import TopicStatus
from yishiting.deliberation.models import Topic
from yishiting.demands.choices import Status as DemandStatus
from yishiting.demands.models import Demand
from yishiting.handling.choices import Satisfaction, TaskStatus, WarningLevel
from yishiting.handling.kpis import CASE_CLOSING, SCREEN_KINDS
from yishiting.handling.models import EvaluationRound, Task, Warning
from yishiting.mediation.models import MediationCase

from . import recurrence_store
from .funnel import BEFORE_HANDLING, OPEN_CASE, OPEN_TASK, stages_of
from .models import NO_DUE, ROLLUP_DEPTH, Contribution, DailyCount, MonthlyCount, OpenCount, RollupCursor

STEP = 4
BATCH = 1000
INLINE_LIMIT = 5000
GAP_WAIT = timedelta(minutes=10)
DEMAND, TOPIC, TASK, CASE = "demands.demand", "deliberation.topic", "handling.task", "mediation.mediationcase"
ROUND = "handling.evaluationround"
RED = [WarningLevel.RED, WarningLevel.ESCALATED]
KINDS = {DEMAND: "demand", TOPIC: "topic", TASK: "task", CASE: "case"}
RATED = {ROUND, TASK, CASE}
# the funnel: a source counts once per stage, on the day of its first event of that kind
FUNNEL = {
    "demand": {"demand.topic": "to_topic", "demand.handling": "to_handling", "demand.mediation": "to_mediation",
               "demand.escalate": "escalated", "demand.reject": "rejected", "demand.merged": "merged"},
    "topic": {"topic.deliberating": "topics_met", "topic.resolved": "topics_resolved",
              "topic.archived": "topics_archived"},
    "case": {"mediation.archived": "cases_archived"},
}
Cell = tuple[str, str, int]  # measure, ISO day, category id
# The "open now" gauge (OpenCount): a source standing at an open stage keeps the cell ("open:<stage>", due day, 0)
# among its cells; `_upsert` sends those to the gauge, not to the daily and monthly counts.
OPEN = "open:"
# The responsible units' ranking (责任单位): "unit_closed", "unit_closed_on_time" and "unit_rating_<value>" cells
# carry the task's organization id (0: none, 社区自办) in the category column — a task's counts as its row says
# (closed now, on the day it was closed, on time when that day is not after its deadline), a rating of a task
# on the day it was given.
UNIT = "unit_"


@dataclass
class Source:
    kind: str
    source_id: int
    path: str = ""
    label: str = ""
    day: date | None = None
    flags: list[str] = field(default_factory=list)
    cells: list[Cell] = field(default_factory=list)

    def count(self, measure: str, day: date, category: int, *, main: bool = False) -> None:
        self.cells.append((measure, day.isoformat(), category))
        if main:
            self.day = day
            self.flags.append(measure)

    def open(self, stage: str, due: date | None) -> None:
        """The source stands at an open `stage` now, due on `due` (None: no deadline, never overdue)."""
        self.cells.append((OPEN + stage, (due or NO_DUE).isoformat(), 0))


def _day(at) -> date:
    return timezone.localdate(at)


def _events(subject_type: str, ids: Iterable[int], kinds: list[str]) -> dict[int, list[tuple[str, object, dict]]]:
    found: dict[int, list] = {}
    rows = (Event.objects.filter(subject_type=subject_type, subject_id__in=[str(i) for i in ids], kind__in=kinds)
            .order_by("at", "pk").values_list("subject_id", "kind", "at", "payload"))
    for subject_id, kind, at, payload in rows:
        found.setdefault(int(subject_id), []).append((kind, at, payload))
    return found


def _first(events: list, kinds: Iterable[str]) -> object | None:
    wanted = set(kinds)
    return next((at for kind, at, _ in events if kind in wanted), None)


def _funnel(source: Source, events: list, category: int) -> None:
    for kind, measure in FUNNEL.get(source.kind, {}).items():
        if (at := _first(events, [kind])) is not None:
            source.count(measure, _day(at), category)


def _demand_sources(ids: list[int]) -> list[Source]:
    rows = Demand.objects.filter(pk__in=ids).values_list("pk", "number", "path", "category_id", "screening_deadline",
                                                         "topic__status", "task__status", "mediation__status",
                                                         "status", "created_at")
    repeats = recurrence_store.check(ids)  # a demand not checked yet for 复发 is checked once, here
    events = _events(DEMAND, ids, ["demand.submitted", *SCREEN_KINDS, *FUNNEL["demand"]])
    sources = []
    for pk, number, path, category, deadline, topic, task, case, status, created_at in rows:
        source, mine = Source("demand", pk, path, number), events.get(pk, [])
        if repeats.get(pk) and status != DemandStatus.REJECTED:  # clusters.recurrences' rule: on the day it came in
            source.count("recurrences", _day(created_at), category)
        if status == DemandStatus.PENDING:
            source.open("screening", deadline)
        submitted = _first(mine, ["demand.submitted"])
        if submitted is not None:
            day = _day(submitted)
            source.count("submitted", day, category, main=True)
            if (answered := _first(mine, SCREEN_KINDS)) is not None:
                source.count("responded", day, category, main=True)
                if _day(answered) <= deadline:
                    source.count("responded_on_time", day, category, main=True)
            # where it stands today, on the day it came in (a cohort); `cohort_done` is 办结 (funnel.DONE_RULE), the
            # overview's and the public figures' one rule: "of the demands received in a month, how many are done"
            for stage in stages_of(topic, task, case)[1:]:
                source.count(f"cohort_{stage}", day, category)
        _funnel(source, mine, category)
        sources.append(source)
    return sources


def _categories(field_name: str, ids: list[int]) -> dict[int, int]:
    """The category a topic / task / case is counted under: the smallest of its demands' (0 if none)."""
    return dict(Demand.objects.filter(**{f"{field_name}__in": ids}).values_list(field_name)
                .annotate(c=Min("category_id")).order_by())


def _topic_sources(ids: list[int]) -> list[Source]:
    categories = _categories("topic_id", ids)
    events = _events(TOPIC, ids, list(FUNNEL["topic"]))
    sources = []
    for pk, path, status in Topic.objects.filter(pk__in=ids).values_list("pk", "path", "status"):
        source = Source("topic", pk, path, str(pk))
        if status in BEFORE_HANDLING:
            source.open("deliberation", None)
        elif status == TopicStatus.EVALUATING:
            source.open("evaluating", None)
        _funnel(source, events.get(pk, []), categories.get(pk, 0))
        sources.append(source)
    return sources


def _closing(source: Source, events: list, closing: list[str], prefix: str, category: int) -> None:
    closes = [(at, payload) for kind, at, payload in events if kind in closing]
    if not closes:
        return
    at, payload = closes[-1]  # closed twice counts once, at its last closing
    day, deadline = _day(at), payload.get("deadline", "") if isinstance(payload, dict) else ""
    source.count(f"{prefix}_closed", day, category, main=True)
    if deadline and day <= date.fromisoformat(deadline):
        source.count(f"{prefix}_closed_on_time", day, category, main=True)
    if any(kind == "task.extended" for kind, _, _ in events):
        source.count(f"{prefix}_closed_extended", day, category, main=True)


def _task_sources(ids: list[int]) -> list[Source]:
    categories = _categories("task_id", ids)
    rows = list(Task.objects.filter(pk__in=ids).values_list("pk", "path", "topic_id", "status", "deadline",
                                                            "organization_id", "closed_at"))
    by_topic = _categories("topic_id", [r[2] for r in rows if r[2]])
    events = _events(TASK, ids, ["task.closed", "task.extended"])
    red = set(Warning.objects.filter(task_id__in=[r[0] for r in rows if r[3] in OPEN_TASK], level__in=RED)
              .values_list("task_id", "deadline"))
    sources = []
    for pk, path, topic_id, status, deadline, unit, closed_at in rows:
        source = Source("task", pk, path, str(pk))
        if status == TaskStatus.CLOSED and closed_at is not None:
            source.count(f"{UNIT}closed", _day(closed_at), unit or 0)
            if deadline is not None and _day(closed_at) <= deadline:
                source.count(f"{UNIT}closed_on_time", _day(closed_at), unit or 0)
        if status in OPEN_TASK:
            source.open("tasks", deadline)
            if (pk, deadline) in red:  # a red (or escalated) warning against the deadline now in force
                source.open("tasks_red", deadline)
        _closing(source, events.get(pk, []), ["task.closed"], "tasks",
                 categories.get(pk) or by_topic.get(topic_id, 0))
        sources.append(source)
    return sources


def _case_sources(ids: list[int]) -> list[Source]:
    categories = _categories("mediation_id", ids)
    events = _events(CASE, ids, [*CASE_CLOSING, *FUNNEL["case"]])
    sources = []
    for pk, path, status, deadline in MediationCase.objects.filter(pk__in=ids).values_list("pk", "path", "status",
                                                                                          "deadline"):
        source, mine = Source("case", pk, path, str(pk)), events.get(pk, [])
        if status in OPEN_CASE:
            source.open("mediation", deadline)
        _closing(source, mine, CASE_CLOSING, "cases", categories.get(pk, 0))
        _funnel(source, mine, categories.get(pk, 0))
        sources.append(source)
    return sources


def _rated_categories(rows: list[tuple]) -> dict[tuple[str, int], int]:
    """(subject type, id) → category of each rated round (its topic's), task or case."""
    ids: dict[str, set[int]] = {}
    for _, subject_type, subject_id, _, _ in rows:
        ids.setdefault(subject_type, set()).add(int(subject_id))
    found: dict[tuple[str, int], int] = {}
    rounds = dict(EvaluationRound.objects.filter(pk__in=ids.get(ROUND, ())).values_list("pk", "topic_id"))
    topics = _categories("topic_id", list(set(rounds.values())))
    found.update({(ROUND, pk): topics.get(topic, 0) for pk, topic in rounds.items()})
    found.update({(TASK, pk): c for pk, c in _categories("task_id", list(ids.get(TASK, ()))).items()})
    found.update({(CASE, pk): c for pk, c in _categories("mediation_id", list(ids.get(CASE, ()))).items()})
    return found


def _rating_sources(ids: list[int]) -> list[Source]:
    rows = list(Event.objects.filter(pk__in=ids, kind="rating.given", subject_type__in=RATED)
                .values_list("pk", "subject_type", "subject_id", "at", "payload"))
    categories = _rated_categories(rows)
    units = dict(Task.objects.filter(pk__in={int(r[2]) for r in rows if r[1] == TASK}).values_list("pk", "organization"))
    sources = []
    for pk, subject_type, subject_id, at, payload in rows:
        payload = payload if isinstance(payload, dict) else {}
        source = Source("rating", pk, str(payload.get("path", "")), str(payload.get("rating", "")))
        category, value = categories.get((subject_type, int(subject_id)), 0), str(payload.get("value", ""))
        source.count(f"rating_{value}", _day(at), category, main=True)
        if payload.get("reporter"):
            source.count(f"reporter_rating_{value}", _day(at), category, main=True)
        if subject_type == TASK and value in Satisfaction.values:  # the task's responsible unit (its ranking)
            source.count(f"{UNIT}rating_{value}", _day(at), units.get(int(subject_id)) or 0)
        sources.append(source)
    return sources


COMPUTE = {"demand": _demand_sources, "topic": _topic_sources, "task": _task_sources, "case": _case_sources,
           "rating": _rating_sources}


def compute(kind: str, ids: list[int]) -> list[Source]:
    """The sources' cells as their rows and events say now (absent rows: no source)."""
    return COMPUTE[kind](ids) if ids else []


def ancestors(path: str) -> list[str]:
    """The levels a leaf path's counts are kept at: each ancestor down to ROLLUP_DEPTH (and the path itself)."""
    return [path[:i] for i in range(STEP, min(len(path), STEP * ROLLUP_DEPTH) + 1, STEP)]


def cell_counts(path: str, cells: Iterable) -> Counter:
    """(level path, category, ISO day, measure) → count, for one source's cells."""
    counts: Counter = Counter()
    for measure, day, category in cells:
        for level in ancestors(path):
            counts[(level, int(category), day, measure)] += 1
    return counts


def split_open(counts: Counter) -> tuple[Counter, Counter]:
    """(the daily cells, the gauge's (level path, stage, ISO due) cells) of `cell_counts`' counts."""
    daily, gauge = Counter(), Counter()
    for (path, category, day, measure), n in counts.items():
        if measure.startswith(OPEN):
            gauge[(path, measure[len(OPEN):], day)] += n
        else:
            daily[(path, category, day, measure)] += n
    return daily, gauge


def _upsert_open(deltas: Counter) -> None:
    rows = [(path, len(path) // STEP, stage, due, n) for (path, stage, due), n in deltas.items() if n]
    if rows:
        table = OpenCount._meta.db_table
        with connection.cursor() as cursor:
            cursor.executemany(f"INSERT INTO {table} (path, depth, stage, due, n) VALUES (%s, %s, %s, %s, %s) "
                               f"ON CONFLICT (path, stage, due) DO UPDATE SET n = {table}.n + excluded.n", rows)


def _upsert(deltas: Counter) -> None:
    """Add the deltas to the daily and monthly cells and to the gauge: INSERT … ON CONFLICT DO UPDATE (SQLite and
    PostgreSQL)."""
    deltas, gauge = split_open(deltas)
    _upsert_open(gauge)
    monthly: Counter = Counter()
    for (path, category, day, measure), n in deltas.items():
        monthly[(path, category, day[:8] + "01", measure)] += n
    for model, column, counts in ((DailyCount, "day", deltas), (MonthlyCount, "month", monthly)):
        rows = [(path, len(path) // STEP, category, day, measure, n)
                for (path, category, day, measure), n in counts.items() if n]
        if not rows:
            continue
        table = model._meta.db_table
        sql = (f"INSERT INTO {table} (path, depth, category_id, {column}, measure, n) VALUES (%s, %s, %s, %s, %s, %s) "
               f"ON CONFLICT (path, {column}, measure, category_id) DO UPDATE SET n = {table}.n + excluded.n")
        with connection.cursor() as cursor:
            cursor.executemany(sql, rows)


def apply(kind: str, ids: list[int]) -> None:
    """Recompute these sources and add the difference to the cells (the caller holds the cursor lock)."""
    sources = compute(kind, ids)
    old = {c.source_id: c for c in Contribution.objects.filter(kind=kind, source_id__in=ids)}
    deltas: Counter = Counter()
    for before in old.values():
        deltas.subtract(cell_counts(before.path, before.cells))
    for source in sources:
        deltas.update(cell_counts(source.path, source.cells))
    _upsert(deltas)
    Contribution.objects.filter(kind=kind, source_id__in=ids).delete()
    Contribution.objects.bulk_create([
        Contribution(kind=kind, source_id=s.source_id, path=s.path, label=s.label[:40], day=s.day,
                     flags="," + ",".join(s.flags) + "," if s.flags else "", cells=[list(c) for c in s.cells])
        for s in sources if s.cells])


def sources_of(events: Iterable[tuple[int, str, str, str]]) -> dict[str, set[int]]:
    """The sources events touch: their subject (demand, topic, task, case) and each rating itself — and the
    demands of a touched topic, task or case (whether a demand is done, and its `cohort_` stage today, follow
    its matter's status)."""
    touched: dict[str, set[int]] = {}
    for pk, subject_type, subject_id, kind in events:
        if kind == "rating.given" and subject_type in RATED:
            touched.setdefault("rating", set()).add(pk)
        if subject_type in KINDS and subject_id.isdigit():
            touched.setdefault(KINDS[subject_type], set()).add(int(subject_id))
    matters = Q(topic_id__in=touched.get("topic", ())) | Q(task_id__in=touched.get("task", ())) | Q(
        mediation_id__in=touched.get("case", ()))
    if any(touched.get(kind) for kind in ("topic", "task", "case")):  # one query, only when a matter moved
        touched.setdefault("demand", set()).update(Demand.objects.filter(matters).values_list("pk", flat=True))
    return touched


def _cursor() -> RollupCursor | None:
    """The cursor, locked; None when another catch-up holds it (PostgreSQL; SQLite serializes writers anyway)."""
    RollupCursor.objects.get_or_create(name="main")
    locking = RollupCursor.objects.select_for_update(skip_locked=connection.features.has_select_for_update_skip_locked)
    return locking.filter(name="main").first()


def _gaps(cursor: RollupCursor, seen: set[int], top: int) -> list[list]:
    """Ids between the last counted and the highest read that were not there (still uncommitted, or rolled
    back), with when first missed; kept GAP_WAIT. A fresh cursor has none (its past is the rebuild's)."""
    now = timezone.now()
    waiting = [[pk, at] for pk, at in cursor.gaps if pk not in seen and now - datetime.fromisoformat(at) < GAP_WAIT]
    if cursor.last_event_id:
        waiting += [[pk, now.isoformat()] for pk in range(max(cursor.last_event_id + 1, top - 10000), top)
                    if pk not in seen]
    return waiting[-10000:]


def _one_batch(batch: int) -> int:
    with transaction.atomic():
        cursor = _cursor()
        if cursor is None:
            return 0
        fields = ("pk", "subject_type", "subject_id", "kind")
        rows = list(Event.objects.filter(pk__gt=cursor.last_event_id).order_by("pk").values_list(*fields)[:batch])
        if cursor.gaps:
            rows += list(Event.objects.filter(pk__in=[pk for pk, _ in cursor.gaps]).values_list(*fields))
        for kind, ids in sources_of(rows).items():
            for start in range(0, len(ids), BATCH):
                apply(kind, sorted(ids)[start:start + BATCH])
        seen = {row[0] for row in rows}
        top = max(seen | {cursor.last_event_id})
        cursor.gaps = _gaps(cursor, seen, top)
        cursor.last_event_id, cursor.caught_up_at = top, timezone.now()
        cursor.save(update_fields=["gaps", "last_event_id", "caught_up_at"])
        return len(rows)


def nothing_new() -> bool:
    """One query: the cursor exists, has no gaps to look for, and no event is newer (a page's usual case).
    The newest id is an uncorrelated subquery (a backward step on the primary key), never a scan."""
    top = Subquery(Event.objects.order_by("-pk").values("pk")[:1])
    row = RollupCursor.objects.filter(name="main").annotate(top=top).values_list("top", "last_event_id", "gaps").first()
    return row is not None and (row[0] or 0) <= row[1] and not row[2]


def catch_up(*, limit: int | None = None, batch: int = BATCH) -> int:
    """Count the events written since the last catch-up (at most about `limit`). Returns how many were read.
    A page reading the replica counts nothing: it shows the roll-ups as of the last catch-up (the scheduled
    `oversight.rollups` job), as the replica has them (docs/replicas.md)."""
    if reading_replica() or nothing_new():
        return 0
    done = 0
    while limit is None or done < limit:
        read = _one_batch(batch if limit is None else min(batch, limit - done))
        done += read
        if read < batch or read == 0:
            break
    return done


def pending() -> int:
    cursor = RollupCursor.objects.filter(name="main").first()
    return Event.objects.filter(pk__gt=cursor.last_event_id if cursor else 0).count()


def all_sources(district_path: str = "") -> Iterable[tuple[str, list[int]]]:
    """Every source (under a district), in batches of ids: what a rebuild or a verify recounts."""
    rated = (Event.objects.filter(kind="rating.given", subject_type__in=RATED)
             .filter(payload__path__startswith=district_path) if district_path else
             Event.objects.filter(kind="rating.given", subject_type__in=RATED))
    querysets = {"demand": Demand.objects, "topic": Topic.objects, "task": Task.objects,
                 "case": MediationCase.objects}
    for kind, manager in querysets.items():
        rows = manager.filter(path__startswith=district_path) if district_path else manager.all()
        yield from _chunks(kind, rows.order_by("pk").values_list("pk", flat=True))
    yield from _chunks("rating", rated.order_by("pk").values_list("pk", flat=True))


def _chunks(kind: str, ids: Iterable[int]) -> Iterable[tuple[str, list[int]]]:
    chunk: list[int] = []
    for pk in ids.iterator(chunk_size=BATCH) if hasattr(ids, "iterator") else ids:
        chunk.append(pk)
        if len(chunk) == BATCH:
            yield kind, chunk
            chunk = []
    if chunk:
        yield kind, chunk


def open_sources(district_path: str = "") -> Iterable[tuple[str, list[int]]]:
    """The sources standing at an open stage now (pending demands, topics before handling or in evaluation, open
    tasks and cases), in batches: what the gauge counts."""
    rows = {"demand": Demand.objects.filter(status=DemandStatus.PENDING),
            "topic": Topic.objects.filter(status__in=[*BEFORE_HANDLING, TopicStatus.EVALUATING]),
            "task": Task.objects.filter(status__in=OPEN_TASK), "case": MediationCase.objects.filter(status__in=OPEN_CASE)}
    for kind, queryset in rows.items():
        yield from _chunks(kind, queryset.filter(path__startswith=district_path).order_by("pk")
                           .values_list("pk", flat=True))


def rebuild_open(district_path: str = "") -> int:
    """Recount the sources open now and refill the gauge from them (idempotent): an install upgraded to the
    gauge fills it in the time of its backlog, not of its history (a source that moved since the upgrade was
    recounted by the catch-up; one that is not open now adds nothing to the gauge)."""
    with transaction.atomic():
        if _cursor() is None:  # a catch-up is running: the cells must not be written twice at once
            return 0
        batches = list(open_sources(district_path))
        for kind, ids in batches:
            apply(kind, ids)
        OpenCount.objects.filter(path__startswith=district_path).delete()
        gauge: Counter = Counter()
        for kind, ids in batches:
            for path, cells in Contribution.objects.filter(kind=kind, source_id__in=ids).values_list("path", "cells"):
                gauge.update(split_open(cell_counts(path, cells))[1])
        _upsert_open(gauge)
    return sum(len(ids) for _, ids in batches)


def rebuild_recurrences(district_path: str = "") -> int:
    """Recheck 复发 for every demand under a district in bulk (after upgrading, or changing the template's M
    months or threshold) and recount the demands whose answer changed or that repeat. Returns how many."""
    changed = recurrence_store.backfill(district_path)
    with transaction.atomic():
        if _cursor() is None:  # a catch-up is running: the cells must not be written twice at once
            return 0
        for kind, ids in _chunks("demand", changed):
            apply(kind, ids)
    return len(changed)


def rebuild(district_path: str = "") -> int:
    """Recount every source (under a district) from rows and events; idempotent. Returns sources counted."""
    with transaction.atomic():
        cursor = RollupCursor.objects.select_for_update().get_or_create(name="main")[0]
        top = Event.objects.aggregate(m=Max("pk"))["m"] or 0
        for model in (DailyCount, MonthlyCount, OpenCount, Contribution):
            rows = model.objects.filter(path__startswith=district_path) if district_path else model.objects.all()
            rows.delete()
        recurrence_store.backfill(district_path)  # 复发 rechecked in bulk, not demand by demand
        counted = 0
        for kind, ids in list(all_sources(district_path)):
            apply(kind, ids)
            counted += len(ids)
        if not district_path:
            cursor.last_event_id, cursor.gaps, cursor.caught_up_at = top, [], timezone.now()
            cursor.save()
    catch_up()  # events written while it ran
    return counted
