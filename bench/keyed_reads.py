"""The two reads every signed-in request makes — its session and its user — by the ORM and by the SQL compiled
once (yishiting/common/keyed.py), in this process (no HTTP), on PostgreSQL by default.

    .venv/bin/python bench/keyed_reads.py                    # 2,000 reads each way, alternating blocks, median
    .venv/bin/python bench/keyed_reads.py --reads 5000
    .venv/bin/python bench/keyed_reads.py --database-url sqlite:///var/bench_keyed.sqlite3

Creates (once) a user and a signed-in session in database yishiting_bench_keyed (never a test one). Prints the
median microseconds of a session read plus a user read, both ways, their ratio, and the share of a read spent on the
server's round trip (a bare `SELECT 1`).
"""

from __future__ import annotations

import argparse
import statistics
import time

from _setup import database_label, machine_label, setup

DEFAULT_URL = "postgresql://postgres@127.0.0.1:5432/yishiting_bench_keyed"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--reads", type=int, default=2000)
    args = parser.parse_args()
    setup(args.database_url)

    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore as DjangoStore
    from django.db import connection
    from django.utils import timezone

    from yishiting.accounts.backends import LockoutBackend
    from yishiting.accounts.models import User
    from yishiting.common.sessions import SessionStore

    user, _ = User.objects.get_or_create(username="bench_keyed", defaults={"first_name": "压测"})
    store = SessionStore()
    store.update({SESSION_KEY: str(user.pk), BACKEND_SESSION_KEY: "yishiting.accounts.backends.LockoutBackend",
                  HASH_SESSION_KEY: user.get_session_auth_hash()})
    store.create()
    key, backend = store.session_key, LockoutBackend()

    def orm() -> None:  # what Django's database store and ModelBackend run
        found = DjangoStore.get_model_class().objects.get(session_key=key, expire_date__gt=timezone.now())
        assert found.get_decoded()[SESSION_KEY] == str(user.pk)
        assert User._default_manager.get(pk=user.pk).is_active

    def kept() -> None:  # what SessionStore and LockoutBackend run now
        assert SessionStore(key).load()[SESSION_KEY] == str(user.pk)
        assert backend.get_user(user.pk).is_active

    def round_trip() -> None:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()

    timings: dict[str, list[float]] = {"orm": [], "kept": [], "select1": []}
    block = 100
    for _ in range(3):  # warm up: connection, compiled SQL
        orm(), kept(), round_trip()
    for _ in range(max(1, args.reads // block)):
        for name, read in (("orm", orm), ("kept", kept), ("select1", round_trip)):
            started = time.perf_counter()
            for _ in range(block):
                read()
            timings[name].append((time.perf_counter() - started) / block * 1e6)
    orm_us, kept_us, trip_us = (statistics.median(timings[n]) for n in ("orm", "kept", "select1"))
    print(machine_label())
    print(database_label())
    print(f"session + user, by the ORM:        median {orm_us:7.1f} µs")
    print(f"session + user, by the kept SQL:   median {kept_us:7.1f} µs  ({kept_us / orm_us:.2f}× the ORM's)")
    print(f"a bare SELECT 1 (one round trip):  median {trip_us:7.1f} µs  (two of them: {2 * trip_us:.1f} µs)")


if __name__ == "__main__":
    main()
