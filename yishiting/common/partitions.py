"""The event log, partitioned by month on PostgreSQL (docs/partitions.md).

`common_event` is a table partitioned by range of `at`, one partition per calendar month in the project's time
zone (`common_event_y2026m12`), and a DEFAULT partition (`common_event_default`) so that an insert never fails
for want of one. Migration common 0005 turns the plain table into this; SQLite keeps one plain table.

The partitions are made by the app, not by pg_partman: creating one is two statements, the tick runs anyway,
and no extension (nor the superuser step to install it) is needed on a government box. `partitions_ensure`
creates the current month and the next AHEAD ones, and the month of any row found in DEFAULT; the tick calls it
every hour (`yishiting partitions` by hand). It is idempotent. A month whose rows sit in DEFAULT (the tick stood
still, history written with past dates, an event with a far date) gets its partition all the same: those rows
are moved into it in the same transaction.

What PostgreSQL asks of a partitioned table, and what stands in for it here:
- the primary key must hold the partition key: (id, at) in the database, while Django keeps `id` (ids stay
  unique: they come from one sequence);
- (subject_type, subject_id, seq) cannot be unique across partitions: the database's unique key is
  (subject_type, subject_id, seq, at), which refuses the same event twice; a second event with the same seq is
  kept out by the chain head — every append locks its subject's EventHead row (or, for a new subject, inserts
  it under its unique key) and takes seq from it — and `yishiting verify` reports any chain whose seqs repeat;
- a foreign key to it would need (id, at): ledgers' entries keep `event` without a database constraint, and
  `verify` checks that every entry's event exists (ledgers.reconcile).
Old months are detached and archived by hand (docs/partitions.md), never by the tick.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time

from django.db import connection as default_connection
from django.db import transaction
from django.utils import timezone

TABLE = "common_event"
DEFAULT = f"{TABLE}_default"
AHEAD = 2  # months created beyond the current one
_NAME = re.compile(rf"^{TABLE}_y(\d{{4}})m(\d{{2}})$")


def month_start(day: date) -> date:
    return day.replace(day=1)


def add_months(month: date, count: int) -> date:
    index = month.year * 12 + month.month - 1 + count
    return date(index // 12, index % 12 + 1, 1)


def partition_name(month: date) -> str:
    return f"{TABLE}_y{month:%Y}m{month:%m}"


def month_bounds(month: date) -> tuple[datetime, datetime]:
    """The month's first instant and the next month's, in the project's time zone."""
    zone = timezone.get_default_timezone()
    first = timezone.make_aware(datetime.combine(month_start(month), time.min), zone)
    return first, timezone.make_aware(datetime.combine(add_months(month_start(month), 1), time.min), zone)


@dataclass(frozen=True)
class Partition:
    name: str
    month: date | None  # None: the DEFAULT partition
    rows: int  # the planner's estimate (pg_class.reltuples), exact after ANALYZE; -1 when never analysed
    bytes: int  # table, indexes and TOAST


def is_partitioned(connection=None) -> bool:
    connection = connection or default_connection
    if connection.vendor != "postgresql":
        return False
    with connection.cursor() as cursor:
        cursor.execute("SELECT relkind FROM pg_class WHERE oid = to_regclass(%s)", [TABLE])
        row = cursor.fetchone()
    return row is not None and row[0] == "p"


def partitions_list(connection=None) -> list[Partition]:
    """The event log's partitions, months in order, DEFAULT last; [] where the table is not partitioned."""
    connection = connection or default_connection
    if not is_partitioned(connection):
        return []
    with connection.cursor() as cursor:
        cursor.execute("""SELECT c.relname, c.reltuples::bigint, pg_total_relation_size(c.oid)
                          FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
                          WHERE i.inhparent = to_regclass(%s) ORDER BY c.relname""", [TABLE])
        rows = cursor.fetchall()
    found = []
    for name, tuples, size in rows:
        match = _NAME.match(name)
        month = date(int(match[1]), int(match[2]), 1) if match else None
        found.append(Partition(name, month, tuples, size))
    return sorted(found, key=lambda p: (p.month is None, p.month or date.min, p.name))


def default_rows(connection=None) -> int:
    """Events in the DEFAULT partition (counted): rows of months that have no partition yet."""
    connection = connection or default_connection
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {DEFAULT}")
        return cursor.fetchone()[0]


def partition_create(month: date, connection=None) -> bool:
    """The month's partition, unless it exists (False then). Rows of that month already in DEFAULT are moved into
    it in the same transaction, so creating it never fails on them."""
    connection = connection or default_connection
    month = month_start(month)
    name = partition_name(month)
    lo, hi = (bound.isoformat() for bound in month_bounds(month))
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [f"{TABLE} partitions"])  # one maker at a time
        cursor.execute("SELECT to_regclass(%s) IS NOT NULL", [name])
        if cursor.fetchone()[0]:
            return False
        cursor.execute(f"SELECT EXISTS (SELECT 1 FROM {DEFAULT} WHERE at >= %s AND at < %s)", [lo, hi])
        if not cursor.fetchone()[0]:
            cursor.execute(f"CREATE TABLE {name} PARTITION OF {TABLE} FOR VALUES FROM ('{lo}') TO ('{hi}')")
            return True
        # DEFAULT holds rows of this month: a standalone table takes them (no parent trigger fires on it, so
        # the rows keep their every byte), then becomes the partition; its indexes are built as it is attached.
        cursor.execute(f"LOCK TABLE {TABLE} IN SHARE ROW EXCLUSIVE MODE")
        cursor.execute(f"CREATE TABLE {name} (LIKE {TABLE} INCLUDING DEFAULTS INCLUDING CONSTRAINTS)")
        cursor.execute(f"WITH moved AS (DELETE FROM {DEFAULT} WHERE at >= %s AND at < %s RETURNING *) "
                       f"INSERT INTO {name} SELECT * FROM moved", [lo, hi])
        cursor.execute(f"ALTER TABLE {name} ADD CONSTRAINT {name}_in_month CHECK (at >= '{lo}' AND at < '{hi}')")
        cursor.execute(f"ALTER TABLE {TABLE} ATTACH PARTITION {name} FOR VALUES FROM ('{lo}') TO ('{hi}')")
        cursor.execute(f"ALTER TABLE {name} DROP CONSTRAINT {name}_in_month")  # it only spared the attach a scan
    return True


def partitions_ensure(today: date | None = None, *, ahead: int = AHEAD, connection=None) -> list[str]:
    """The partitions of today's month, the next `ahead` months and the months of rows in DEFAULT, created where
    missing; returns the names created (none on SQLite, or where the table is not partitioned). Safe to run again, and concurrently: a
    second run finds them made."""
    connection = connection or default_connection
    if not is_partitioned(connection):
        return []
    month = month_start(today or timezone.localdate())
    wanted = sorted({*(add_months(month, step) for step in range(ahead + 1)), *default_months(connection)})
    return [partition_name(target) for target in wanted if partition_create(target, connection)]


def default_months(connection=None) -> list[date]:
    """The months of the rows in DEFAULT (none, normally): each gets its partition and they move into it."""
    connection = connection or default_connection
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT DISTINCT date_trunc('month', at AT TIME ZONE %s)::date FROM {DEFAULT}",
                       [timezone.get_default_timezone_name()])
        return sorted(row[0] for row in cursor.fetchall())


def partitions_tick(today: date) -> tuple[str, set[str]]:
    """The tick's step (registered in CommonConfig.ready). Months are counted from the clock's date, not the
    tick's `today` (a rerun for a past day): events are stamped with the clock's time."""
    if not is_partitioned():
        return "事件日志分区：未分区（SQLite 或未迁移），无需操作", set()
    created = partitions_ensure(timezone.localdate())
    left = default_rows()
    return ("事件日志分区：" + (f"新建 {'、'.join(created)}" if created else "本月及之后两个月的分区已有")
            + (f"；默认分区仍有 {left} 条事件（请运行 yishiting partitions 查看）" if left else ""),
            set())


# ---- the migration's conversion (common 0005) ----------------------------------------------------------------

def table_definitions(cursor, table: str) -> tuple[list[str], list[str], list[str]]:
    """The plain indexes, foreign keys and user triggers of `table`, as statements that recreate them."""
    cursor.execute("""SELECT pg_get_indexdef(i.indexrelid) FROM pg_index i
                      WHERE i.indrelid = to_regclass(%s)
                        AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)""", [table])
    indexes = [row[0].replace(" ON ONLY ", " ON ") for row in cursor.fetchall()]
    cursor.execute("""SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint
                      WHERE conrelid = to_regclass(%s) AND contype = 'f'""", [table])
    keys = [f"ALTER TABLE {table} ADD CONSTRAINT {name} {definition}" for name, definition in cursor.fetchall()]
    cursor.execute("SELECT pg_get_triggerdef(oid) FROM pg_trigger WHERE tgrelid = to_regclass(%s) "
                   "AND NOT tgisinternal AND tgparentid = 0", [table])
    triggers = [row[0] for row in cursor.fetchall()]
    return indexes, keys, triggers


def restore_definitions(cursor, definitions: tuple[list[str], list[str], list[str]], *, partitioned: bool) -> None:
    """The rebuilt table's keys (with `at` in them when partitioned: a partitioned table's unique keys must hold
    its partition key), then what `table_definitions` read off the table before."""
    at = ", at" if partitioned else ""
    cursor.execute(f"ALTER TABLE {TABLE} ADD CONSTRAINT {TABLE}_pkey PRIMARY KEY (id{at})")
    cursor.execute(f"ALTER TABLE {TABLE} ADD CONSTRAINT event_subject_seq_unique "
                   f"UNIQUE (subject_type, subject_id, seq{at})")
    indexes, keys, triggers = definitions
    for statement in [*indexes, *keys, *triggers]:
        cursor.execute(statement)


def rebuild_event_table(schema_editor, *, partitioned: bool) -> None:
    """Rebuild common_event partitioned by month (with the months its rows fall in, the current one and AHEAD
    more, and DEFAULT) or back into a plain table, keeping every row, its id sequence, indexes, foreign keys and
    triggers (handling's sealed-subject trigger), and the names Django knows them by."""
    with schema_editor.connection.cursor() as cursor:
        indexes, keys, triggers = table_definitions(cursor, TABLE)
        old = f"{TABLE}_before"
        cursor.execute(f"ALTER TABLE {TABLE} RENAME TO {old}")
        cursor.execute(f"CREATE TABLE {TABLE} (LIKE {old} INCLUDING DEFAULTS INCLUDING CONSTRAINTS "
                       f"INCLUDING IDENTITY)" + (" PARTITION BY RANGE (at)" if partitioned else ""))
        if partitioned:
            cursor.execute(f"CREATE TABLE {DEFAULT} PARTITION OF {TABLE} DEFAULT")
            cursor.execute(f"SELECT min(at) FROM {old}")
            first = cursor.fetchone()[0]
            month = month_start(timezone.localdate(first) if first else timezone.localdate())
            last = add_months(month_start(timezone.localdate()), AHEAD)
            while month <= last:
                lo, hi = (bound.isoformat() for bound in month_bounds(month))
                cursor.execute(f"CREATE TABLE {partition_name(month)} PARTITION OF {TABLE} "
                               f"FOR VALUES FROM ('{lo}') TO ('{hi}')")
                month = add_months(month, 1)
        cursor.execute(f"INSERT INTO {TABLE} SELECT * FROM {old}")
        cursor.execute(f"SELECT setval(pg_get_serial_sequence('{TABLE}', 'id'), coalesce(max(id), 1), "
                       f"max(id) IS NOT NULL) FROM {TABLE}")
        cursor.execute(f"DROP TABLE {old}")
        restore_definitions(cursor, (indexes, keys, triggers), partitioned=partitioned)
        if partitioned:
            cursor.execute(f"ANALYZE {TABLE}")
