"""The packing list (IV.2) as a PDF, with the received figures after receipt
(IV.1) and the delay marks (IV.6)."""

from __future__ import annotations

from dataclasses import dataclass

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, Spacer

from sanbao.documents.pdf import (
    HALF_WIDTH,
    bi_markup,
    bilingual,
    block,
    both_names,
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
)
from sanbao.returns.documents.delays import delay_banner, delay_section, delay_summary, delays_of
from sanbao.returns.documents.layout import (
    choice,
    lines_of,
    number_block,
    receipt_closed,
    repair_pages,
    yes_no,
)
from sanbao.returns.documents.text import (
    ADDRESS,
    BATCH_NUMBER,
    BOXES,
    CARRIER,
    CATEGORY,
    CONTACT_PERSON,
    CONTACT_PHONE,
    DATE,
    DECLARED,
    DECLARED_BOXES,
    DECLARED_UNITS,
    EXTRA_COST,
    FAULTY_UNITS,
    FAX,
    FIGURE,
    FREIGHT,
    HOME_DELIVERY,
    LINES,
    MODEL,
    NO_LINES,
    NOTE,
    PACKING,
    PACKING_LIST_TITLE,
    PHYSICAL_COUNT_PREVAILS,
    PRODUCTS,
    QUANTITY,
    RECEIPT,
    RECEIVED,
    RECEIVED_AT,
    RECEIVED_BY,
    REFUSAL,
    REPAIR_LIST_PAGES,
    RETURN_UNIT,
    SHIPPING,
    SIGN_PACKER,
    SIGN_RECEIVER,
    SUBMITTED_AT,
    TELEPHONE,
    TOTAL,
    UNLABELLED_UNITS,
    UNLISTED_UNITS,
    WAYBILL,
)
from sanbao.returns.models import (
    BatchLine,
    BatchStatus,
    Freight,
    ReturnBatch,
)

# --- The packing list ------------------------------------------------------------------


def return_unit_rows(batch: ReturnBatch) -> list[tuple]:
    """Who sends the batch and how to reach them, on the PDF and in the workbook."""
    org = batch.return_org
    return [
        (RETURN_UNIT, org_name(org)),
        (ADDRESS, org.address),
        (TELEPHONE, org.phone),
        (FAX, org.fax),
        (CONTACT_PERSON, batch.contact_person),
        (CONTACT_PHONE, batch.contact_phone),
    ]


def _packing_rows(batch: ReturnBatch, line_count: int) -> list[tuple]:
    rows = [
        (DECLARED_UNITS, str(batch.declared_units)),
        (DECLARED_BOXES, str(batch.declared_boxes)),
        (REPAIR_LIST_PAGES, str(repair_pages(batch, line_count))),
        (DATE, fmt_date(batch.packed_on)),
    ]
    if batch.submitted_at:
        rows.append((SUBMITTED_AT, fmt_datetime(batch.submitted_at)))
    if batch.status == BatchStatus.REFUSED and batch.refusal_reason:
        rows.append((REFUSAL, batch.refusal_reason))
    return rows


def _shipping_rows(batch: ReturnBatch) -> list[tuple]:
    delivery: str | Paragraph = yes_no(batch.home_delivery)
    if not batch.home_delivery or batch.extra_cost_to_shipper:
        delivery = Paragraph(
            f"{esc(delivery)}<br/><b>{esc(bilingual(EXTRA_COST))}</b>", style("cell")
        )
    return [
        (CARRIER, batch.carrier),
        (WAYBILL, batch.waybill_no),
        (HOME_DELIVERY, delivery),
        (FREIGHT, choice(Freight.choices, batch.freight)),
    ]


@dataclass
class _ModelSum:
    category: str
    model: str
    lines: int = 0
    quantity: int = 0
    received: int | None = None
    boxes: set | None = None


def _products(batch: ReturnBatch, lines: list[BatchLine]) -> Flowable:
    """The lines summarised by category and model: lines, units, boxes and, once
    the receipt is closed, the units received."""
    closed = receipt_closed(batch)
    sums: dict[tuple[str, str], _ModelSum] = {}
    for line in lines:
        cat, model = line.model.category, line.model
        key = (cat.code, model.code)
        if key not in sums:
            sums[key] = _ModelSum(
                category=both_names(cat.name_zh, cat.name_en),
                model=f"{model.code} {both_names(model.name_zh, model.name_en)}",
                received=0 if closed else None,
                boxes=set(),
            )
        s = sums[key]
        s.lines += 1
        s.quantity += line.quantity
        s.boxes.add(line.box_no)
        if closed:
            s.received += line.received_quantity or 0
    headers = [CATEGORY, MODEL, LINES, QUANTITY, BOXES]
    widths = [0.2, 0.38, 0.1, 0.12, 0.2]
    if closed:
        headers.append(RECEIVED)
        widths = [0.18, 0.34, 0.09, 0.11, 0.16, 0.12]
    rows = []
    for key in sorted(sums):
        s = sums[key]
        row = [s.category, s.model, str(s.lines), str(s.quantity), _box_list(s.boxes)]
        if closed:
            row.append(str(s.received))
        rows.append(row)
    total = [
        para(esc(bilingual(TOTAL)), "cell_bold"),
        "",
        para(str(len(lines)), "cell_bold"),
        para(str(sum(s.quantity for s in sums.values())), "cell_bold"),
        para(str(len({line.box_no for line in lines})), "cell_bold"),
    ]
    if closed:
        total.append(para(str(sum(s.received for s in sums.values())), "cell_bold"))
    rows.append(total)
    if not lines:
        return para(bi_markup(NO_LINES))
    return data_table(headers, rows, widths)


def _box_list(boxes: set[int]) -> str:
    """``1–3, 5``: box numbers with runs collapsed."""
    numbers = sorted(boxes)
    parts, start = [], None
    for i, n in enumerate(numbers):
        if start is None:
            start = n
        if i + 1 == len(numbers) or numbers[i + 1] != n + 1:
            parts.append(str(start) if start == n else f"{start}–{n}")
            start = None
    return ", ".join(parts)


def _receipt(batch: ReturnBatch) -> list[Flowable]:
    """IV.1: the received figures beside the declared ones."""
    from sanbao.returns.services import receipt_counts

    counts = receipt_counts(batch)
    rows = [
        [bilingual(FAULTY_UNITS), str(batch.declared_units), str(batch.received_units)],
        [bilingual(BOXES), str(batch.declared_boxes), str(batch.received_boxes)],
        [bilingual(UNLISTED_UNITS), "0", str(counts["unlisted"])],
        [bilingual(UNLABELLED_UNITS), "0", str(counts["unlabelled"])],
    ]
    differs = [
        i
        for i, (declared, received) in enumerate(
            [
                (batch.declared_units, batch.received_units),
                (batch.declared_boxes, batch.received_boxes),
                (0, counts["unlisted"]),
                (0, counts["unlabelled"]),
            ]
        )
        if declared != received
    ]
    figures = data_table(
        [FIGURE, DECLARED, RECEIVED], rows, [0.5, 0.25, 0.25], highlight_rows=differs
    )
    who = batch.received_by.display_name if batch.received_by_id else ""
    return [
        figures,
        Spacer(1, 1.5 * mm),
        field_table([(RECEIVED_AT, fmt_datetime(batch.receipt_closed_at)), (RECEIVED_BY, who)]),
        Spacer(1, 1.5 * mm),
        Paragraph(bi_markup(PHYSICAL_COUNT_PREVAILS), style("small")),
    ]


def packing_list_pdf(batch: ReturnBatch) -> bytes:
    """IV.2: the packing list: the return unit (address, telephone, fax), the batch
    number with its Code 128 barcode, the date, the contact person and telephone,
    the declared total of faulty units, the number of boxes, the number of pages of
    the repair list, the products summarised by model and category with quantities
    and boxes, the shipping terms (IV.P5, IV.P6); after receipt the received
    figures beside the declared ones (IV.1); once units are delayed, the delay marks
    (IV.6): a box under the batch number, and a section listing each delayed unit
    with its reason, note, the day it was marked and the shipment and order it
    went back with."""
    lines = lines_of(batch)
    delayed, unit_count = delays_of(batch)
    half = {"width": HALF_WIDTH, "label_width": 34 * mm}
    story: list[Flowable] = [
        number_block(BATCH_NUMBER, batch.number, choice(BatchStatus.choices, batch.status)),
        Spacer(1, 2 * mm),
    ]
    if delayed:
        story += [delay_banner(delay_summary(delayed, unit_count)), Spacer(1, 2 * mm)]
    story += [
        columns(
            [section(RETURN_UNIT), field_table(return_unit_rows(batch), **half)],
            [section(PACKING), field_table(_packing_rows(batch, len(lines)), **half)],
        ),
        *block(SHIPPING, field_table(_shipping_rows(batch))),
        *block(PRODUCTS, _products(batch, lines)),
    ]
    if receipt_closed(batch):
        story += block(RECEIPT, *_receipt(batch))
    if delayed:
        story += delay_section(delayed, unit_count)
    if batch.note:
        story += block(NOTE, para(esc(batch.note)))
    story.append(signature_lines([SIGN_PACKER, SIGN_RECEIVER]))
    return build_pdf(story, title=PACKING_LIST_TITLE, reference=batch.number, subject=batch.number)
