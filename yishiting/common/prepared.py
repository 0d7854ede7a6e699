"""Statements prepared once per connection and run with server-side binding (PostgreSQL).

Django opens psycopg connections with prepared statements off (`prepare_threshold = None`, for connection
poolers), and psycopg then silently ignores `prepare=True`. A few hot statements are long enough that planning
them costs the server more than running them (a ballot: ~4 ms to plan, ~1 ms to run; docs/adr/0002): for
those, `execute_prepared` sets a threshold no query reaches on the connection — so only statements executed
here are prepared — and plans them once. Django's own queries keep client-side binding and are never prepared.
Behind a transaction-mode pgbouncer older than 1.21 set FAST_PATHS=false (the callers then stay on Django's
cursor).
"""

from __future__ import annotations

import weakref
from typing import Any

import psycopg
from django.db import connection

ONLY_WHEN_ASKED = 2**31 - 1  # psycopg prepare_threshold: prepare only statements executed with prepare=True
_ready: weakref.WeakSet = weakref.WeakSet()  # connections set up for prepared statements


def execute_prepared(sql: str, params: dict[str, Any] | list[Any]) -> tuple | None:
    """Run `sql` on this thread's Django connection as a prepared statement; the first row, or None.

    PostgreSQL would also keep re-planning a prepared statement whose generic plan it guesses dearer than a
    custom one: the connection plans them generically (`plan_cache_mode`), which only prepared statements use."""
    connection.ensure_connection()
    raw = connection.connection
    if raw not in _ready:
        raw.prepare_threshold = ONLY_WHEN_ASKED
        raw.execute("SET plan_cache_mode = force_generic_plan")
        _ready.add(raw)
    # Errors come out as Django's (IntegrityError …), and mark the connection for its health check.
    with connection.wrap_database_errors, psycopg.Cursor(raw) as cursor:  # server-side binding, prepared at once
        return cursor.execute(sql, params, prepare=True).fetchone()
