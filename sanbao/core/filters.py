"""The optional filters of a list page or API list."""

from __future__ import annotations

from django.db.models import QuerySet


def filter_given(queryset: QuerySet, **lookups) -> QuerySet:
    """``queryset`` filtered by each of ``lookups`` whose value was given: a value
    of None or "" (a filter left empty) filters nothing. Meant for lookups on the
    row itself or along foreign keys, where one ``filter()`` call and a chain of
    them mean the same."""
    given = {lookup: value for lookup, value in lookups.items() if value not in (None, "")}
    return queryset.filter(**given) if given else queryset
