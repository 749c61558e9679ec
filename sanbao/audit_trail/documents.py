"""The audit trail's export: the events a search found, as a workbook."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from sanbao.audit_trail.selectors import rows
from sanbao.core.web import XLSX
from sanbao.documents.registry import register
from sanbao.documents.xlsx import xlsx_bytes

TITLE = _("Audit trail")
HEADERS = [
    _("Time"),
    _("User"),
    _("Organisation"),
    _("Action"),
    _("Action code"),
    _("Record type"),
    _("Record"),
    _("Record id"),
    pgettext_lazy("status moved", "From"),
    pgettext_lazy("status moved", "To"),
    _("Details"),
]

# An export holds at most this many events (the newest): a period or a record narrows it.
EXPORT_LIMIT = 20000


def events_xlsx(events) -> bytes:
    """One typed row per event: local time, who, their organisation, what, which
    record, the state it moved from and to, and the rest of the payload."""
    table = []
    for row in rows(events[:EXPORT_LIMIT]):
        event, moved = row.event, row.moved or ("", "")
        table.append(
            [
                event.at,
                row.actor,
                row.organisation.display_name if row.organisation else "",
                row.label,
                event.action,
                row.record_kind,
                event.target_repr,
                event.target_id,
                moved[0],
                moved[1],
                "; ".join(f"{k}: {v}" for k, v in row.details),
            ]
        )
    return xlsx_bytes(HEADERS, table, sheet_title=TITLE)


def _export_name(events) -> str:
    return f"sanbao-audit-trail-{timezone.localtime():%Y%m%d-%H%M}.xlsx"


register("audit_trail.events_xlsx", render=events_xlsx, filename=_export_name, media_type=XLSX)
