"""Reads of the liaison app: links and records within the reader's scope, the leader's 我联系的社区 glance (the
oversight overview's own selectors and funnel rules, called — never counted again here), what became of each
raised matter, and the yearly count per deputy."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum

from yishiting.areas.models import Area
from yishiting.areas.selectors import person_of_user
from yishiting.common.rules import scope_for
from yishiting.deliberation.models import Meeting
from yishiting.handling.kpis import Figure
from yishiting.oversight import funnel as funnel_rules
from yishiting.oversight import overview
from yishiting.oversight.periods import Period

from .models import ContactRecord, LiaisonLink, RaisedMatter, in_force_q

RECENT_MEETINGS = 3
PRESSING = 5


def links_visible_to(user) -> QuerySet[LiaisonLink]:
    person = person_of_user(user)
    own = Q(leader_id=person.pk) if person is not None else None
    return (LiaisonLink.objects.filter(scope_for(user, "liaison.links_view").q(own=own))
            .select_related("leader", "community"))


def link_search(queryset: QuerySet[LiaisonLink], *, text: str = "", state: str = "",
                today: date | None = None) -> QuerySet[LiaisonLink]:
    if text:
        queryset = queryset.filter(Q(leader__name__contains=text) | Q(community__name__contains=text))
    if state == "current" and today is not None:
        queryset = queryset.filter(in_force_q(today))
    elif state == "ended":
        queryset = queryset.exclude(in_force_q(today or date.today()))
    return queryset


def my_links(user, today: date) -> QuerySet[LiaisonLink]:
    """The links of the signed-in leader in force today."""
    person = person_of_user(user)
    if person is None:
        return LiaisonLink.objects.none()
    return (LiaisonLink.objects.filter(in_force_q(today), leader_id=person.pk).select_related("community")
            .order_by("community__path"))


@dataclass
class Glance:
    """One linked community at a glance: open items by stage with the overdue and red-warned, the most pressing
    items, recent meetings and this year's satisfaction."""

    link: LiaisonLink
    stages: list[Any]
    pressing: list[dict[str, Any]]
    meetings: list[Meeting]
    satisfaction: Figure | None
    totals: dict[str, int] = field(default_factory=dict)


def _satisfaction(area: Area, today: date) -> Figure | None:
    period = Period("year", date(today.year, 1, 1), date(today.year, 12, 31))
    figures = overview.rates(area, period, keys=["satisfaction"]).figures
    return figures[0] if figures else None


def glance(link: LiaisonLink, today: date) -> Glance:
    area = link.community
    stages = overview.open_stages(area, today)
    meetings = list(Meeting.objects.filter(path__startswith=area.path).order_by("-starts_at", "-pk")[:RECENT_MEETINGS])
    totals = {"open": sum(s.open for s in stages), "overdue": sum(s.overdue for s in stages),
              "red": sum(s.red for s in stages)}
    return Glance(link, stages, overview.open_items(area, today, limit=PRESSING), meetings,
                  _satisfaction(area, today), totals)


def records_visible_to(user) -> QuerySet[ContactRecord]:
    scope = scope_for(user, "liaison.records_view")
    own = Q(deputy_id=scope.own_person_id) if scope.own_person_id else None
    return ContactRecord.objects.filter(scope.q(own=own)).select_related("deputy", "area")


def record_search(queryset: QuerySet[ContactRecord], *, text: str = "", method: str = "", year: int | None = None,
                  deputy_id: int | None = None, area: Area | None = None) -> QuerySet[ContactRecord]:
    if text:
        queryset = queryset.filter(Q(place__contains=text) | Q(summary__contains=text)
                                   | Q(deputy__name__contains=text)
                                   | Q(pk__in=RaisedMatter.objects.filter(text__contains=text).values("record")))
    if method:
        queryset = queryset.filter(method=method)
    if year:
        queryset = queryset.filter(held_on__year=year)
    if deputy_id:
        queryset = queryset.filter(deputy_id=deputy_id)
    if area is not None:
        queryset = queryset.filter(path__startswith=area.path)
    return queryset


@dataclass
class MatterRow:
    matter: RaisedMatter
    status: str  # the demand's status in words, or "" before it became one
    done: bool  # 办结 by the overview's one rule (oversight.funnel.is_done)


def matter_rows(record: ContactRecord) -> list[MatterRow]:
    matters = record.matters.select_related("demand__topic", "demand__task", "demand__mediation").order_by("pk")
    rows = []
    for matter in matters:
        demand = matter.demand
        if demand is None:
            rows.append(MatterRow(matter, "", False))
            continue
        done = funnel_rules.is_done(demand.topic.status if demand.topic else None,
                                    demand.task.status if demand.task else None,
                                    demand.mediation.status if demand.mediation else None)
        rows.append(MatterRow(matter, str(demand.get_status_display()), done))
    return rows


@dataclass
class DeputyYear:
    deputy_id: int
    name: str
    contacts: int
    people: int
    raised: int
    demands: int
    done: int


def yearly_counts(records: QuerySet[ContactRecord], year: int) -> list[DeputyYear]:
    """Per deputy in `year`: contacts, people met, matters raised, turned into demands, and done (办结 as the
    overview counts it: oversight.funnel.done_q)."""
    base = records.filter(held_on__year=year).order_by()
    contacts = {r["deputy"]: r for r in base.values("deputy", "deputy__name")
                .annotate(n=Count("pk", distinct=True), people=Sum("people_count"))}
    done = funnel_rules.done_q("demand__topic__status", "demand__task__status", "demand__mediation__status")
    matters = {r["record__deputy"]: r for r in RaisedMatter.objects.filter(record__in=base.values("pk"))
               .values("record__deputy").annotate(raised=Count("pk"), demands=Count("demand"),
                                                   done=Count("pk", filter=done)).order_by()}
    rows = [DeputyYear(pk, r["deputy__name"], r["n"], r["people"] or 0, matters.get(pk, {}).get("raised", 0),
                       matters.get(pk, {}).get("demands", 0), matters.get(pk, {}).get("done", 0))
            for pk, r in contacts.items()]
    return sorted(rows, key=lambda row: (-row.contacts, row.name))
