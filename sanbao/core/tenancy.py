"""Tenant scoping. Every tenant-owned model's manager has ``visible_to(actor)``;
a record outside it is reported as missing (404), never as forbidden (403), so
its existence does not leak."""

from __future__ import annotations

from django.core.exceptions import EmptyResultSet, FullResultSet
from django.db import models

from sanbao.core.errors import NotFound


class TenantQuerySet(models.QuerySet):
    def visible_to(self, actor):  # pragma: no cover - each model defines it
        raise NotImplementedError


def get_numbered(queryset, actor, number: str, *, error_code: str):
    """The visible record whose document number (a claim's, a batch's) is ``number``
    as a person types it: any case, spaces around; NotFound otherwise."""
    return get_visible(queryset, actor, error_code=error_code, number=typed_number(number))


def typed_number(number: str | None) -> str:
    """A document number as stored, from one as a person types it (any case, spaces
    around)."""
    return (number or "").strip().upper()


def get_visible(queryset, actor, *, error_code: str = "core.not_found", **lookup):
    """The one visible row matching ``lookup``, or NotFound. The row remembers whom
    it was found visible to (``seen_by``), so a transition checked on it for the
    same actor in the same request need not ask the database again."""
    try:
        record = queryset.visible_to(actor).get(**lookup)
    except (queryset.model.DoesNotExist, ValueError, TypeError):
        raise NotFound(code=error_code) from None
    mark_seen(record, actor)
    return record


def mark_seen(record, actor) -> None:
    """Note that ``record`` was read through ``visible_to(actor)``: by ``get_visible``,
    or by a statement that put ``visible_sql(..., actor)`` in its ``WHERE``."""
    record._sanbao_visible_to = actor.pk


def visible_sql(queryset, actor, connection) -> tuple[str, list]:
    """``queryset.visible_to(actor)`` (a queryset or a manager) as a condition on the
    model's own table (named by its table name, unaliased) with its parameters, for
    a statement written by hand on a hot path (a receipt scan) that ``connection``
    runs: the rule itself, compiled, not a copy.
    Nothing visible gives a condition that is always false, everything visible one
    that is always true. A rule that needs a join cannot be put this way: ValueError."""
    query = queryset.visible_to(actor).query
    joined = {alias for alias, uses in query.alias_refcount.items() if uses}
    if joined - {query.get_meta().db_table}:
        raise ValueError(f"visible_to of {query.model.__name__} joins other tables")
    compiler = query.get_compiler(connection=connection)
    try:
        sql, params = compiler.compile(query.where)
    except EmptyResultSet:
        return "1 = 0", []
    except FullResultSet:
        return "1 = 1", []
    return (f"({sql})", list(params)) if sql else ("1 = 1", [])


def seen_by(record, actor) -> bool:
    """Whether ``record`` was read through ``visible_to(actor)`` (``get_visible``)."""
    return actor.pk is not None and getattr(record, "_sanbao_visible_to", None) == actor.pk
