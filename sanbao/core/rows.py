"""Model rows read by a hand-written statement, for the few hot reads where
building the statement with the ORM costs more than running it (issue 14).

Django compiles a queryset into SQL on every execution: for a join of three
tables with a few sub-selects that is about a millisecond of CPU, several times
what the database spends answering. A statement written once instead names its
columns with ``select_list`` (every concrete field of a model, in the model's
order, quoted by the connection) and turns its row back into instances with
``instance``, through the same converters the ORM applies (dates and booleans on
SQLite, JSON, time zones), so the instance is the one a queryset would give.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache

from django.db import connections, router, transaction
from django.db.models import signals


def select_list(model, alias: str, using: str = "default") -> str:
    """``alias."col1", alias."col2", …``: every concrete column of ``model``."""
    quote = connections[using].ops.quote_name
    return ", ".join(f"{quote(alias)}.{quote(f.column)}" for f in model._meta.concrete_fields)


def width(model) -> int:
    """How many columns ``select_list`` gives for ``model``."""
    return len(model._meta.concrete_fields)


def _converters(model, connection) -> tuple:
    """The converters of ``model``'s columns on ``connection``: kept on the
    connection itself (a thread's own), as the backend's are its methods."""
    known = connection.__dict__.setdefault("_sanbao_row_converters", {})
    found = known.get(model)
    if found is None:
        found = []
        for position, field in enumerate(model._meta.concrete_fields):
            column = field.get_col(model._meta.db_table)
            steps = connection.ops.get_db_converters(column) + column.get_db_converters(connection)
            if steps:
                found.append((position, column, tuple(steps)))
        found = known[model] = tuple(found)
    return found


def value(model, name: str, raw, using: str = "default"):
    """One column of ``model`` read by hand (``name``, a field), as the ORM gives it
    (SQLite returns a date and time as text)."""
    connection = connections[using]
    position = _positions(model)[name]
    for at, column, steps in _converters(model, connection):
        if at == position:
            for step in steps:
                raw = step(raw, column, connection)
    return raw


@cache
def _positions(model) -> dict[str, int]:
    return {f.name: i for i, f in enumerate(model._meta.concrete_fields)}


def instance(model, values: Sequence, using: str = "default"):
    """The ``model`` instance of ``values`` (one per concrete field, in order), as
    the ORM builds it from a row: converted, and marked as read from ``using``."""
    connection = connections[using]
    values = list(values)
    for position, column, steps in _converters(model, connection):
        value = values[position]
        for step in steps:
            value = step(value, column, connection)
        values[position] = value
    return model.from_db(using, _attnames(model), values)


@cache
def _attnames(model) -> tuple[str, ...]:
    return tuple(f.attname for f in model._meta.concrete_fields)


# --- Writing a new row ---------------------------------------------------------------


@cache
def _insert_statement(model, using: str) -> tuple[str, tuple, tuple]:
    """``INSERT INTO table (columns) VALUES (%s, …) [RETURNING key]``, the fields
    it writes and the fields it returns, as ``Model.save`` builds them for a new
    row (the key left to the database, generated columns left out)."""
    connection = connections[using]
    meta = model._meta
    if meta.parents:
        raise TypeError(f"{model.__name__} inherits from a concrete model: use save()")
    fields = tuple(
        f for f in meta.local_concrete_fields if f is not meta.auto_field and not f.generated
    )
    if any(hasattr(f, "get_placeholder") for f in fields):
        raise TypeError(f"{model.__name__} has a field with its own placeholder: use save()")
    quote = connection.ops.quote_name
    sql = "INSERT INTO {} ({}) VALUES ({})".format(
        quote(meta.db_table),
        ", ".join(quote(f.column) for f in fields),
        ", ".join(["%s"] * len(fields)),
    )
    returning = tuple(meta.db_returning_fields)
    if returning and connection.features.can_return_columns_from_insert:
        clause, _params = connection.ops.return_insert_columns(returning)
        sql = f"{sql} {clause}"
    return sql, fields, returning


def insert(obj, using: str | None = None) -> None:
    """Write the new instance ``obj`` (its key not set) as ``obj.save()`` writes a
    new row: every field's ``pre_save`` (``auto_now_add``, a file not yet stored),
    its value prepared for the database, the related objects checked, the signals
    sent, the key read back; with a statement built once per model instead of
    compiled by the ORM for every row (issue 14). Models with a concrete parent,
    a field with its own placeholder or a value that is an expression are not for
    this: use ``save()``."""
    model = type(obj)
    if obj.pk is not None or not obj._state.adding:
        raise ValueError("insert() writes new rows only: use save()")
    using = using or router.db_for_write(model, instance=obj)
    connection = connections[using]
    sql, fields, returning = _insert_statement(model, using)
    obj._prepare_related_fields_for_save(operation_name="save")
    if signals.pre_save.has_listeners(model):
        signals.pre_save.send(
            sender=model, instance=obj, raw=False, using=using, update_fields=None
        )
    params = []
    for field in fields:
        value = field.pre_save(obj, True)
        if hasattr(value, "resolve_expression"):
            raise TypeError(f"{field.name} is an expression: use save()")
        params.append(field.get_db_prep_save(value, connection=connection))
    with transaction.mark_for_rollback_on_error(using), connection.cursor() as cursor:
        cursor.execute(sql, params)
        if returning and connection.features.can_return_columns_from_insert:
            values = cursor.fetchone()
        elif returning:
            key = model._meta.pk
            values = (connection.ops.last_insert_id(cursor, model._meta.db_table, key.column),)
        else:
            values = ()
    for field, value in zip(returning, values, strict=True):
        column = field.get_col(model._meta.db_table)
        for step in connection.ops.get_db_converters(column) + column.get_db_converters(connection):
            value = step(value, column, connection)
        setattr(obj, field.attname, value)
    obj._state.adding = False
    obj._state.db = using
    if signals.post_save.has_listeners(model):
        signals.post_save.send(
            sender=model, instance=obj, created=True, update_fields=None, raw=False, using=using
        )
