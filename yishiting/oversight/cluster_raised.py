"""Which computed 类案 have been raised as a topic (ClusterTopic): by their key, or — when the words drifted as new
demands joined — by the demands the raised one took in."""

from __future__ import annotations

from django.db.models import Q

from yishiting.areas.models import Area

from .models import ClusterMember, ClusterTopic


def add_raised(clusters: list, area: Area) -> None:
    """Each cluster's open 类案 at `area`, above it or below it (one query)."""
    if not clusters:
        return
    raised = (ClusterTopic.objects.filter(is_open=True, key__in={c.key for c in clusters})
              .filter(Q(path__in=area.ancestor_paths()) | Q(path__startswith=area.path)).select_related("topic"))
    by_key = {(r.key, r.category_id): r for r in raised}
    for cluster in clusters:
        cluster.raised = by_key.get((cluster.key, cluster.category_id))
    _raised_by_members([c for c in clusters if c.raised is None], area)


def _member_ids(cluster) -> list[int]:
    """A computed cluster's members, or a stored one's member ids (the list reads the stored run)."""
    stored = getattr(cluster, "member_ids", None)
    return list(stored) if stored is not None else [d.pk for d in cluster.members]


def _raised_by_members(clusters: list, area: Area) -> None:
    """A 类案 whose words drifted as new demands joined it (its computed key is no longer the one raised) is still
    the one raised: found by the demands it took in (one query)."""
    ids = {pk: c for c in clusters for pk in _member_ids(c)}
    if not ids:
        return
    taken = (ClusterMember.objects.filter(demand_id__in=ids, cluster__is_open=True)
             .filter(Q(cluster__path__in=area.ancestor_paths()) | Q(cluster__path__startswith=area.path))
             .select_related("cluster", "cluster__topic"))
    for member in taken:
        cluster = ids[member.demand_id]
        if cluster.raised is None and member.cluster.category_id == cluster.category_id:
            cluster.raised = member.cluster
