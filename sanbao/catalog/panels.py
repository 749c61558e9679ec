"""Panels other apps add to the unit page.

Catalog sits below the workflows and must not import them (docs/architecture.md),
yet the unit page shows, for example, the unit's warranty claims. So the page
asks this registry: an app above registers a callable ``(request, unit)`` that
answers ``(template_name, context)`` to render, or ``None`` to show nothing (the
user may not see that app's records). Apps register in ``AppConfig.ready()``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

UnitPanel = Callable[[Any, Any], "tuple[str, dict] | None"]

_UNIT_PANELS: list[UnitPanel] = []


def register_unit_panel(panel: UnitPanel) -> UnitPanel:
    """Add ``panel`` to the unit page (once, however often ``ready()`` runs)."""
    if panel not in _UNIT_PANELS:
        _UNIT_PANELS.append(panel)
    return panel


def unit_panels(request, unit) -> list[tuple[str, dict]]:
    """The panels to render on ``unit``'s page for ``request.user``, in registration order."""
    shown = (panel(request, unit) for panel in _UNIT_PANELS)
    return [p for p in shown if p is not None]
