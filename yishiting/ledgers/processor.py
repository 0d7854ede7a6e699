"""The processor: reads the event log in id order from a cursor and credits the events of the rules' kinds.

Run by `yishiting tick` (`catch_up`) and, for each earning event, right after the commit that appended it
(`common.events.after_commit_of` → `process_now`), so a person sees their points at once. Both end in
`credits.credit_event`, which is idempotent (one line per event × rule × person, by the entries' unique key):
processing an event twice, or by two processors at once, credits it once.

Crash-safe: every event is credited in its own transactions and the cursor moves only after its batch is done,
so a crash means the batch is read again and credits nothing twice. Ids skipped because their transaction was
still open when read (PostgreSQL hands out ids before commit) are kept as `gaps` and read again until GAP_WAIT
has passed, like the roll-ups' cursor (oversight/projection.py)."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from yishiting.common.models import Event

from .models import LedgerCursor, PointRule
from .services.corrections import CORRECTION_KINDS, correct_event
from .services.credits import credit_event
from .sources import EARNING_KINDS

READ_KINDS = EARNING_KINDS | CORRECTION_KINDS  # what the processor acts on

log = logging.getLogger(__name__)

BATCH = 500
GAP_WAIT = timedelta(minutes=10)
CURSOR = "main"


def _rules_by_kind() -> dict[str, list[PointRule]]:
    rules: dict[str, list[PointRule]] = {}
    for rule in PointRule.objects.filter(is_active=True, kind__in=EARNING_KINDS).order_by("pk"):
        rules.setdefault(rule.kind, []).append(rule)
    return rules


def process_events(ids: list[int]) -> int:
    """Credit these events now (those of an earning kind) and post the corrections among them; returns points
    credited."""
    rules = _rules_by_kind()
    credited = 0
    for event in Event.objects.filter(pk__in=ids, kind__in=[*rules, *CORRECTION_KINDS]).order_by("pk"):
        if event.kind in CORRECTION_KINDS:
            correct_event(event)
        else:
            credited += credit_event(event, rules[event.kind])
    return credited


def process_now(event_id: int) -> None:
    """After the commit of an earning event. Never fails the request that appended it: a failure is logged and
    the next tick credits the event."""
    try:
        process_events([event_id])
    except Exception:  # noqa: BLE001 — the tick catches up; the resident's request has already succeeded
        log.exception("ledgers: crediting event %s failed; the tick will retry", event_id)


def _gaps(cursor: LedgerCursor, seen: set[int], top: int) -> list[list]:
    now = timezone.now()
    waiting = [[pk, at] for pk, at in cursor.gaps if pk not in seen and now - datetime.fromisoformat(at) < GAP_WAIT]
    if cursor.last_event_id:
        waiting += [[pk, now.isoformat()] for pk in range(max(cursor.last_event_id + 1, top - 10000), top)
                    if pk not in seen]
    return waiting[-10000:]


def _one_batch(batch: int) -> int:
    cursor = LedgerCursor.objects.get_or_create(name=CURSOR)[0]
    rows = list(Event.objects.filter(pk__gt=cursor.last_event_id).order_by("pk").values_list("pk", "kind")[:batch])
    if cursor.gaps:
        rows += list(Event.objects.filter(pk__in=[pk for pk, _ in cursor.gaps]).values_list("pk", "kind"))
    process_events(sorted(pk for pk, kind in rows if kind in READ_KINDS))
    seen = {pk for pk, _ in rows}
    with transaction.atomic():
        locked = LedgerCursor.objects.select_for_update().get(pk=cursor.pk)
        top = max(seen | {locked.last_event_id})
        if top >= locked.last_event_id:  # another processor may have moved it further meanwhile
            locked.gaps = _gaps(cursor, seen, top)
            locked.last_event_id, locked.caught_up_at = top, timezone.now()
            locked.save(update_fields=["gaps", "last_event_id", "caught_up_at"])
    return len(rows)


def catch_up(*, limit: int | None = None, batch: int = BATCH) -> int:
    """Credit every earning event written since the last run (about `limit` at most). Returns events read."""
    done = 0
    while limit is None or done < limit:
        read = _one_batch(batch if limit is None else min(batch, limit - done))
        done += read
        if read < batch:
            break
    return done


def pending() -> int:
    """Events not read yet (the tick's summary and the staff page say how far behind the ledger is)."""
    cursor = LedgerCursor.objects.filter(name=CURSOR).first()
    return Event.objects.filter(pk__gt=cursor.last_event_id if cursor else 0).count()

