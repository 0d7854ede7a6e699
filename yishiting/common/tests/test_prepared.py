"""Statements prepared once per connection (common.prepared): placeholders turned into PostgreSQL's own."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, connection

from yishiting.common.prepared import _positional, execute_prepared


def test_named_placeholders_become_numbered_once_each_in_order():
    query, names = _positional("SELECT %(a)s, %(b)s::int, %(a)s || '%%' WHERE x = %(c)s")
    assert query == "SELECT $1, $2::int, $1 || '%' WHERE x = $3"
    assert names == ("a", "b", "c")


def test_positional_placeholders_are_numbered_and_a_mix_is_refused():
    assert _positional("SELECT %s, %s") == ("SELECT $1, $2", ())
    with pytest.raises(ValueError):
        _positional("SELECT %s, %(a)s")


@pytest.mark.django_db
def test_a_prepared_statement_runs_and_its_errors_are_djangos():
    if connection.vendor != "postgresql":
        pytest.skip("只有 PostgreSQL 有预编译语句；这一条在 PostgreSQL 轮次中检查")
    assert execute_prepared("SELECT %(a)s::int + %(b)s::int, %(a)s::int", {"a": 2, "b": 40, "unused": 1}) == (42, 2)
    with connection.cursor() as cursor:
        cursor.execute("CREATE TEMPORARY TABLE prepared_probe (id int PRIMARY KEY)")
    execute_prepared("INSERT INTO prepared_probe VALUES (%(id)s) RETURNING id", {"id": 1})
    with pytest.raises(IntegrityError):
        execute_prepared("INSERT INTO prepared_probe VALUES (%(id)s) RETURNING id", {"id": 1})


@pytest.mark.django_db
def test_small_and_large_ids_share_one_prepared_statement():
    """psycopg would type 5 as smallint and 10**10 as bigint, and prepare the statement once for each."""
    if connection.vendor != "postgresql":
        pytest.skip("只有 PostgreSQL 有预编译语句；这一条在 PostgreSQL 轮次中检查")
    sql = "SELECT %(id)s::bigint + 0 AS probe_for_types"
    assert [execute_prepared(sql, {"id": n})[0] for n in (5, 40_000, 10**10)] == [5, 40_000, 10**10]
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE %s", ["%probe_for_types%"])
        assert cursor.fetchone()[0] == 1
