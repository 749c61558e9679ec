"""Batch lines from an agent's spreadsheet (XLSX), and the template to fill in.

Agents keep the lines of a return batch in spreadsheets: ``lines_from_xlsx`` reads
the first sheet of such a workbook into ``LineIn`` rows for
``sanbao.returns.services.batch_create`` / ``batch_update``. It writes nothing.
Every bad row is reported, each problem as ``{"row", "column", "code",
"message"}`` (the row as the spreadsheet numbers it, the column by its field name,
a stable code, a message in the active language); when any row is bad no line is
returned, so a batch is never made from half a file. A problem with the file as a
whole (unreadable, no header row, a column missing, no rows, too many rows) is
reported the same way with ``row`` None when it concerns no row.

The header row may sit below a title block; it is the first row (of the first
twenty) naming at least the required columns. A header is recognised by its
field name, its Chinese name, or either word of a bilingual header such as
``型号 model_code`` (the template's own headers).
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db.models.functions import Upper
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation

from sanbao.catalog.models import ProductModel
from sanbao.core.uploads import xlsx_within_limits
from sanbao.documents.pdf import bilingual
from sanbao.returns import policy
from sanbao.returns.errors import message
from sanbao.returns.services import MAX_LINES, LineIn

COLUMNS = ("model_code", "serial", "quantity", "fault", "accessories", "bundled", "box_no")
REQUIRED_COLUMNS = ("model_code", "quantity", "fault", "box_no")
HEADER_SEARCH_ROWS = 20

# Field name -> the Chinese header (used by the template) and other accepted names.
CHINESE_HEADERS = {
    "model_code": "型号",
    "serial": "序列号",
    "quantity": "数量",
    "fault": "故障",
    "accessories": "配件",
    "bundled": "捆扎",
    "box_no": "箱号",
}
HEADER_ALIASES = {
    "model_code": {"model_code", "model", "型号", "型号编码", "产品型号"},
    "serial": {"serial", "serial_no", "serial_number", "sn", "序列号", "序号码", "机身号"},
    "quantity": {"quantity", "qty", "数量"},
    "fault": {"fault", "故障", "故障描述", "故障现象"},
    "accessories": {"accessories", "配件", "附件"},
    "bundled": {"bundled", "捆扎", "是否捆扎", "扎带"},
    "box_no": {"box_no", "box", "箱号", "箱"},
}
_ALIAS_TO_COLUMN = {alias: name for name, aliases in HEADER_ALIASES.items() for alias in aliases}

TRUE_WORDS = {"yes", "y", "true", "1", "是", "已捆扎"}
FALSE_WORDS = {"no", "n", "false", "0", "否", "未捆扎", ""}
ACCESSORY_SEPARATORS = re.compile(r"[,，、;；/\n]+")

MAX_MODEL_CODE, MAX_SERIAL, MAX_FAULT, MAX_ACCESSORY, MAX_ACCESSORIES = 40, 40, 120, 60, 20


def _error(row: int | None, column: str, code: str, /, **params) -> dict[str, Any]:
    return {"row": row, "column": column, "code": code, "message": message(code, **params)}


def _text(value: Any) -> str:
    """A cell as text: a whole float (Excel stores 12 as 12.0) without its ``.0``."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _header_column(value: Any) -> str | None:
    """The field a header cell names: ``model_code``, ``型号``, ``型号 model_code``,
    ``Model code``..."""
    text = _text(value).lstrip("\ufeff").lower()
    if not text:
        return None
    candidates = [text, *re.split(r"[\s/|]+", text)]
    candidates += [c.replace(" ", "_").replace("-", "_") for c in candidates]
    for candidate in candidates:
        column = _ALIAS_TO_COLUMN.get(candidate.strip("()（）:：*"))
        if column:
            return column
    return None


def _whole(value: Any, low: int, high: int) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, float):
        if not value.is_integer():
            return None
        value = int(value)
    if isinstance(value, str):
        text = value.strip()
        if not re.fullmatch(r"[+]?\d+(\.0+)?", text):
            return None
        value = int(text.split(".")[0])
    if not isinstance(value, int):
        return None
    return value if low <= value <= high else None


def _find_header(rows: list[tuple]) -> tuple[int, dict[str, int], list[dict]] | None:
    """(index of the header row, field -> column index, problems) or None."""
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        found: dict[str, int] = {}
        problems = []
        for col, value in enumerate(row):
            column = _header_column(value)
            if column is None:
                continue
            if column in found:
                problems.append(
                    _error(index + 1, column, "returns.import_column_repeated", column=column)
                )
                continue
            found[column] = col
        if "model_code" in found and sum(c in found for c in REQUIRED_COLUMNS) >= 2:
            return index, found, problems
    return None


def _read_rows(data: bytes) -> list[tuple] | None:
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
        rows = []
        non_empty = 0
        for row in sheet.iter_rows(values_only=True):
            rows.append(tuple(row))
            if any(_text(v) for v in row):
                non_empty += 1
            if non_empty > MAX_LINES + HEADER_SEARCH_ROWS + 1:
                break  # enough to know the file is too long
        workbook.close()
        return rows
    except Exception:  # openpyxl raises many kinds for a damaged or foreign file
        return None


def lines_from_xlsx(data: bytes) -> tuple[list[LineIn], list[dict[str, Any]]]:
    """The batch lines of an agent's workbook, and every problem found in it.

    Columns (any order; Chinese header aliases in brackets): ``model_code`` (型号),
    ``serial`` (序列号, optional: a line with a serial is one unit), ``quantity``
    (数量, 1–999), ``fault`` (故障, as written on the label, at most 120
    characters), ``accessories`` (配件, comma-separated), ``bundled`` (捆扎:
    yes/no/是/否, empty is no), ``box_no`` (箱号, 1–1000). Blank rows are skipped.
    Returns ``(lines, [])`` when the file is good, ``([], problems)`` otherwise."""
    if not xlsx_within_limits(data):
        return [], [
            _error(
                None,
                "file",
                "returns.import_unpacks_too_large",
                limit_mb=settings.SANBAO_XLSX_MAX_UNCOMPRESSED_MB,
                members=settings.SANBAO_XLSX_MAX_MEMBERS,
            )
        ]
    rows = _read_rows(data)
    if rows is None:
        return [], [_error(None, "file", "returns.import_unreadable")]
    header = _find_header(rows)
    if header is None:
        return [], [
            _error(None, "file", "returns.import_no_header", columns=", ".join(REQUIRED_COLUMNS))
        ]
    header_index, index, problems = header
    header_row = header_index + 1
    for column in REQUIRED_COLUMNS:
        if column not in index:
            problems.append(
                _error(header_row, column, "returns.import_column_missing", column=column)
            )
    if problems:
        return [], problems

    body = [
        (number, row)
        for number, row in enumerate(rows[header_index + 1 :], start=header_row + 1)
        if any(_text(v) for v in row)
    ]
    if not body:
        return [], [_error(None, "file", "returns.import_empty")]
    if len(body) > MAX_LINES:
        return [], [_error(None, "file", "returns.import_too_many_rows", limit=MAX_LINES)]

    # Model codes match whatever their case, as in the service.
    codes = {_text(_cell(row, index, "model_code")).upper() for _n, row in body}
    known = {
        code.upper(): code
        for code in ProductModel.objects.annotate(upper=Upper("code"))
        .filter(upper__in=codes)
        .values_list("code", flat=True)
    }

    lines: list[LineIn] = []
    serials: dict[str, int] = {}
    for number, row in body:
        line, row_problems = _parse_row(number, row, index, known, serials)
        problems += row_problems
        if line is not None:
            lines.append(line)
    if problems:
        return [], problems
    return lines, []


def _cell(row: tuple, index: dict[str, int], column: str) -> Any:
    i = index.get(column)
    return row[i] if i is not None and i < len(row) else None


def _parse_row(
    number: int, row: tuple, index: dict[str, int], known: dict[str, str], serials: dict
) -> tuple[LineIn | None, list[dict]]:
    problems: list[dict] = []

    def bad(column: str, code: str, **params) -> None:
        problems.append(_error(number, column, code, **params))

    code = _text(_cell(row, index, "model_code"))
    if not code:
        bad("model_code", "returns.value_required")
    elif len(code) > MAX_MODEL_CODE or code.upper() not in known:
        bad("model_code", "returns.model_unknown", value=code[:60])

    raw_quantity = _cell(row, index, "quantity")
    quantity = _whole(raw_quantity, 1, policy.LINE_QUANTITY_MAX)
    if not _text(raw_quantity):
        bad("quantity", "returns.value_required")
    elif quantity is None:
        bad("quantity", "returns.number_out_of_range", low=1, high=policy.LINE_QUANTITY_MAX)

    serial = _text(_cell(row, index, "serial"))
    if len(serial) > MAX_SERIAL:
        bad("serial", "returns.value_too_long", limit=MAX_SERIAL)
    elif serial:
        if quantity not in (None, 1):
            bad("serial", "returns.serial_means_one_unit")
        key = serial.upper()
        if key in serials:
            bad("serial", "returns.serial_repeated", serial=serial[:40])
        else:
            serials[key] = number

    fault = _text(_cell(row, index, "fault"))
    if not fault:
        bad("fault", "returns.value_required")
    elif len(fault) > MAX_FAULT:
        bad("fault", "returns.value_too_long", limit=MAX_FAULT)

    accessories = [
        a.strip() for a in ACCESSORY_SEPARATORS.split(_text(_cell(row, index, "accessories")))
    ]
    accessories = [a for a in accessories if a]
    if len(accessories) > MAX_ACCESSORIES:
        bad("accessories", "returns.import_too_many_accessories", limit=MAX_ACCESSORIES)
    elif any(len(a) > MAX_ACCESSORY for a in accessories):
        bad("accessories", "returns.value_too_long", limit=MAX_ACCESSORY)

    raw_bundled = _cell(row, index, "bundled")
    bundled_text = _text(raw_bundled).lower()
    bundled = bundled_text in TRUE_WORDS
    if not bundled and bundled_text not in FALSE_WORDS:
        bad("bundled", "returns.import_bundled_invalid", value=_text(raw_bundled)[:60])

    raw_box = _cell(row, index, "box_no")
    box = _whole(raw_box, 1, 1_000)
    if not _text(raw_box):
        bad("box_no", "returns.value_required")
    elif box is None:
        bad("box_no", "returns.number_out_of_range", low=1, high=1_000)

    if problems:
        return None, problems
    return (
        LineIn(
            model_code=known[code.upper()],
            quantity=quantity,
            fault=fault,
            box_no=box,
            serial=serial,
            accessories=accessories,
            bundled=bundled,
        ),
        [],
    )


# --- The template ----------------------------------------------------------------------

TEMPLATE_TITLE = _("Return batch lines")
INSTRUCTIONS_TITLE = _("Instructions")
COLUMN_HELP = {
    "model_code": _("The product model's code, e.g. PB10K. Required."),
    "serial": _("The unit's serial number, when it has one: such a line is one unit."),
    "quantity": _("Number of units, 1 to 999. Required."),
    "fault": _("The fault as written on the unit's label, at most 120 characters. Required."),
    "accessories": _("Accessories packed with the units, comma-separated, e.g. data cable."),
    "bundled": _("是 / 否 (yes / no): bundled with a tie (adapters and cables must be)."),
    "box_no": _("The number of the box the units are packed in, 1 to 1000. Required."),
}
COLUMN = _("Column")
MEANING = _("What to enter")
TEMPLATE_ROWS = MAX_LINES  # rows formatted for entry
WIDTHS = {
    "model_code": 18,
    "serial": 20,
    "quantity": 12,
    "fault": 40,
    "accessories": 28,
    "bundled": 12,
    "box_no": 10,
}


def template_headers() -> list[str]:
    """The template's header cells: ``型号 model_code`` and so on."""
    return [f"{CHINESE_HEADERS[c]} {c}" for c in COLUMNS]


def lines_template_xlsx() -> bytes:
    """A workbook to fill in and import: the first sheet has the header row
    (Chinese and field names), serials formatted as text so leading zeros stay,
    whole numbers for quantity and box, and a 是/否 list for bundled; the second
    sheet explains each column in the reader's language."""
    wb = Workbook()
    ws = wb.active
    ws.title = bilingual(TEMPLATE_TITLE)[:31]
    bold, fill = Font(bold=True), PatternFill("solid", fgColor="F3F5F7")
    for col, text in enumerate(template_headers(), start=1):
        cell = ws.cell(row=1, column=col, value=text)
        cell.font, cell.fill, cell.alignment = bold, fill, Alignment(vertical="top")
        cell.data_type = "s"
    for col, name in enumerate(COLUMNS, start=1):
        letter = ws.cell(row=1, column=col).column_letter
        ws.column_dimensions[letter].width = WIDTHS[name]
        fmt = {"serial": "@", "quantity": "0", "box_no": "0"}.get(name, "@")
        for row in range(2, TEMPLATE_ROWS + 2):
            ws.cell(row=row, column=col).number_format = fmt
    ws.freeze_panes = "A2"
    bundled_col = ws.cell(row=1, column=COLUMNS.index("bundled") + 1).column_letter
    choice = DataValidation(type="list", formula1='"是,否,yes,no"', allow_blank=True)
    ws.add_data_validation(choice)
    choice.add(f"{bundled_col}2:{bundled_col}{TEMPLATE_ROWS + 1}")
    for name, limits in (("quantity", (1, policy.LINE_QUANTITY_MAX)), ("box_no", (1, 1000))):
        letter = ws.cell(row=1, column=COLUMNS.index(name) + 1).column_letter
        number = DataValidation(
            type="whole", operator="between", formula1=str(limits[0]), formula2=str(limits[1])
        )
        ws.add_data_validation(number)
        number.add(f"{letter}2:{letter}{TEMPLATE_ROWS + 1}")

    help_sheet = wb.create_sheet(bilingual(INSTRUCTIONS_TITLE)[:31])
    help_sheet.append([bilingual(COLUMN), bilingual(MEANING)])
    for cell in help_sheet[1]:
        cell.font, cell.fill = bold, fill
    for name, text in zip(template_headers(), _help_texts(), strict=True):
        help_sheet.append([name, text])
    help_sheet.column_dimensions["A"].width = 24
    help_sheet.column_dimensions["B"].width = 90

    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _help_texts() -> Iterable[str]:
    return [bilingual(COLUMN_HELP[c], sep="\n") for c in COLUMNS]
