"""Reads of one row by key whose SQL the ORM compiles once per process: the session and the signed-in user, read
on every request (common/sessions.py, accounts/backends.py).

Django compiles a queryset's SQL every time it runs. For `Session.objects.get(session_key=…, expire_date__gt=…)`
and `User.objects.get(pk=…)` the compiling cost more than the query (profiled on the page crawl: together ~8 % of a
page's time, most of it in the compiler). `read_one` lets the ORM compile the read at its first call and keeps the
SQL; each call then runs the kept SQL with its values prepared by their fields as the ORM prepares them, converts
the columns with the backend's converters and builds the instance with `Model.from_db`, as the ORM does.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connections, models
from django.db.models import Q
from django.db.models.constants import LOOKUP_SEP


@dataclass(frozen=True)
class _Kept:
    sql: str
    fields: tuple[models.Field, ...]  # the field of each parameter, in order
    attnames: list[str]
    columns: tuple  # the selected columns, whose converters turn the row into field values


_kept: dict[tuple, _Kept] = {}


def read_one(model: type[models.Model], using: str, lookups: Sequence[tuple[str, Any]]) -> models.Model | None:
    """The row of `model._default_manager` matching every `(lookup, value)` — local fields only, on a unique key
    (the first row otherwise) — or None."""
    connection = connections[using]
    key = (model, tuple(name for name, _ in lookups), using, connection.vendor)
    kept = _kept.get(key)
    if kept is None:
        return _compile_and_read(model, using, lookups, key)
    params = [_prepared(field, value, connection) for field, (_, value) in zip(kept.fields, lookups, strict=True)]
    with connection.cursor() as cursor:
        cursor.execute(kept.sql, params)
        row = cursor.fetchone()
    return _instance(model, connection, using, kept, row)


def _compile_and_read(model, using, lookups, key) -> models.Model | None:
    """The first read: compiled by the ORM and run; kept when its parameters are exactly the lookups' values, one
    each, prepared as `read_one` prepares them, and it selects the model's own columns (anything else is left to
    the ORM on every call)."""
    connection = connections[using]
    queryset = model._default_manager.using(using).filter(*(Q((name, value)) for name, value in lookups)).order_by()
    compiler = queryset.query.get_compiler(using)
    sql, params = compiler.as_sql()
    names = [name.split(LOOKUP_SEP)[0] for name, _ in lookups]
    fields = tuple(model._meta.pk if name == "pk" else model._meta.get_field(name) for name in names)
    columns = tuple(column for column, _, _ in compiler.select)
    expected = [_prepared(field, value, connection) for field, (_, value) in zip(fields, lookups, strict=True)]
    if list(params) != expected or len(columns) != len(model._meta.concrete_fields):
        return queryset.first()  # not a plain read of the model's own columns: the ORM reads it, every time
    kept = _kept.setdefault(key, _Kept(sql=sql, fields=fields, attnames=[c.target.attname for c in columns],
                                       columns=columns))
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    return _instance(model, connection, using, kept, row)


def _prepared(field: models.Field, value: Any, connection) -> Any:
    return field.get_db_prep_value(field.get_prep_value(value), connection, prepared=True)


def _instance(model, connection, using: str, kept: _Kept, row) -> models.Model | None:
    """The row's instance, its columns converted as the ORM converts them (SQLite's datetimes made aware …) by
    this thread's connection."""
    if row is None:
        return None
    values = list(row)
    for i, column in enumerate(kept.columns):
        for converter in connection.ops.get_db_converters(column) + column.get_db_converters(connection):
            values[i] = converter(values[i], column, connection)
    return model.from_db(using, kept.attnames, values)
