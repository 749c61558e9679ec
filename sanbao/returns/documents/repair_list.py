"""The repair list (IV.2): exactly ``policy.REPAIR_LIST_LINES_PER_PAGE`` lines a
page in rows that never grow, so the page count the packing list states is
always the repair list's real one."""

from __future__ import annotations

from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, PageBreak, Paragraph, Spacer, Table

from sanbao.documents.pdf import (
    CONTENT_WIDTH,
    MUTED,
    RULE,
    SHADE,
    bi_markup,
    bilingual,
    build_pdf,
    fit_para,
    in_both,
    org_name,
    para,
    style,
    table_style,
)
from sanbao.returns import policy
from sanbao.returns.documents.layout import lines_of
from sanbao.returns.documents.text import (
    ACCESSORIES,
    BATCH_NUMBER,
    BOX,
    BUNDLED,
    FAULT,
    LINE,
    MODEL,
    NO,
    NO_LINES,
    QUANTITY,
    REPAIR_LIST_TITLE,
    REPAIR_PAGE_CAPTION,
    RETURN_UNIT,
    SERIAL,
    YES,
)
from sanbao.returns.models import (
    BatchLine,
    ReturnBatch,
)

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
                f"{bilingual(RETURN_UNIT)} {org_name(batch.return_org)}",
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
    lines = lines_of(batch)
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
