"""The read replica (docs/replicas.md): with DATABASE_REPLICA_URL set, the heavy reads go to a PostgreSQL streaming
replica of the primary; everything else stays on the primary.

- Writes and migrations always go to the primary ("default").
- Reads go to the replica only inside an explicit heavy-read scope (`replica_reads()`, or `@heavy_read` on a GET
  view: the overview, rankings, ratings, the KPIs, their XLSX exports, the public figures). Everywhere else,
  including sessions, logins and permissions, reads the primary.
- A person reads their own writes: after a request of theirs that changed something (POST/PUT/PATCH/DELETE
  answered below 400) a signed cookie keeps their requests on the primary for REPLICA_STICKY_SECONDS
  (`ReadYourWritesMiddleware`). Inside a scope, a write, or an open transaction on the primary, sends the scope's
  later reads to the primary too.
- A replica that cannot be reached, or lags more than REPLICA_MAX_LAG_SECONDS, is left for REPLICA_RETRY_SECONDS
  (a warning in the log) and the primary serves the page; a heavy view whose replica connection breaks mid-way
  runs once more on the primary.
"""

from __future__ import annotations

import functools
import logging
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, DatabaseError, OperationalError, connections
from django.http import HttpRequest, HttpResponse

logger = logging.getLogger("yishiting.dbrouter")

REPLICA = "replica"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
STICKY_COOKIE = "yst_primary"
STICKY_SALT = "yishiting.dbrouter.sticky"
LAG_CHECK_SECONDS = 2.0  # a lag measured within this long still holds (one query per heavy page at most)
# How far the replica is behind: 0 when it has replayed all it has received (an idle primary is not lag).
LAG_SQL = """SELECT CASE WHEN pg_last_wal_receive_lsn() IS NOT DISTINCT FROM pg_last_wal_replay_lsn() THEN 0
    ELSE COALESCE(EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()), 0) END"""


@dataclass
class _Scope:
    alias: str | None = None  # decided at the scope's first read
    wrote: bool = False


_scope: ContextVar[_Scope | None] = ContextVar("yishiting_replica_scope", default=None)
_sticky: ContextVar[bool] = ContextVar("yishiting_replica_sticky", default=False)


@dataclass
class _Health:
    down_until: float = 0.0  # monotonic: the replica is not tried before then
    lag_ok_until: float = 0.0


_health = _Health()


def replica_configured() -> bool:
    return REPLICA in connections.settings


def reset_health() -> None:
    """Forget a replica marked down or lagging (the tests; an operator's shell after fixing it)."""
    _health.down_until = _health.lag_ok_until = 0.0


def _mark_down(reason: str | BaseException) -> None:
    """Leave the replica for REPLICA_RETRY_SECONDS; the log says why (an error: its first line, or its type)."""
    if isinstance(reason, BaseException):
        text = str(reason).strip()
        reason = text.splitlines()[0] if text else type(reason).__name__
    _health.down_until = time.monotonic() + settings.REPLICA_RETRY_SECONDS
    _health.lag_ok_until = 0.0
    logger.warning("只读副本不可用，%s 秒内改读主库：%s", settings.REPLICA_RETRY_SECONDS, reason)


def _replica_ready() -> bool:
    """The replica answers (a dead connection is replaced) and is not too far behind."""
    now = time.monotonic()
    if now < _health.down_until:
        return False
    connection = connections[REPLICA]
    try:
        connection.close_if_health_check_failed()
        connection.ensure_connection()
        max_lag = settings.REPLICA_MAX_LAG_SECONDS
        if max_lag and now >= _health.lag_ok_until:
            with connection.cursor() as cursor:
                cursor.execute(LAG_SQL)
                lag = float(cursor.fetchone()[0] or 0)
            if lag > max_lag:
                _mark_down(f"落后主库 {lag:.0f} 秒（上限 {max_lag} 秒）")
                return False
            _health.lag_ok_until = now + LAG_CHECK_SECONDS
    except DatabaseError as exc:
        connection.close()
        _mark_down(exc)
        return False
    return True


def _read_alias() -> str:
    scope = _scope.get()
    if scope is None or scope.wrote or _sticky.get() or not replica_configured():
        return DEFAULT_DB_ALIAS
    if connections[DEFAULT_DB_ALIAS].in_atomic_block:  # a transaction reads its own snapshot, on the primary
        return DEFAULT_DB_ALIAS
    if scope.alias is None:
        scope.alias = REPLICA if _replica_ready() else DEFAULT_DB_ALIAS
    return scope.alias


def reading_replica() -> bool:
    """Whether this scope's reads come from the replica: its work that would write what it read (the roll-ups'
    inline catch-up) is left to the primary's scheduled job, and it reads what the replica has."""
    return _read_alias() == REPLICA


class ReplicaRouter:
    """DATABASE_ROUTERS when DATABASE_REPLICA_URL is set (config/settings.py)."""

    def db_for_read(self, model, **hints) -> str:
        return _read_alias()

    def db_for_write(self, model, **hints) -> str:
        scope = _scope.get()
        if scope is not None:
            scope.wrote = True  # the scope's later reads must see it
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints) -> bool:
        return True  # one database, two copies of it

    def allow_migrate(self, db: str, app_label: str, model_name: str | None = None, **hints) -> bool:
        return db == DEFAULT_DB_ALIAS


@contextmanager
def replica_reads() -> Iterator[_Scope]:
    """The reads inside go to the replica when it is configured, up, close enough, and the person has not just
    written. Nested scopes share the outer one."""
    outer = _scope.get()
    if outer is not None:
        yield outer
        return
    token = _scope.set(_Scope())
    try:
        yield _scope.get()
    finally:
        _scope.reset(token)


def heavy_read(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A GET view whose reads may come from the replica. Should the replica's connection break during the view,
    the view runs once more, on the primary (a GET changes nothing). Other methods read the primary."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if request.method not in SAFE_METHODS or not replica_configured():
            return view(request, *args, **kwargs)
        try:
            with replica_reads() as scope:
                return view(request, *args, **kwargs)
        except OperationalError as exc:
            if scope.alias != REPLICA or scope.wrote:
                raise
            connections[REPLICA].close()
            _mark_down(exc)
            return view(request, *args, **kwargs)

    return wrapper


def _recently_wrote(request: HttpRequest) -> bool:
    return request.get_signed_cookie(STICKY_COOKIE, default=None, salt=STICKY_SALT,
                                     max_age=settings.REPLICA_STICKY_SECONDS) is not None


class ReadYourWritesMiddleware:
    """Keeps a person on the primary for REPLICA_STICKY_SECONDS after a request of theirs that changed something:
    their next pages show what they just did, however far the replica is behind. A signed cookie (its signature
    carries the time), so it works for every app server and for people without a session."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        unsafe = request.method not in SAFE_METHODS
        token = _sticky.set(unsafe or _recently_wrote(request))
        try:
            response = self.get_response(request)
        finally:
            _sticky.reset(token)
        if unsafe and response.status_code < 400:
            response.set_signed_cookie(STICKY_COOKIE, "1", salt=STICKY_SALT,
                                       max_age=settings.REPLICA_STICKY_SECONDS, httponly=True, samesite="Lax",
                                       secure=settings.SESSION_COOKIE_SECURE)
        return response
