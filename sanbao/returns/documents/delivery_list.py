"""The delivery list (IV.7) that goes back with each shipment of good products,
with its charges (IV.P2), released backorders and the units still to follow
(IV.6), as a PDF; and what it says, read once for the PDF and the workbook."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count
from django.utils.translation import ngettext
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, Spacer

from sanbao.documents.pdf import (
    HALF_WIDTH,
    MUTED,
    SHADE,
    bi_markup,
    bilingual,
    block,
    build_pdf,
    columns,
    data_table,
    esc,
    field_table,
    fmt_date,
    fmt_datetime,
    org_name,
    para,
    section,
    signature_lines,
    style,
    table_style,
)
from sanbao.returns.documents.delays import DELAY_INK, delay_reason_label, delay_rows
from sanbao.returns.documents.layout import (
    choice,
    code_para,
    dense_markup,
    dense_para,
    local_date,
    model_text,
    muted_markup,
    number_block,
)
from sanbao.returns.documents.text import (
    ADDRESS,
    BACKORDER,
    BACKORDER_RELEASED,
    BATCH_HEADERS,
    BATCH_NUMBER,
    BATCHES_CARRIED,
    CARRIER,
    CHARGES_TOTAL,
    CONTACT_PERSON,
    DELAY_WIDTHS,
    DELAYED_MARK,
    DELAYED_UNITS,
    DELIVERY_LIST_NUMBER,
    DELIVERY_LIST_TITLE,
    FOLLOW_HEADERS,
    NO_UNITS,
    NOT_SHIPPED_YET,
    NOTE,
    ON_TIME,
    ORDER_NO,
    PREPARED_AT,
    PROVISIONAL,
    RETURN_UNIT,
    RETURN_UNIT_CODE,
    SHIPMENT,
    SHIPPED_AT,
    SIGN_RETURN_UNIT,
    SIGN_SENDER,
    STILL_TO_FOLLOW,
    TELEPHONE,
    TO_FOLLOW_INTRO,
    TOTAL,
    UNIT_COLUMNS,
    UNITS,
    UNITS_TOTAL,
    WAYBILL,
)
from sanbao.returns.models import (
    Disposition,
    ReturnBatch,
    ReturnedUnit,
    Shipment,
    ShipmentStatus,
    TestResult,
)

# --- The delivery list (IV.7) -------------------------------------------------------------


def _yuan(amount: Decimal | None) -> str:
    return f"¥{amount:,.2f}" if amount is not None else ""


def _who_when(at, user) -> str:
    if at is None:
        return "—"
    who = user.display_name if user is not None else ""
    return f"{fmt_datetime(at)} {who}".strip()


@dataclass
class _Delivery:
    """What a delivery list says, read once for the PDF and the workbook."""

    shipment: Shipment
    units: list[ReturnedUnit]
    batches: list[ReturnBatch]
    in_batch: dict[int, int]  # units of each batch, all told
    delayed: dict[int, list[ReturnedUnit]]  # the delayed units of each batch
    to_follow: list[ReturnedUnit]  # delayed units of these batches not gone back yet

    @property
    def charges(self) -> Decimal:
        return sum((u.charge_amount or Decimal("0") for u in self.units), Decimal("0"))


def _went_before(other: Shipment, shipment: Shipment) -> bool:
    """Whether ``other`` left before ``shipment`` (which may not have left yet)."""
    if other.status != ShipmentStatus.SHIPPED or other.shipped_at is None:
        return False
    return shipment.shipped_at is None or other.shipped_at < shipment.shipped_at


def delivery_of(shipment: Shipment) -> _Delivery:
    from sanbao.returns.selectors import delayed_units, shipment_batches, shipment_units

    units = list(shipment_units(shipment))
    batches = list(shipment_batches(shipment).select_related("return_org"))
    counts = dict(
        ReturnedUnit.objects.filter(batch__in=batches)
        .values("batch")
        .annotate(n=Count("id"))
        .values_list("batch", "n")
    )
    delayed = {b.pk: list(delayed_units(b)) for b in batches}
    to_follow = [
        unit
        for batch in batches
        for unit in delayed[batch.pk]
        if unit.shipment_id != shipment.pk
        and not (unit.shipment_id and _went_before(unit.shipment, shipment))
    ]
    return _Delivery(shipment, units, batches, counts, delayed, to_follow)


def turnaround_text(batch: ReturnBatch, delayed: int):
    """IV.5 / IV.6: on time or so many working days late once the units not
    delayed have gone back; delayed when the whole batch was; how many units of it
    were delayed."""

    def text() -> str:
        if batch.shipped_at is None:
            parts = [str(NOT_SHIPPED_YET)]
        elif batch.working_days_late == 0:
            parts = [str(ON_TIME)]
        elif batch.working_days_late:
            n = batch.working_days_late
            parts = [
                ngettext("%(days)s working day late", "%(days)s working days late", n) % {"days": n}
            ]
        else:
            parts = [str(DELAYED_MARK)]
        if delayed and not (batch.shipped_at and batch.working_days_late is None):
            parts.append(str(DELAYED_UNITS) % {"count": delayed})
        return "; ".join(parts)

    return text


def due_text(batch: ReturnBatch) -> str:
    if batch.due_on is None:
        return "—"
    return (
        f"{fmt_date(batch.due_on)} ({bilingual(PROVISIONAL)})"
        if batch.due_provisional
        else (fmt_date(batch.due_on))
    )


def _batch_rows(d: _Delivery) -> list[list]:
    here: dict[int, int] = {}
    for unit in d.units:
        here[unit.batch_id] = here.get(unit.batch_id, 0) + 1
    return [
        [
            dense_para(f"<b>{esc(b.number)}</b>"),
            dense_para(esc(fmt_date(local_date(b.receipt_closed_at)))),
            dense_para(esc(due_text(b))),
            dense_para(f"{here.get(b.pk, 0)} / {d.in_batch.get(b.pk, 0)}"),
            dense_para(dense_markup(turnaround_text(b, len(d.delayed[b.pk])))),
        ]
        for b in d.batches
    ]


def _result_markup(unit: ReturnedUnit) -> str:
    if not unit.result:
        return "—"
    label = dict(TestResult.choices).get(unit.result, unit.result)
    if unit.result == TestResult.EXCLUDED and unit.excluded_rule:
        return dense_markup(lambda: f"{label} ({unit.excluded_rule})")
    return dense_markup(label)


def _disposition_markup(unit: ReturnedUnit) -> str:
    if not unit.disposition:
        return "—"
    markup = dense_markup(dict(Disposition.choices).get(unit.disposition, unit.disposition))
    if unit.disposition == Disposition.REPLACED and unit.replacement_model_id:
        markup += f"<br/>→ {esc(unit.replacement_model.code)}"
    if unit.parts_used:
        markup += "<br/>" + muted_markup(", ".join(unit.parts_used))
    return markup


def _charge_markup(unit: ReturnedUnit) -> str:
    """IV.P2: the amount charged and why."""
    if unit.charge_amount is None:
        return "—"
    markup = f"<b>{esc(_yuan(unit.charge_amount))}</b>"
    if unit.charge_reason:
        markup += f"<br/>{esc(unit.charge_reason)}"
    return markup


def _backorder(unit: ReturnedUnit, shipment: Shipment):
    """IV.6: a delayed unit released in this shipment, with the order it goes with."""
    reason = delay_reason_label(unit)

    def text() -> str:
        if shipment.order_no:
            return str(BACKORDER_RELEASED) % {"reason": reason, "order": shipment.order_no}
        return str(BACKORDER) % {"reason": reason}

    return text


def _backorder_markup(unit: ReturnedUnit, shipment: Shipment) -> str:
    if not unit.delay_reason:
        return ""
    markup = dense_markup(_backorder(unit, shipment), bold=True)
    if unit.delay_note:
        markup += "<br/>" + muted_markup(f"({unit.delay_note})")
    return markup


def _unit_row(i: int, unit: ReturnedUnit, shipment: Shipment) -> list[Paragraph]:
    serial_out = unit.serial_out or unit.serial_in
    out = esc(serial_out) or "—"
    if unit.disposition == Disposition.REPLACED:
        out = f"<b>{out}</b>"
    return [
        dense_para(str(i)),
        code_para(unit.code, UNIT_COLUMNS[1][1] * mm - 4),
        dense_para(esc(model_text(unit.model))),
        dense_para(esc(unit.serial_in) or "—"),
        dense_para(out),
        dense_para(_result_markup(unit)),
        dense_para(_disposition_markup(unit)),
        dense_para(_charge_markup(unit)),
        dense_para(_backorder_markup(unit, shipment)),
    ]


def _units_table(d: _Delivery) -> Flowable:
    """Every unit of the shipment, grouped by batch under a row naming it."""
    if not d.units:
        return para(bi_markup(NO_UNITS))
    rows: list[list] = []
    batch_rows: list[int] = []
    backorder_rows: list[int] = []
    current = None
    for i, unit in enumerate(d.units, start=1):
        if unit.batch_id != current:
            current = unit.batch_id
            batch_rows.append(len(rows))
            heading = f"{esc(bilingual(BATCH_NUMBER))} <b>{esc(unit.batch.number)}</b>"
            rows.append([dense_para(heading), *[""] * (len(UNIT_COLUMNS) - 1)])
        if unit.delay_reason:
            backorder_rows.append(len(rows))
        rows.append(_unit_row(i, unit, d.shipment))
    total = dense_para(
        f"<b>{esc(bilingual(TOTAL))}</b>: "
        f"{esc(bilingual(UNITS_TOTAL))} {len(d.units)} · "
        f"{esc(bilingual(CHARGES_TOTAL))} {esc(_yuan(d.charges))}"
    )
    rows.append([total, *[""] * (len(UNIT_COLUMNS) - 1)])
    table = data_table(
        [h for h, _w in UNIT_COLUMNS],
        rows,
        [w * mm for _h, w in UNIT_COLUMNS],
        highlight_rows=backorder_rows,
    )
    commands = []
    for r in batch_rows:
        commands += [
            ("SPAN", (0, r + 1), (-1, r + 1)),
            ("BACKGROUND", (0, r + 1), (-1, r + 1), SHADE),
            ("LINEABOVE", (0, r + 1), (-1, r + 1), 0.6, MUTED),
        ]
    commands += [
        ("SPAN", (0, -1), (-1, -1)),
        ("LINEABOVE", (0, -1), (-1, -1), 0.6, MUTED),
        ("LEFTPADDING", (0, 0), (-1, -1), 2),
        ("RIGHTPADDING", (0, 0), (-1, -1), 2),
    ]
    table.setStyle(table_style(commands))
    return table


def _to_follow_section(d: _Delivery) -> list[Flowable]:
    """IV.6: the delayed units of these batches that are not in this shipment,
    each with its reason and note and, once it has left in a later shipment, that
    shipment and its order."""
    table = data_table(FOLLOW_HEADERS, delay_rows(d.to_follow), DELAY_WIDTHS)
    table.setStyle(table_style([("LINEBEFORE", (0, 0), (0, -1), 2, DELAY_INK)]))
    return block(
        STILL_TO_FOLLOW,
        Paragraph(bi_markup(TO_FOLLOW_INTRO), style("small")),
        Spacer(1, 1.5 * mm),
        table,
    )


def return_unit_fields(org) -> list[tuple]:
    return [
        (RETURN_UNIT, org_name(org)),
        (RETURN_UNIT_CODE, org.code),
        (ADDRESS, org.address),
        (CONTACT_PERSON, org.contact_person),
        (TELEPHONE, org.phone),
    ]


def _shipment_fields(d: _Delivery) -> list[tuple]:
    s = d.shipment
    rows = [(CARRIER, s.carrier), (WAYBILL, s.waybill_no)]
    if s.order_no:
        rows.append((ORDER_NO, s.order_no))
    rows += [
        (PREPARED_AT, _who_when(s.created_at, s.created_by)),
        (SHIPPED_AT, _who_when(s.shipped_at, s.shipped_by)),
        (UNITS_TOTAL, str(len(d.units))),
        (CHARGES_TOTAL, _yuan(d.charges)),
    ]
    return rows


def delivery_list_pdf(shipment: Shipment) -> bytes:
    """IV.7: the delivery list that goes with every shipment of good products back
    to a return unit: its number with a Code 128 barcode, the return unit, the
    batches it carries (received, due back by, on time or so many working days
    late, IV.5), the carrier, waybill and the return unit's order it travels with
    (IV.6), the totals; every unit with its serial in and out, test result,
    disposition and charge with its reason (IV.P2), a released backorder marked
    with its order (IV.6); the delayed units of these batches still to follow
    (IV.6); lines to sign for the sender and the receiver."""
    d = delivery_of(shipment)
    half = {"width": HALF_WIDTH, "label_width": 34 * mm}
    story: list[Flowable] = [
        number_block(
            DELIVERY_LIST_NUMBER,
            shipment.number,
            choice(ShipmentStatus.choices, shipment.status),
        ),
        Spacer(1, 2 * mm),
        columns(
            [section(RETURN_UNIT), field_table(return_unit_fields(shipment.return_org), **half)],
            [section(SHIPMENT), field_table(_shipment_fields(d), **half)],
        ),
    ]
    if d.batches:
        story += block(
            BATCHES_CARRIED,
            data_table(BATCH_HEADERS, _batch_rows(d), [0.2, 0.13, 0.2, 0.14, 0.33]),
        )
    story += block(UNITS, _units_table(d), keep=45 * mm)
    if d.to_follow:
        story += _to_follow_section(d)
    if shipment.note:
        story += block(NOTE, para(esc(shipment.note)))
    story.append(signature_lines([SIGN_SENDER, SIGN_RETURN_UNIT]))
    return build_pdf(
        story, title=DELIVERY_LIST_TITLE, reference=shipment.number, subject=shipment.number
    )
