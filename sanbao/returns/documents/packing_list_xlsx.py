"""The packing list as a workbook: its header block, then one typed row per line,
with the delay marks (IV.6)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from sanbao.documents.pdf import (
    bilingual,
    both_names,
)
from sanbao.documents.xlsx import xlsx_form_bytes
from sanbao.returns.documents.delays import delay_mark, delay_summary, delays_of
from sanbao.returns.documents.layout import lines_of, receipt_closed, repair_pages
from sanbao.returns.documents.packing_list import return_unit_rows
from sanbao.returns.documents.text import (
    BATCH_NUMBER,
    BOXES,
    CARRIER,
    DATE,
    DECLARED_BOXES,
    DECLARED_UNITS,
    DELAY_COLUMN,
    DELAYED_UNLISTED,
    DELAYS,
    EXTRA_COST,
    FAULTY_UNITS,
    FREIGHT,
    HOME_DELIVERY,
    PACKING_LIST_TITLE,
    RECEIVED_AT,
    REPAIR_LIST_PAGES,
    STATUS,
    WAYBILL,
    XLSX_LINE_HEADERS,
)
from sanbao.returns.models import (
    ReturnBatch,
)

# --- The packing list as a workbook ----------------------------------------------------


def packing_list_xlsx(batch: ReturnBatch) -> bytes:
    """The packing list as a workbook: its header block (return unit, contact,
    declared figures, pages of the repair list, shipping terms and, after receipt,
    the received figures), then one row per line. Headers in both languages;
    numbers, dates and yes/no typed as such."""
    lines = lines_of(batch)
    fields = [
        (BATCH_NUMBER, batch.number),
        (STATUS, batch.get_status_display()),
        *return_unit_rows(batch),
        (DATE, batch.packed_on),
        (DECLARED_UNITS, batch.declared_units),
        (DECLARED_BOXES, batch.declared_boxes),
        (REPAIR_LIST_PAGES, repair_pages(batch, len(lines))),
        (CARRIER, batch.carrier),
        (WAYBILL, batch.waybill_no),
        (HOME_DELIVERY, batch.home_delivery),
        (EXTRA_COST, batch.extra_cost_to_shipper or not batch.home_delivery),
        (FREIGHT, batch.get_freight_display()),
    ]
    if receipt_closed(batch):
        fields += [
            (received_figure(FAULTY_UNITS), batch.received_units),
            (received_figure(BOXES), batch.received_boxes),
            (RECEIVED_AT, batch.receipt_closed_at),
        ]
    delayed, unit_count = delays_of(batch)
    headers = list(XLSX_LINE_HEADERS)
    marks: dict[int | None, list[str]] = {}
    for unit in delayed:
        marks.setdefault(unit.line_id, []).append(f"{unit.code}: {delay_mark(unit)}")
    if delayed:
        # IV.6: the delay marks, in the header block and beside each line.
        fields.append((DELAYS, bilingual(delay_summary(delayed, unit_count))))
        if None in marks:  # units not on the packing list
            fields.append((DELAYED_UNLISTED, "\n".join(marks[None])))
        headers.append(DELAY_COLUMN)
    rows = [
        [
            line.line_no,
            line.model.code,
            both_names(line.model.name_zh, line.model.name_en),
            both_names(line.model.category.name_zh, line.model.category.name_en),
            line.serial,
            line.quantity,
            line.fault,
            ", ".join(line.accessories),
            line.bundled,
            line.box_no,
            line.received_quantity,
            *(["\n".join(marks.get(line.pk, []))] if delayed else []),
        ]
        for line in lines
    ]
    return xlsx_form_bytes(
        fields, headers, rows, title=PACKING_LIST_TITLE, sheet_title=PACKING_LIST_TITLE
    )


RECEIVED_FIGURE = _("%(figure)s received")


def received_figure(figure):
    return lambda: str(RECEIVED_FIGURE) % {"figure": figure}
