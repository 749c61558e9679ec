"""The shared XLSX helper: bilingual frozen headers, typed cells, fitted columns."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from zoneinfo import ZoneInfo

import openpyxl
from django.utils.translation import gettext_lazy as _

from sanbao.documents.pdf import in_both
from sanbao.documents.xlsx import xlsx_bytes

HEADER = _("Sanbao")  # translated in the committed catalogue
SHANGHAI = ZoneInfo("Asia/Shanghai")


def sheet(data: bytes):
    return openpyxl.load_workbook(io.BytesIO(data)).active


def test_the_header_row_is_bilingual_bold_and_frozen():
    ws = sheet(xlsx_bytes([HEADER, "code"], [["a", "b"]], sheet_title=HEADER))
    zh, en = in_both(HEADER)
    assert ws.cell(1, 1).value == f"{zh} {en}"
    assert ws.cell(1, 2).value == "code"
    assert ws.cell(1, 1).font.b
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == "A1:B2"


def test_dates_times_and_numbers_are_typed_cells():
    at = dt.datetime(2026, 3, 1, 2, 30, tzinfo=dt.UTC)  # 10:30 in Shanghai
    ws = sheet(
        xlsx_bytes(
            ["date", "time", "count", "money", "flag", "empty"],
            [[dt.date(2026, 2, 28), at, 3, Decimal("12.50"), True, None]],
        )
    )
    date_cell, time_cell, count, money, flag, empty = ws[2]
    assert date_cell.is_date and date_cell.value.date() == dt.date(2026, 2, 28)
    assert date_cell.number_format == "yyyy-mm-dd"
    assert time_cell.is_date
    assert time_cell.value == at.astimezone(SHANGHAI).replace(tzinfo=None)
    assert count.value == 3 and count.data_type == "n"
    assert money.value == 12.5 and money.data_type == "n"
    assert flag.value is True
    assert empty.value is None


def test_text_that_looks_like_a_formula_stays_text():
    ws = sheet(xlsx_bytes(["note"], [['=HYPERLINK("http://x")'], ["+1"]]))
    assert ws.cell(2, 1).value == '=HYPERLINK("http://x")'
    assert ws.cell(2, 1).data_type == "s"
    assert ws.cell(3, 1).value == "+1"


def test_control_characters_that_excel_refuses_are_dropped():
    ws = sheet(xlsx_bytes(["note"], [["bad\x01value\x0b"]]))
    assert ws.cell(2, 1).value == "badvalue"


def test_columns_are_as_wide_as_their_content_and_chinese_counts_double():
    ws = sheet(xlsx_bytes(["a", "b", "c"], [["x" * 10, "中" * 10, "y" * 500]]))
    latin = ws.column_dimensions["A"].width
    chinese = ws.column_dimensions["B"].width
    capped = ws.column_dimensions["C"].width
    assert latin >= 10
    assert chinese >= 20 > latin
    assert capped <= 60


def test_a_workbook_without_rows_still_has_its_header():
    ws = sheet(xlsx_bytes([HEADER], []))
    assert ws.max_row == 1


def test_a_workbook_of_several_sheets_lays_each_out_like_one_and_keeps_their_titles_apart():
    from sanbao.documents.xlsx import xlsx_sheets_bytes

    long = "A title much longer than the thirty-one characters Excel allows"
    data = xlsx_sheets_bytes(
        [
            (HEADER, [HEADER], [[1], [2]]),
            (long, ["amount"], [[Decimal("35.00")]]),
            (long, ["formula"], [["=1+1"]]),
        ]
    )
    book = openpyxl.load_workbook(io.BytesIO(data))
    titles = book.sheetnames
    assert len(set(titles)) == 3 and all(len(t) <= 31 for t in titles)
    assert titles[2].endswith(" 2")
    first, second, third = book.worksheets
    assert [first.cell(r, 1).value for r in (2, 3)] == [1, 2]
    assert first.freeze_panes == second.freeze_panes == "A2"
    assert second.cell(2, 1).value == 35
    assert third.cell(2, 1).data_type == "s"  # text, never a formula
