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
from functools import lru_cache
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


def insert_select(obj: Model, *, name: str, source: str, computed: dict[str, str] | None = None,
                  prefix: str = "") -> tuple[str, dict]:
    """PostgreSQL: a data-modifying CTE `name AS (INSERT INTO <obj's table> (…) SELECT … FROM <source>)` that
    inserts `obj` once per row of `source`, for a statement that writes several tables from values only the
    statement knows (a number a counter hands out, an id from a sequence). Each concrete field gets obj's value
    as Django would save it (`pre_save`, so `auto_now_add` fills obj in too, then `get_db_prep_save`), cast to
    the column's type — except the attnames in `computed`, which get an SQL expression over `source` instead.
    A primary key that is None and not computed is left to the column's default. Params are named
    `<prefix><attname>`; returns (SQL, params). The SQL is built once per shape (it is the same text for every
    submission, and prepared: common.prepared)."""
    computed = computed or {}
    sql, fields = _insert_select_shape(type(obj), name, source, tuple(computed.items()), prefix, obj.pk is None)
    params = {param: field.get_db_prep_save(field.pre_save(obj, True), connection) for field, param in fields}
    return sql, params


@lru_cache(maxsize=256)
def _insert_select_shape(model: type[Model], name: str, source: str, computed: tuple[tuple[str, str], ...],
                         prefix: str, pk_is_none: bool) -> tuple[str, tuple]:
    opts, expressions = model._meta, dict(computed)
    columns, values, fields = [], [], []
    for f in opts.concrete_fields:
        if f.generated or (f is opts.pk and pk_is_none and f.attname not in expressions):
            continue
        columns.append(connection.ops.quote_name(f.column))
        if f.attname in expressions:
            values.append(expressions[f.attname])
        else:
            fields.append((f, f"{prefix}{f.attname}"))
            values.append(_placeholder(f, f"{prefix}{f.attname}"))
    table = connection.ops.quote_name(opts.db_table)
    return f"{name} AS (INSERT INTO {table} ({', '.join(columns)}) SELECT {', '.join(values)} FROM {source})", \
        tuple(fields)


def _placeholder(field, param: str) -> str:
    """A named placeholder, cast to the column's type unless it is text: NULL and client-side bound literals
    are otherwise typed text, which an integer, date or jsonb column refuses. Strings get no cast — a cast to
    varchar(n) would cut an over-long value silently where the insert must refuse it."""
    db_type = field.db_type(connection)
    if db_type is None or db_type.startswith(("varchar", "text", "char")):
        return f"%({param})s"
    return f"%({param})s::{db_type}"
