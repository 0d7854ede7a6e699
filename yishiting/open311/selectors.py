"""Reads for Open311: our demand statuses mapped onto GeoReport's open/closed, and the request filters.

A demand is `closed` when nothing more will happen to it through this loop: rejected (不予受理), merged into
another demand, or its topic / task / mediation case has ended. Everything else — waiting for screening,
escalated, being deliberated, handled or mediated — is `open`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Q, QuerySet

from yishiting.deliberation.transitions import FINISHED
from yishiting.demands.choices import Status
from yishiting.demands.models import Demand
from yishiting.demands.selectors import demands_visible_to
from yishiting.handling.models import Task
from yishiting.mediation.models import MediationCase

OPEN, CLOSED = "open", "closed"
# GeoReport v2 sets no page size. Ours: 100 a page by default (as other Open311 servers answer), up to 1,000
# with page_size, paged with page (issue 18: 1,000 rows a request made every read slow).
PAGE_SIZE, MAX_PAGE_SIZE, MAX_PAGE = 100, 1000, 10_000
# What a request's answer reads (views._request), nothing more: one query, no prefetches, no unused columns.
REQUEST_FIELDS = ("id", "number", "status", "outcome_reason", "text", "address", "latitude", "longitude",
                  "created_at", "screened_at", "screening_deadline", "path", "category__name", "category__code",
                  "screening_area__full_name", "screening_area__name", "topic__status", "task__status",
                  "mediation__status")

CLOSED_Q = (Q(status__in=[Status.REJECTED, Status.MERGED])
            | Q(status=Status.TOPIC, topic__status__in=FINISHED)
            | Q(status=Status.HANDLING, task__status=Task.Status.CLOSED)
            | Q(status=Status.MEDIATION, mediation__status=MediationCase.Status.CLOSED))


def status_of(demand: Demand) -> str:
    """The same rule as CLOSED_Q, for one demand already loaded with its outcome records."""
    return status_from(demand.status, demand.topic.status if demand.topic is not None else None,
                       demand.task.status if demand.task is not None else None,
                       demand.mediation.status if demand.mediation is not None else None)


def status_from(status: str, topic_status: str | None, task_status: str | None, mediation_status: str | None) -> str:
    """The same rule as CLOSED_Q, from a demand's status and those of its topic, task and mediation case."""
    if status in (Status.REJECTED, Status.MERGED):
        return CLOSED
    if status == Status.TOPIC:
        return CLOSED if topic_status in FINISHED else OPEN
    record = {Status.HANDLING: task_status, Status.MEDIATION: mediation_status}.get(status)
    return CLOSED if record == "closed" else OPEN


@dataclass
class RequestFilter:
    ids: list[int] | None = None
    service_codes: list[str] | None = None
    statuses: list[str] | None = None
    start: datetime | None = None
    end: datetime | None = None
    page: int = 1
    page_size: int = PAGE_SIZE


def service_requests(user) -> QuerySet[Demand]:
    """Every demand the caller may see (demands.view), newest first: the columns an Open311 request shows, and
    the status of what screening created (topic, task, mediation case) joined in the same query."""
    return (demands_visible_to(user).select_related(None)
            .select_related("category", "screening_area", "topic", "task", "mediation")
            .only(*REQUEST_FIELDS).order_by("-created_at", "-pk"))


def service_requests_filter(qs: QuerySet[Demand], f: RequestFilter) -> QuerySet[Demand]:
    """Per the spec, service_request_id overrides every other filter."""
    if f.ids is not None:
        return qs.filter(pk__in=f.ids)
    if f.service_codes:
        qs = qs.filter(category__code__in=f.service_codes)
    if f.statuses and set(f.statuses) != {OPEN, CLOSED}:
        qs = qs.filter(CLOSED_Q) if f.statuses == [CLOSED] else qs.exclude(CLOSED_Q)
    if f.start:
        qs = qs.filter(created_at__gte=f.start)
    if f.end:
        qs = qs.filter(created_at__lte=f.end)
    start = (f.page - 1) * f.page_size
    return qs[start:start + f.page_size]


# A list answer's columns as plain values (views._row): no model objects for a hundred rows and their five
# related records (issue 18: building them was most of the answer's time).
ROW_FIELDS = ("id", "number", "status", "outcome_reason", "text", "address", "latitude", "longitude", "created_at",
              "screened_at", "screening_deadline", "category__name", "category__code", "screening_area__full_name",
              "topic__status", "task__status", "mediation__status")


def service_request_rows(qs: QuerySet[Demand], f: RequestFilter) -> list[tuple]:
    """The page of `service_requests_filter` as tuples of ROW_FIELDS, in one query."""
    return list(service_requests_filter(qs, f).values_list(*ROW_FIELDS))
