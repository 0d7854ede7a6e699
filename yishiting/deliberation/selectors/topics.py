"""Reads of topics (议题): the public list of a community's topics and the open topics a demand may join."""

from __future__ import annotations

from django.db.models import Count, QuerySet

from yishiting.areas.models import Area

from ..models import Topic
from ..transitions import MERGEABLE


def topics_of_community(community: Area) -> QuerySet[Topic]:
    """Every topic at or under a community, newest first, with how many demands each one gathers.

    This list is public (a noticeboard): callers show titles, levels and status only, never who proposed.
    """
    return (Topic.objects.filter(path__startswith=community.path)
            .select_related("level_area", "level_area__level")
            .annotate(demand_count=Count("demands"))
            .order_by("-created_at", "-pk"))


def open_topics_covering(area: Area) -> QuerySet[Topic]:
    """Open topics a demand at `area` may be merged into: those held at the area itself or above it."""
    return (Topic.objects.filter(status__in=MERGEABLE, path__in=area.ancestor_paths())
            .select_related("level_area").order_by("-created_at"))
