"""The fault labels stuck on each unit (IV.3): Code 128 and QR, one a 60 × 40 mm
page for label printers or 21 on an A4 sheet."""

from __future__ import annotations

from dataclasses import dataclass

from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics

from sanbao.core.errors import ValidationFailed
from sanbao.documents.pdf import (
    FAX_INK,
    FONT,
    FONT_BOLD,
    RULE,
    bilingual,
    canvas_pdf,
    draw_code128,
    draw_text_line,
    fit_para,
)
from sanbao.documents.qr import draw_qr
from sanbao.returns import policy
from sanbao.returns.documents.layout import lines_of
from sanbao.returns.documents.text import BOX, LABELS_TITLE, LAYOUT_INVALID, LINE
from sanbao.returns.models import (
    ReturnBatch,
)

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
    for line in lines_of(batch):
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


FAULT_STYLE = ParagraphStyle(
    "label_fault", fontName=FONT_BOLD, fontSize=14, leading=16, wordWrap="CJK", textColor=FAX_INK
)


class _Kit:
    """What every label of a document shares, made once a document: the words
    "box" and "line" in both languages, and the fault paragraphs already fitted
    (the labels of a line, and often of a batch, repeat the same fault)."""

    def __init__(self) -> None:
        self.box = bilingual(BOX, "/")
        self.line = bilingual(LINE, "/")
        self._faults: dict[tuple[str, float, float], object] = {}

    def fault(self, text: str, width: float, height: float):
        key = (text, width, height)
        if key not in self._faults:
            para = fit_para(text, width, height, style_obj=FAULT_STYLE, min_size=6, bold=True)
            para.wrap(width, height)
            self._faults[key] = para
        return self._faults[key]


def _draw_label(
    c, label: Label, x: float, y: float, w: float, h: float, pad: tuple, kit: _Kit
) -> None:
    """One label in the box (x, y, w, h), ``pad`` kept clear inside it: the batch
    and box, the model, the line and serial, the fault in large type beside a QR
    code, and a Code 128 barcode with the code printed under it."""
    left, bottom = x + pad[0], y + pad[1]
    cw, ch = w - 2 * pad[0], h - 2 * pad[1]
    top = bottom + ch
    c.setFillColor(FAX_INK)

    # Top strip: three lines of 3.3 mm.
    box = f"{kit.box} {label.box_no}"
    box_width = pdfmetrics.stringWidth(box, FONT_BOLD, 8.5) + 1 * mm
    draw_text_line(c, label.batch, left, top - 3 * mm, cw - box_width, FONT_BOLD, 8.5)
    draw_text_line(
        c, box, left + cw - box_width, top - 3 * mm, box_width, FONT_BOLD, 8.5, align="right"
    )
    draw_text_line(c, label.model, left, top - 6.4 * mm, cw, FONT, 7)
    where = f"{kit.line} {label.line_no} · {label.seq}/{label.quantity}"
    if label.serial:
        where += f"   SN {label.serial}"
    draw_text_line(c, where, left, top - 9.7 * mm, cw, FONT, 7)
    strip = 10.5 * mm

    # Bottom: the code in text, and the Code 128 barcode above it.
    text_h, bar_h, gap = 2.8 * mm, 6.5 * mm, 0.6 * mm
    draw_text_line(c, label.code, left, bottom + 0.4 * mm, cw, FONT, 7.5, align="center")
    draw_code128(c, label.code, left, bottom + text_h, cw, bar_h, max_bar_width=0.3 * mm)

    # Middle: the fault in large type, the QR code on the right.
    middle = ch - strip - text_h - bar_h - 2 * gap
    q = min(middle, 17 * mm)
    mid_bottom = bottom + text_h + bar_h + gap
    draw_qr(c, label.code, left + cw - q, mid_bottom + (middle - q) / 2, q)
    fault_w = cw - q - 1 * mm
    fault = kit.fault(label.fault, fault_w, middle)
    fault.drawOn(c, left, mid_bottom + (middle - fault.height) / 2)


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
    kit = _Kit()

    def draw_rolls(c) -> None:
        for label in labels:
            _draw_label(c, label, 0, 0, *LABEL_SIZE, LABEL_PAD, kit)
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
                _draw_label(c, label, x, y, *SHEET_CELL, SHEET_PAD, kit)
            c.showPage()

    return canvas_pdf(
        draw_rolls if layout == "60x40" else draw_sheets,
        pagesize=LABEL_SIZE if layout == "60x40" else A4,
        title=LABELS_TITLE,
        reference=batch.number,
        subject=batch.number,
    )
