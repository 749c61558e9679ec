"""The audit trail's export: the events a search found, as a workbook with the
page's columns (``sanbao.core.lists``)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from sanbao.audit_trail.selectors import rows
from sanbao.core.lists import Column, list_export, org_label


def _user(row) -> str:
    return " ".join(x for x in (row.actor, org_label(row.organisation)) if x)


def _action(row) -> str:
    return f"{row.label} {row.event.action}"


def _record(row) -> str:
    return f"{row.record_kind} {row.event.target_repr or row.event.target_id}"


def _details(row) -> str:
    parts = []
    if row.moved:
        parts.append(f"{row.moved[0]} → {row.moved[1]}")
    parts.extend(f"{key}: {value}" for key, value in row.details)
    return "; ".join(parts)


EVENTS = list_export(
    "audit_trail.events_xlsx",
    title=_("Audit trail"),
    stem="audit-trail",
    columns=[
        Column(_("Time"), lambda row: row.event.at),
        Column(_("User"), _user),
        Column(_("Action"), _action),
        Column(_("Record"), _record),
        Column(_("Details"), _details),
    ],
    # The organisations and the record kinds' names in a query per kind, not per row.
    prepare=rows,
)
