"""Tenant scoping. Every tenant-owned model's manager has ``visible_to(actor)``;
a record outside it is reported as missing (404), never as forbidden (403), so
its existence does not leak."""

from __future__ import annotations

from django.db import models

from sanbao.core.errors import NotFound


class TenantQuerySet(models.QuerySet):
    def visible_to(self, actor):  # pragma: no cover - each model defines it
        raise NotImplementedError


def get_numbered(queryset, actor, number: str, *, error_code: str):
    """The visible record whose document number (a claim's, a batch's) is ``number``
    as a person types it: any case, spaces around; NotFound otherwise."""
    return get_visible(
        queryset, actor, error_code=error_code, number=(number or "").strip().upper()
    )


def get_visible(queryset, actor, *, error_code: str = "core.not_found", **lookup):
    """The one visible row matching ``lookup``, or NotFound. The row remembers whom
    it was found visible to (``seen_by``), so a transition checked on it for the
    same actor in the same request need not ask the database again."""
    try:
        record = queryset.visible_to(actor).get(**lookup)
    except (queryset.model.DoesNotExist, ValueError, TypeError):
        raise NotFound(code=error_code) from None
    record._sanbao_visible_to = actor.pk
    return record


def seen_by(record, actor) -> bool:
    """Whether ``record`` was read through ``visible_to(actor)`` (``get_visible``)."""
    return actor.pk is not None and getattr(record, "_sanbao_visible_to", None) == actor.pk
