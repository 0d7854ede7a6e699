"""Statements prepared once per connection and run with server-side binding (PostgreSQL).

Django opens psycopg connections with prepared statements off (`prepare_threshold = None`, for connection
poolers), and psycopg then silently ignores `prepare=True`. A few hot statements are long enough that planning
them costs the server more than running them (a ballot: ~4 ms to plan, ~1 ms to run; docs/adr/0002): for
those, `execute_prepared` sets a threshold no query reaches on the connection — so only statements executed
here are prepared — and plans them once. Django's own queries keep client-side binding and are never prepared.
Behind a transaction-mode pooler (DB_POOLER=pgbouncer, docs/deploy.md) FAST_PATHS is off: a statement prepared
here, and the connection's `plan_cache_mode`, would stay on one server connection while the next transaction runs on
another. The same statements then go through Django's cursor, planned each time.
"""

from __future__ import annotations

import re
import weakref
from functools import lru_cache
from typing import Any

import psycopg
from django.conf import settings
from django.db import connection
from psycopg.types.numeric import Int8

ONLY_WHEN_ASKED = 2**31 - 1  # psycopg prepare_threshold: prepare only statements executed with prepare=True
_ready: weakref.WeakSet = weakref.WeakSet()  # connections set up for prepared statements


def execute_prepared(sql: str, params: dict[str, Any] | list[Any]) -> tuple | None:
    """Run `sql` on this thread's Django connection as a prepared statement; the first row, or None.

    PostgreSQL would also keep re-planning a prepared statement whose generic plan it guesses dearer than a
    custom one: the connection plans them generically (`plan_cache_mode`), which only prepared statements use."""
    if not settings.FAST_PATHS:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchone()
    connection.ensure_connection()
    raw = connection.connection
    if raw not in _ready:
        raw.prepare_threshold = ONLY_WHEN_ASKED
        raw.execute("SET plan_cache_mode = force_generic_plan")
        _ready.add(raw)
    query, names = _positional(sql)
    values = [_stable(params[name]) for name in names] if isinstance(params, dict) else [_stable(v) for v in params]
    # Errors come out as Django's (IntegrityError …), and mark the connection for its health check.
    with connection.wrap_database_errors, psycopg.RawCursor(raw) as cursor:  # server-side binding, prepared
        return cursor.execute(query, values, prepare=True).fetchone()


def _stable(value: Any) -> Any:
    """Integers as bigint. psycopg types each int by its size (smallint for 5, integer for 40,000), and a
    prepared statement is kept per text *and* parameter types: without this the same statement would be
    prepared again for each mix of small and large ids."""
    return Int8(value) if type(value) is int else value


_PLACEHOLDER = re.compile(r"%%|%\((\w+)\)s|%s")


@lru_cache(maxsize=128)
def _positional(sql: str) -> tuple[str, tuple[str, ...]]:
    """`sql` with psycopg's placeholders (`%(name)s`, or `%s` in order) turned into PostgreSQL's own `$1, $2…`
    once, and the param names in that order. psycopg would otherwise parse these long statements on every
    execution (it caches only statements under 4 KB and 50 params): ~0.25 ms of CPU per submission."""
    names: list[str] = []
    positional = 0

    def number(match: re.Match) -> str:
        nonlocal positional
        if match[0] == "%%":
            return "%"
        if match[1] is None:
            positional += 1
            return f"${positional}"
        if match[1] not in names:
            names.append(match[1])
        return f"${names.index(match[1]) + 1}"

    query = _PLACEHOLDER.sub(number, sql)
    if names and positional:
        raise ValueError("execute_prepared: named and positional placeholders mixed")
    return query, tuple(names)
