"""The statement (IV.8) as papers: a PDF in Chinese and English, a workbook with
a summary sheet and one sheet a section, and the look-up as a workbook and a CSV
file. Each renders the one structure ``statement.statement_for`` (or
``records_for``) builds, so the return unit's copy and the platform's are the
same document. Registered in the document registry for the pages and the API."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.platypus import KeepTogether, Paragraph, Spacer

from sanbao.core.web import PDF, XLSX
from sanbao.documents import pdf
from sanbao.documents.registry import register
from sanbao.documents.xlsx import xlsx_sheets_bytes
from sanbao.statements.statement import Section, Statement, shown

CSV = "text/csv; charset=utf-8"

RETURN_UNIT = _("Return unit")
PERIOD = _("Period")
PERIOD_TEXT = _("%(start)s to %(end)s")
SUMMARY = _("Summary")
SECTION = _("Section")
TOTAL = _("Total")
VALUE = _("Value")
NOTHING = _("Nothing in this period.")
RETENTION_NOTE = _(
    "Repair and delivery data are kept for half a year so that both parties can check "
    "them (IV.8). The return unit and the platform receive this same statement."
)


def _both(value: Any) -> Any:
    """A cell for a paper: lazy text in both languages, the rest as it is."""
    return pdf.bilingual(value) if isinstance(value, Promise) else value


def _period(statement: Statement):
    return lambda: (
        str(PERIOD_TEXT)
        % {
            "start": statement.start.isoformat(),
            "end": statement.end.isoformat(),
        }
    )


def _head_fields(statement: Statement) -> list[tuple[Any, Any]]:
    return [
        (RETURN_UNIT, f"{statement.code} · {pdf.both_names(statement.name_zh, statement.name_en)}"),
        (PERIOD, pdf.bilingual(_period(statement))),
        *((label, value) for label, value in statement.filters),
    ]


# --- The workbook ------------------------------------------------------------------------


def _summary_rows(statement: Statement) -> list[list[Any]]:
    rows: list[list[Any]] = [
        [pdf.bilingual(label), "", value] for label, value in _head_fields(statement)
    ]
    for section in statement.sections:
        for label, value in section.totals:
            rows.append([pdf.bilingual(section.title), pdf.bilingual(label), _both(value)])
    return rows


def statement_xlsx(statement: Statement) -> bytes:
    """A summary sheet (who, the period, each section's totals), then one sheet a
    section with its rows as typed cells (amounts and counts as numbers)."""
    sheets = [(SUMMARY, (SECTION, TOTAL, VALUE), _summary_rows(statement))]
    sheets += [
        (s.title, s.headers, [[_both(v) for v in row] for row in s.rows])
        for s in statement.sections
    ]
    return xlsx_sheets_bytes(sheets)


# --- The CSV file (the look-up) -------------------------------------------------------------


def _csv_value(value: Any) -> str:
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    if value is None:
        return ""
    return shown(_both(value))


def records_csv(statement: Statement) -> bytes:
    """Each section: its title, its headings and its rows, then a blank line. UTF-8
    with a byte-order mark, so a spreadsheet opens the Chinese right; a value that
    starts like a formula is quoted with an apostrophe."""
    out = io.StringIO()
    writer = csv.writer(out)
    for label, value in _head_fields(statement):
        writer.writerow([pdf.bilingual(label), _safe(str(value))])
    writer.writerow([])
    for section in statement.sections:
        writer.writerow([pdf.bilingual(section.title)])
        writer.writerow([pdf.bilingual(h) for h in section.headers])
        for row in section.rows:
            writer.writerow([_safe(_csv_value(v)) for v in row])
        writer.writerow([])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _safe(text: str) -> str:
    return "'" + text if text[:1] in ("=", "+", "-", "@") and not _number(text) else text


def _number(text: str) -> bool:
    try:
        Decimal(text)
    except ArithmeticError:
        return False
    return True


# --- The PDF ---------------------------------------------------------------------------------


# Chinese breaks between any two characters; Latin text (English, codes, numbers)
# only between words, so a code or a heading's word is never cut in two.
CELL = ParagraphStyle("statement_cell", parent=pdf.style("small"), fontSize=7.5, leading=9.5)
WORDS = ParagraphStyle("statement_words", parent=CELL, wordWrap=None)
MUTED = ParagraphStyle("statement_muted", parent=WORDS, textColor=pdf.MUTED)
HEAD_ZH = ParagraphStyle("statement_head", parent=pdf.style("header_cell"))
HEAD_EN = ParagraphStyle(
    "statement_head_en", parent=HEAD_ZH, wordWrap=None, fontName=pdf.FONT, textColor=pdf.MUTED
)
PADDING = 8  # a data table cell's left and right padding, and some air
MAX_COLUMN = 130  # points: longer text wraps


def _cjk(text: str) -> bool:
    return any("\u3400" <= ch <= "\u9fff" or "\uff00" <= ch <= "\uffef" for ch in text)


def _line(text: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(pdf.esc(text), CELL if style is not HEAD_EN and _cjk(text) else style)


def _both_lines(value: Any, zh_style, en_style) -> list[Paragraph]:
    zh, en = pdf.in_both(value)
    if zh == en:
        return [_line(en, en_style)]
    return [Paragraph(pdf.esc(zh), zh_style), _line(en, en_style)]


def _pdf_cell(value: Any):
    if isinstance(value, Promise):
        return _both_lines(value, CELL, MUTED)
    return _line(_texts(value)[0], WORDS)


def _texts(value: Any) -> list[str]:
    if isinstance(value, Promise):
        return list(pdf.in_both(value))
    if isinstance(value, dt.datetime):
        return [pdf.fmt_datetime(value)]
    if isinstance(value, Decimal):
        return [f"{value:,.2f}"]
    return [shown(value) if value not in (None, "") else "—"]


def _word_width(word: str, style: ParagraphStyle) -> float:
    """The room a word needs on one line: Chinese breaks between any two
    characters, so a word with Chinese in it needs only two of them."""
    return pdfmetrics.stringWidth(word[:2] if _cjk(word) else word, style.fontName, style.fontSize)


def _widths(section: Section) -> list[float]:
    """Each column's width in points: never narrower than its longest word (a
    heading's or a value's: codes and numbers are not broken), as wide as its
    content up to ``MAX_COLUMN``; the widest give way first when the page is
    too narrow for all."""
    least, wanted = [], []
    for i, heading in enumerate(section.headers):
        zh, en = pdf.in_both(heading)
        low = max(_word_width(w, HEAD_EN) for w in [*en.split(), "—"])
        low = max(low, pdfmetrics.stringWidth(zh, HEAD_ZH.fontName, HEAD_ZH.fontSize) / 2)
        high = low
        for row in section.rows:
            for text in _texts(row[i]):
                for word in text.split():
                    low = max(low, _word_width(word, CELL))
                high = max(high, pdfmetrics.stringWidth(text, CELL.fontName, CELL.fontSize))
        least.append(low + PADDING)
        wanted.append(max(low, min(high, MAX_COLUMN)) + PADDING)
    room = pdf.CONTENT_WIDTH - 12  # the frame's own padding
    if sum(least) >= room:
        return [w * room / sum(least) for w in least]
    spare = sum(wanted) - room
    if spare > 0:  # take it from what each column wants beyond its least
        extra = [w - m for w, m in zip(wanted, least, strict=True)]
        cut = spare / sum(extra)
        return [m + e * (1 - cut) for m, e in zip(least, extra, strict=True)]
    return [w * room / sum(wanted) for w in wanted]


def _section_flowables(section: Section) -> list:
    widths = _widths(section)
    if section.rows:
        headers = [_both_lines(h, HEAD_ZH, HEAD_EN) for h in section.headers]
        rows = [[_pdf_cell(v) for v in row] for row in section.rows]
        table = pdf.data_table(headers, rows, widths)
    else:
        table = pdf.para(pdf.esc(pdf.bilingual(NOTHING)), "muted")
    totals = pdf.field_table(
        [(label, shown(_both(value))) for label, value in section.totals],
        label_width=70 * mm,
        width=120 * mm,
    )
    return pdf.block(section.title, table, Spacer(1, 2 * mm), KeepTogether([totals]), keep=60 * mm)


def statement_pdf(statement: Statement) -> bytes:
    """The statement on A4 pages in Chinese and English: who and when, then each
    section's table and totals."""
    story = [
        pdf.field_table(_head_fields(statement)),
        Spacer(1, 2 * mm),
        pdf.para(pdf.esc(pdf.bilingual(RETENTION_NOTE)), "muted"),
    ]
    for section in statement.sections:
        story += _section_flowables(section)
    return pdf.build_pdf(
        story,
        title=statement.title,
        reference=f"{statement.code} {statement.start.isoformat()} – {statement.end.isoformat()}",
        subject=pdf.bilingual(statement.title),
    )


for name, render, media_type, stem in (
    ("statement_pdf", statement_pdf, PDF, "statement.pdf"),
    ("statement_xlsx", statement_xlsx, XLSX, "statement.xlsx"),
    ("records_xlsx", statement_xlsx, XLSX, "records.xlsx"),
    ("records_csv", records_csv, CSV, "records.csv"),
):
    base, _dot, extension = stem.rpartition(".")
    register(
        f"statements.{name}",
        render=render,
        filename=lambda s, base=base, extension=extension: f"{base}-{s.slug}.{extension}",
        media_type=media_type,
    )
