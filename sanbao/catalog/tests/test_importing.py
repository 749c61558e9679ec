"""Reading and validating unit-registry files (no writes: see services/test_unit_import)."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.test import override_settings

from sanbao.catalog.importing import (
    COLUMNS,
    MESSAGES,
    RowError,
    _parse_date,
    read_table,
    validate_rows,
)
from sanbao.core.errors import ValidationFailed

HEADER = list(COLUMNS)
GOOD = ["SB0000001", "PB10K", "2025-03-01", "mainland", "yes", "AG-A", "WC0001", "L2503-A"]
MODEL_IDS = {"PB10K": 1, "PB20K": 2}
ORG_IDS = {"AG-A": 10, "EN-C": 30}

# Codes proved by the tests below; the last test checks none is forgotten.
PROVED: set[str] = {"catalog.serial_registered_differently"}  # services/test_unit_import.py


def csv_bytes(rows, header=HEADER, encoding="utf-8") -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode(encoding)


def good_row_with(column: str, value: str) -> list[str]:
    """``GOOD`` with ``value`` in ``column``."""
    row = list(GOOD)
    row[HEADER.index(column)] = value
    return row


def validate(data: bytes, filename: str = "units.csv"):
    header, rows = read_table(data, filename)
    return validate_rows(header, rows, model_ids=MODEL_IDS, org_ids=ORG_IDS)


def xlsx_bytes(rows, header=HEADER) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def test_a_valid_row_becomes_a_clean_row_with_ids_in_place_of_codes():
    result = validate(csv_bytes([GOOD]))
    assert result.errors == [] and result.total == 1
    [row] = result.clean
    assert (row.row, row.serial, row.model_id, row.channel_org_id) == (2, "SB0000001", 1, 10)
    assert (row.sale_date, row.region, row.authorised_channel, row.warranty_card_no) == (
        dt.date(2025, 3, 1),
        "mainland",
        True,
        "WC0001",
    )


def test_only_the_required_columns_are_needed():
    result = validate(csv_bytes([GOOD[:4]], header=HEADER[:4]))
    [row] = result.clean
    assert (row.authorised_channel, row.channel_org_id, row.warranty_card_no) == (True, None, "")


# Row errors, one per code --------------------------------------------------------

ROW_ERRORS = [
    ("serial", "", "catalog.value_required"),
    ("serial", "ab", "catalog.serial_invalid"),
    ("serial", "SB 0001", "catalog.serial_invalid"),
    ("serial", "-SB0001", "catalog.serial_invalid"),
    ("serial", "S" * 41, "catalog.serial_invalid"),
    ("model_code", "", "catalog.value_required"),
    ("model_code", "PB99K", "catalog.model_unknown"),
    ("sale_date", "", "catalog.value_required"),
    ("sale_date", "2025-13-01", "catalog.date_invalid"),
    ("sale_date", "last spring", "catalog.date_invalid"),
    ("sale_date", "2999-01-01", "catalog.date_in_future"),
    ("region", "", "catalog.value_required"),
    ("region", "mars", "catalog.region_unknown"),
    ("authorised_channel", "maybe", "catalog.boolean_invalid"),
    ("channel_org_code", "AG-ZZ", "catalog.organisation_unknown"),
    ("warranty_card_no", "W" * 41, "catalog.value_too_long"),
    ("production_lot", "L" * 41, "catalog.lot_invalid"),
    ("production_lot", "L2503/A", "catalog.lot_invalid"),
]
PROVED |= {code for _column, _value, code in ROW_ERRORS}


@pytest.mark.parametrize(("column", "value", "code"), ROW_ERRORS)
def test_a_bad_value_is_a_row_error_naming_row_column_and_code(column, value, code):
    bad = good_row_with(column, value)
    other = ["SB0000002", *GOOD[1:]]
    result = validate(csv_bytes([other, bad]))
    assert [(e.row, e.column, e.code) for e in result.errors] == [(3, column, code)]
    assert [r.serial for r in result.clean] == ["SB0000002"]
    assert result.total == 2
    assert result.errors[0].message  # every code has a message that renders


def test_a_row_with_several_bad_values_reports_each_of_them():
    result = validate(csv_bytes([["", "PB99K", "soon", "mars", "maybe", "AG-ZZ", "", ""]]))
    # every column but the last two: an empty warranty card number and lot are allowed
    assert [e.column for e in result.errors] == HEADER[:-2]


def test_the_production_lot_is_read_under_its_chinese_name_too():
    header = ["序列号", "型号", "销售日期", "地区", "生产批次"]
    result = validate(
        csv_bytes([["SB0000001", "PB10K", "2025-03-01", "mainland", " L2503-B "]], header)
    )
    assert [r.production_lot for r in result.clean] == ["L2503-B"]


def test_a_serial_repeated_in_the_file_is_an_error_on_the_later_row_naming_the_first():
    rows = [GOOD, ["SB0000002", *GOOD[1:]], GOOD]
    result = validate(csv_bytes(rows))
    [error] = result.errors
    assert (error.row, error.column, error.code) == (4, "serial", "catalog.serial_repeated")
    assert error.params == {"value": "SB0000001", "other_row": 2}
    assert "2" in error.message
    assert [r.serial for r in result.clean] == ["SB0000001", "SB0000002"]


PROVED.add("catalog.serial_repeated")


def test_row_error_as_dict_is_what_the_api_reports():
    error = RowError(5, "region", "catalog.region_unknown", {"value": "mars"})
    assert error.as_dict() == {
        "row": 5,
        "column": "region",
        "code": "catalog.region_unknown",
        "message": "“mars” is not a region (mainland, hong_kong, macau, taiwan, overseas).",
    }


# Accepted spellings --------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("2025-03-01", dt.date(2025, 3, 1)),
        ("2025/3/1", dt.date(2025, 3, 1)),
        ("2025.03.01", dt.date(2025, 3, 1)),
        ("20250301", dt.date(2025, 3, 1)),
    ],
)
def test_sale_dates_are_read_in_the_usual_chinese_spreadsheet_spellings(text, date):
    assert validate(csv_bytes([good_row_with("sale_date", text)])).clean[0].sale_date == date


@pytest.mark.parametrize(
    ("text", "region"),
    [
        ("mainland", "mainland"),
        ("CN", "mainland"),
        ("中国大陆", "mainland"),
        ("内地", "mainland"),
        ("Hong Kong", "hong_kong"),
        ("香港", "hong_kong"),
        ("Macao", "macau"),
        ("澳门", "macau"),
        ("台湾", "taiwan"),
        ("TW", "taiwan"),
        ("海外", "overseas"),
    ],
)
def test_regions_are_read_in_english_and_chinese(text, region):
    assert validate(csv_bytes([good_row_with("region", text)])).clean[0].region == region


@pytest.mark.parametrize(
    ("text", "value"),
    [("yes", True), ("Y", True), ("是", True), ("", True), ("no", False), ("否", False)],
)
def test_the_authorised_channel_flag_is_read_in_english_and_chinese(text, value):
    row = validate(csv_bytes([good_row_with("authorised_channel", text)])).clean[0]
    assert row.authorised_channel is value


CHINESE_HEADER = ["序列号", "型号", "销售日期", "销售地区", "授权渠道", "经销商编码", "保修卡号"]
ENGLISH_ALIASES = [
    "Serial Number",
    "Model",
    "Sale Date",
    "Region",
    "Authorized Channel",
    "Agent Code",
    "Warranty Card",
]


@pytest.mark.parametrize("header", [CHINESE_HEADER, ENGLISH_ALIASES], ids=["chinese", "english"])
def test_header_aliases_are_understood(header):
    result = validate(csv_bytes([GOOD], header=header))
    assert result.errors == []
    assert result.clean[0].channel_org_id == 10


def test_sn_is_an_alias_of_serial_and_columns_may_come_in_any_order():
    header = ["region", "SN", "sale_date", "model_code"]
    result = validate(csv_bytes([["香港", "SB0000009", "2025-01-02", "PB20K"]], header=header))
    [row] = result.clean
    assert (row.serial, row.model_id, row.region) == ("SB0000009", 2, "hong_kong")


def test_missing_required_columns_are_one_file_error_naming_them():
    with pytest.raises(ValidationFailed) as caught:
        validate(csv_bytes([GOOD[:2]], header=HEADER[:2]))
    assert caught.value.code == "catalog.columns_missing"
    assert caught.value.params == {"columns": "sale_date, region"}
    assert list(caught.value.fields) == ["file"]


PROVED.add("catalog.columns_missing")


# Encodings and formats -----------------------------------------------------------


def test_a_gb18030_csv_with_chinese_headers_and_values_is_read():
    row = ["SB0000001", "PB10K", "2025-03-01", "香港", "否", "AG-A", "保修0001"]
    data = csv_bytes([row], header=CHINESE_HEADER, encoding="gb18030")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")  # the file really is not UTF-8
    [clean] = validate(data).clean
    assert (clean.region, clean.authorised_channel, clean.warranty_card_no) == (
        "hong_kong",
        False,
        "保修0001",
    )


def test_a_utf8_csv_with_a_byte_order_mark_is_read():
    data = "\ufeff".encode() + csv_bytes([GOOD], header=CHINESE_HEADER)
    assert validate(data).clean[0].serial == "SB0000001"


def test_an_xlsx_file_is_read_with_native_dates_and_numeric_cells():
    rows = [
        [12345678, "PB10K", dt.datetime(2025, 3, 1), "mainland", "yes", "AG-A", 778899],
        ["SB0000002", "PB20K", dt.date(2025, 4, 2), "香港", "否", "EN-C", None],
    ]
    result = validate(xlsx_bytes(rows, header=CHINESE_HEADER), "units.xlsx")
    assert result.errors == []
    first, second = result.clean
    assert (first.serial, first.sale_date, first.warranty_card_no) == (
        "12345678",
        dt.date(2025, 3, 1),
        "778899",
    )
    assert (second.sale_date, second.region, second.channel_org_id) == (
        dt.date(2025, 4, 2),
        "hong_kong",
        30,
    )


def test_an_xlsx_file_is_recognised_by_its_content_whatever_its_name():
    result = validate(xlsx_bytes([GOOD]), "units.csv")
    assert result.clean[0].serial == "SB0000001"


def test_an_xlsx_row_error_names_its_spreadsheet_row():
    result = validate(xlsx_bytes([GOOD, ["SB0000002", "PB99K", "2025-01-01", "mainland"]]))
    assert [(e.row, e.code) for e in result.errors] == [(3, "catalog.model_unknown")]


def test_blank_lines_are_skipped_but_rows_keep_their_line_numbers():
    data = csv_bytes([GOOD, [], ["", "", ""], ["SB0000002", "PB99K", "2025-01-01", "mainland"]])
    result = validate(data)
    assert result.total == 2
    assert [(e.row, e.code) for e in result.errors] == [(5, "catalog.model_unknown")]


def test_blank_xlsx_rows_are_skipped():
    result = validate(xlsx_bytes([GOOD, [None, None], ["SB0000002", *GOOD[1:]]]))
    assert (result.total, len(result.clean)) == (2, 2)


# Unreadable, empty and oversized files ---------------------------------------------


@pytest.mark.parametrize(
    ("data", "filename"),
    [
        (b"serial,model\x00\x01\x02", "units.csv"),
        (b"PK\x03\x04 this is not a workbook", "units.xlsx"),
        (b"not a workbook at all", "units.xlsx"),
    ],
    ids=["nul-bytes", "damaged-zip", "text-named-xlsx"],
)
def test_an_unreadable_file_is_one_file_error(data, filename):
    with pytest.raises(ValidationFailed) as caught:
        validate(data, filename)
    assert caught.value.code == "catalog.file_unreadable"
    assert caught.value.status == 400


PROVED.add("catalog.file_unreadable")


@pytest.mark.parametrize(
    "data",
    [b"", csv_bytes([]), csv_bytes([[], ["", ""]]), xlsx_bytes([])],
    ids=["no-bytes", "header-only", "blank-rows-only", "xlsx-header-only"],
)
def test_a_file_without_rows_is_refused_as_empty(data):
    with pytest.raises(ValidationFailed) as caught:
        validate(data)
    assert caught.value.code == "catalog.file_empty"


PROVED.add("catalog.file_empty")


@override_settings(SANBAO_IMPORT_MAX_ROWS=2)
def test_a_file_with_more_rows_than_the_limit_is_refused_whole():
    rows = [[f"SB000000{i}", *GOOD[1:]] for i in range(3)]
    with pytest.raises(ValidationFailed) as caught:
        validate(csv_bytes(rows))
    assert caught.value.code == "catalog.file_too_large"
    assert caught.value.params == {"limit": 2}


@override_settings(SANBAO_IMPORT_MAX_ROWS=2)
def test_a_file_at_the_row_limit_is_accepted():
    rows = [[f"SB000000{i}", *GOOD[1:]] for i in range(2)]
    assert len(validate(csv_bytes(rows)).clean) == 2


PROVED.add("catalog.file_too_large")


def test_progress_is_reported_every_thousand_rows():
    seen = []
    rows = [[f"SB{i:07d}", *GOOD[1:]] for i in range(2500)]
    header, reader = read_table(csv_bytes(rows), "units.csv")
    validate_rows(header, reader, model_ids=MODEL_IDS, org_ids=ORG_IDS, progress=seen.append)
    assert seen == [1000, 2000]


def test_an_xlsx_that_unpacks_past_the_limit_is_refused_before_it_is_opened(settings, monkeypatch):
    """Issue 13: a few hundred KB that unzip to more than
    ``SANBAO_XLSX_MAX_UNCOMPRESSED_MB`` never reach openpyxl."""
    import openpyxl

    from sanbao.catalog.importing import read_table
    from sanbao.testkit.uploads import xlsx_bomb

    opened = []

    def never(*args, **_kwargs):
        opened.append(args)
        raise AssertionError("the workbook was opened")

    monkeypatch.setattr(openpyxl, "load_workbook", never)
    with pytest.raises(ValidationFailed) as caught:
        read_table(xlsx_bomb(settings.SANBAO_XLSX_MAX_UNCOMPRESSED_MB + 10), "units.xlsx")
    assert not opened
    assert caught.value.code == "catalog.file_unpacks_too_large"
    assert list(caught.value.fields) == ["file"]


def test_an_xlsx_of_too_many_parts_is_refused_before_it_is_opened(settings):
    import io
    import zipfile

    from sanbao.catalog.importing import read_table

    settings.SANBAO_XLSX_MAX_MEMBERS = 10
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for n in range(11):
            archive.writestr(f"part{n}.xml", "<x/>")
    with pytest.raises(ValidationFailed) as caught:
        read_table(buffer.getvalue(), "units.xlsx")
    assert caught.value.code == "catalog.file_unpacks_too_large"


PROVED.add("catalog.file_unpacks_too_large")


def test_every_importer_error_code_is_proved_by_a_test():
    assert set(MESSAGES) == PROVED


@pytest.mark.parametrize(
    "text, expected",
    [
        ("2025-03-01", dt.date(2025, 3, 1)),
        (" 2025-03-01 ", dt.date(2025, 3, 1)),
        ("2025-3-1", dt.date(2025, 3, 1)),
        ("2025/03/01", dt.date(2025, 3, 1)),
        ("2025.03.01", dt.date(2025, 3, 1)),
        ("20250301", dt.date(2025, 3, 1)),
        ("2025-02-30", None),
        ("0000-01-01", None),
        ("2025-13-01", None),
        ("+025-01-01", None),
        ("2025-0a-01", None),
        ("2025-W01-1", None),
    ],
)
def test_a_sale_date_is_read_in_the_same_formats_with_or_without_the_quick_path(text, expected):
    """The usual ISO day is read without strptime; what it does not take falls through
    to the formats, so the result is strptime's either way."""
    assert _parse_date(text) == expected
