"""Who earned what by one event: the issue-19 contract's payload, or, for older kinds, the record behind it.

The contract (docs/ledgers.md): `payload = {"area": <area id>, "earners": [{"person": id, "hours": "1.5",
"rating": 5}, …]}`. Older kinds do not carry earners: a demand screened into a topic (`demand.topic`) credits
its reporter in the demand's area; a sign-in at a meeting (`meeting.signed_in`) credits that participant in the
meeting's area. Anything malformed earns nothing (the processor skips it; a bad payload must never stop the
ledger)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from yishiting.common.models import Event

from .choices import EarningKind


@dataclass(frozen=True)
class Earner:
    person_id: int
    area_id: int | None
    hours: Decimal | None = None
    rating: int | None = None


def _hours(value) -> Decimal | None:
    try:
        hours = Decimal(str(value)).quantize(Decimal("0.01")) if value not in (None, "") else None
    except (InvalidOperation, ValueError):
        return None
    return hours if hours is not None and hours > 0 else None


def _rating(value) -> int | None:
    return value if isinstance(value, int) and 1 <= value <= 5 else None


def contract_earners(event: Event) -> list[Earner]:
    payload = event.payload if isinstance(event.payload, dict) else {}
    area = payload.get("area") if isinstance(payload.get("area"), int) else None
    earners = []
    for row in payload.get("earners") or []:
        if isinstance(row, dict) and isinstance(row.get("person"), int):
            earners.append(Earner(row["person"], area, _hours(row.get("hours")), _rating(row.get("rating"))))
    return earners


def suggestion_earners(event: Event) -> list[Earner]:
    from yishiting.demands.models import Demand

    row = Demand.objects.filter(pk=event.subject_id).values_list("reporter_id", "area_id").first()
    return [Earner(row[0], row[1])] if row and row[0] else []


def attendance_earners(event: Event) -> list[Earner]:
    from yishiting.deliberation.models import Participant

    participant = event.payload.get("participant") if isinstance(event.payload, dict) else None
    row = (Participant.objects.filter(pk=participant, meeting_id=event.subject_id)
           .values_list("person_id", "meeting__level_area_id").first())
    return [Earner(row[0], row[1])] if row else []


RESOLVERS: dict[str, Callable[[Event], list[Earner]]] = {
    EarningKind.SERVICE_RATED: contract_earners,
    EarningKind.HOURS_CONFIRMED: contract_earners,
    EarningKind.WISH_FULFILLED: contract_earners,
    EarningKind.DELIVERY_CONFIRMED: contract_earners,
    EarningKind.SUGGESTION_ACCEPTED: suggestion_earners,
    EarningKind.MEETING_ATTENDED: attendance_earners,
}

EARNING_KINDS = frozenset(RESOLVERS)


def earners_of(event: Event) -> list[Earner]:
    resolver = RESOLVERS.get(event.kind)
    return resolver(event) if resolver else []
