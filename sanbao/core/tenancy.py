"""Tenant scoping. Every tenant-owned model's manager has ``visible_to(actor)``;
a record outside it is reported as missing (404), never as forbidden (403), so
its existence does not leak."""

from __future__ import annotations

from django.db import models

from sanbao.core.errors import NotFound


class TenantQuerySet(models.QuerySet):
    def visible_to(self, actor):  # pragma: no cover - each model defines it
        raise NotImplementedError


def get_visible(queryset, actor, *, error_code: str = "core.not_found", **lookup):
    """The one visible row matching ``lookup``, or NotFound."""
    try:
        return queryset.visible_to(actor).get(**lookup)
    except (queryset.model.DoesNotExist, ValueError, TypeError):
        raise NotFound(code=error_code) from None
