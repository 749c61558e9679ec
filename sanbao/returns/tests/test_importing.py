"""Batch lines imported from an agent's spreadsheet, and the template to fill in:
every bad row reported by row, column and code, no line returned while any row is
bad, and good lines that the batch service takes as they are."""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.urls import reverse
from django.utils import translation

from sanbao.returns import importing, services
from sanbao.returns.services import LineIn
from sanbao.returns.tests.conftest import draft
from sanbao.testkit.cast import login_client_for

ERROR_KEYS = {"row", "column", "code", "message"}


def workbook(rows: list[list], *, above: list[list] | None = None) -> bytes:
    """An XLSX file whose first sheet holds ``above`` (a title block) then ``rows``."""
    wb = openpyxl.Workbook()
    ws = wb.active
    for row in (above or []) + rows:
        ws.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def problems_of(errors: list[dict]) -> set[tuple]:
    """(row, column, code) of each problem; every one also carries a message."""
    for error in errors:
        assert set(error) == ERROR_KEYS and error["message"]
    return {(e["row"], e["column"], e["code"]) for e in errors}


HEADER = ["model_code", "serial", "quantity", "fault", "accessories", "bundled", "box_no"]


def test_a_filled_in_template_gives_the_lines_it_holds(pb10k, ad65):
    wb = openpyxl.load_workbook(io.BytesIO(importing.lines_template_xlsx()))
    ws = wb.worksheets[0]
    assert [c.value for c in ws[1]] == importing.template_headers()
    ws.append(["PB10K", "SB0001", 1, "无输出", "数据线, pouch", "否", 1])
    ws.append(["ad65", None, 3, "插头松动 Loose plug", None, "是", 2])
    buffer = io.BytesIO()
    wb.save(buffer)
    lines, errors = importing.lines_from_xlsx(buffer.getvalue())
    assert errors == []
    assert lines == [
        LineIn("PB10K", 1, "无输出", 1, serial="SB0001", accessories=["数据线", "pouch"]),
        LineIn("AD65", 3, "插头松动 Loose plug", 2, bundled=True),
    ]


def test_the_template_keeps_serials_as_text_and_offers_yes_or_no_for_bundled():
    wb = openpyxl.load_workbook(io.BytesIO(importing.lines_template_xlsx()))
    ws = wb.worksheets[0]
    serial = importing.COLUMNS.index("serial") + 1
    assert ws.cell(row=2, column=serial).number_format == "@"
    assert ws.freeze_panes == "A2"
    formulas = {dv.formula1 for dv in ws.data_validations.dataValidation}
    assert '"是,否,yes,no"' in formulas
    help_rows = list(wb.worksheets[1].iter_rows(min_row=2, values_only=True))
    assert [r[0] for r in help_rows] == importing.template_headers()


def test_chinese_headers_in_any_order_are_understood(pb10k):
    data = workbook(
        [
            ["箱号", "数量", "型号", "故障", "序列号", "配件", "捆扎"],
            [1, 1, "PB10K", "不开机", "SB0002", "数据线、说明书", "否"],
        ]
    )
    lines, errors = importing.lines_from_xlsx(data)
    assert errors == []
    assert lines == [
        LineIn("PB10K", 1, "不开机", 1, serial="SB0002", accessories=["数据线", "说明书"])
    ]


def test_a_header_row_below_a_title_block_is_found(pb10k):
    data = workbook(
        [HEADER, ["PB10K", "SB0003", 1, "No output", "data cable", "no", 1]],
        above=[["甲数码贸易 退货清单"], ["Batch of May"], []],
    )
    lines, errors = importing.lines_from_xlsx(data)
    assert errors == []
    assert [line.serial for line in lines] == ["SB0003"]


def test_numbers_typed_as_text_or_decimals_and_yes_words_are_read(pb10k, ad65):
    data = workbook(
        [
            HEADER,
            ["AD65", None, "4", "No charge", None, "YES", 2.0],
            ["AD65", None, 2.0, "No charge", None, True, "3"],
            ["PB10K", 12345678, 1, "No output", "data cable;pouch", "n", 1],
        ]
    )
    lines, errors = importing.lines_from_xlsx(data)
    assert errors == []
    assert [(ln.quantity, ln.box_no, ln.bundled) for ln in lines] == [
        (4, 2, True),
        (2, 3, True),
        (1, 1, False),
    ]
    assert lines[2].serial == "12345678" and lines[2].accessories == ["data cable", "pouch"]


def test_blank_rows_are_skipped_and_rows_keep_their_spreadsheet_numbers(pb10k):
    data = workbook(
        [
            HEADER,
            ["PB10K", "SB0004", 1, "No output", "data cable", "", 1],
            [None] * 7,
            ["PB10K", "SB0005", 1, "", "data cable", "", 1],
        ]
    )
    lines, errors = importing.lines_from_xlsx(data)
    assert lines == []
    assert problems_of(errors) == {(4, "fault", "returns.value_required")}


def test_every_bad_row_is_reported_and_no_line_is_returned(pb10k):
    data = workbook(
        [
            HEADER,
            ["PB10K", "SB0006", 1, "No output", "data cable", "no", 1],  # good
            ["NOPE", "", 1, "No output", "", "no", 1],
            ["PB10K", "SB0007", 2, "No output", "", "maybe", 0],
            ["PB10K", "", 1000, "x" * 121, "", "", "two"],
            ["PB10K", "SB0006", 1, "No output", "", "", 1],
            ["", "", "", "", "", "", 1],
        ]
    )
    lines, errors = importing.lines_from_xlsx(data)
    assert lines == []
    assert problems_of(errors) == {
        (3, "model_code", "returns.model_unknown"),
        (4, "serial", "returns.serial_means_one_unit"),
        (4, "bundled", "returns.import_bundled_invalid"),
        (4, "box_no", "returns.number_out_of_range"),
        (5, "quantity", "returns.number_out_of_range"),
        (5, "fault", "returns.value_too_long"),
        (5, "box_no", "returns.number_out_of_range"),
        (6, "serial", "returns.serial_repeated"),
        (7, "model_code", "returns.value_required"),
        (7, "quantity", "returns.value_required"),
        (7, "fault", "returns.value_required"),
    }


def test_the_messages_are_in_the_readers_language(pb10k):
    data = workbook([HEADER, ["NOPE", "", 1, "No output", "", "", 1]])
    with translation.override("en"):
        (english,) = importing.lines_from_xlsx(data)[1]
    with translation.override("zh-hans"):
        (chinese,) = importing.lines_from_xlsx(data)[1]
    assert english["code"] == chinese["code"] == "returns.model_unknown"
    assert "NOPE" in english["message"] and "NOPE" in chinese["message"]


def test_a_missing_required_column_is_reported_on_the_header_row(pb10k):
    data = workbook([["型号", "数量", "故障"], ["PB10K", 1, "No output"]])
    lines, errors = importing.lines_from_xlsx(data)
    assert lines == []
    assert problems_of(errors) == {(1, "box_no", "returns.import_column_missing")}


def test_a_column_named_twice_is_reported(pb10k):
    data = workbook([[*HEADER, "数量"], ["PB10K", "", 1, "No output", "", "", 1, 2]])
    lines, errors = importing.lines_from_xlsx(data)
    assert lines == []
    assert problems_of(errors) == {(1, "quantity", "returns.import_column_repeated")}


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"not a workbook at all", "returns.import_unreadable"),
        (b"PK\x03\x04 broken zip", "returns.import_unreadable"),
        (workbook([["name", "phone"], ["Wang", "123"]]), "returns.import_no_header"),
        (workbook([HEADER]), "returns.import_empty"),
    ],
    ids=["text", "broken-zip", "no-header", "no-rows"],
)
def test_a_file_that_is_not_a_sheet_of_lines_is_reported_as_a_whole(db, data, code):
    lines, errors = importing.lines_from_xlsx(data)
    assert lines == []
    assert problems_of(errors) == {(None, "file", code)}


def test_a_file_of_more_lines_than_a_batch_holds_is_refused(pb10k):
    rows = [["PB10K", "", 1, "No output", "data cable", "", 1]] * (services.MAX_LINES + 1)
    lines, errors = importing.lines_from_xlsx(workbook([HEADER, *rows]))
    assert lines == []
    assert problems_of(errors) == {(None, "file", "returns.import_too_many_rows")}


def test_imported_lines_make_a_batch_that_can_be_submitted(agent_a_clerk, pb10k, ad65):
    data = workbook(
        [
            ["型号", "序列号", "数量", "故障", "配件", "捆扎", "箱号"],
            ["PB10K", "SB0101", 1, "无输出", "data cable", "否", 1],
            ["PB10K", "SB0102", 1, "不开机", "data cable", "否", 1],
            ["AD65", "", 5, "插头松动", "", "是", 2],
        ]
    )
    lines, errors = importing.lines_from_xlsx(data)
    assert errors == []
    batch = draft(agent_a_clerk, lines)
    services.batch_submit(batch=batch, actor=agent_a_clerk)
    batch.refresh_from_db()
    assert batch.status == "submitted"
    assert (batch.declared_units, batch.declared_boxes, batch.lines.count()) == (7, 2, 3)


def test_the_template_is_downloaded_by_whoever_may_create_a_batch(agent_a_clerk):
    response = login_client_for(agent_a_clerk).get(reverse("returns:lines_template_xlsx"))
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="return-batch-lines.xlsx"'
    lines, errors = importing.lines_from_xlsx(response.content)
    assert (lines, problems_of(errors)) == ([], {(None, "file", "returns.import_empty")})
