"""IV.8: the reconciliation statement of one return unit for a period, and its
own look-up of its repair and delivery data.

"Repair data and delivery data are kept for half a year, so that it is convenient
for both parties to check." One function, :func:`statement_for`, builds the
statement as plain sections (a title, column headings, rows of values and the
section's totals); the page, the workbook, the PDF and the API all show that one
structure, so the return unit and the platform read the same document line by
line. :func:`records_for` builds the look-up the same way.

Who: a return unit (agent or enterprise clerk) gets its own statement only
(another's is a 404, as if it did not exist); platform staff choose the return
unit. When: any period inside the retention window
(``SANBAO_RETENTION_DAYS``), by local (Shanghai) day; by default last calendar
month. Each section lists what happened in the period by its own event: batches
submitted, units dealt with, delays marked, shipments that left, deliveries
shipped and declarations made.

The rows are read through the workflows' tenant-scoped selectors only.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.functional import Promise, lazy
from django.utils.translation import gettext_lazy as _

from sanbao.accounts import selectors as accounts
from sanbao.accounts.roles import OrgKind, require
from sanbao.deliveries import selectors as deliveries
from sanbao.returns import selectors as returns
from sanbao.statements.errors import ERRORS

RETURN_UNIT_KINDS = (OrgKind.AGENT, OrgKind.ENTERPRISE)

STATEMENT_TITLE = _("Reconciliation statement")
RECORDS_TITLE = _("Repair and delivery data")
YES, NO = _("Yes"), _("No")


def text(make: Callable[[], str]) -> Promise:
    """A cell's text made in whichever language reads it (the page in the
    reader's, the papers in both)."""
    return lazy(make, str)()


def joined(parts: Iterable[Any], sep: str = "; ") -> Promise:
    parts = list(parts)
    return text(lambda: sep.join(str(p) for p in parts))


# --- The structure every rendering shows ----------------------------------------------


@dataclass(frozen=True)
class Section:
    """One part of a statement: ``headers`` over ``rows`` (values: text, a lazy
    text, a whole number, an amount in yuan, a date, a date-time, or None), and
    ``totals``, (label, value) pairs."""

    key: str
    title: Any
    headers: tuple
    rows: tuple
    totals: tuple

    @property
    def count(self) -> int:
        return len(self.rows)


@dataclass(frozen=True)
class Statement:
    """A statement (or a look-up) of one return unit for the days ``start`` to
    ``end``, inclusive."""

    title: Any
    kind: str  # "statement" or "records"
    code: str
    name_zh: str
    name_en: str
    start: dt.date
    end: dt.date
    sections: tuple[Section, ...]
    filters: tuple = ()  # the look-up's other filters, (label, value)

    @property
    def slug(self) -> str:
        """The file names' part that tells one statement from another."""
        return f"{self.code}-{self.start:%Y%m%d}-{self.end:%Y%m%d}"

    def section(self, key: str) -> Section:
        return next(s for s in self.sections if s.key == key)

    def as_json(self) -> dict:
        """The API's answer: values as JSON (amounts as strings, times local)."""
        return {
            "kind": self.kind,
            "title": str(self.title),
            "organisation": {"code": self.code, "name_zh": self.name_zh, "name_en": self.name_en},
            "start": self.start,
            "end": self.end,
            "sections": [
                {
                    "key": s.key,
                    "title": str(s.title),
                    "headers": [str(h) for h in s.headers],
                    "rows": [[json_value(v) for v in row] for row in s.rows],
                    "totals": [{"label": str(k), "value": json_value(v)} for k, v in s.totals],
                }
                for s in self.sections
            ],
        }


def json_value(value: Any) -> Any:
    if isinstance(value, Promise):
        return str(value)
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).replace(microsecond=0).isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    return value


def shown(value: Any) -> str:
    """A value as the page and the CSV show it, in the active language."""
    if value is None or value == "":
        return "—" if value is None else ""
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return f"{value:,.2f}"
    return str(value)


# --- Who and when -----------------------------------------------------------------------


def return_unit_of(actor, code: str | None):
    """The return unit whose statement ``actor`` asks for: a return unit's own
    (another's code is a 404, as if it did not exist); for platform staff the one
    named, an agent or an enterprise."""
    require(actor, "statements.view")
    code = (code or "").strip()
    if not actor.is_platform:
        own = actor.organisation
        if code and code.upper() != own.code.upper():
            raise ERRORS.not_found("statements.organisation_not_found")
        return own
    if not code:
        raise ERRORS.invalid("statements.organisation_required", "organisation")
    org = accounts.organisation_list(actor=actor).filter(code__iexact=code).first()
    if org is None or org.kind not in RETURN_UNIT_KINDS:
        raise ERRORS.not_found("statements.organisation_not_found")
    return org


def earliest_day(today: dt.date | None = None) -> dt.date:
    """IV.8: the first day whose data is still kept."""
    today = today or timezone.localdate()
    return today - dt.timedelta(days=settings.SANBAO_RETENTION_DAYS)


def last_month(today: dt.date | None = None) -> tuple[dt.date, dt.date]:
    """The last calendar month: the default period of a statement."""
    today = today or timezone.localdate()
    end = today.replace(day=1) - dt.timedelta(days=1)
    return end.replace(day=1), end


def _day(value: Any, field: str) -> dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.date):
        return value
    try:
        day = parse_date(str(value).strip())
    except ValueError:
        day = None
    if day is None:
        raise ERRORS.invalid("statements.date_invalid", field)
    return day


def period(start: Any, end: Any, *, default: tuple[dt.date, dt.date]) -> tuple[dt.date, dt.date]:
    """The period asked for (dates, or text as YYYY-MM-DD; ``default`` where
    none is given), inside the retention window (IV.8)."""
    start, end = _day(start, "start"), _day(end, "end")
    today = timezone.localdate()
    start = start or default[0]
    end = end or (default[1] if start == default[0] else max(start, today))
    earliest = earliest_day(today)
    if start < earliest:
        raise ERRORS.refused(
            "statements.period_past_retention",
            "start",
            days=settings.SANBAO_RETENTION_DAYS,
            earliest=earliest.isoformat(),
        )
    if start > today:
        raise ERRORS.invalid("statements.period_in_future", "start")
    if end < start:
        raise ERRORS.invalid("statements.period_reversed", "end")
    return start, end


# --- The sections ----------------------------------------------------------------------


def _display(record, field: str) -> Promise:
    return text(getattr(record, f"get_{field}_display"))


def _model(unit) -> str:
    return unit.model.code if unit.model_id else ""


def _anomalies(batch) -> Promise:
    anomalies = sorted(batch.anomalies.all(), key=lambda a: a.pk)
    return joined(
        text(
            lambda a=a: (
                f"{a.get_kind_display()} ({a.expected} → {a.found})"
                if a.expected or a.found
                else a.get_kind_display()
            )
        )
        for a in anomalies
    )


def _sum(values: Iterable[Any]) -> Any:
    return sum((v for v in values if v is not None), 0)


def _money(values: Iterable[Any]) -> Decimal:
    return sum((v for v in values if v is not None), Decimal("0.00"))


BATCH_HEADERS = (
    _("Batch number"),
    _("Status"),
    _("Time submitted"),
    _("Date of receipt"),
    _("Units declared"),
    _("Units received"),
    _("Difference"),
    _("Boxes declared"),
    _("Boxes received"),
    _("Receipt anomalies"),
)


def batches_section(actor, org, start, end) -> Section:
    rows, declared, received, anomalies = [], 0, 0, 0
    for b in returns.batches_submitted_between(actor=actor, return_org=org, start=start, end=end):
        got = b.received_units
        rows.append(
            (
                b.number,
                _display(b, "status"),
                b.submitted_at,
                b.received_on,
                b.declared_units,
                got,
                None if got is None else got - b.declared_units,
                b.declared_boxes,
                b.received_boxes,
                _anomalies(b),
            )
        )
        declared += b.declared_units
        received += got or 0
        anomalies += len(b.anomalies.all())
    totals = (
        (_("Batches"), len(rows)),
        (_("Units declared"), declared),
        (_("Units received"), received),
        (_("Receipt anomalies"), anomalies),
    )
    return Section("batches", _("Batches and receipt"), BATCH_HEADERS, tuple(rows), totals)


DISPOSITION_HEADERS = (
    _("Batch number"),
    _("Unit"),
    _("Model"),
    _("Serial number received"),
    _("Serial number sent back"),
    _("Test result"),
    _("Disposition"),
    _("Charge (yuan)"),
    _("Reason for the charge"),
    _("Dealt with"),
)

# The dispositions (IV.P2) counted in the totals, by code, in the policy's order.
DISPOSITIONS = (
    ("repaired", _("Repaired")),
    ("replaced", _("Replaced")),
    ("returned_as_is", _("Returned as is")),
    ("charged", _("Charged")),
)


def dispositions_section(actor, org, start, end) -> Section:
    units = list(returns.units_disposed_between(actor=actor, return_org=org, start=start, end=end))
    rows = tuple(
        (
            u.batch.number,
            u.code,
            _model(u),
            u.serial_in,
            u.serial_out,
            _display(u, "result"),
            _display(u, "disposition"),
            u.charge_amount,
            u.charge_reason,
            u.disposed_at,
        )
        for u in units
    )
    totals = (
        (_("Units dealt with"), len(units)),
        *((label, sum(1 for u in units if u.disposition == code)) for code, label in DISPOSITIONS),
        (_("Charges (yuan)"), _money(u.charge_amount for u in units)),
    )
    return Section("dispositions", _("Units dealt with (IV.P2)"), DISPOSITION_HEADERS, rows, totals)


DELAY_HEADERS = (
    _("Batch number"),
    _("Unit"),
    _("Model"),
    _("Serial number received"),
    _("Delay"),
    _("Delay note"),
    _("Delayed"),
    _("Shipment"),
    _("Order number"),
)


def delays_section(actor, org, start, end) -> Section:
    units = list(returns.units_delayed_between(actor=actor, return_org=org, start=start, end=end))
    rows = tuple(
        (
            u.batch.number,
            u.code,
            _model(u),
            u.serial_in,
            _display(u, "delay_reason"),
            u.delay_note,
            u.delayed_at,
            u.shipment.number if u.shipment_id else "",
            u.shipment.order_no if u.shipment_id else "",
        )
        for u in units
    )
    shipped = sum(1 for u in units if u.shipment_id and u.shipment.shipped_at is not None)
    totals = ((_("Units delayed"), len(units)), (_("Of which shipped since"), shipped))
    return Section("delays", _("Delays marked (IV.6)"), DELAY_HEADERS, rows, totals)


SHIPMENT_HEADERS = (
    _("Delivery list number"),
    _("Shipped"),
    _("Carrier"),
    _("Waybill number"),
    _("Order number"),
    _("Units"),
    _("Charges (yuan)"),
)


def shipments_section(actor, org, start, end) -> Section:
    shipments = list(
        returns.shipments_shipped_between(actor=actor, return_org=org, start=start, end=end)
    )
    rows = tuple(
        (
            s.number,
            s.shipped_at,
            s.carrier,
            s.waybill_no,
            s.order_no,
            s.unit_count,
            s.charges or Decimal("0.00"),
        )
        for s in shipments
    )
    totals = (
        (_("Shipments"), len(rows)),
        (_("Units"), _sum(s.unit_count for s in shipments)),
        (_("Charges (yuan)"), _money(s.charges for s in shipments)),
    )
    return Section(
        "shipments", _("Shipments and delivery lists (IV.7)"), SHIPMENT_HEADERS, rows, totals
    )


DELIVERY_HEADERS = (
    _("Delivery number"),
    _("Source"),
    _("Delivery note number"),
    _("Carrier"),
    _("Waybill number"),
    _("Shipped"),
    _("Quantity"),
    _("Status"),
    _("Time received"),
    _("Weight differs"),
)


def _delivery_row(d) -> tuple:
    return (
        d.number,
        _display(d, "source"),
        d.note_no,
        d.carrier,
        d.waybill_no,
        d.shipped_at,
        d.quantity or 0,
        _display(d, "status"),
        d.received_at,
        YES if d.weight_gap else NO,
    )


def deliveries_section(actor, org, start, end, *, shipments=None) -> Section:
    found = list(
        deliveries.deliveries_shipped_between(
            actor=actor, agent=org, start=start, end=end, shipments=shipments
        )
    )
    rows = tuple(_delivery_row(d) for d in found)
    totals = (
        (_("Deliveries"), len(rows)),
        (_("Quantity"), _sum(d.quantity for d in found)),
        (_("Arrived"), sum(1 for d in found if d.received_at is not None)),
    )
    return Section("deliveries", _("Deliveries to the return unit"), DELIVERY_HEADERS, rows, totals)


DECLARATION_HEADERS = (
    _("Declaration number"),
    _("Delivery number"),
    _("Declared"),
    _("Status"),
    _("Damaged"),
    _("Outcome"),
    _("Replaced or credited"),
    _("Reason"),
)


def declarations_section(actor, org, start, end) -> Section:
    found = list(
        deliveries.declarations_opened_between(actor=actor, agent=org, start=start, end=end)
    )
    rows = tuple(
        (
            d.number,
            d.delivery.number,
            d.opened_at,
            _display(d, "status"),
            d.damaged or 0,
            _display(d, "outcome"),
            d.settled or 0,
            d.reason,
        )
        for d in found
    )
    totals = (
        (_("Declarations"), len(rows)),
        (_("Damaged"), _sum(d.damaged for d in found)),
        (_("Replaced or credited"), _sum(d.settled for d in found)),
        (_("Accepted"), sum(1 for d in found if d.status == "accepted")),
        (_("Rejected"), sum(1 for d in found if d.status == "rejected")),
    )
    return Section(
        "declarations",
        _("Unpacking-damage declarations (V)"),
        DECLARATION_HEADERS,
        rows,
        totals,
    )


SECTIONS = (
    batches_section,
    dispositions_section,
    delays_section,
    shipments_section,
    deliveries_section,
    declarations_section,
)


def statement_for(*, actor, organisation: str | None, start: Any = None, end: Any = None):
    """IV.8: the reconciliation statement of the return unit ``organisation`` (a
    return unit's own whatever it names) for the days ``start`` to ``end``
    (default: last calendar month)."""
    org = return_unit_of(actor, organisation)
    start, end = period(start, end, default=last_month())
    return Statement(
        title=STATEMENT_TITLE,
        kind="statement",
        code=org.code,
        name_zh=org.name_zh,
        name_en=org.name_en,
        start=start,
        end=end,
        sections=tuple(make(actor, org, start, end) for make in SECTIONS),
    )


# --- The look-up: a return unit's own data by period, batch or serial -------------------

UNIT_HEADERS = (
    _("Batch number"),
    _("Time submitted"),
    _("Unit"),
    _("Model"),
    _("Serial number received"),
    _("Fault (as on the label)"),
    _("Test result"),
    _("Disposition"),
    _("Serial number sent back"),
    _("Charge (yuan)"),
    _("Delay"),
    _("Shipment"),
    _("Shipped"),
)


def records_for(
    *,
    actor,
    organisation: str | None,
    start: Any = None,
    end: Any = None,
    batch: str = "",
    serial: str = "",
) -> Statement:
    """IV.8: a return unit's repair data (every unit received, as tested, dealt
    with and shipped) and delivery data (the deliveries to it) over the whole
    retention window by default, or by period (a batch's submission, a
    delivery's shipping), batch number or serial. With a batch or serial, the
    deliveries are those that took its units back."""
    org = return_unit_of(actor, organisation)
    today = timezone.localdate()
    start, end = period(start, end, default=(earliest_day(today), today))
    units = list(
        returns.unit_search(
            actor=actor, return_org=org, start=start, end=end, batch=batch, serial=serial
        )
    )
    rows = tuple(
        (
            u.batch.number,
            u.batch.submitted_at,
            u.code,
            _model(u),
            u.serial_in,
            u.line.fault if u.line_id else "",
            _display(u, "result"),
            _display(u, "disposition"),
            u.serial_out,
            u.charge_amount,
            _display(u, "delay_reason"),
            u.shipment.number if u.shipment_id else "",
            u.shipment.shipped_at if u.shipment_id else None,
        )
        for u in units
    )
    totals = (
        (_("Units"), len(rows)),
        (_("Charges (yuan)"), _money(u.charge_amount for u in units)),
    )
    units_section = Section("units", _("Units returned"), UNIT_HEADERS, rows, totals)
    narrowed = bool((batch or "").strip() or (serial or "").strip())
    shipments = {u.shipment_id for u in units if u.shipment_id} if narrowed else None
    filters = tuple(
        (label, value.strip())
        for label, value in ((_("Batch number"), batch or ""), (_("Serial number"), serial or ""))
        if value.strip()
    )
    return Statement(
        title=RECORDS_TITLE,
        kind="records",
        code=org.code,
        name_zh=org.name_zh,
        name_en=org.name_en,
        start=start,
        end=end,
        sections=(
            units_section,
            deliveries_section(actor, org, start, end, shipments=shipments),
        ),
        filters=filters,
    )


def rows_shown(section: Section) -> list[list[str]]:
    """A section's rows as the page shows them, in the active language."""
    return [[shown(v) for v in row] for row in section.rows]


def totals_shown(section: Section) -> list[tuple[str, str]]:
    return [(str(label), shown(value)) for label, value in section.totals]
