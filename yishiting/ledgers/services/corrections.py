"""Hours corrected after they were confirmed (`volunteers.hours_adjusted`) are put right in the ledgers by one
more line each — never by editing the deposit (the entries are append-only).

The correction event says `{"area", "person", "from", "to"}`. What the ledger moves is worked out from the event
log alone: the hours before this correction are the `to` of the subject's previous correction, or the earning
event's hours; so each correction posts `to − previous` and a chain of corrections adds up to the last one,
whatever order they are processed in. Only what was credited is corrected: the hours if the earning event
deposited them (the served person's rating was high enough), and the per-hour points of each rule that credited
it. Keys `h:e<correction>:p<person>` and `p:e<correction>:r<rule>:p<person>`: processed twice, corrects once.
A cut larger than what is left (the hours were spent meanwhile) takes what is left and says so in the note."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from yishiting.common.models import Event

from ..choices import HourKind, PointKind
from ..models import HourEntry, PointEntry
from ..sources import EARNING_KINDS, _hours
from .ledger import Line, locked_balance, post_hours, post_points

CORRECTION_KINDS = frozenset({"volunteers.hours_adjusted"})


def _same_subject(event: Event) -> Q:
    return Q(subject_type=event.subject_type, subject_id=event.subject_id)


def _before(event: Event, person_id: int) -> tuple[Event | None, Decimal | None]:
    """The earning event of the corrected record and the hours this correction starts from."""
    earning = (Event.objects.filter(_same_subject(event), kind__in=EARNING_KINDS, pk__lt=event.pk)
               .order_by("pk").first())
    if earning is None:
        return None, None
    previous = (Event.objects.filter(_same_subject(event), kind=event.kind, pk__lt=event.pk)
                .order_by("-pk").first())
    if previous is not None:
        return earning, _hours(previous.payload.get("to")) or Decimal("0")
    rows = earning.payload.get("earners") if isinstance(earning.payload, dict) else None
    row = next((r for r in rows or [] if isinstance(r, dict) and r.get("person") == person_id), None)
    return earning, (_hours(row.get("hours")) or Decimal("0")) if row else None


def _plain(hours: Decimal) -> str:
    return f"{hours.normalize():f}"


def correct_event(event: Event) -> int:
    """Post the correcting lines of one correction event (idempotent). Returns lines written."""
    payload = event.payload if isinstance(event.payload, dict) else {}
    person_id, new = payload.get("person"), payload.get("to")
    if not isinstance(person_id, int) or new in (None, ""):
        return 0
    new = _hours(new) or Decimal("0")
    earning, old = _before(event, person_id)
    if earning is None or old is None or new == old:
        return 0
    day, written = timezone.localdate(event.at), 0
    with transaction.atomic():
        balance = locked_balance(person_id)
        deposit = HourEntry.objects.filter(key=f"h:e{earning.pk}:p{person_id}").first()
        if deposit is not None:
            delta = max(new - old, -balance.hours)
            note = f"服务时长更正：{_plain(old)} → {_plain(new)} 小时"  # zh-only: stored in the line, as data
            if delta != new - old:
                note += "（已支取部分无法扣回）"  # zh-only: stored in the line
            written += bool(delta) and bool(post_hours(Line(
                key=f"h:e{event.pk}:p{person_id}", person_id=person_id, event=event, kind=HourKind.CORRECTED,
                amount=delta, rule=deposit.rule, area_id=deposit.area_id, note=note, day=day), balance=balance))
        for credit in PointEntry.objects.filter(event=earning, person_id=person_id, rule__points_per_hour__gt=0):
            rule = credit.rule
            delta = int(rule.points_per_hour * new) - int(rule.points_per_hour * old)
            given = sum(PointEntry.objects.filter(  # never take back more than this record earned by the rule
                rule=rule, person_id=person_id, event__in=Event.objects.filter(_same_subject(event)))
                .values_list("points", flat=True))
            delta = max(delta, -balance.points, -given)
            written += bool(delta) and bool(post_points(Line(
                key=f"p:e{event.pk}:r{rule.pk}:p{person_id}", person_id=person_id, event=event,
                kind=PointKind.CORRECTED, amount=delta, rule=rule, area_id=credit.area_id,
                note=f"{rule.name}：服务时长更正", day=day), balance=balance))  # zh-only: stored in the line
    return written
