"""Reading the audit trail: the events a platform manager searches, and what a
page or an export shows of each (the organisation's name, the record's page)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from sanbao.accounts.models import Organisation, User
from sanbao.accounts.roles import require
from sanbao.audit_trail.errors import ERRORS
from sanbao.core import audit
from sanbao.core.filters import filter_given
from sanbao.core.models import AuditEvent
from sanbao.core.sorting import Sorting, SortKey

# The trail's orders: by time either way, from the index ``audit_event_at`` (at, id).
EVENT_SORTS = Sorting(SortKey("at", _("Time"), "at"), default="-at")


def event_list(
    *,
    actor,
    record_type: str | None = None,
    record: str | None = None,
    user: str | None = None,
    organisation: str | None = None,
    action: str | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    sort: str | None = None,
) -> QuerySet[AuditEvent]:
    """The events matching every filter given, newest first unless ``sort`` says
    otherwise (``audit.view``).

    ``record``: the record's id, or part of how it reads (its number);
    ``user``: part of the actor's user name; ``organisation``: the code of the
    actor's organisation when they acted; the period: days in local time."""
    require(actor, "audit.view")
    if date_from and date_to and date_to < date_from:
        raise ERRORS.invalid("audit_trail.period_reversed", "date_to")
    qs = filter_given(
        AuditEvent.objects.select_related("actor"),
        target_type=record_type,
        action=action,
        actor_label__icontains=(user or "").strip(),
        at__date__gte=date_from,
        at__date__lte=date_to,
    )
    text = (record or "").strip()
    if text:
        qs = qs.filter(Q(target_id=text) | Q(target_repr__icontains=text))
    code = (organisation or "").strip()
    if code:
        orgs = Organisation.objects.filter(code__iexact=code).values("pk")
        qs = qs.filter(organisation_id_snapshot__in=orgs)
    return EVENT_SORTS.apply(qs, sort)


def actions() -> list[str]:
    """Every action the trail holds, for the filter's choice."""
    return list(AuditEvent.objects.order_by("action").values_list("action", flat=True).distinct())


def organisations() -> QuerySet[Organisation]:
    return Organisation.objects.order_by("kind", "code")


@dataclass(frozen=True)
class Row:
    """One event as the page, the export and the API show it."""

    event: AuditEvent
    label: Any  # what happened, in the reader's language
    record_kind: Any  # the kind of record, in the reader's language
    organisation: Organisation | None
    url: str | None  # the record's page, where its kind knows one

    @property
    def actor(self) -> str:
        user: User | None = self.event.actor
        return user.display_name if user else self.event.actor_label

    @property
    def moved(self) -> tuple[str, str] | None:
        """The states the record moved from and to, if it moved."""
        data = self.event.data or {}
        if data.get("from") is None or data.get("to") is None:
            return None
        return str(data["from"]), str(data["to"])

    @property
    def details(self) -> list[tuple[str, Any]]:
        """The rest of the payload, as (key, value) pairs."""
        skip = {"from", "to"} if self.moved else set()
        return sorted((k, v) for k, v in (self.event.data or {}).items() if k not in skip)


def rows(events) -> list[Row]:
    """``events`` (one page, or an export) with their organisations and the pages of
    their records, in a query per kind of record."""
    events = list(events)
    kinds = audit.kinds()
    org_ids = {e.organisation_id_snapshot for e in events if e.organisation_id_snapshot}
    orgs = Organisation.objects.in_bulk(org_ids) if org_ids else {}
    urls = audit.record_urls(events)
    return [
        Row(
            event=e,
            label=audit.event_label(e.action),
            record_kind=kinds[e.target_type].name if e.target_type in kinds else e.target_type,
            organisation=orgs.get(e.organisation_id_snapshot),
            url=urls.get((e.target_type, e.target_id)),
        )
        for e in events
    ]
