"""A return batch's papers (SPEC IV): the packing list and the repair list that
travel with the parcel (IV.1, IV.2), the fault labels stuck on each unit (IV.3),
the notice faxed to the return unit when what arrived differs (IV.4), and the
packing list as a workbook; the delays marked on the reprinted packing list
(IV.6); and the delivery list that goes back with each shipment of good products
(IV.7), with its charges (IV.P2), released backorders and the units still to
follow (IV.6), as a PDF and a workbook.

The PDFs are printed in Chinese and English whatever the reader's language, in
the embedded Noto Sans SC (see ``sanbao.documents.pdf``). The repair list prints
exactly ``policy.REPAIR_LIST_LINES_PER_PAGE`` lines a page in rows that never grow,
so the page count the packing list states is always the repair list's real one.
The batch or shipment passed in is already visible to the reader
(``selectors.batch_get``, ``selectors.shipment_get``).
"""

from __future__ import annotations

import io
from copy import copy
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

import openpyxl
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, pgettext_lazy
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.platypus import Flowable, PageBreak, Paragraph, Spacer, Table

from sanbao.core.errors import Conflict, ValidationFailed
from sanbao.documents.pdf import (
    CONTENT_WIDTH,
    ELLIPSIS,
    FAX_INK,
    FONT,
    FONT_BOLD,
    HALF_WIDTH,
    HIGHLIGHT,
    MARGIN_BOTTOM,
    MARGIN_TOP,
    MUTED,
    RULE,
    SHADE,
    barcode,
    barcode_in,
    bi_markup,
    bilingual,
    block,
    build_fax_pdf,
    build_pdf,
    canvas_pdf,
    columns,
    data_table,
    esc,
    fax_markup,
    fax_styles,
    field_table,
    fit_para,
    fmt_date,
    fmt_datetime,
    in_both,
    label_para,
    para,
    qr_code,
    section,
    signature_lines,
    style,
    table_style,
)
from sanbao.documents.xlsx import xlsx_bytes, xlsx_form_bytes
from sanbao.returns import policy
from sanbao.returns.models import (
    AnomalyKind,
    BatchLine,
    BatchStatus,
    DelayReason,
    Disposition,
    Freight,
    ReturnBatch,
    ReturnedUnit,
    Shipment,
    ShipmentStatus,
    TestResult,
)

PACKING_LIST_TITLE = _("Packing list")
REPAIR_LIST_TITLE = _("Repair list")
LABELS_TITLE = _("Fault labels")
NOTICE_TITLE = _("Receipt anomaly notice")

BATCH_NUMBER = _("Batch number")
DATE = _("Date")
STATUS = _("Status")
RETURN_UNIT = _("Return unit")
ADDRESS = _("Address")
TELEPHONE = _("Telephone")
FAX = _("Fax")
CONTACT_PERSON = _("Contact person")
CONTACT_PHONE = _("Contact telephone")
PACKING = _("Packing list (IV.2)")
DECLARED_UNITS = _("Total faulty units")
DECLARED_BOXES = _("Number of boxes")
REPAIR_LIST_PAGES = _("Pages of the repair list")
SUBMITTED_AT = _("Submitted at")
REFUSAL = _("Reason for refusal")
NOTE = _("Note")
SHIPPING = _("Shipping terms")
CARRIER = _("Carrier")
WAYBILL = _("Waybill number")
HOME_DELIVERY = _("Home delivery")
FREIGHT = _("Freight")
EXTRA_COST = _("Extra delivery cost charged to the shipper (IV.P6)")
PRODUCTS = _("Products by model")
CATEGORY = _("Category")
MODEL = _("Model")
LINES = _("Lines")
QUANTITY = _("Quantity")
BOXES = _("Boxes")
RECEIVED = _("Received")
DECLARED = _("Declared")
TOTAL = _("Total")
RECEIPT = _("Receipt: declared and received (IV.1)")
FIGURE = _("Figure")
FAULTY_UNITS = _("Faulty units")
UNLISTED_UNITS = _("Units not on the packing list")
UNLABELLED_UNITS = _("Units without a fault label")
RECEIVED_AT = _("Receipt closed at")
RECEIVED_BY = _("Received by")
PHYSICAL_COUNT_PREVAILS = _(
    "The quantity physically received prevails over the declared one (IV.1); the "
    "declared figures are kept for comparison."
)
SIGN_PACKER = _("Packed by (return unit)")
SIGN_RECEIVER = _("Received by (after-sales)")
YES, NO = _("Yes"), _("No")

LINE = _("Line")
SERIAL = _("Serial number")
FAULT = _("Fault (as on the label)")
ACCESSORIES = _("Accessories")
BUNDLED = _("Bundled")
BOX = _("Box")
REPAIR_PAGE_CAPTION = _("Lines %(first)s–%(last)s of %(count)s · %(units)s units")
NO_LINES = _("The packing list has no lines yet.")

NOTICE_TO = _("To")
NOTICE_FROM = _("From")
ATTENTION = _("Attention")
AFTER_SALES_DEPARTMENT = _("After-sales department")
PAGES = pgettext_lazy("number of pages", "Pages")
NOTICE_INTRO = _(
    "Return batch %(number)s was counted and checked on receipt and differs from its "
    "packing list. The quantity physically received prevails (IV.1)."
)
WHAT_DIFFERS = _("What differs")
WHAT_TO_DO = _("What to do")
NOTICE_REPLY = _(
    "Please reply by telephone (%(phone)s) or fax (%(fax)s), quoting batch %(number)s, "
    "to confirm these figures or explain the difference. The batch is on hold until then."
)
NOTICE_MORE = _("… and %(count)s more differences, listed on the batch in Sanbao.")
NOTICE_SIGNED = _("For the after-sales department")
NO_ANOMALY = _("Batch %(number)s has no receipt anomaly: there is nothing to notify.")

LAYOUT_INVALID = _("Choose a label layout: %(layouts)s.")

# Delays (IV.6), marked on the packing list and on the delivery list.
LABEL_CODE = _("Label code")
DELAYS = _("Delays (IV.6)")
DELAY_INK = colors.HexColor("#b42318")
DELAY_COLUMN = _("Delay (IV.6)")
DELAYED_UNLISTED = _("Delayed units not on the packing list")
DELAY_REASON = _("Reason and note")
DELAYED_ON = _("Marked delayed on")
WENT_BACK_WITH = _("Went back with")
STILL_WAITING = _("Not sent yet")
SHIPPED_ON = _("shipped %(date)s")
NOT_LEFT_YET = _("prepared, not shipped yet")
WITH_ORDER = _("order %(order)s")
WHOLE_BATCH_DELAYED = _("The whole batch is delayed (IV.6).")
WHOLE_BATCH_DELAYED_FOR = _("The whole batch is delayed (IV.6): %(reason)s.")
DELAY_WIDTHS = [0.19, 0.16, 0.14, 0.22, 0.1, 0.19]
DELAY_HEADERS = [LABEL_CODE, MODEL, SERIAL, DELAY_REASON, DELAYED_ON, WENT_BACK_WITH]

DELIVERY_LIST_TITLE = _("Delivery list")
DELIVERY_LIST_NUMBER = _("Delivery list number")
SHIPMENT = _("Shipment (IV.7)")
RETURN_UNIT_CODE = _("Return unit code")
ORDER_NO = _("Order number (IV.6)")
PREPARED_AT = _("Prepared")
SHIPPED_AT = _("Shipped")
UNITS_TOTAL = _("Units")
CHARGES_TOTAL = _("Charges (yuan)")
BATCHES_CARRIED = _("Batches in this shipment")
RECEIVED_ON = _("Received on")
DUE_ON = _("Due back by (IV.5)")
PROVISIONAL = _("provisional")
UNITS_HERE = _("Units here / in the batch")
TURNAROUND = _("Turnaround (IV.5)")
NOT_SHIPPED_YET = _("Not shipped back yet")
ON_TIME = _("On time")
DELAYED_MARK = _("Delayed (IV.6)")
DELAYED_UNITS = _("delayed units (IV.6): %(count)s")
BATCH_DUE = _("Batch %(number)s: due back by, turnaround")
BATCH_HEADERS = [BATCH_NUMBER, RECEIVED_ON, DUE_ON, UNITS_HERE, TURNAROUND]
UNITS = _("Units sent back (IV.7)")
NO_UNITS = _("This shipment has no units.")
SERIAL_IN = _("Serial in")
SERIAL_OUT = _("Serial out")
TEST_RESULT = _("Test result")
DISPOSITION = _("Disposition")
CHARGE = _("Charge (yuan) and reason (IV.P2)")
UNIT_COLUMNS = (  # (header, width in mm): 178 mm in all
    (pgettext_lazy("sequence number", "No."), 6),
    (LABEL_CODE, 31),
    (MODEL, 22),
    (SERIAL_IN, 19),
    (SERIAL_OUT, 19),
    (TEST_RESULT, 21),
    (DISPOSITION, 18),
    (CHARGE, 21),
    (DELAY_COLUMN, 21),
)
BACKORDER = _("Backorder: %(reason)s — released in this shipment")
BACKORDER_RELEASED = _("Backorder: %(reason)s — released with order %(order)s")
STILL_TO_FOLLOW = _("Still to follow (IV.6)")
TO_FOLLOW_INTRO = _(
    "Units of these batches held back for a shortage or force majeure and not in this "
    "shipment. They go back later, with an order of the return unit."
)
FOLLOW_HEADERS = [LABEL_CODE, MODEL, SERIAL, DELAY_REASON, DELAYED_ON, _("Sent back later in")]
SIGN_SENDER = _("Sent by (after-sales)")
SIGN_RETURN_UNIT = _("Received by (return unit)")
XLSX_UNIT_HEADERS = [
    BATCH_NUMBER,
    LABEL_CODE,
    MODEL,
    _("Model name"),
    SERIAL_IN,
    SERIAL_OUT,
    TEST_RESULT,
    _("Exclusion rule"),
    DISPOSITION,
    _("Replacement model"),
    _("Parts used"),
    _("Charge (yuan)"),
    _("Reason for the charge"),
    DELAY_COLUMN,
    _("Delay note"),
    ORDER_NO,
]
XLSX_FOLLOW_HEADERS = [
    BATCH_NUMBER,
    LABEL_CODE,
    MODEL,
    SERIAL,
    DELAY_COLUMN,
    _("Delay note"),
    DELAYED_ON,
    _("Sent back later in"),
    ORDER_NO,
]

# The packing list as a workbook: the paper's header block, then its lines.
XLSX_LINE_HEADERS = [
    LINE,
    MODEL,
    _("Model name"),
    CATEGORY,
    SERIAL,
    QUANTITY,
    FAULT,
    ACCESSORIES,
    BUNDLED,
    BOX,
    RECEIVED,
]


# --- Small formatters ------------------------------------------------------------------


def _names(*names: str) -> str:
    """Chinese and English names side by side, once when they are the same."""
    return " ".join(dict.fromkeys(n for n in names if n))


def _org(org) -> str:
    return _names(org.name_zh, org.name_en) if org is not None else ""


def _yes_no(value: bool) -> str:
    return bilingual(YES if value else NO)


def _choice(choices, value: str) -> str:
    labels = dict(choices)
    return bilingual(labels[value]) if value in labels else value


def _lines(batch: ReturnBatch) -> list[BatchLine]:
    return list(batch.lines.select_related("model__category").order_by("line_no"))


def _repair_pages(batch: ReturnBatch, line_count: int) -> int:
    """IV.2: the page count fixed at submission; for a draft, what it will be."""
    if batch.status != BatchStatus.DRAFT and batch.repair_list_pages:
        return batch.repair_list_pages
    return policy.repair_list_pages(line_count)


def _receipt_closed(batch: ReturnBatch) -> bool:
    return batch.receipt_closed_at is not None and batch.received_units is not None


# --- The packing list ------------------------------------------------------------------


def _number_block(label, number: str, status: str) -> Table:
    """A document's number, large, with its status and Code 128 barcode (scanned
    at receipt): a batch's on the packing list, a shipment's on the delivery list."""
    code = barcode(number)
    left = [
        label_para(label),
        Paragraph(esc(number), style("big")),
        Spacer(1, 1.5 * mm),
        label_para(STATUS),
        para(esc(status)),
    ]
    right_width = max(code.width + 4 * mm, 60 * mm)
    table = Table([[left, code]], colWidths=[CONTENT_WIDTH - right_width, right_width])
    table.hAlign = "LEFT"
    table.setStyle(
        table_style(
            [
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("ALIGN", (1, 0), (1, 0), "RIGHT"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    return table


def _return_unit_rows(batch: ReturnBatch) -> list[tuple]:
    org = batch.return_org
    return [
        (RETURN_UNIT, _org(org)),
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
        (REPAIR_LIST_PAGES, str(_repair_pages(batch, line_count))),
        (DATE, fmt_date(batch.packed_on)),
    ]
    if batch.submitted_at:
        rows.append((SUBMITTED_AT, fmt_datetime(batch.submitted_at)))
    if batch.status == BatchStatus.REFUSED and batch.refusal_reason:
        rows.append((REFUSAL, batch.refusal_reason))
    return rows


def _shipping_rows(batch: ReturnBatch) -> list[tuple]:
    delivery: str | Paragraph = _yes_no(batch.home_delivery)
    if not batch.home_delivery or batch.extra_cost_to_shipper:
        delivery = Paragraph(
            f"{esc(delivery)}<br/><b>{esc(bilingual(EXTRA_COST))}</b>", style("cell")
        )
    return [
        (CARRIER, batch.carrier),
        (WAYBILL, batch.waybill_no),
        (HOME_DELIVERY, delivery),
        (FREIGHT, _choice(Freight.choices, batch.freight)),
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
    closed = _receipt_closed(batch)
    sums: dict[tuple[str, str], _ModelSum] = {}
    for line in lines:
        cat, model = line.model.category, line.model
        key = (cat.code, model.code)
        if key not in sums:
            sums[key] = _ModelSum(
                category=_names(cat.name_zh, cat.name_en),
                model=f"{model.code} {_names(model.name_zh, model.name_en)}",
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
    lines = _lines(batch)
    delayed, unit_count = _delays(batch)
    half = {"width": HALF_WIDTH, "label_width": 34 * mm}
    story: list[Flowable] = [
        _number_block(BATCH_NUMBER, batch.number, _choice(BatchStatus.choices, batch.status)),
        Spacer(1, 2 * mm),
    ]
    if delayed:
        story += [_delay_banner(_delay_summary(delayed, unit_count)), Spacer(1, 2 * mm)]
    story += [
        columns(
            [section(RETURN_UNIT), field_table(_return_unit_rows(batch), **half)],
            [section(PACKING), field_table(_packing_rows(batch, len(lines)), **half)],
        ),
        *block(SHIPPING, field_table(_shipping_rows(batch))),
        *block(PRODUCTS, _products(batch, lines)),
    ]
    if _receipt_closed(batch):
        story += block(RECEIPT, *_receipt(batch))
    if delayed:
        story += _delay_section(delayed, unit_count)
    if batch.note:
        story += block(NOTE, para(esc(batch.note)))
    story.append(signature_lines([SIGN_PACKER, SIGN_RECEIVER]))
    return build_pdf(story, title=PACKING_LIST_TITLE, reference=batch.number, subject=batch.number)


# --- The repair list -------------------------------------------------------------------

# Column widths (mm) summing to the content width (178 mm), and the fixed heights
# that make 20 rows a page fit with room to spare: 12 + 2 + 10 + 20 × 10.5 mm.
REPAIR_COLUMNS = (
    (LINE, 9),
    (MODEL, 37),
    (SERIAL, 26),
    (QUANTITY, 13),
    (FAULT, 44),
    (ACCESSORIES, 26),
    (BUNDLED, 13),
    (BOX, 10),
)
CAPTION_HEIGHT = 12 * mm
HEADER_HEIGHT = 10 * mm
ROW_HEIGHT = 10.5 * mm
CELL_PAD = 2


def _fitted(text, width_mm: float, height: float, style_name: str = "cell", **kw) -> Paragraph:
    return fit_para(text, width_mm * mm - 2 * CELL_PAD, height - 2 * CELL_PAD, style_name, **kw)


def _two_languages(text) -> str:
    zh, en = in_both(text)
    return en if zh == en else f"{zh}\n{en}"


def _repair_row(line: BatchLine) -> list[Paragraph]:
    model = line.model
    values = [
        str(line.line_no),
        f"{model.code} {model.name_zh or model.name_en}",
        line.serial or "—",
        str(line.quantity),
        line.fault,
        ", ".join(line.accessories) or "—",
        _two_languages(YES if line.bundled else NO),
        str(line.box_no),
    ]
    return [
        _fitted(value, width, ROW_HEIGHT, bold=(i == 4))
        for i, (value, (_h, width)) in enumerate(zip(values, REPAIR_COLUMNS, strict=True))
    ]


def _repair_page(batch: ReturnBatch, chunk: list[BatchLine], first: int, count: int, units: int):
    caption = fit_para(
        " · ".join(
            [
                f"{bilingual(BATCH_NUMBER)} {batch.number}",
                f"{bilingual(RETURN_UNIT)} {_org(batch.return_org)}",
            ]
        ),
        CONTENT_WIDTH * 0.62 - 2 * CELL_PAD,
        CAPTION_HEIGHT - 2 * CELL_PAD,
        "body",
    )
    params = {
        "first": first if chunk else 0,
        "last": first + len(chunk) - 1 if chunk else 0,
        "count": count,
        "units": units,
    }
    span = fit_para(
        "\n".join(dict.fromkeys(t % params for t in in_both(REPAIR_PAGE_CAPTION))),
        CONTENT_WIDTH * 0.38 - 2 * CELL_PAD,
        CAPTION_HEIGHT - 2 * CELL_PAD,
        "right",
    )
    head = Table(
        [[caption, span]],
        colWidths=[CONTENT_WIDTH * 0.62, CONTENT_WIDTH * 0.38],
        rowHeights=[CAPTION_HEIGHT],
    )
    head.hAlign = "LEFT"
    head.setStyle(
        table_style(
            [
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("LEFTPADDING", (0, 0), (-1, -1), CELL_PAD),
                ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PAD),
                ("TOPPADDING", (0, 0), (-1, -1), CELL_PAD),
                ("BOTTOMPADDING", (0, 0), (-1, -1), CELL_PAD),
            ]
        )
    )
    # Headers break between words only (a word is set smaller rather than split).
    header_style = ParagraphStyle(
        "repair_header", parent=style("header_cell"), wordWrap=None, splitLongWords=0
    )
    header = [
        fit_para(
            _two_languages(h),
            width * mm - 2 * CELL_PAD,
            HEADER_HEIGHT - 2 * CELL_PAD,
            style_obj=header_style,
            min_size=5,
        )
        for h, width in REPAIR_COLUMNS
    ]
    data = [header] + [_repair_row(line) for line in chunk]
    table = Table(
        data,
        colWidths=[w * mm for _h, w in REPAIR_COLUMNS],
        rowHeights=[HEADER_HEIGHT] + [ROW_HEIGHT] * len(chunk),
    )
    table.hAlign = "LEFT"
    table.setStyle(
        table_style(
            [
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("BACKGROUND", (0, 0), (-1, 0), SHADE),
                ("LINEBELOW", (0, 0), (-1, 0), 0.6, MUTED),
                ("LINEBELOW", (0, 1), (-1, -1), 0.25, RULE),
                ("LINEAFTER", (0, 0), (-2, -1), 0.25, RULE),
                ("LEFTPADDING", (0, 0), (-1, -1), CELL_PAD),
                ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PAD),
                ("TOPPADDING", (0, 0), (-1, -1), CELL_PAD),
                ("BOTTOMPADDING", (0, 0), (-1, -1), CELL_PAD),
            ]
        )
    )
    return [head, Spacer(1, 2 * mm), table]


def repair_list_pdf(batch: ReturnBatch) -> bytes:
    """IV.2: every line of the batch (line, model, serial, quantity, the fault as
    on the label, accessories, bundled, box), exactly
    ``policy.REPAIR_LIST_LINES_PER_PAGE`` lines a page with an explicit page break.
    Each row has a fixed height (long text is set smaller, then cut short), so
    the real page count is always ``policy.repair_list_pages(len(lines))``, the
    figure printed on the packing list."""
    lines = _lines(batch)
    per_page = policy.REPAIR_LIST_LINES_PER_PAGE
    units = sum(line.quantity for line in lines)
    chunks = [lines[i : i + per_page] for i in range(0, len(lines), per_page)] or [[]]
    story: list[Flowable] = []
    for index, chunk in enumerate(chunks):
        if index:
            story.append(PageBreak())
        story += _repair_page(batch, chunk, index * per_page + 1, len(lines), units)
        if not chunk:
            story += [Spacer(1, 4 * mm), para(bi_markup(NO_LINES))]
    return build_pdf(story, title=REPAIR_LIST_TITLE, reference=batch.number, subject=batch.number)


# --- The fault labels ------------------------------------------------------------------

LABEL_LAYOUTS = ("60x40", "a4")
LABEL_SIZE = (60 * mm, 40 * mm)
LABEL_PAD = (2 * mm, 2 * mm)
# A sheet of 21 labels, 3 across and 7 down, 70 × 42.3 mm: A4 cut into equal
# pieces. Each label keeps a 4 mm margin inside its cut lines, so a cut a little
# off, or a printer that cannot print to the paper's edge, never takes the codes.
SHEET_COLUMNS, SHEET_ROWS = 3, 7
SHEET_CELL = (A4[0] / SHEET_COLUMNS, A4[1] / SHEET_ROWS)
SHEET_PAD = (4 * mm, 3.5 * mm)


@dataclass(frozen=True)
class Label:
    code: str
    batch: str
    line_no: int
    seq: int
    quantity: int
    model: str
    serial: str
    fault: str
    box_no: int


def labels_of(batch: ReturnBatch) -> list[Label]:
    """IV.3: one label per unit; a line of quantity q gives q labels, coded
    ``policy.label_code(batch, line, seq)`` for seq 1..q."""
    labels = []
    for line in _lines(batch):
        model = line.model
        name = f"{model.code} {model.name_zh or model.name_en}"
        for seq in range(1, line.quantity + 1):
            labels.append(
                Label(
                    code=policy.label_code(batch.number, line.line_no, seq),
                    batch=batch.number,
                    line_no=line.line_no,
                    seq=seq,
                    quantity=line.quantity,
                    model=name,
                    serial=line.serial,
                    fault=line.fault,
                    box_no=line.box_no,
                )
            )
    return labels


def _text_line(c, text: str, x: float, y: float, width: float, font: str, size: float, **kw):
    """Draw ``text`` on one line no wider than ``width``: smaller, then cut short."""
    min_size = kw.get("min_size", 5)
    while size > min_size and pdfmetrics.stringWidth(text, font, size) > width:
        size -= 0.25
    if pdfmetrics.stringWidth(text, font, size) > width:
        while text and pdfmetrics.stringWidth(text + ELLIPSIS, font, size) > width:
            text = text[:-1]
        text += ELLIPSIS
    c.setFont(font, size)
    if kw.get("align") == "right":
        c.drawRightString(x + width, y, text)
    elif kw.get("align") == "center":
        c.drawCentredString(x + width / 2, y, text)
    else:
        c.drawString(x, y, text)


FAULT_STYLE = ParagraphStyle(
    "label_fault", fontName=FONT_BOLD, fontSize=14, leading=16, wordWrap="CJK", textColor=FAX_INK
)


def _draw_label(c, label: Label, x: float, y: float, w: float, h: float, pad: tuple) -> None:
    """One label in the box (x, y, w, h), ``pad`` kept clear inside it: the batch
    and box, the model, the line and serial, the fault in large type beside a QR
    code, and a Code 128 barcode with the code printed under it."""
    left, bottom = x + pad[0], y + pad[1]
    cw, ch = w - 2 * pad[0], h - 2 * pad[1]
    top = bottom + ch
    c.setFillColor(FAX_INK)

    # Top strip: three lines of 3.3 mm.
    box = f"{bilingual(BOX, '/')} {label.box_no}"
    box_width = pdfmetrics.stringWidth(box, FONT_BOLD, 8.5) + 1 * mm
    _text_line(c, label.batch, left, top - 3 * mm, cw - box_width, FONT_BOLD, 8.5)
    _text_line(
        c, box, left + cw - box_width, top - 3 * mm, box_width, FONT_BOLD, 8.5, align="right"
    )
    _text_line(c, label.model, left, top - 6.4 * mm, cw, FONT, 7)
    where = f"{bilingual(LINE, '/')} {label.line_no} · {label.seq}/{label.quantity}"
    if label.serial:
        where += f"   SN {label.serial}"
    _text_line(c, where, left, top - 9.7 * mm, cw, FONT, 7)
    strip = 10.5 * mm

    # Bottom: the code in text, and the Code 128 barcode above it.
    text_h, bar_h, gap = 2.8 * mm, 6.5 * mm, 0.6 * mm
    _text_line(c, label.code, left, bottom + 0.4 * mm, cw, FONT, 7.5, align="center")
    bar = barcode_in(label.code, cw, bar_h, max_bar_width=0.3 * mm)
    bar.drawOn(c, left + (cw - bar.width) / 2, bottom + text_h)

    # Middle: the fault in large type, the QR code on the right.
    middle = ch - strip - text_h - bar_h - 2 * gap
    q = min(middle, 17 * mm)
    qr = qr_code(label.code, q)
    mid_bottom = bottom + text_h + bar_h + gap
    qr.drawOn(c, left + cw - q, mid_bottom + (middle - q) / 2)
    fault_w = cw - q - 1 * mm
    fault = fit_para(label.fault, fault_w, middle, style_obj=FAULT_STYLE, min_size=6, bold=True)
    _fw, fh = fault.wrap(fault_w, middle)
    fault.drawOn(c, left, mid_bottom + (middle - fh) / 2)


def _cut_lines(c) -> None:
    """Dashed grey lines along the cells of an A4 sheet."""
    c.saveState()
    c.setStrokeColor(RULE)
    c.setLineWidth(0.4)
    c.setDash(2, 2)
    cw, ch = SHEET_CELL
    for i in range(1, SHEET_COLUMNS):
        c.line(i * cw, 0, i * cw, A4[1])
    for j in range(1, SHEET_ROWS):
        c.line(0, j * ch, A4[0], j * ch)
    c.restoreState()


def labels_pdf(batch: ReturnBatch, layout: str = "60x40") -> bytes:
    """IV.3: the fault labels, one per unit, each with the batch and line, the
    model, the serial (when there is one), the fault in large type, the box, a
    Code 128 barcode and a QR code of the label's code, and the code in text.
    ``layout`` "60x40" is one label a 60 × 40 mm page (label printers); "a4" a
    sheet of 3 × 7 labels of 70 × 42.3 mm with dashed cut lines."""
    if layout not in LABEL_LAYOUTS:
        message = LAYOUT_INVALID
        params = {"layouts": ", ".join(LABEL_LAYOUTS)}
        raise ValidationFailed(
            message,
            code="returns.label_layout_invalid",
            fields={"layout": [message]},
            params=params,
        )
    labels = labels_of(batch)

    def draw_rolls(c) -> None:
        for label in labels:
            _draw_label(c, label, 0, 0, *LABEL_SIZE, LABEL_PAD)
            c.showPage()
        if not labels:
            c.showPage()

    def draw_sheets(c) -> None:
        per_sheet = SHEET_COLUMNS * SHEET_ROWS
        for start in range(0, max(len(labels), 1), per_sheet):
            _cut_lines(c)
            for i, label in enumerate(labels[start : start + per_sheet]):
                col, row = i % SHEET_COLUMNS, i // SHEET_COLUMNS
                x = col * SHEET_CELL[0]
                y = A4[1] - (row + 1) * SHEET_CELL[1]
                _draw_label(c, label, x, y, *SHEET_CELL, SHEET_PAD)
            c.showPage()

    return canvas_pdf(
        draw_rolls if layout == "60x40" else draw_sheets,
        pagesize=LABEL_SIZE if layout == "60x40" else A4,
        title=LABELS_TITLE,
        reference=batch.number,
        subject=batch.number,
    )


# --- The anomaly notice ----------------------------------------------------------------

# What the notice lists first when not every difference fits on its page: the
# counts, then the boxes, then accessories.
NOTICE_ORDER = [
    AnomalyKind.MISSING_UNITS,
    AnomalyKind.EXTRA_UNITS,
    AnomalyKind.UNLISTED_UNITS,
    AnomalyKind.UNLABELLED_UNITS,
    AnomalyKind.BOXES,
    AnomalyKind.ACCESSORIES,
]

# The body of one A4 page under the shared header and footer, less the frame's
# paddings and a margin for rounding.
ONE_PAGE_HEIGHT = A4[1] - MARGIN_TOP - MARGIN_BOTTOM - 12 - 3 * mm


def _story_height(story: list[Flowable]) -> float:
    """The height ``story`` takes laid out at the content width."""
    total = 0.0
    for flowable in story:
        _w, h = flowable.wrap(CONTENT_WIDTH, 10_000)
        total += h + flowable.getSpaceBefore() + flowable.getSpaceAfter()
    return total


def _fax_para(text, style_name: str = "body") -> Paragraph:
    return Paragraph(fax_markup(text), fax_styles()[style_name])


def _fax_grid(data, widths, *, header: bool = False) -> Table:
    table = Table(data, colWidths=widths)
    table.hAlign = "LEFT"
    commands = [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("GRID", (0, 0), (-1, -1), 0.8, FAX_INK),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ("LEFTPADDING", (0, 0), (-1, -1), 4),
        ("RIGHTPADDING", (0, 0), (-1, -1), 4),
    ]
    if header:
        commands.append(("LINEBELOW", (0, 0), (-1, 0), 1.6, FAX_INK))
    table.setStyle(table_style(commands))
    return table


def _fax_label(text, width: float, style_name: str = "body") -> Paragraph:
    """``中文 English`` on one line when it fits in ``width``, else the Chinese
    over the English: a notice that fits one page keeps its lines short."""
    st = fax_styles()[style_name]
    line = bilingual(text)
    if pdfmetrics.stringWidth(line, st.fontName, st.fontSize) <= width:
        return Paragraph(esc(line), st)
    return Paragraph(fax_markup(text, en_size=st.fontSize - 1), st)


def _fax_fields(rows, width: float, label_width: float = 30 * mm) -> Table:
    s = fax_styles()
    data = [
        [_fax_label(label, label_width - 4, "label"), Paragraph(esc(value) or "—", s["body"])]
        for label, value in rows
    ]
    table = Table(data, colWidths=[label_width, width - label_width])
    table.hAlign = "LEFT"
    table.setStyle(
        table_style(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LINEBELOW", (0, 0), (-1, -1), 0.5, FAX_INK),
                ("LEFTPADDING", (0, 0), (-1, -1), 2),
                ("TOPPADDING", (0, 0), (-1, -1), 2),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
            ]
        )
    )
    return table


def anomaly_notice_pdf(batch: ReturnBatch) -> bytes:
    """IV.4: the one-page notice faxed to the return unit when a receipt differs
    from the packing list: to whom (fax, telephone, contact), from the after-sales
    department, the batch, the declared and received figures, each difference as
    a sentence, and what to do: reply by telephone or fax. Large type, black on
    white, no tint, so it survives a fax machine. A batch without anomalies has
    no notice (409)."""
    from sanbao.returns.services import anomaly_line

    anomalies = sorted(
        batch.anomalies.select_related("line"),
        key=lambda a: (NOTICE_ORDER.index(a.kind) if a.kind in NOTICE_ORDER else 99, a.id),
    )
    if not anomalies:
        raise Conflict(NO_ANOMALY, code="returns.no_anomaly", params={"number": batch.number})
    s = fax_styles()
    org = batch.return_org
    platform = batch.received_by.organisation if batch.received_by_id else None
    to_rows = [
        (NOTICE_TO, _org(org)),
        (FAX, org.fax),
        (TELEPHONE, org.phone),
        (ATTENTION, f"{batch.contact_person} {batch.contact_phone}".strip()),
    ]
    dept = bilingual(AFTER_SALES_DEPARTMENT)
    from_rows = [
        (NOTICE_FROM, f"{_org(platform)} {dept}".strip() if platform else dept),
        (FAX, platform.fax if platform else ""),
        (TELEPHONE, platform.phone if platform else ""),
        (
            DATE,
            fmt_date(
                timezone.localtime(batch.receipt_closed_at).date()
                if batch.receipt_closed_at
                else None
            ),
        ),
        (PAGES, "1"),
    ]
    half = (CONTENT_WIDTH - 6 * mm) / 2
    parties = Table(
        [[_fax_fields(to_rows, half), "", _fax_fields(from_rows, half)]],
        colWidths=[half, 6 * mm, half],
    )
    parties.hAlign = "LEFT"
    parties.setStyle(
        table_style(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )

    batch_line = Paragraph(f"{esc(bilingual(BATCH_NUMBER))} &nbsp; {esc(batch.number)}", s["big"])
    intro = _fax_para(lambda: str(NOTICE_INTRO) % {"number": batch.number}, "small")

    widths = [CONTENT_WIDTH * 0.5, CONTENT_WIDTH * 0.25, CONTENT_WIDTH * 0.25]

    def figure_row(label, declared, received):
        return [
            _fax_label(label, widths[0] - 8),
            Paragraph(str(declared), s["bold"]),
            Paragraph("—" if received is None else str(received), s["bold"]),
        ]

    figures = _fax_grid(
        [
            [
                _fax_label(h, w - 8, "bold")
                for h, w in zip((FIGURE, DECLARED, RECEIVED), widths, strict=True)
            ],
            figure_row(FAULTY_UNITS, batch.declared_units, batch.received_units),
            figure_row(BOXES, batch.declared_boxes, batch.received_boxes),
        ],
        widths,
        header=True,
    )

    def item(i: int, anomaly) -> Table:
        return Table(
            [[Paragraph(f"{i}.", s["bold"]), _fax_para(lambda: anomaly_line(anomaly))]],
            colWidths=[8 * mm, CONTENT_WIDTH - 8 * mm],
            style=table_style(
                [
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LEFTPADDING", (0, 0), (-1, -1), 0),
                    ("TOPPADDING", (0, 0), (-1, -1), 1.5),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
                ]
            ),
            hAlign="LEFT",
        )

    reply = _fax_para(
        lambda: (
            str(NOTICE_REPLY)
            % {
                "phone": (platform.phone if platform else "") or "—",
                "fax": (platform.fax if platform else "") or "—",
                "number": batch.number,
            }
        ),
        "small_bold",
    )
    clerk = batch.received_by.display_name if batch.received_by_id else ""
    signed = Paragraph(f"{esc(bilingual(NOTICE_SIGNED))}: {esc(clerk)}", s["body"])

    def story_with(shown: int) -> list[Flowable]:
        items = [item(i, a) for i, a in enumerate(anomalies[:shown], start=1)]
        if shown < len(anomalies):
            more = len(anomalies) - shown
            items.append(_fax_para(lambda: str(NOTICE_MORE) % {"count": more}))
        return [
            parties,
            Spacer(1, 4 * mm),
            batch_line,
            Spacer(1, 2 * mm),
            intro,
            Spacer(1, 3 * mm),
            figures,
            Paragraph(esc(bilingual(WHAT_DIFFERS)), s["section"]),
            *items,
            Paragraph(esc(bilingual(WHAT_TO_DO)), s["section"]),
            reply,
            Spacer(1, 3 * mm),
            signed,
        ]

    # One page, whatever the number of differences: as many as fit are listed, the
    # rest counted in one sentence (the batch's page lists them all).
    shown = len(anomalies)
    story = story_with(shown)
    while shown > 1 and _story_height(story) > ONE_PAGE_HEIGHT:
        shown -= 1
        story = story_with(shown)
    return build_fax_pdf(story, title=NOTICE_TITLE, reference=batch.number, subject=batch.number)


# --- The packing list as a workbook ----------------------------------------------------


def packing_list_xlsx(batch: ReturnBatch) -> bytes:
    """The packing list as a workbook: its header block (return unit, contact,
    declared figures, pages of the repair list, shipping terms and, after receipt,
    the received figures), then one row per line. Headers in both languages;
    numbers, dates and yes/no typed as such."""
    lines = _lines(batch)
    org = batch.return_org
    fields = [
        (BATCH_NUMBER, batch.number),
        (STATUS, batch.get_status_display()),
        (RETURN_UNIT, _org(org)),
        (ADDRESS, org.address),
        (TELEPHONE, org.phone),
        (FAX, org.fax),
        (CONTACT_PERSON, batch.contact_person),
        (CONTACT_PHONE, batch.contact_phone),
        (DATE, batch.packed_on),
        (DECLARED_UNITS, batch.declared_units),
        (DECLARED_BOXES, batch.declared_boxes),
        (REPAIR_LIST_PAGES, _repair_pages(batch, len(lines))),
        (CARRIER, batch.carrier),
        (WAYBILL, batch.waybill_no),
        (HOME_DELIVERY, batch.home_delivery),
        (EXTRA_COST, batch.extra_cost_to_shipper or not batch.home_delivery),
        (FREIGHT, batch.get_freight_display()),
    ]
    if _receipt_closed(batch):
        fields += [
            (_received(FAULTY_UNITS), batch.received_units),
            (_received(BOXES), batch.received_boxes),
            (RECEIVED_AT, batch.receipt_closed_at),
        ]
    delayed, unit_count = _delays(batch)
    headers = list(XLSX_LINE_HEADERS)
    marks: dict[int | None, list[str]] = {}
    for unit in delayed:
        marks.setdefault(unit.line_id, []).append(f"{unit.code}: {_delay_mark(unit)}")
    if delayed:
        # IV.6: the delay marks, in the header block and beside each line.
        fields.append((DELAYS, bilingual(_delay_summary(delayed, unit_count))))
        if None in marks:  # units not on the packing list
            fields.append((DELAYED_UNLISTED, "\n".join(marks[None])))
        headers.append(DELAY_COLUMN)
    rows = [
        [
            line.line_no,
            line.model.code,
            _names(line.model.name_zh, line.model.name_en),
            _names(line.model.category.name_zh, line.model.category.name_en),
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


def _delay_mark(unit: ReturnedUnit) -> str:
    """``缺少零配件 Shortage of parts (cells) 2026-12-03 → S2612-ABCDEF, order PO-1``."""
    text = bilingual(_delay_reason(unit))
    if unit.delay_note:
        text += f" ({unit.delay_note})"
    if unit.delayed_at:
        text += f" {fmt_date(_local_date(unit.delayed_at))}"
    if unit.shipment_id:
        text += f" → {bilingual(_shipment_ref(unit.shipment))}"
    return text


RECEIVED_FIGURE = _("%(figure)s received")


def _received(figure):
    return lambda: str(RECEIVED_FIGURE) % {"figure": figure}


# --- Delays (IV.6) -----------------------------------------------------------------------


@lru_cache(maxsize=1)
def _dense() -> dict[str, ParagraphStyle]:
    """Smaller cells for the tables with many columns (delivery list, delays).
    Lines break between words ("Fault confirmed" stays whole); a word or a run of
    Chinese wider than the column is split anywhere."""
    cell = style("cell")
    common = {"parent": cell, "wordWrap": None, "splitLongWords": 1}
    return {
        "cell": ParagraphStyle("dense_cell", fontSize=7.5, leading=9.5, **common),
        "muted": ParagraphStyle(
            "dense_muted", fontSize=6.5, leading=8.5, textColor=MUTED, **common
        ),
    }


def _dense_markup(text, *, bold: bool = False) -> str:
    """``text`` (translatable, or a callable) in Chinese over English, the English
    smaller and grey; once while it is not translated."""
    zh, en = in_both(text)
    s = _dense()["muted"]
    first = f"<b>{esc(zh)}</b>" if bold else esc(zh)
    if zh == en:
        return first
    return f'{first}<br/><font size="{s.fontSize}" color="{s.textColor.hexval()}">{esc(en)}</font>'


def _dense_para(markup: str, style_name: str = "cell") -> Paragraph:
    return Paragraph(markup or "—", _dense()[style_name])


def _code_para(code: str, width: float) -> Paragraph:
    """A label code on one line of a cell ``width`` points wide (its paddings
    taken off), smaller when its letters are wide: a code broken over two lines
    is misread when a unit is looked up by it."""
    cell = _dense()["cell"]
    return fit_para(code, width, cell.leading, style_obj=cell, min_size=5.0)


def _muted(text: str) -> str:
    s = _dense()["muted"]
    return f'<font size="{s.fontSize}" color="{s.textColor.hexval()}">{esc(text)}</font>'


def _delay_reason(unit: ReturnedUnit):
    labels = dict(DelayReason.choices)
    return labels.get(unit.delay_reason, unit.delay_reason)


def _model_text(model) -> str:
    return f"{model.code} {model.name_zh or model.name_en}" if model is not None else ""


def _shipment_ref(shipment: Shipment):
    """``S2612-ABCDEF, order PO-1, shipped 2026-12-09`` (or prepared, not yet left)."""

    def text() -> str:
        if shipment.status == ShipmentStatus.SHIPPED:
            when = str(SHIPPED_ON) % {"date": fmt_date(timezone.localdate(shipment.shipped_at))}
        else:
            when = str(NOT_LEFT_YET)
        parts = [shipment.number]
        if shipment.order_no:
            parts.append(str(WITH_ORDER) % {"order": shipment.order_no})
        parts.append(when)
        return ", ".join(parts)

    return text


def _delay_rows(units: list[ReturnedUnit]) -> list[list]:
    rows = []
    for unit in units:
        reason = _dense_markup(_delay_reason(unit), bold=True)
        if unit.delay_note:
            reason += f"<br/>{esc(unit.delay_note)}"
        went = _dense_markup(_shipment_ref(unit.shipment)) if unit.shipment_id else ""
        rows.append(
            [
                _code_para(unit.code, DELAY_WIDTHS[0] * CONTENT_WIDTH - 6),
                _dense_para(esc(_model_text(unit.model))),
                _dense_para(esc(unit.serial_in) or "—"),
                _dense_para(reason),
                _dense_para(esc(fmt_date(_local_date(unit.delayed_at)))),
                _dense_para(went or _dense_markup(STILL_WAITING, bold=True)),
            ]
        )
    return rows


def _local_date(value):
    return timezone.localdate(value) if value is not None else None


def _delays(batch: ReturnBatch) -> tuple[list[ReturnedUnit], int]:
    """The delayed units of the batch (IV.6) and how many units it has in all."""
    from sanbao.returns.selectors import delayed_units

    return list(delayed_units(batch)), batch.units.count()


def _delay_summary(delayed: list[ReturnedUnit], total: int):
    """One sentence: the whole batch is delayed (with its reason when it is one
    reason), or so many of its units are."""
    reasons = {(u.delay_reason, u.delay_note) for u in delayed}

    def text() -> str:
        if len(delayed) == total:
            if len(reasons) == 1:
                reason, note = next(iter(reasons))
                cause = str(dict(DelayReason.choices).get(reason, reason))
                return str(WHOLE_BATCH_DELAYED_FOR) % {
                    "reason": f"{cause} ({note})" if note else cause
                }
            return str(WHOLE_BATCH_DELAYED)
        return units_delayed(len(delayed), total)

    return text


def units_delayed(count: int, units: int) -> str:
    """IV.6: ``1 of the 3 units received is delayed; …`` in the active language."""
    return ngettext(
        "%(count)s of the %(units)s units received is delayed (IV.6); it goes back "
        "later, with an order of the return unit.",
        "%(count)s of the %(units)s units received are delayed (IV.6); they go back "
        "later, with an order of the return unit.",
        count,
    ) % {"count": count, "units": units}


def _delay_banner(text) -> Table:
    """A tinted, ruled box: the delay mark near the top of the packing list."""
    table = Table([[Paragraph(bi_markup(text), style("cell_bold"))]], colWidths=[CONTENT_WIDTH])
    table.hAlign = "LEFT"
    table.setStyle(
        table_style(
            [
                ("BACKGROUND", (0, 0), (-1, -1), HIGHLIGHT),
                ("BOX", (0, 0), (-1, -1), 1, DELAY_INK),
                ("LINEBEFORE", (0, 0), (0, -1), 4, DELAY_INK),
                ("LEFTPADDING", (0, 0), (-1, -1), 8),
                ("TOPPADDING", (0, 0), (-1, -1), 4),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
            ]
        )
    )
    return table


def _delay_section(delayed: list[ReturnedUnit], total: int) -> list[Flowable]:
    """IV.6: the delay marks printed on the packing list: a sentence, then each
    delayed unit with its reason, note, the day it was marked and the shipment and
    order it went back with (or that it is still to follow)."""
    table = data_table(
        DELAY_HEADERS,
        _delay_rows(delayed),
        DELAY_WIDTHS,
    )
    table.setStyle(table_style([("LINEBEFORE", (0, 0), (0, -1), 2, DELAY_INK)]))
    return block(
        DELAYS,
        Paragraph(bi_markup(_delay_summary(delayed, total)), style("cell_bold")),
        Spacer(1, 1.5 * mm),
        table,
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


def _delivery(shipment: Shipment) -> _Delivery:
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


def _turnaround(batch: ReturnBatch, delayed: int):
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


def _due(batch: ReturnBatch) -> str:
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
            _dense_para(f"<b>{esc(b.number)}</b>"),
            _dense_para(esc(fmt_date(_local_date(b.receipt_closed_at)))),
            _dense_para(esc(_due(b))),
            _dense_para(f"{here.get(b.pk, 0)} / {d.in_batch.get(b.pk, 0)}"),
            _dense_para(_dense_markup(_turnaround(b, len(d.delayed[b.pk])))),
        ]
        for b in d.batches
    ]


def _result_markup(unit: ReturnedUnit) -> str:
    if not unit.result:
        return "—"
    label = dict(TestResult.choices).get(unit.result, unit.result)
    if unit.result == TestResult.EXCLUDED and unit.excluded_rule:
        return _dense_markup(lambda: f"{label} ({unit.excluded_rule})")
    return _dense_markup(label)


def _disposition_markup(unit: ReturnedUnit) -> str:
    if not unit.disposition:
        return "—"
    markup = _dense_markup(dict(Disposition.choices).get(unit.disposition, unit.disposition))
    if unit.disposition == Disposition.REPLACED and unit.replacement_model_id:
        markup += f"<br/>→ {esc(unit.replacement_model.code)}"
    if unit.parts_used:
        markup += "<br/>" + _muted(", ".join(unit.parts_used))
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
    reason = _delay_reason(unit)

    def text() -> str:
        if shipment.order_no:
            return str(BACKORDER_RELEASED) % {"reason": reason, "order": shipment.order_no}
        return str(BACKORDER) % {"reason": reason}

    return text


def _backorder_markup(unit: ReturnedUnit, shipment: Shipment) -> str:
    if not unit.delay_reason:
        return ""
    markup = _dense_markup(_backorder(unit, shipment), bold=True)
    if unit.delay_note:
        markup += "<br/>" + _muted(f"({unit.delay_note})")
    return markup


def _unit_row(i: int, unit: ReturnedUnit, shipment: Shipment) -> list[Paragraph]:
    serial_out = unit.serial_out or unit.serial_in
    out = esc(serial_out) or "—"
    if unit.disposition == Disposition.REPLACED:
        out = f"<b>{out}</b>"
    return [
        _dense_para(str(i)),
        _code_para(unit.code, UNIT_COLUMNS[1][1] * mm - 4),
        _dense_para(esc(_model_text(unit.model))),
        _dense_para(esc(unit.serial_in) or "—"),
        _dense_para(out),
        _dense_para(_result_markup(unit)),
        _dense_para(_disposition_markup(unit)),
        _dense_para(_charge_markup(unit)),
        _dense_para(_backorder_markup(unit, shipment)),
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
            rows.append([_dense_para(heading), *[""] * (len(UNIT_COLUMNS) - 1)])
        if unit.delay_reason:
            backorder_rows.append(len(rows))
        rows.append(_unit_row(i, unit, d.shipment))
    total = _dense_para(
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
    table = data_table(FOLLOW_HEADERS, _delay_rows(d.to_follow), DELAY_WIDTHS)
    table.setStyle(table_style([("LINEBEFORE", (0, 0), (0, -1), 2, DELAY_INK)]))
    return block(
        STILL_TO_FOLLOW,
        Paragraph(bi_markup(TO_FOLLOW_INTRO), style("small")),
        Spacer(1, 1.5 * mm),
        table,
    )


def _return_unit_fields(org) -> list[tuple]:
    return [
        (RETURN_UNIT, _org(org)),
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
    d = _delivery(shipment)
    half = {"width": HALF_WIDTH, "label_width": 34 * mm}
    story: list[Flowable] = [
        _number_block(
            DELIVERY_LIST_NUMBER,
            shipment.number,
            _choice(ShipmentStatus.choices, shipment.status),
        ),
        Spacer(1, 2 * mm),
        columns(
            [section(RETURN_UNIT), field_table(_return_unit_fields(shipment.return_org), **half)],
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


# --- The delivery list as a workbook -------------------------------------------------------


def _unit_values(unit: ReturnedUnit, shipment: Shipment) -> list:
    model = unit.model
    return [
        unit.batch.number,
        unit.code,
        model.code if model else "",
        _names(model.name_zh, model.name_en) if model else "",
        unit.serial_in,
        unit.serial_out or unit.serial_in,
        bilingual(dict(TestResult.choices)[unit.result]) if unit.result else "",
        unit.excluded_rule,
        bilingual(dict(Disposition.choices)[unit.disposition]) if unit.disposition else "",
        unit.replacement_model.code if unit.replacement_model_id else "",
        ", ".join(unit.parts_used),
        unit.charge_amount,
        unit.charge_reason,
        bilingual(_delay_reason(unit)) if unit.delay_reason else "",
        unit.delay_note,
        shipment.order_no if unit.delay_reason else "",
    ]


def delivery_list_xlsx(shipment: Shipment) -> bytes:
    """The delivery list as a workbook: its header block (return unit, carrier,
    waybill, order, dates, the batches with their turnaround, totals), then one
    typed row per unit (charges as numbers, IV.P2); a second sheet lists the
    delayed units still to follow (IV.6)."""
    d = _delivery(shipment)
    org = shipment.return_org
    fields = [
        (DELIVERY_LIST_NUMBER, shipment.number),
        (STATUS, bilingual(shipment.get_status_display)),
        *_return_unit_fields(org),
        (CARRIER, shipment.carrier),
        (WAYBILL, shipment.waybill_no),
        (ORDER_NO, shipment.order_no),
        (PREPARED_AT, shipment.created_at),
        (SHIPPED_AT, shipment.shipped_at),
        (UNITS_TOTAL, len(d.units)),
        (CHARGES_TOTAL, d.charges),
    ]
    for b in d.batches:
        turnaround = bilingual(_turnaround(b, len(d.delayed[b.pk])))
        fields.append(
            (
                _batch_label(b.number),
                f"{_due(b)} · {turnaround}",
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
            bilingual(_delay_reason(unit)),
            unit.delay_note,
            _local_date(unit.delayed_at),
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
