"""Writing audit events. Services call ``record`` inside their transaction.

"From what to what": a record moved by ``core.transitions.Machine.move`` carries
its move (``note_move``) until the service records its event on it, and ``record``
writes the move into the event's payload as ``{"from": <state>, "to": <state>}`` —
one place, so every workflow's events say it the same way."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext_lazy as _

from sanbao.core import rows
from sanbao.core.models import AuditEvent

MOVE_ATTRIBUTE = "_audit_move"


def note_move(record, before: str, after: str) -> None:
    """``record`` went from state ``before`` to ``after``: its next event says so."""
    if before != after:
        record.__dict__[MOVE_ATTRIBUTE] = {"from": str(before), "to": str(after)}


def record(*, actor, action: str, target, data: dict[str, Any] | None = None) -> AuditEvent:
    """Append one audit event for ``action`` done by ``actor`` on ``target``; a state
    move noted on ``target`` goes into the payload as ``from`` and ``to`` (a
    service's own ``from``/``to`` — a corrected value — wins)."""
    move = target.__dict__.pop(MOVE_ATTRIBUTE, None)
    if move:
        data = {**move, **(data or {})}
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


def timeline(
    events,
    labels: Mapping[str, Any] | None = None,
    details: Callable | None = None,
    states: Mapping[str, Any] | None = None,
) -> list[dict]:
    """Audit events as a record's page lists them: when, what (``labels`` by action,
    else the registered label, else the action humanised), who, the state it moved
    from and to (named by ``states``, a record's status labels) and
    ``details(action, data)`` if given."""
    rows = []
    for event in events.select_related("actor"):
        data = event.data or {}
        row = {
            "at": event.at,
            "action": event.action,
            "label": (labels or {}).get(event.action) or event_label(event.action),
            "actor": event.actor.display_name if event.actor else event.actor_label,
        }
        found = []
        if states and data.get("from") in states and data.get("to") in states:
            found.append((_("Status"), f"{states[data['from']]} → {states[data['to']]}"))
        if details is not None:
            found.extend(details(event.action, data))
        if details is not None or found:
            row["details"] = found
        rows.append(row)
    return rows


# --- What core knows of the records the events name ---------------------------------------
# Core imports no app: each app registers its kinds of record (in its AppConfig.ready)
# with their name, their events' labels, their statuses' labels and where their pages are.


@dataclass(frozen=True)
class RecordKind:
    """A kind of record the trail names (``target_type``, e.g. "returns.shipment").

    ``urls(ids)`` gives the page of each record of this kind among ``ids`` (their
    ``target_id``s) in one query: {target_id: url}; a record without a page is left out.
    ``details(action, data)`` gives an event's details as (label, value) pairs."""

    target_type: str
    name: Any
    labels: Mapping[str, Any] = field(default_factory=dict)
    states: Mapping[str, Any] = field(default_factory=dict)
    urls: Callable[[list[str]], Mapping[str, str]] | None = None
    details: Callable[[str, dict], list] | None = None


_KINDS: dict[str, RecordKind] = {}
_LABELS: dict[str, Any] = {}


def register_kind(model, name, *, pages: str | None = None, **options) -> RecordKind:
    """Register ``model`` as a kind of record (its app's ``ready``); ``pages``: the
    URL name of its page by number, if it has one. Registering one again replaces it."""
    if pages is not None:
        options.setdefault("urls", numbered_pages(model, pages))
    kind = RecordKind(model._meta.label_lower, name, **options)
    _KINDS[kind.target_type] = kind
    _LABELS.update(kind.labels)
    return kind


def kinds() -> dict[str, RecordKind]:
    """Every registered kind of record, by ``target_type``."""
    return dict(_KINDS)


def event_label(action: str):
    """The label an app registered for ``action``, else the action humanised:
    "return_batch.unit_recorded" reads "Unit recorded"."""
    if action in _LABELS:
        return _LABELS[action]
    words = action.rpartition(".")[2].replace("_", " ").strip()
    return words[:1].upper() + words[1:] if words else action


def record_timeline(record) -> list[dict]:
    """``record``'s own timeline, oldest first, as its kind is registered."""
    kind = _KINDS.get(record._meta.label_lower)
    events = AuditEvent.objects.for_target(record).order_by("at", "id")
    if kind is None:
        return timeline(events)
    return timeline(events, kind.labels, kind.details, kind.states)


def record_urls(events: Iterable[AuditEvent]) -> dict[tuple[str, str], str]:
    """The page of each record ``events`` name, where its kind knows one:
    {(target_type, target_id): url}, one query per kind."""
    wanted: dict[str, set[str]] = {}
    for event in events:
        if event.target_id != "*":
            wanted.setdefault(event.target_type, set()).add(event.target_id)
    found = {}
    for target_type, ids in wanted.items():
        kind = _KINDS.get(target_type)
        if kind is None or kind.urls is None:
            continue
        for target_id, url in kind.urls(sorted(ids)).items():
            found[(target_type, str(target_id))] = url
    return found


def _append(actor, action: str, data: dict | None, **target) -> AuditEvent:
    """The event, with the actor as they are now (a job or the system has no user;
    someone without an account, a consumer, says who they are by ``audit_label``)."""
    user = actor if getattr(actor, "pk", None) else None
    label = actor.get_username() if user else getattr(actor, "audit_label", "system")
    event = AuditEvent(
        actor=user,
        actor_label=label[:200],
        organisation_id_snapshot=getattr(actor, "organisation_id", None),
        action=action,
        data=data or {},
        **target,
    )
    # Every service writes one: a statement built once, not compiled per event
    # (issue 14); a new row only, as the table is append-only.
    rows.insert(event)
    return event


def numbered_pages(model, url_name: str) -> Callable[[list[str]], dict[str, str]]:
    """``RecordKind.urls`` for records whose page is ``url_name`` by their number."""
    from django.urls import reverse

    def urls(ids: list[str]) -> dict[str, str]:
        keys = [i for i in ids if i.isdigit()]
        rows = model._default_manager.filter(pk__in=keys).values_list("pk", "number")
        return {str(pk): reverse(url_name, args=[number]) for pk, number in rows}

    return urls
