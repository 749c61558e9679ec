"""A return batch's papers (SPEC IV): the packing list and the repair list that
travel with the parcel (IV.1, IV.2), the fault labels stuck on each unit (IV.3),
the notice faxed to the return unit when what arrived differs (IV.4), and the
packing list as a workbook.

The PDFs are printed in Chinese and English whatever the reader's language, in
the embedded Noto Sans SC (see ``sanbao.documents.pdf``). The repair list prints
exactly ``policy.REPAIR_LIST_LINES_PER_PAGE`` lines a page in rows that never grow,
so the page count the packing list states is always the repair list's real one.
The batch passed in is already visible to the reader (``selectors.batch_get``).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
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
from sanbao.documents.xlsx import xlsx_form_bytes
from sanbao.returns import policy
from sanbao.returns.models import AnomalyKind, BatchLine, BatchStatus, Freight, ReturnBatch

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


def _number_block(batch: ReturnBatch) -> Table:
    """The batch number, large, with its Code 128 barcode (scanned at receipt)."""
    code = barcode(batch.number)
    left = [
        label_para(BATCH_NUMBER),
        Paragraph(esc(batch.number), style("big")),
        Spacer(1, 1.5 * mm),
        label_para(STATUS),
        para(esc(_choice(BatchStatus.choices, batch.status))),
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
    figures beside the declared ones (IV.1). Delay marks (IV.6) come with issue 5."""
    lines = _lines(batch)
    half = {"width": HALF_WIDTH, "label_width": 34 * mm}
    story: list[Flowable] = [
        _number_block(batch),
        Spacer(1, 2 * mm),
        columns(
            [section(RETURN_UNIT), field_table(_return_unit_rows(batch), **half)],
            [section(PACKING), field_table(_packing_rows(batch, len(lines)), **half)],
        ),
        *block(SHIPPING, field_table(_shipping_rows(batch))),
        *block(PRODUCTS, _products(batch, lines)),
    ]
    if _receipt_closed(batch):
        story += block(RECEIPT, *_receipt(batch))
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
        ]
        for line in lines
    ]
    return xlsx_form_bytes(
        fields, XLSX_LINE_HEADERS, rows, title=PACKING_LIST_TITLE, sheet_title=PACKING_LIST_TITLE
    )


RECEIVED_FIGURE = _("%(figure)s received")


def _received(figure):
    return lambda: str(RECEIVED_FIGURE) % {"figure": figure}
