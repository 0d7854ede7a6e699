"""Oversight reads for the pages and the API: which areas a user may look at, the kept clusters of an area and
period, and the members of a cluster as an official sees them (reporters masked)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.db.models.functions import Length

from yishiting.areas.models import PATH_STEP, Area
from yishiting.areas.selectors import community_depth
from yishiting.common.masking import mask_name
from yishiting.common.rules import scope_for
from yishiting.demands.choices import Status as DemandStatus
from yishiting.demands.models import Demand

from ..clusters import Cluster, add_raised, parse_cluster_id, spreads, streets_of
from ..models import CheckedRecurrence, ClusterMember, ClusterRun, ClusterTopic, StoredCluster
from ..rules import OVERSIGHT_CLUSTERS, OVERSIGHT_RECURRENCES

STREET_DEPTH = 2


def _areas_under_scope(user, permission: str, deepest: int) -> QuerySet[Area]:
    """The areas at the top of the user's scope and below them down to depth `deepest`, in tree order."""
    scope = scope_for(user, permission)
    if not (scope.everything or scope.paths):
        return Area.objects.none()
    query = Q()
    if not scope.everything:
        query = Q(pk__in=[])
        for path in scope.minimal_paths():
            query |= Q(path__startswith=path)
    return (Area.objects.annotate(path_length=Length("path"))
            .filter(query, path_length__lte=deepest * PATH_STEP, is_active=True).select_related("level").order_by("path"))


def cluster_areas(user) -> QuerySet[Area]:
    """Where an official may read clusters: their own area and the streets under it (clusters span communities)."""
    return _areas_under_scope(user, OVERSIGHT_CLUSTERS.name, STREET_DEPTH)


def recurrence_areas(user) -> QuerySet[Area]:
    """Where a user may read recurrences: their area and what is under it down to the communities."""
    return _areas_under_scope(user, OVERSIGHT_RECURRENCES.name, community_depth())


@dataclass
class MemberRow:
    demand: Demand
    reporter: str  # masked (张**), or 匿名
    community: Area | None
    how: str = ""  # ClusterMember.How label once raised


def member_rows(cluster: Cluster) -> list[MemberRow]:
    """The cluster's demands, newest first, each with its reporter masked and its community."""
    community_of = {}
    for spread in cluster.communities:
        community_of[spread.area.path] = spread.area
    how = {}
    if cluster.raised is not None:
        how = {m.demand_id: m.get_how_display() for m in ClusterMember.objects.filter(cluster=cluster.raised)}
    rows = []
    for demand in sorted(cluster.members, key=lambda d: (d.created_at, d.pk), reverse=True):
        community = next((a for p, a in community_of.items() if demand.path.startswith(p)), None)
        rows.append(MemberRow(demand, _reporter(demand), community, how.get(demand.pk, "")))
    return rows


def _reporter(demand: Demand) -> str:
    from django.utils.translation import gettext

    return mask_name(demand.reporter.name) if demand.reporter_id else gettext("匿名")


def cluster_topic_of(demand: Demand) -> ClusterTopic | None:
    """The 类案 a demand belongs to (merged into or linked), for its page."""
    member = (ClusterMember.objects.filter(demand=demand).select_related("cluster__topic", "cluster__level_area")
              .order_by("-joined_at").first())
    return member.cluster if member is not None else None


# ---- the kept clusters (oversight.services.clusters keeps them) ----

def clusters_listed(run: ClusterRun, *, category_id: int | None = None, min_communities: int = 0) -> list[StoredCluster]:
    """The run's clusters, widest spread first, of one category and spread at least `min_communities` if asked,
    each with its open 类案 (`raised`): three queries whatever the number of demands."""
    rows = run.clusters.filter(spread__gte=min_communities).select_related("category").order_by("position")
    rows = list(rows.filter(category_id=category_id) if category_id else rows)
    add_raised(rows, run.area)
    return rows


def stored_cluster(run: ClusterRun, ident: str) -> Cluster | None:
    """One kept cluster with its member demands (the ones the list counted) and its spread: a fixed number of
    queries; None when the run holds no such cluster."""
    parsed = parse_cluster_id(ident)
    row = (run.clusters.filter(category_id=parsed[0], key=parsed[1]).select_related("category", "seed").first()
           if parsed else None)
    if row is None:
        return None
    found = Demand.objects.filter(pk__in=row.member_ids).select_related("category", "area", "reporter").in_bulk()
    areas = Area.objects.filter(pk__in=[pk for pk, _name, _n in row.communities]).select_related("parent").in_bulk()
    cluster = Cluster(key=row.key, category=row.category, seed=found.get(row.seed_id, row.seed),
                      members=[found[pk] for pk in row.member_ids if pk in found])
    cluster.communities = spreads(areas, [(pk, n) for pk, _name, n in row.communities])
    cluster.streets = streets_of(cluster.communities)
    add_raised([cluster], run.area)
    return cluster


def stored_recurrences(area: Area, start, end) -> QuerySet[CheckedRecurrence]:
    """The demands under `area` that came in from `start` to `end` (inclusive) and repeat an archived matter, as
    the catch-up checked them (recurrence_store): an index range over the few hits, oldest first, to paginate.
    The rejected are left out, as `clusters.recurrences` does."""
    from ..clusters import Period

    lo, hi = Period(start, end).bounds()
    return (CheckedRecurrence.objects.filter(earlier__isnull=False, path__startswith=area.path,
                                             created_at__gte=lo, created_at__lt=hi)
            .exclude(demand__status=DemandStatus.REJECTED)
            .select_related("demand__area", "demand__category").order_by("created_at", "demand_id"))
