"""Several new rows in one round trip.

A submission writes half a dozen rows of different tables that depend on nothing but values Python already
holds (ids reserved beforehand). `insert_together` writes them in one statement on PostgreSQL — each table's
INSERT, as Django compiles it, becomes a data-modifying CTE of one WITH statement — and one table after the
other elsewhere (SQLite). Either way inside the caller's transaction, and no model signals are sent (like
`bulk_create`). Foreign keys are checked at commit on PostgreSQL (Django creates them DEFERRABLE INITIALLY
DEFERRED), so the order of the rows does not matter there; elsewhere pass parents first.
"""

from __future__ import annotations

from collections.abc import Callable
from itertools import groupby

from django.db import connection
from django.db.models import Model
from django.db.models.sql import InsertQuery

Rows = Model | list[Model] | Callable[[], list[Model]]


def insert_together(groups: list[Rows]) -> list[Model]:
    """Insert new rows, given as instances, lists of instances, or callables returning such a
    list — called once the rows before them are compiled, so they can use what the insert fills in (an
    `auto_now_add` time). A row that others point to needs its primary key set on PostgreSQL (see `reserve_ids`);
    elsewhere the database assigns it. Rows without a primary key keep none (nothing is read back). Returns every row inserted."""
    done: list[Model] = []
    parts, params = [], []
    for group in groups:
        rows = group() if callable(group) else group if isinstance(group, list) else [group]
        for _, same_model in groupby(rows, key=type):
            batch = list(same_model)
            if connection.vendor != "postgresql":
                type(batch[0]).objects.bulk_create(batch)
            else:
                sql, values = _insert_sql(batch)
                parts.append(sql)
                params += values
            done += batch
    if not parts:
        return done
    head = ", ".join(f"w{i} AS ({sql})" for i, sql in enumerate(parts[:-1]))
    with connection.cursor() as cursor:
        cursor.execute(f"WITH {head} {parts[-1]}" if head else parts[-1], params)
    for row in done:
        row._state.adding, row._state.db = False, connection.alias
    return done


def _insert_sql(objs: list[Model]) -> tuple[str, list]:
    """Django's own INSERT for these rows; rows without a primary key leave it to the database's default."""
    opts = objs[0]._meta
    with_pk = {obj.pk is not None for obj in objs}
    if len(with_pk) != 1:
        raise ValueError(f"insert_together: {opts.label} rows must all have a primary key or none")
    fields = [f for f in opts.concrete_fields if not f.generated and (with_pk == {True} or f is not opts.pk)]
    query = InsertQuery(type(objs[0]))
    query.insert_values(fields, objs)
    statements = query.get_compiler(connection=connection).as_sql()
    if len(statements) != 1:
        raise ValueError("insert_together: one statement per table expected")
    sql, values = statements[0]
    return sql, list(values)


def reserve_ids(model: type[Model], count: int = 1) -> list[int | None]:
    """Primary keys for new rows before they are inserted (PostgreSQL: from the table's sequence; elsewhere
    None — the insert assigns them)."""
    if connection.vendor != "postgresql":
        return [None] * count
    table, column = model._meta.db_table, model._meta.pk.column
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                       [table, column, count])
        return [row[0] for row in cursor.fetchall()]
