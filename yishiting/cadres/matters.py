"""履职实绩 in the archive: what the cadre led in this system and how it ended, read live from the records of
deliberation, handling, mediation and whistles (never copied here) with the overview's one 办结 rule
(oversight.funnel), and their 先锋指数 from oversight's snapshots. Each kind is two bounded queries: a count
with the finished part, and the latest RECENT rows."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext_lazy

from yishiting.deliberation.choices import MeetingStatus
from yishiting.deliberation.models import Meeting, Topic
from yishiting.handling.choices import TaskStatus
from yishiting.handling.models import Task
from yishiting.mediation.models import MediationCase
from yishiting.oversight import funnel
from yishiting.oversight.models import IndexSnapshot
from yishiting.oversight.models.indices import IndexKind
from yishiting.whistles.choices import WhistleStatus
from yishiting.whistles.models import Whistle

RECENT = 5
RATINGS = 6


@dataclass
class Item:
    title: str
    status: str
    when: date | datetime | None
    done: bool


@dataclass
class MatterKind:
    key: str
    label: str
    total: int
    done: int
    recent: list[Item] = field(default_factory=list)


def _kind(key: str, label, rows: QuerySet, done: Q, when: str, title: str = "title") -> MatterKind:
    counts = rows.order_by().aggregate(total=Count("pk", distinct=True), done=Count("pk", filter=done, distinct=True))
    recent = [Item(getattr(r, title), str(r.get_status_display()), getattr(r, when), _is_done(key, r))
              for r in rows.order_by(f"-{when}", "-pk")[:RECENT]]
    return MatterKind(key, str(label), counts["total"], counts["done"], recent)


def _is_done(key: str, row) -> bool:
    if key == "topics":
        return row.status in funnel.DONE
    if key == "tasks":
        return row.status == TaskStatus.CLOSED
    if key == "cases":
        return row.status in funnel.DONE_CASE
    if key == "whistles":
        return row.status == WhistleStatus.CLOSED
    return row.status == MeetingStatus.CLOSED


def matters_led(person_id: int) -> list[MatterKind]:
    """议题提议、主持会议、经办任务、主持调解、吹哨 of one person, each with how many are finished."""
    return [
        _kind("topics", gettext_lazy("提议的议题"), Topic.objects.filter(proposer_id=person_id),
              Q(status__in=funnel.DONE), "created_at"),
        _kind("meetings", gettext_lazy("主持的会议"), Meeting.objects.filter(chair_id=person_id),
              Q(status=MeetingStatus.CLOSED), "starts_at"),
        _kind("tasks", gettext_lazy("经办的任务"), Task.objects.filter(handler_id=person_id),
              Q(status=TaskStatus.CLOSED), "deadline"),
        _kind("cases", gettext_lazy("主持的调解"),
              MediationCase.objects.filter(mediators__person_id=person_id, mediators__is_lead=True).distinct(),
              Q(status__in=funnel.DONE_CASE), "created_at"),
        _kind("whistles", gettext_lazy("吹哨的事项"), Whistle.objects.filter(blown_by_id=person_id),
              Q(status=WhistleStatus.CLOSED), "blown_at"),
    ]


def pioneer_ratings(person_id: int) -> list[IndexSnapshot]:
    """The person's latest 先锋指数 (oversight's snapshots, a party member's rank among their community's)."""
    return list(IndexSnapshot.objects.filter(kind=IndexKind.PIONEER, person_id=person_id)
                .order_by("-start", "period", "pk")[:RATINGS])
