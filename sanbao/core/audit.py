"""Writing audit events. Services call ``record`` inside their transaction."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from sanbao.core.models import AuditEvent


def record(*, actor, action: str, target, data: dict[str, Any] | None = None) -> AuditEvent:
    """Append one audit event for ``action`` done by ``actor`` on ``target``."""
    return _append(
        actor,
        action,
        data,
        target_type=target._meta.label_lower,
        target_id=str(target.pk),
        target_repr=str(target)[:200],
    )


def record_many(*, actor, action: str, target_model, count: int, data: dict | None = None):
    """One event standing for a bulk write (an import), not one per row."""
    return _append(
        actor,
        action,
        data,
        target_type=target_model._meta.label_lower,
        target_id="*",
        target_repr=f"{count} × {target_model._meta.verbose_name}",
    )


def timeline(events, labels: Mapping[str, Any], details: Callable | None = None) -> list[dict]:
    """Audit events as a record's page lists them: when, what (``labels`` by action,
    the action itself without one), who, and ``details(action, data)`` if given."""
    rows = []
    for event in events.select_related("actor"):
        row = {
            "at": event.at,
            "action": event.action,
            "label": labels.get(event.action, event.action),
            "actor": event.actor.display_name if event.actor else event.actor_label,
        }
        if details is not None:
            row["details"] = details(event.action, event.data or {})
        rows.append(row)
    return rows


def _append(actor, action: str, data: dict | None, **target) -> AuditEvent:
    """The event, with the actor as they are now (a job or the system has no user)."""
    user = actor if getattr(actor, "pk", None) else None
    return AuditEvent.objects.create(
        actor=user,
        actor_label=(actor.get_username() if user else "system")[:200],
        organisation_id_snapshot=getattr(actor, "organisation_id", None),
        action=action,
        data=data or {},
        **target,
    )
