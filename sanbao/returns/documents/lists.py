"""The returns' list pages as workbooks (their "Export as XLSX" links): return
batches, the turnaround queue (IV.5), receipt anomalies (IV.4) and shipments
(IV.7). Each column is the page table's, under the same label, in its order."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as gettext_now
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from sanbao.core.lists import Column, list_export, org_label, platform_only
from sanbao.returns.selectors import anomaly_sentence
from sanbao.returns.services.turnaround import turnaround
from sanbao.workdays import services as workdays


def _carrier(record) -> str:
    return " ".join(part for part in (record.carrier, record.waybill_no) if part)


def _boxes(batch):
    if batch.received_boxes is None:
        return batch.declared_boxes
    return f"{batch.declared_boxes} / {batch.received_boxes}"


BATCHES = list_export(
    "returns.batches_xlsx",
    title=_("Return batches"),
    stem="return-batches",
    columns=[
        Column(_("Batch"), lambda b: b.number),
        Column(_("Date"), lambda b: b.packed_on),
        Column(_("Return unit"), lambda b: org_label(b.return_org), shown=platform_only),
        Column(_("Units declared"), lambda b: b.declared_units),
        Column(_("Units received"), lambda b: b.received_units),
        Column(_("Boxes"), _boxes),
        Column(_("Carrier and waybill"), _carrier),
        Column(_("Due back by"), lambda b: b.due_on),
        Column(_("Status"), lambda b: b.get_status_display()),
        Column(_("Anomalies"), lambda b: b.open_anomalies or None),
    ],
)


def _queue_rows(batches):
    """Each queued batch with its turnaround, worked out from one calendar."""
    cal, today = workdays.calendar(), timezone.localdate()
    for batch in batches:
        yield batch, turnaround(batch, today, cal) if batch.due_on else None


def _dealt_with(row):
    batch, _t = row
    if batch.units_total:
        return f"{batch.units_settled} / {batch.units_total}"
    received = batch.received_units if batch.received_units is not None else "—"
    return gettext_now("%(n)s received") % {"n": received}


def _standing(row) -> str:
    """The queue's "Working days" cell, in the page's words."""
    batch, t = row
    if t is None:
        return gettext_now("no due date until the anomalies are resolved")
    if t.overdue:
        n = t.working_days_overdue
        return ngettext("overdue by %(n)s working day", "overdue by %(n)s working days", n) % {
            "n": n
        }
    if t.delayed:
        n = batch.units_to_follow
        return ngettext(
            "%(n)s delayed unit still to follow (IV.6)",
            "%(n)s delayed units still to follow (IV.6)",
            n,
        ) % {"n": n}
    if t.working_days_left == 0:
        return gettext_now("due today")
    n = t.working_days_left
    return ngettext("%(n)s working day left", "%(n)s working days left", n) % {"n": n}


QUEUE = list_export(
    "returns.queue_xlsx",
    title=_("Turnaround queue"),
    stem="turnaround-queue",
    columns=[
        Column(_("Batch"), lambda r: r[0].number),
        Column(_("Return unit"), lambda r: org_label(r[0].return_org)),
        Column(_("Status"), lambda r: r[0].get_status_display()),
        Column(_("Units dealt with"), _dealt_with),
        Column(_("Due back by"), lambda r: r[1].due_on if r[1] else None),
        Column(_("Working days"), _standing),
    ],
    prepare=_queue_rows,
)


def _anomaly_status(anomaly) -> str:
    if anomaly.is_open:
        return gettext_now("open")
    return f"{gettext_now('resolved')} {anomaly.resolution_note}".strip()


ANOMALIES = list_export(
    "returns.anomalies_xlsx",
    title=_("Receipt anomalies"),
    stem="receipt-anomalies",
    columns=[
        Column(_("Batch"), lambda a: a.batch.number),
        Column(_("Return unit"), lambda a: org_label(a.batch.return_org), shown=platform_only),
        Column(_("Anomaly"), lambda a: f"{a.get_kind_display()} {anomaly_sentence(a)}"),
        Column(_("Opened"), lambda a: a.opened_at),
        Column(_("Status"), _anomaly_status),
    ],
)


SHIPMENTS = list_export(
    "returns.shipments_xlsx",
    title=_("Shipments"),
    stem="shipments",
    columns=[
        Column(_("Delivery list number"), lambda s: s.number),
        Column(_("Return unit"), lambda s: org_label(s.return_org), shown=platform_only),
        Column(_("Status"), lambda s: s.get_status_display()),
        Column(_("Units"), lambda s: s.unit_count),
        Column(_("Prepared"), lambda s: s.created_at),
        Column(_("Shipped"), lambda s: s.shipped_at),
        Column(_("Carrier and waybill"), _carrier),
        Column(_("Order number"), lambda s: s.order_no),
    ],
)


def _where_it_stands(unit) -> str:
    if unit.shipment_id:
        return gettext_now("in shipment %(number)s, not yet dispatched") % {
            "number": unit.shipment.number
        }
    if unit.disposition:
        return gettext_now("dealt with: ready to go with the return unit's order")
    return gettext_now("waiting to be tested and dealt with")


def _delay(unit) -> str:
    reason = unit.get_delay_reason_display()
    return f"{reason} · {unit.delay_note}" if unit.delay_note else reason


# The page groups the units under their return unit's heading: the workbook, one
# table, names it in its first column.
TO_FOLLOW = list_export(
    "returns.to_follow_xlsx",
    title=_("Still to follow"),
    stem="still-to-follow",
    columns=[
        Column(_("Return unit"), lambda u: org_label(u.batch.return_org)),
        Column(_("Batch"), lambda u: u.batch.number),
        Column(_("No."), lambda u: u.seq),
        Column(_("Label or receipt code"), lambda u: u.code),
        Column(_("Model"), lambda u: u.model.code if u.model_id else None),
        Column(_("Delay"), _delay),
        Column(_("Delayed"), lambda u: u.delayed_at),
        Column(_("Where it stands"), _where_it_stands),
    ],
)
