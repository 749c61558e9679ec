"""An app's page URLs as one table: route → view.

Every page's URL name is the name of its view function (``claims:claim_detail``
is ``views.claim_detail``), so a table of routes and views says all a list of
``path(route, view, name=...)`` said, without writing each name twice. A view
made by a factory (``core.web.download_view``) has no name of its own: its row
gives ``(view, name)``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.urls import URLPattern, path

View = Callable[..., Any]


def routes(table: Mapping[str, View | tuple[View, str]]) -> list[URLPattern]:
    """The URL patterns of ``table``, in its order (the first match wins, so fixed
    routes come before those with a parameter that would take them)."""
    patterns = []
    for route, row in table.items():
        view, name = row if isinstance(row, tuple) else (row, row.__name__)
        if "<locals>" in getattr(view, "__qualname__", "") and not isinstance(row, tuple):
            # A factory's inner function is named after the factory's ``def``: the
            # URL name would be "view" for every such page, and reversing breaks.
            raise ImproperlyConfigured(f"{route!r}: a view made by a factory needs its name")
        patterns.append(path(route, view, name=name))
    return patterns
