"""Tables as XLSX workbooks (openpyxl), the way every Sanbao export looks.

One sheet: a bold header row in both languages (``中文 English``) that stays in
view when scrolling and carries an auto-filter; typed cells (a date is an Excel
date, a time an Excel date-time in local time, a number a number); columns as
wide as their content. Text is always stored as text, so a value typed by a user
that starts with ``=`` is never taken for a formula. :func:`xlsx_form_bytes` puts
a block of labelled fields (a paper form's header) above such a table.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import unicodedata
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.functional import Promise
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from sanbao.documents.pdf import bilingual

DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
MIN_WIDTH, MAX_WIDTH = 6, 60
SHEET_TITLE_BAD = re.compile(r"[\[\]:*?/\\]")

HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="F3F5F7")
HEADER_ALIGN = Alignment(vertical="top")


def _display_width(text: str) -> int:
    """Columns the text needs: East Asian wide characters take two."""
    longest = 0
    for line in text.splitlines() or [""]:
        width = sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in line)
        longest = max(longest, width)
    return longest


def _typed(value: Any) -> tuple[Any, str | None]:
    """The value as openpyxl should store it, and its number format."""
    if value is None:
        return None, None
    if isinstance(value, Promise):
        value = str(value)
    if isinstance(value, bool):
        return value, None
    if isinstance(value, dt.datetime):
        if timezone.is_aware(value):
            # Excel has no time zones: local (Asia/Shanghai) wall-clock time.
            value = timezone.make_naive(value, timezone.get_current_timezone())
        value = value.replace(microsecond=0)  # Excel keeps milliseconds at best
        return value, DATETIME_FORMAT
    if isinstance(value, dt.date):
        return value, DATE_FORMAT
    if isinstance(value, int | float | Decimal):
        return value, None
    return ILLEGAL_CHARACTERS_RE.sub("", str(value)), None


def _shown(value: Any, number_format: str | None) -> str:
    if value is None:
        return ""
    if number_format == DATETIME_FORMAT:
        return "0000-00-00 00:00"
    if number_format == DATE_FORMAT:
        return "0000-00-00"
    return str(value)


def _sheet_title(title: Any) -> str:
    text = SHEET_TITLE_BAD.sub(" ", str(title or "Sheet")).strip() or "Sheet"
    return text[:31]


def xlsx_bytes(
    headers: Sequence[Any],
    rows: Iterable[Sequence[Any]],
    *,
    sheet_title: Any = "Sheet",
) -> bytes:
    """A workbook of one sheet: ``headers`` (translatable strings, printed in
    Chinese and English) over ``rows`` (Python values: str, int, Decimal, date,
    datetime, bool, None). Returns the .xlsx file's bytes."""
    return xlsx_sheets_bytes([(sheet_title, headers, rows)])


def xlsx_sheets_bytes(
    sheets: Iterable[tuple[Any, Sequence[Any], Iterable[Sequence[Any]]]],
) -> bytes:
    """A workbook of several sheets, each ``(title, headers, rows)`` laid out as
    :func:`xlsx_bytes` lays out its one (a statement's sections, IV.8). Sheet
    titles are cut to Excel's 31 characters and made unique."""
    wb = Workbook(write_only=True)
    taken: set[str] = set()
    for title, headers, rows in sheets:
        name = _sheet_title(bilingual(title))
        n = 2
        while name.lower() in taken:
            suffix = f" {n}"
            name = _sheet_title(bilingual(title))[: 31 - len(suffix)] + suffix
            n += 1
        taken.add(name.lower())
        _table_sheet(wb, name, headers, rows)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _table_sheet(wb: Workbook, name: str, headers: Sequence[Any], rows) -> None:
    header_texts = [bilingual(h) for h in headers]
    typed_rows = [[_typed(v) for v in row] for row in rows]

    widths = [_display_width(h) for h in header_texts]
    for row in typed_rows:
        for i, (value, fmt) in enumerate(row):
            if i < len(widths):
                widths[i] = max(widths[i], _display_width(_shown(value, fmt)))
            else:
                widths.append(_display_width(_shown(value, fmt)))

    ws = wb.create_sheet(name)
    for i, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = min(max(width + 2, MIN_WIDTH), MAX_WIDTH)
    ws.freeze_panes = "A2"
    if header_texts:
        last = get_column_letter(max(len(widths), 1))
        ws.auto_filter.ref = f"A1:{last}{len(typed_rows) + 1}"

    header_cells = []
    for text in header_texts:
        cell = WriteOnlyCell(ws, value=text)
        cell.font, cell.fill, cell.alignment = HEADER_FONT, HEADER_FILL, HEADER_ALIGN
        cell.data_type = "s"
        header_cells.append(cell)
    ws.append(header_cells)

    for row in typed_rows:
        cells = []
        for value, fmt in row:
            cell = WriteOnlyCell(ws, value=value)
            if isinstance(value, str):
                cell.data_type = "s"  # never a formula
            if fmt:
                cell.number_format = fmt
            cells.append(cell)
        ws.append(cells)


TITLE_FONT = Font(bold=True, size=14)
LABEL_FONT = Font(bold=True)


def xlsx_form_bytes(
    fields: Sequence[tuple[Any, Any]],
    headers: Sequence[Any],
    rows: Iterable[Sequence[Any]],
    *,
    title: Any = None,
    sheet_title: Any = "Sheet",
) -> bytes:
    """A workbook of one sheet shaped like a paper form: an optional ``title``,
    then a block of ``fields`` (label / value pairs: the label a translatable
    string printed ``中文 English``, the value typed as in :func:`xlsx_bytes`), a
    blank row, and the table of ``headers`` over ``rows``. The table's header row
    stays in view when scrolling and carries the auto-filter. A label runs over
    the empty cells to its right; its value sits in the first column past it."""
    header_texts = [bilingual(h) for h in headers]
    typed_rows = [[_typed(v) for v in row] for row in rows]
    typed_fields = [(bilingual(label), _typed(value)) for label, value in fields]

    widths = [_display_width(h) for h in header_texts]
    for row in typed_rows:
        for i, (value, fmt) in enumerate(row):
            shown = _display_width(_shown(value, fmt))
            if i < len(widths):
                widths[i] = max(widths[i], shown)
            else:
                widths.append(shown)
    widths = [min(max(w + 2, MIN_WIDTH), MAX_WIDTH) for w in widths] or [MIN_WIDTH]

    # The field labels run over as many table columns as they need (at most all
    # but one); the values go in the next column, widened if need be.
    label_width = max((_display_width(label) + 2 for label, _v in typed_fields), default=0)
    span = 1
    while span < len(widths) - 1 and sum(widths[:span]) < label_width:
        span += 1
    if len(widths) == 1:
        widths.append(MIN_WIDTH)
    # Text values run over the empty cells to their right; numbers and dates do not
    # (Excel shows ### instead), so their column is made wide enough for them.
    value_width = max(
        (
            _display_width(_shown(v, fmt)) + 2
            for _l, (v, fmt) in typed_fields
            if v is not None and not isinstance(v, str)
        ),
        default=0,
    )
    if span < len(widths):
        widths[span] = min(max(widths[span], value_width), MAX_WIDTH)

    wb = Workbook(write_only=True)
    ws = wb.create_sheet(_sheet_title(bilingual(sheet_title)))
    for i, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width

    def text_cell(text: str, font: Font | None = None) -> WriteOnlyCell:
        cell = WriteOnlyCell(ws, value=ILLEGAL_CHARACTERS_RE.sub("", text))
        cell.data_type = "s"
        if font is not None:
            cell.font = font
        return cell

    def value_cell(value: Any, fmt: str | None) -> WriteOnlyCell:
        cell = WriteOnlyCell(ws, value=value)
        if isinstance(value, str):
            cell.data_type = "s"  # never a formula
        if fmt:
            cell.number_format = fmt
        return cell

    above = (title is not None) + len(typed_fields)
    header_row = above + 2 if above else 1  # a blank row between the block and the table
    # A write-only sheet writes its view with the first row: freeze before appending.
    ws.freeze_panes = f"A{header_row + 1}"
    if title is not None:
        ws.append([text_cell(bilingual(title), TITLE_FONT)])
    for label, (value, fmt) in typed_fields:
        ws.append([text_cell(label, LABEL_FONT), *[None] * (span - 1), value_cell(value, fmt)])
    if above:
        ws.append([])
    if header_texts:
        last = get_column_letter(max(len(header_texts), 1))
        ws.auto_filter.ref = f"A{header_row}:{last}{header_row + len(typed_rows)}"
    cells = []
    for text in header_texts:
        cell = text_cell(text, HEADER_FONT)
        cell.fill, cell.alignment = HEADER_FILL, HEADER_ALIGN
        cells.append(cell)
    ws.append(cells)
    for row in typed_rows:
        ws.append([value_cell(value, fmt) for value, fmt in row])

    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
