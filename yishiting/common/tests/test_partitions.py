"""The event log partitioned by month on PostgreSQL (common.partitions, docs/partitions.md): the migration's
table, each event in its month's partition, the tick's step that makes months ahead (idempotent), DEFAULT for a
month without one (and its rows moved when that month gets its partition), and `verify` across partitions. On
both engines: a second event with a seq already taken is refused, or reported by `verify`."""

from __future__ import annotations

import io
from datetime import date, datetime

import pytest
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from freezegun import freeze_time

from yishiting.common.events import event_append, events_of, verify_chains
from yishiting.common.models import Event
from yishiting.common.partitions import (
    AHEAD,
    DEFAULT,
    add_months,
    month_start,
    partition_name,
    partitions_ensure,
    partitions_list,
    partitions_tick,
)
from yishiting.common.testing import race, raw_sql, run_verify

postgres_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="partitioning is PostgreSQL's")
sqlite_only = pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's plain table")
pytestmark = pytest.mark.django_db


def _partition_of(event: Event) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT tableoid::regclass::text FROM common_event WHERE id = %s", [event.pk])
        return cursor.fetchone()[0]


def _local(year: int, month: int, day: int = 15) -> datetime:
    return timezone.make_aware(datetime(year, month, day, 10, 30))


def _next_month() -> date:
    return add_months(month_start(timezone.localdate()), 1)


@postgres_only
def test_the_migration_made_a_table_partitioned_by_month_with_months_ahead_and_a_default():
    with connection.cursor() as cursor:
        cursor.execute("SELECT relkind FROM pg_class WHERE relname = 'common_event'")
        assert cursor.fetchone()[0] == "p"
        cursor.execute("SELECT pg_get_partkeydef('common_event'::regclass)")
        assert cursor.fetchone()[0] == "RANGE (at)"
        cursor.execute("SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conname = 'common_event_pkey'")
        assert cursor.fetchone()[0] == "PRIMARY KEY (id, at)"
    this_month = month_start(timezone.localdate())
    names = [p.name for p in partitions_list()]
    assert [partition_name(add_months(this_month, step)) for step in range(AHEAD + 1)] == \
        [n for n in names if n != DEFAULT][-(AHEAD + 1):]
    assert names[-1] == DEFAULT


@postgres_only
def test_an_event_lands_in_its_months_partition(world):
    event = event_append(subject=world.areas["C1"], kind="note", payload={"n": 1})
    assert _partition_of(event) == partition_name(timezone.localdate())
    with freeze_time(_local(_next_month().year, _next_month().month)):
        later = event_append(subject=world.areas["C1"], kind="note", payload={"n": 2})
    assert _partition_of(later) == partition_name(_next_month())
    assert not list(verify_chains())


@postgres_only
def test_making_the_partitions_ahead_is_idempotent_and_the_tick_does_it(world):
    assert partitions_ensure() == []  # the migration made them
    far = date(2031, 5, 20)
    assert partitions_ensure(far) == ["common_event_y2031m05", "common_event_y2031m06", "common_event_y2031m07"]
    assert partitions_ensure(far) == []
    before = [p.name for p in partitions_list()]
    out = io.StringIO()
    call_command("partitions", "--today", "2031-05-20", stdout=out)
    assert "所需的月分区都已存在" in out.getvalue()
    assert [p.name for p in partitions_list()] == before
    line, warnings = partitions_tick(timezone.localdate())
    assert "分区已有" in line and not warnings


@postgres_only
def test_an_event_in_a_month_without_partition_lands_in_default_and_moves_when_the_month_is_made(world):
    area = world.areas["C1"]
    with freeze_time(_local(2033, 3)):
        stray = event_append(subject=area, kind="note", payload={"n": "未来"})
    assert _partition_of(stray) == DEFAULT
    out = io.StringIO()
    call_command("partitions", "--list", stdout=out)
    assert "默认分区有 1 条事件" in out.getvalue()
    line, _warnings = partitions_tick(timezone.localdate())  # the hourly tick makes that month and moves it
    assert "common_event_y2033m03" in line
    assert _partition_of(stray) == "common_event_y2033m03"
    moved = Event.objects.get(pk=stray.pk)
    assert (moved.hash, moved.payload, moved.at) == (stray.hash, {"n": "未来"}, stray.at)
    assert not list(verify_chains())
    assert run_verify()[0]


@postgres_only
def test_verify_names_an_event_edited_in_an_older_partition(world):
    area = world.areas["C2"]
    with freeze_time(_local(2031, 5)):
        partitions_ensure(date(2031, 5, 1))
        old = event_append(subject=area, kind="note", payload={"n": 1})
    event_append(subject=area, kind="note", payload={"n": 2})
    assert _partition_of(old) == "common_event_y2031m05" and not list(verify_chains())
    raw_sql("UPDATE common_event SET payload = %s WHERE id = %s", ['{"n": 9}', old.pk])
    problems = {(p.subject_type, p.subject_id): str(p) for p in verify_chains()}
    assert f"第 {old.seq} 条事件内容被修改" in problems[("areas.area", str(area.pk))]


def test_the_same_event_written_twice_is_refused(world):
    event = events_of(world.areas["C1"]).last()
    columns = "subject_type, subject_id, seq, kind, actor_id, at, payload, prev_hash, hash"
    with pytest.raises(IntegrityError), transaction.atomic():
        raw_sql(f"INSERT INTO common_event ({columns}) SELECT {columns} FROM common_event WHERE id = %s", [event.pk])


def test_a_new_subject_append_on_a_chain_that_exists_is_refused(world):
    with pytest.raises(IntegrityError), transaction.atomic():
        event_append(subject=world.areas["C1"], kind="note", new_subject=True)
    assert [e.seq for e in events_of(world.areas["C1"])] == list(range(1, events_of(world.areas["C1"]).count() + 1))


@sqlite_only
def test_sqlite_refuses_a_second_event_with_a_taken_seq(world):
    with pytest.raises(IntegrityError), transaction.atomic():
        _duplicate_seq_at_another_time(world)


@postgres_only
def test_postgres_reports_a_second_event_with_a_taken_seq_slipped_in_by_sql(world):
    """Across partitions the database cannot refuse it (its unique key holds `at`): `verify` names the chain."""
    subject_id = _duplicate_seq_at_another_time(world)
    problems = {(p.subject_type, p.subject_id): str(p) for p in verify_chains()}
    assert "缺失或顺序被改动" in problems[("areas.area", subject_id)]


def _duplicate_seq_at_another_time(world) -> str:
    first = events_of(world.areas["C1"]).first()
    raw_sql("INSERT INTO common_event (subject_type, subject_id, seq, kind, actor_id, at, payload, prev_hash, hash) "
            "VALUES (%s, %s, %s, 'forged', NULL, %s, '{}', '', %s)",
            [first.subject_type, first.subject_id, first.seq, _local(2031, 5), first.hash])
    return first.subject_id


@postgres_only
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_appends_to_one_chain_take_each_seq_once():
    """The chain head's row lock serialises appends: eight writers at once, every seq taken once, the chain
    verifies — what the unique key (subject, seq) guaranteed before the table was partitioned."""
    subject = ("common.partitiontest", "1")
    event_append(subject=subject, kind="start", new_subject=False)
    outcomes = race([lambda i=i: [event_append(subject=subject, kind="note", payload={"writer": i, "n": n}).seq
                                  for n in range(5)] for i in range(8)])
    assert all(isinstance(seqs, list) for seqs in outcomes), outcomes
    seqs = sorted(seq for writer in outcomes for seq in writer)
    assert seqs == list(range(2, 42))
    stored = list(Event.objects.filter(subject_type=subject[0], subject_id=subject[1]).values_list("seq", flat=True))
    assert sorted(stored) == list(range(1, 42))
    assert not [p for p in verify_chains() if p.subject_type == subject[0]]
