"""Layout pieces the return papers share: names in both languages, the batch's
lines, a document's number block with its barcode, and the dense table cells of
the papers with many columns (delivery list, delays)."""

from __future__ import annotations

from functools import lru_cache

from django.utils import timezone
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, Table

from sanbao.documents import pdf
from sanbao.documents.pdf import (
    MUTED,
    bilingual,
    esc,
    fit_para,
    in_both,
    style,
)
from sanbao.returns import policy
from sanbao.returns.documents.text import NO, STATUS, YES
from sanbao.returns.models import (
    BatchLine,
    BatchStatus,
    ReturnBatch,
)

# --- Small formatters ------------------------------------------------------------------


def yes_no(value: bool) -> str:
    return bilingual(YES if value else NO)


def choice(choices, value: str) -> str:
    labels = dict(choices)
    return bilingual(labels[value]) if value in labels else value


def lines_of(batch: ReturnBatch) -> list[BatchLine]:
    return list(batch.lines.select_related("model__category").order_by("line_no"))


def repair_pages(batch: ReturnBatch, line_count: int) -> int:
    """IV.2: the page count fixed at submission; for a draft, what it will be."""
    if batch.status != BatchStatus.DRAFT and batch.repair_list_pages:
        return batch.repair_list_pages
    return policy.repair_list_pages(line_count)


def receipt_closed(batch: ReturnBatch) -> bool:
    return batch.receipt_closed_at is not None and batch.received_units is not None


def number_block(label, number: str, status: str) -> Table:
    """A document's number with its status and barcode: a batch's on the packing
    list, a shipment's on the delivery list."""
    return pdf.number_block(label, number, STATUS, status, gap=1.5 * mm)


@lru_cache(maxsize=1)
def dense_styles() -> dict[str, ParagraphStyle]:
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


def dense_markup(text, *, bold: bool = False) -> str:
    """``text`` (translatable, or a callable) in Chinese over English, the English
    smaller and grey; once while it is not translated."""
    zh, en = in_both(text)
    s = dense_styles()["muted"]
    first = f"<b>{esc(zh)}</b>" if bold else esc(zh)
    if zh == en:
        return first
    return f'{first}<br/><font size="{s.fontSize}" color="{s.textColor.hexval()}">{esc(en)}</font>'


def dense_para(markup: str, style_name: str = "cell") -> Paragraph:
    return Paragraph(markup or "—", dense_styles()[style_name])


def code_para(code: str, width: float) -> Paragraph:
    """A label code on one line of a cell ``width`` points wide (its paddings
    taken off), smaller when its letters are wide: a code broken over two lines
    is misread when a unit is looked up by it."""
    cell = dense_styles()["cell"]
    return fit_para(code, width, cell.leading, style_obj=cell, min_size=5.0)


def muted_markup(text: str) -> str:
    s = dense_styles()["muted"]
    return f'<font size="{s.fontSize}" color="{s.textColor.hexval()}">{esc(text)}</font>'


def model_text(model) -> str:
    return f"{model.code} {model.name_zh or model.name_en}" if model is not None else ""


def local_date(value):
    return timezone.localdate(value) if value is not None else None
