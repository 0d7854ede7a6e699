"""A unit's answers to whistles, as its yearly rating counts them (oversight.rating, part 应哨记录)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.utils import timezone

from .choices import ResponseStatus
from .models import WhistleResponse


def _outcome(response: WhistleResponse, cutoff: date) -> str:
    if response.status == ResponseStatus.RESPONDED and response.responded_at is not None:
        return "late" if response.late else "on_time"
    if response.status == ResponseStatus.MISSED:
        return "late"
    return "late" if response.deadline < cutoff else "pending"


def response_outcomes(org, year: int, cutoff: date) -> list[dict[str, Any]]:
    """Each call of the unit by a whistle blown in `year` (withdrawn ones left out), with its outcome: on time,
    late (answered after the deadline, never answered by the close, or still waiting past it), pending."""
    rows = (WhistleResponse.objects.filter(organization=org, whistle__blown_at__year=year)
            .exclude(status=ResponseStatus.CANCELLED).select_related("whistle").order_by("pk"))
    return [{"kind": "whistle_response", "id": r.pk, "whistle": r.whistle_id, "number": r.whistle.number,
             "title": r.whistle.title, "deadline": r.deadline.isoformat(), "status": r.status,
             "responded": timezone.localtime(r.responded_at).date().isoformat() if r.responded_at else None,
             "outcome": _outcome(r, cutoff)} for r in rows]


def response_tallies(organization_ids: list[int], year: int, cutoff: date) -> dict[int, tuple[int, int]]:
    """{unit id: (answered on time, late)} for many units in one grouped query, by the rule of `_outcome` (the
    ratings list: oversight.rating_batch)."""
    from django.db.models import Count, Q

    answered = Q(status=ResponseStatus.RESPONDED, responded_at__isnull=False)
    waiting = ~Q(status=ResponseStatus.RESPONDED) | Q(responded_at__isnull=True)
    rows = (WhistleResponse.objects.filter(organization_id__in=organization_ids, whistle__blown_at__year=year)
            .exclude(status=ResponseStatus.CANCELLED).order_by().values("organization_id")
            .annotate(on_time=Count("pk", filter=answered & Q(late=False)),
                      late=Count("pk", filter=(answered & Q(late=True))
                                 | (waiting & (Q(status=ResponseStatus.MISSED) | Q(whistle__deadline__lt=cutoff))))))
    return {r["organization_id"]: (r["on_time"], r["late"]) for r in rows}
