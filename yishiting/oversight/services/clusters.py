"""举一反三 writes: raise a cluster as one street- or district-level topic (类案), and take a new demand into an
open 类案 at screening. Other domains are written only through their services: the topic by
``deliberation.topic_propose``, each demand by ``demands.demand_screen`` (outcome 转为议题 into the 类案 topic) —
so the reporters follow the 类案 topic to its end exactly as they follow any topic their demand went into.
"""

from __future__ import annotations

import time
from datetime import date, timedelta

from django.db import IntegrityError, transaction
from django.db.models.functions import Length
from django.utils import timezone
from django.utils.translation import gettext as _

from yishiting.areas.models import PATH_STEP, Area
from yishiting.common.errors import Conflict, DomainError, NotFound, PermissionDeniedError
from yishiting.common.events import event_append
from yishiting.common.rules import has_perm
from yishiting.demands.choices import Nature, Outcome
from yishiting.demands.models import Category, Demand
from yishiting.demands.screening import Decision, demand_screen

from ..clusters import (
    Cluster,
    Period,
    Settings,
    cluster_settings,
    clusters_in,
    default_period,
    open_cluster_topics_for,
)
from ..models import ClusterMember, ClusterRun, ClusterSettings, ClusterTopic, StoredCluster
from ..rules import OVERSIGHT_SETTINGS, may_raise_cluster, may_view_clusters
from ..selectors.clusters import stored_cluster

STREET_DEPTH = 2
DESCRIPTION = "举一反三：{communities} 个社区反映同类问题，共 {count} 件诉求。代表诉求：{text}"  # zh-only: a record
MERGE_REASON = "同类问题已立为类案，并入类案议题统一协商办理"  # zh-only: a record, kept in the event log
LEVEL_REASON = "类案由上级统一协商办理（举一反三）"  # zh-only: a record


def raise_level(cluster: Cluster) -> Area:
    """The lowest area covering every member's community, at street level or above (a 类案 is a street's or
    district's matter)."""
    paths = [spread.area.path for spread in cluster.communities]
    common = paths[0]
    for path in paths[1:]:
        while not path.startswith(common):
            common = common[:-4]
    common = common[: STREET_DEPTH * 4] if len(common) > STREET_DEPTH * 4 else common
    return Area.objects.select_related("level").get(path=common)


def _claim(actor, cluster: Cluster, level: Area) -> ClusterTopic:
    """The one open 类案 row for (level, category, key): a finished earlier one is closed first; a second raise
    meets the database's unique constraint (two officials at once: one wins, the other gets a Conflict)."""
    from yishiting.deliberation.transitions import MERGEABLE

    existing = (ClusterTopic.objects.select_for_update(of=("self",)).filter(level_area=level, category=cluster.category,
                                                                key=cluster.key, is_open=True)
                .select_related("topic").first())
    if existing is not None:
        if existing.topic is not None and existing.topic.status not in MERGEABLE | _UNDERWAY:
            ClusterTopic.objects.filter(pk=existing.pk).update(is_open=False)
        else:
            raise _already(existing)
    try:
        with transaction.atomic():
            return ClusterTopic.objects.create(category=cluster.category, key=cluster.key, label=cluster.label[:200],
                                               seed_text=cluster.seed.text, level_area=level, path=level.path,
                                               raised_by=actor)
    except IntegrityError:
        raise _already(None) from None


_UNDERWAY = {"deliberating", "resolved", "publicising", "handling", "evaluating"}


def _already(existing: ClusterTopic | None) -> Conflict:
    title = existing.topic.title if existing is not None and existing.topic is not None else ""
    message = (_("该类案已立为议题“%(title)s”，请勿重复发起。") % {"title": title} if title
               else _("该类案已由他人立为议题，请刷新。"))
    return Conflict("already_raised", message)


@transaction.atomic
def cluster_raise(*, actor, area: Area, period: Period, ident: str, title: str = "") -> ClusterTopic:
    """Raise the cluster `ident` (as found under `area` in `period`) as one topic at its street or district: a
    new topic (topic.proposed, then topic.cluster_raised), each open member demand screened into it (转为议题,
    pending → topic) and every other member linked. Exactly one 类案 per level, category and key is open."""
    if not may_view_clusters(actor, area):
        raise PermissionDeniedError(_("只有街道和区级干部可以发起类案。"))
    cluster = stored_cluster(cluster_run_for(area, period, cluster_settings()), ident)  # the members listed
    if cluster is None:
        raise NotFound(_("找不到该类案，可能统计期或筛选条件已变化，请刷新。"))
    level = raise_level(cluster)
    if not may_raise_cluster(actor, level):
        raise PermissionDeniedError(_("该类案跨越您的辖区（涉及%(level)s），请由上级发起。") % {"level": level.name})
    row = _claim(actor, cluster, level)
    from yishiting.deliberation.services.topics import topic_propose

    topic = topic_propose(actor=actor, title=(title or "").strip() or _default_title(cluster),
                          description=_description(cluster), level_area=level)
    row.topic = topic
    row.save(update_fields=["topic"])
    merged = _take_members(actor, row, cluster.members)
    event_append(subject=topic, kind="topic.cluster_raised", actor=actor, payload={
        "key": cluster.key, "category": cluster.category.name, "communities": len(cluster.communities),
        "demands": sorted(d.number for d in cluster.members), "merged": sorted(d.number for d in merged)})
    return row


def _default_title(cluster: Cluster) -> str:
    return f"类案：{cluster.category.name} · {cluster.label}"  # zh-only: the topic's title is a record


def _description(cluster: Cluster) -> str:
    return DESCRIPTION.format(communities=len(cluster.communities), count=cluster.count, text=cluster.seed.text)


def _take_members(actor, row: ClusterTopic, members: list[Demand]) -> list[Demand]:
    merged = []
    for demand in sorted(members, key=lambda d: d.pk):  # fixed order: screening locks each demand row
        fresh = Demand.objects.select_related("screening_area", "category").get(pk=demand.pk)
        if fresh.is_open:
            demand_screen(actor=actor, demand=fresh, decision=_decision(row))
            merged.append(fresh)
            how = ClusterMember.How.MERGED
        else:
            how = ClusterMember.How.LINKED
        ClusterMember.objects.create(cluster=row, demand=fresh, how=how)
    return merged


def _decision(row: ClusterTopic) -> Decision:
    """Into the 类案 topic, handled at its level (a street's or district's matter now, not the community's)."""
    return Decision(outcome=Outcome.TOPIC, nature=Nature.PUBLIC, topic=row.topic, reason=MERGE_REASON,
                    level_area=row.level_area, level_reason=LEVEL_REASON)


@transaction.atomic
def cluster_demand_join(*, actor, cluster: ClusterTopic, demand: Demand, category: Category | None = None) -> Demand:
    """Screen an open demand into an open 类案 (the one-click merge of the screening page): pending → topic,
    into the 类案 topic; the demand must be one screening suggests for it (alike, in its area, and of the 类案's
    category — `category` as the screener chose it on the form, which the demand then takes; None: its own)."""
    chosen = category.pk if category is not None else None
    if not any(c.pk == cluster.pk for c in open_cluster_topics_for(demand, category_id=chosen)):
        raise DomainError("not_in_cluster", _("该诉求与此类案不符，或类案议题已不再接收诉求。"))
    decision = _decision(cluster)
    decision.category = category
    screened = demand_screen(actor=actor, demand=demand, decision=decision)
    ClusterMember.objects.get_or_create(cluster=cluster, demand=demand, defaults={"how": ClusterMember.How.MERGED})
    return screened


SETTINGS_FIELDS = ("template", "min_communities", "similarity_threshold", "recurrence_months")


def check_settings(data: dict) -> None:
    """What the settings may be (the admin form runs this too): N ≥ 1, a threshold in [0.05, 1] or empty, M ≥ 1."""
    if (data.get("min_communities") or 0) < 1:
        raise DomainError("invalid_value", _("类案最少涉及社区数至少为 1。"), details={"field": "min_communities"})
    threshold = data.get("similarity_threshold")
    if threshold is not None and not (0.05 <= float(threshold) <= 1):
        raise DomainError("invalid_value", _("相似度阈值须在 0.05 到 1 之间，或留空。"),
                          details={"field": "similarity_threshold"})
    if (data.get("recurrence_months") or 0) < 1:
        raise DomainError("invalid_value", _("复发认定期至少为 1 个月。"), details={"field": "recurrence_months"})


@transaction.atomic
def cluster_settings_save(*, actor, settings: ClusterSettings | None = None, **fields) -> ClusterSettings:
    """Create or change a template's 举一反三 settings (admins); event oversight.settings_saved on the template."""
    if not (getattr(actor, "is_superuser", False) or has_perm(actor, OVERSIGHT_SETTINGS.name)):
        raise PermissionDeniedError(_("只有系统管理员可以修改举一反三设置。"))
    check_settings(fields)
    row = settings or ClusterSettings()
    for name in SETTINGS_FIELDS:
        setattr(row, name, fields[name])
    row.save()
    event_append(subject=row.template, kind="oversight.settings_saved", actor=actor, payload={
        "min_communities": row.min_communities, "recurrence_months": row.recurrence_months,
        "similarity_threshold": str(row.similarity_threshold) if row.similarity_threshold is not None else None})
    return row


# ---- the kept clusters: computed by the tick (or on a period's first request), read by the pages ----

REFRESH_AFTER = timedelta(minutes=10)  # the tick recomputes a run of a period still open once it is this old
KEEP_RUNS = timedelta(days=7)          # runs nobody refreshed for this long are dropped (recomputed if asked)
TICK_BUDGET = 40                       # runs recomputed per tick at most: a tick stays bounded at city scale …
TICK_SECONDS = 120                     # … and no new one is started after this long (a district's run at 1 M
                                       # demands takes tens of seconds: bench/clusters_scale.py)


def _stored(run: ClusterRun, position: int, cluster: Cluster) -> StoredCluster:
    return StoredCluster(run=run, position=position, category=cluster.category, key=cluster.key, seed=cluster.seed,
                         label=cluster.label[:200], size=cluster.count, spread=len(cluster.communities),
                         street_count=len(cluster.streets),
                         communities=[[s.area.pk, s.area.name, s.count] for s in cluster.communities],
                         member_ids=[d.pk for d in cluster.members])


def clusters_refresh(*, area: Area, period: Period, settings: Settings | None = None) -> ClusterRun:
    """Compute the clusters of `area` in `period` (``clusters_in``) and keep them, replacing the run's earlier
    ones; the run's memo lets the computation re-rank only the candidate groups whose members changed since
    (a memo keyed by the members themselves: the result is the full computation's). No transition: derived figures. The computation runs before the write transaction, which only swaps
    the rows; two refreshes at once both write whole runs, the last one stays."""
    settings = settings or cluster_settings()
    started = time.perf_counter()
    # the area's latest memo, whatever its period: it is keyed by the members themselves (yesterday's 90 days
    # share all but a day's groups with today's)
    memo = dict(ClusterRun.objects.filter(area=area).order_by("-computed_at").values_list("memo", flat=True)
                .first() or {})
    found = clusters_in(area, period, settings=settings, memo=memo)  # memo: read, then this run's
    fields = {"min_communities": settings.min_communities, "threshold": settings.threshold, "memo": memo,
              "computed_at": timezone.now(), "seconds": round(time.perf_counter() - started, 3)}
    with transaction.atomic():
        try:
            with transaction.atomic():
                run, _new = ClusterRun.objects.select_for_update().update_or_create(
                    area=area, start=period.start, end=period.end, defaults=fields)
        except IntegrityError:  # created by a concurrent refresh meanwhile: take its row
            run = ClusterRun.objects.select_for_update().get(area=area, start=period.start, end=period.end)
            ClusterRun.objects.filter(pk=run.pk).update(**fields)
        run.clusters.all().delete()
        StoredCluster.objects.bulk_create([_stored(run, i, c) for i, c in enumerate(found)], batch_size=500)
    return run


def cluster_run_for(area: Area, period: Period, settings: Settings) -> ClusterRun:
    """The kept run of `area` and `period`; computed now only if there is none yet or the 举一反三 settings
    changed since (the default period of every district and street is kept by the tick)."""
    run = (ClusterRun.objects.filter(area=area, start=period.start, end=period.end)
           .defer("memo").select_related("area").first())  # the memo is for refreshes, not for readers
    if run is None or run.min_communities != settings.min_communities or run.threshold != settings.threshold:
        run = clusters_refresh(area=area, period=period, settings=settings)
    return run


def cluster_areas_kept() -> list[Area]:
    """The areas whose clusters the tick keeps: every active district and street (where officials read them)."""
    return list(Area.objects.annotate(path_length=Length("path"))
                .filter(path_length__lte=STREET_DEPTH * PATH_STEP, is_active=True).order_by("path"))


def clusters_tick(today: date) -> tuple[str, set[str]]:
    """Keep the default period (the last 90 days) of every district and street computed, and refresh runs of
    periods still open once REFRESH_AFTER old, the missing and the oldest first, at most TICK_BUDGET runs and
    TICK_SECONDS a tick (at least one: the next tick goes on where this one stopped)."""
    now, period, settings = timezone.now(), default_period(today), cluster_settings()
    ClusterRun.objects.filter(computed_at__lt=now - KEEP_RUNS).delete()
    kept = {r.area_id: r for r in ClusterRun.objects.filter(start=period.start, end=period.end).defer("memo")}
    missing = [(area, period) for area in cluster_areas_kept() if area.pk not in kept]
    stale = [(run.area, Period(run.start, run.end)) for run in ClusterRun.objects.defer("memo").filter(
        end__gte=today - timedelta(days=1), computed_at__lt=now - REFRESH_AFTER).select_related("area")
        .order_by("computed_at")[:TICK_BUDGET]]
    stop, done = time.monotonic() + TICK_SECONDS, 0
    for area, wanted in (missing + stale)[:TICK_BUDGET]:
        if done and time.monotonic() > stop:
            break
        clusters_refresh(area=area, period=wanted, settings=settings)
        done += 1
    return f"举一反三：重新计算 {done} 个区域的类案", set()  # zh-only: the tick's log line
