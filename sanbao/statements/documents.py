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
from reportlab.lib.units import mm
from reportlab.platypus import Spacer

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


def _pdf_cell(value: Any):
    if isinstance(value, Promise):
        return pdf.bi_para(value, "small")
    if isinstance(value, dt.datetime):
        return pdf.para(pdf.fmt_datetime(value), "small")
    if isinstance(value, Decimal):
        return pdf.para(f"{value:,.2f}", "small")
    if value is None or value == "":
        return pdf.para("—", "small")
    return pdf.para(pdf.esc(shown(value)), "small")


def _section_flowables(section: Section) -> list:
    n = len(section.headers)
    widths = [1 / n] * n
    if section.rows:
        table = pdf.data_table(
            section.headers, [[_pdf_cell(v) for v in row] for row in section.rows], widths
        )
    else:
        table = pdf.para(pdf.esc(pdf.bilingual(NOTHING)), "muted")
    totals = pdf.field_table(
        [(label, shown(_both(value))) for label, value in section.totals],
        label_width=70 * mm,
        width=120 * mm,
    )
    return pdf.block(section.title, table, Spacer(1, 2 * mm), totals)


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
