"""The delivery list (IV.7) as a workbook: a header block, one typed row per unit,
and a second sheet of the delayed units still to follow (IV.6)."""

from __future__ import annotations

import io
from copy import copy

import openpyxl

from sanbao.documents.pdf import (
    bilingual,
    both_names,
)
from sanbao.documents.xlsx import xlsx_bytes, xlsx_form_bytes
from sanbao.returns.documents.delays import delay_reason_label
from sanbao.returns.documents.delivery_list import (
    delivery_of,
    due_text,
    return_unit_fields,
    turnaround_text,
)
from sanbao.returns.documents.layout import local_date
from sanbao.returns.documents.text import (
    BATCH_DUE,
    CARRIER,
    CHARGES_TOTAL,
    DELIVERY_LIST_NUMBER,
    DELIVERY_LIST_TITLE,
    ORDER_NO,
    PREPARED_AT,
    SHIPPED_AT,
    STATUS,
    STILL_TO_FOLLOW,
    UNITS_TOTAL,
    WAYBILL,
    XLSX_FOLLOW_HEADERS,
    XLSX_UNIT_HEADERS,
)
from sanbao.returns.models import (
    Disposition,
    ReturnedUnit,
    Shipment,
    TestResult,
)

# --- The delivery list as a workbook -------------------------------------------------------


def _unit_values(unit: ReturnedUnit, shipment: Shipment) -> list:
    model = unit.model
    return [
        unit.batch.number,
        unit.code,
        model.code if model else "",
        both_names(model.name_zh, model.name_en) if model else "",
        unit.serial_in,
        unit.serial_out or unit.serial_in,
        bilingual(dict(TestResult.choices)[unit.result]) if unit.result else "",
        unit.excluded_rule,
        bilingual(dict(Disposition.choices)[unit.disposition]) if unit.disposition else "",
        unit.replacement_model.code if unit.replacement_model_id else "",
        ", ".join(unit.parts_used),
        unit.charge_amount,
        unit.charge_reason,
        bilingual(delay_reason_label(unit)) if unit.delay_reason else "",
        unit.delay_note,
        shipment.order_no if unit.delay_reason else "",
    ]


def delivery_list_xlsx(shipment: Shipment) -> bytes:
    """The delivery list as a workbook: its header block (return unit, carrier,
    waybill, order, dates, the batches with their turnaround, totals), then one
    typed row per unit (charges as numbers, IV.P2); a second sheet lists the
    delayed units still to follow (IV.6)."""
    d = delivery_of(shipment)
    org = shipment.return_org
    fields = [
        (DELIVERY_LIST_NUMBER, shipment.number),
        (STATUS, bilingual(shipment.get_status_display)),
        *return_unit_fields(org),
        (CARRIER, shipment.carrier),
        (WAYBILL, shipment.waybill_no),
        (ORDER_NO, shipment.order_no),
        (PREPARED_AT, shipment.created_at),
        (SHIPPED_AT, shipment.shipped_at),
        (UNITS_TOTAL, len(d.units)),
        (CHARGES_TOTAL, d.charges),
    ]
    for b in d.batches:
        turnaround = bilingual(turnaround_text(b, len(d.delayed[b.pk])))
        fields.append(
            (
                _batch_label(b.number),
                f"{due_text(b)} · {turnaround}",
            )
        )
    rows = [_unit_values(unit, shipment) for unit in d.units]
    data = xlsx_form_bytes(
        fields, XLSX_UNIT_HEADERS, rows, title=DELIVERY_LIST_TITLE, sheet_title=DELIVERY_LIST_TITLE
    )
    if not d.to_follow:
        return data
    follow = [
        [
            unit.batch.number,
            unit.code,
            unit.model.code if unit.model else "",
            unit.serial_in,
            bilingual(delay_reason_label(unit)),
            unit.delay_note,
            local_date(unit.delayed_at),
            unit.shipment.number if unit.shipment_id else "",
            unit.shipment.order_no if unit.shipment_id else "",
        ]
        for unit in d.to_follow
    ]
    return _with_sheet(data, STILL_TO_FOLLOW, XLSX_FOLLOW_HEADERS, follow)


def _batch_label(number: str):
    return lambda: str(BATCH_DUE) % {"number": number}


def _with_sheet(data: bytes, title, headers, rows) -> bytes:
    """``data`` (a workbook) with one more sheet of ``headers`` over ``rows``."""
    extra = openpyxl.load_workbook(io.BytesIO(xlsx_bytes(headers, rows, sheet_title=title)))
    book = openpyxl.load_workbook(io.BytesIO(data))
    source = extra.active
    sheet = book.create_sheet(source.title)
    for row in source.iter_rows():
        for cell in row:
            target = sheet.cell(row=cell.row, column=cell.column, value=cell.value)
            if cell.data_type == "s":
                target.data_type = "s"  # text stays text: "=…" is never a formula
            if cell.has_style:
                target.font = copy(cell.font)
                target.fill = copy(cell.fill)
                target.number_format = cell.number_format
                target.alignment = copy(cell.alignment)
    for key, dim in source.column_dimensions.items():
        sheet.column_dimensions[key].width = dim.width
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = source.auto_filter.ref
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
