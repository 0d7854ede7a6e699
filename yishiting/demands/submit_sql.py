"""PostgreSQL: a new demand and everything it brings, written by one statement.

Every submission of a district passes through the district's number counter (gapless numbers per district and
year: `intake.next_number`). If Python takes the number first and writes the rows afterwards, the counter row
stays locked while Python builds the rows and while the commit travels back and forth — and a worker process
that loses its core in between holds up the whole district. Here the counter's UPDATE is the first CTE of the
one statement that inserts the demand (its id from the sequence, its number from the counter), its
idempotency record, its similar-demand index rows, its first event (the hash computed by the server, with the
number spliced into the hashed body: `common.events.first_event_sql`) and the reporter's notification (the
number in its text). Outside a transaction it commits with the statement, so the lock lasts as long as the
server runs it; inside one (a test, an import) it runs in a savepoint. Nothing is written when it fails: a
unique-key conflict (a concurrent retry with the same Idempotency-Key) raises IntegrityError as before.

The rows are the ones the other path (`services._create`: number first, then `common.inserts`) writes on
SQLite and when photos are stored; the tests compare both.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from yishiting.common.events import Column, first_event_sql, normalize_payload
from yishiting.common.inserts import insert_select
from yishiting.common.models import Event
from yishiting.common.prepared import execute_prepared
from yishiting.notifications.models import Notification

from .intake import RESERVE_DEMAND_ID, counter_update
from .models import Demand, DemandCounter, DemandKey, IdempotencyRecord

# 2026-000123: six digits, more when a district passes a million demands in a year (as Python's %06d).
_NUMBER = ("%(c_prefix)s || CASE WHEN last < 1000000 THEN lpad(last::text, 6, '0') ELSE last::text END")


@dataclass
class NewRows:
    """What the statement inserts besides the demand (`demand` has no id and no number yet)."""

    demand: Demand
    record: IdempotencyRecord | None
    keys: DemandKey | None  # a template: one row per entry of `key_values`
    key_values: list[str]
    event_kind: str
    event_actor: Any
    event_payload: dict[str, Any]  # "number": filled in by the statement
    notification: Notification | None
    notice: tuple[str, str]  # the notification's text before and after the number


def _statement(rows: NewRows, *, at: datetime) -> tuple[str, dict[str, Any]]:
    year = timezone.localdate().year
    params: dict[str, Any] = {"district": rows.demand.district_id, "year": year, "c_prefix": f"{year}-"}
    ctes = [f"n AS ({counter_update(f'{_NUMBER} AS number, {RESERVE_DEMAND_ID} AS id')})"]

    def add(sql_and_params: tuple[str, dict[str, Any]]) -> None:
        ctes.append(sql_and_params[0])
        params.update(sql_and_params[1])

    add(insert_select(rows.demand, name="d", source="n", computed={"id": "n.id", "number": "n.number"},
                      prefix="d_"))
    if rows.record is not None:
        add(insert_select(rows.record, name="i", source="n", computed={"demand_id": "n.id"}, prefix="i_"))
    if rows.keys is not None and rows.key_values:
        rows.keys.created_at = rows.demand.created_at  # filled in just above (auto_now_add)
        add(insert_select(rows.keys, name="k", source="n, unnest(%(k_keys)s::text[]) AS keys(key)",
                          computed={"key": "keys.key", "demand_id": "n.id"}, prefix="k_"))
        params["k_keys"] = rows.key_values
    if rows.notification is not None:
        params.update(m_before=rows.notice[0], m_after=rows.notice[1])
        add(insert_select(rows.notification, name="m", source="n", prefix="m_", computed={
            "text": "%(m_before)s || n.number || %(m_after)s", "link": "'/demands/' || n.id || '/'",
            "subject_id": "n.id::text"}))
    add(first_event_sql(source="n", subject_type=Demand._meta.label_lower, kind=rows.event_kind,
                        actor=rows.event_actor, payload={**rows.event_payload, "number": Column("number", text=True)},
                        at=at))
    return f"WITH {', '.join(ctes)} SELECT n.id, n.number, (SELECT hash FROM event_rows) FROM n", params


def insert_demand(rows: NewRows) -> None:
    """Write the rows; fills in the demand's id, number and `submitted_event` (and the notification's text,
    link and subject)."""
    at = timezone.now()
    sql, params = _statement(rows, at=at)
    row = _execute(sql, params)
    if row is None:  # the district's first demand of the year: no counter row yet
        DemandCounter.objects.get_or_create(district_id=rows.demand.district_id, year=params["year"])
        row = _execute(sql, params)
    demand_id, number, digest = row
    demand = rows.demand
    demand.pk, demand.number = demand_id, number
    demand._state.adding, demand._state.db = False, connection.alias
    if rows.notification is not None:
        rows.notification.text = f"{rows.notice[0]}{number}{rows.notice[1]}"
        rows.notification.link, rows.notification.subject_id = f"/demands/{demand_id}/", str(demand_id)
    demand.submitted_event = Event(
        subject_type=Demand._meta.label_lower, subject_id=str(demand_id), seq=1, kind=rows.event_kind,
        actor_id=params["ev_actor"], at=at, payload=normalize_payload({**rows.event_payload, "number": number}),
        prev_hash="", hash=digest)


def _execute(sql: str, params: dict[str, Any]) -> tuple | None:
    if connection.in_atomic_block:  # a failure must not break the caller's transaction
        with transaction.atomic():
            return execute_prepared(sql, params)
    return execute_prepared(sql, params)  # a handful of texts (with or without a key, a notification…)
