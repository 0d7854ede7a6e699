"""Reads of topics (议题): the public list of a community's topics and the open topics a demand may join."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connection
from django.db.models import BooleanField, Count, Expression, Q, QuerySet

from yishiting.areas.models import Area
from yishiting.common.events import events_of
from yishiting.common.models import Event
from yishiting.common.rules import scope_for

from ..choices import OpinionChannel, Stance
from ..models import Opinion, Topic
from ..transitions import MERGEABLE


def topics_of_community(community: Area) -> QuerySet[Topic]:
    """Every topic at or under a community, newest first (each with its stored `demand_count`).

    This list is public (a noticeboard): callers show titles, levels and status only, never who proposed.
    """
    return (Topic.objects.filter(path__startswith=community.path)
            .select_related("level_area", "level_area__level")
            .order_by("-created_at", "-pk"))


def open_topics_covering(area: Area) -> QuerySet[Topic]:
    """Open topics a demand at `area` may be merged into: those held at the area itself or above it."""
    return (Topic.objects.filter(status__in=MERGEABLE, path__in=area.ancestor_paths())
            .select_related("level_area").order_by("-created_at"))


def topics_visible_to(user) -> QuerySet[Topic]:
    """Topics the user may see: held within their scope, or reaching into it (a street topic scoped to their
    community). Newest first, with the level, scope, template and proposer; the count of demands gathered is
    the stored `demand_count` (no join to demands: a page of 100 k topics reads 30 rows)."""
    scope = scope_for(user, "deliberation.view")
    return (Topic.objects.filter(scope.q("path") | scope.q("scope_area_path"))
            .select_related("level_area", "level_area__level", "scope_area", "template", "proposer")
            .order_by("-created_at", "-pk"))


def as_index_rows(queryset: QuerySet[Topic]) -> QuerySet[Topic]:
    """Only what the topic index shows of each row (title, status, level and scope names, date, the stored
    demand count): no template or proposer joined and no long texts read, a third of the page's row cost."""
    return queryset.select_related(None).select_related("level_area", "scope_area").defer(
        "description", "analysis", "draft_plan")


class ShortGramsContain(Expression):
    """The topic's title or description holds this 1–2 character term, read from the GIN index over
    `deliberation_short_grams` (deliberation migration 0009; PostgreSQL only). pg_trgm answers terms of three
    characters and more; a shorter one holds no trigram, and without this the search read every topic
    (60–90 ms at 100 k). The icontains beside it stays: where the planner walks the newest-first index instead
    (a common term), the cheap LIKE runs first and this only on the rows that pass."""

    conditional = True
    output_field = BooleanField()

    def __init__(self, term: str) -> None:
        super().__init__()
        self.term = term

    def as_sql(self, compiler, connection):
        table = compiler.quote_name_unless_alias(Topic._meta.db_table)
        return (f"deliberation_short_grams({table}.\"title\", {table}.\"description\") @> ARRAY[upper(%s)]",
                [self.term])


def topic_search(queryset: QuerySet[Topic], *, status: str | None = None, text: str | None = None,
                 area_path: str | None = None) -> QuerySet[Topic]:
    """One filter for the API list and the topic page: status, words in the title or description, an area."""
    if status:
        queryset = queryset.filter(status=status)
    if text:
        queryset = queryset.filter(Q(title__icontains=text) | Q(description__icontains=text))
        if len(text) < 3 and connection.vendor == "postgresql":
            queryset = queryset.filter(ShortGramsContain(text))
    if area_path:
        queryset = queryset.filter(path__startswith=area_path)
    return queryset


@dataclass
class OpinionSummary:
    total: int
    support: int
    oppose: int
    other: int
    door: int


def opinion_summary(topic: Topic) -> OpinionSummary:
    """How many gave each stance (one query), and how many were taken door to door."""
    counts = {row["stance"]: row["n"] for row in topic.opinions.values("stance").annotate(n=Count("pk"))}
    door = topic.opinions.filter(channel=OpinionChannel.DOOR).count()
    return OpinionSummary(total=sum(counts.values()), support=counts.get(Stance.SUPPORT, 0),
                          oppose=counts.get(Stance.OPPOSE, 0), other=counts.get(Stance.OTHER, 0), door=door)


def opinions_of(topic: Topic) -> QuerySet[Opinion]:
    """The opinions, newest change first; callers show the names masked (张*)."""
    return topic.opinions.select_related("person").order_by("-updated_at", "-pk")


def topic_timeline(topic: Topic) -> list[Event]:
    return list(events_of(topic))
