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

from django.db import connections


def select_list(model, alias: str, using: str = "default") -> str:
    """``alias."col1", alias."col2", …``: every concrete column of ``model``."""
    quote = connections[using].ops.quote_name
    return ", ".join(f"{quote(alias)}.{quote(f.column)}" for f in model._meta.concrete_fields)


def width(model) -> int:
    """How many columns ``select_list`` gives for ``model``."""
    return len(model._meta.concrete_fields)


@cache
def _converters(model, using: str) -> tuple:
    connection = connections[using]
    found = []
    for position, field in enumerate(model._meta.concrete_fields):
        column = field.get_col(model._meta.db_table)
        steps = connection.ops.get_db_converters(column) + column.get_db_converters(connection)
        if steps:
            found.append((position, column, tuple(steps)))
    return tuple(found)


def instance(model, values: Sequence, using: str = "default"):
    """The ``model`` instance of ``values`` (one per concrete field, in order), as
    the ORM builds it from a row: converted, and marked as read from ``using``."""
    connection = connections[using]
    values = list(values)
    for position, column, steps in _converters(model, using):
        value = values[position]
        for step in steps:
            value = step(value, column, connection)
        values[position] = value
    return model.from_db(using, _attnames(model), values)


@cache
def _attnames(model) -> tuple[str, ...]:
    return tuple(f.attname for f in model._meta.concrete_fields)
