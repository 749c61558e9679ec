"""Field and constraint helpers the apps' models share.

Each returns exactly the field or constraint the models used to spell out, so the
schema (and the migrations) do not change by using them.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q


def reference(to, verbose_name, *, optional: bool = False, related_name: str = "+"):
    """A protected reference to another record: the record cannot be deleted while
    this one points at it. ``optional`` for a reference set only later (null and
    blank); ``related_name`` "+" for no reverse accessor."""
    return models.ForeignKey(
        to,
        verbose_name=verbose_name,
        on_delete=models.PROTECT,
        null=optional,
        blank=optional,
        related_name=related_name,
    )


def user_reference(verbose_name, *, optional: bool = False):
    """The user who did something to a record (took it in, judged it, shipped it),
    kept with the record for its history."""
    return reference(settings.AUTH_USER_MODEL, verbose_name, optional=optional)


def choice_constraint(field: str, choices, name: str, *, blank: bool = False):
    """A check that ``field`` holds one of ``choices`` (a ``TextChoices``), or is
    empty where ``blank``."""
    condition = Q(**{f"{field}__in": choices.values})
    if blank:
        condition = Q(**{field: ""}) | condition
    return models.CheckConstraint(condition=condition, name=name)
