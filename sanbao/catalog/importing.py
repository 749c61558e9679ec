"""Reading and validating unit-registry files (CSV or XLSX).

Pure of writes: ``validate_rows`` returns the rows ready to insert and a list
of row errors, each naming the row, the column, a stable code and a message in
the active language. ``sanbao.catalog.services.unit_import`` does the writing.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.utils import timezone

from sanbao.catalog.errors import ERRORS, IMPORT_MESSAGES
from sanbao.catalog.models import LOT_PATTERN
from sanbao.core.errors import ValidationFailed
from sanbao.core.uploads import xlsx_within_limits

REQUIRED_COLUMNS = ("serial", "model_code", "sale_date", "region")
# The columns of an import file, required ones first.
COLUMNS = (
    *REQUIRED_COLUMNS,
    "authorised_channel",
    "channel_org_code",
    "warranty_card_no",
    "production_lot",
)

# Header aliases: agents keep these files in Chinese spreadsheets too.
HEADER_ALIASES = {
    "序列号": "serial",
    "serial_number": "serial",
    "sn": "serial",
    "型号": "model_code",
    "型号编码": "model_code",
    "model": "model_code",
    "销售日期": "sale_date",
    "销售地区": "region",
    "地区": "region",
    "授权渠道": "authorised_channel",
    "authorized_channel": "authorised_channel",
    "经销商编码": "channel_org_code",
    "渠道编码": "channel_org_code",
    "agent_code": "channel_org_code",
    "保修卡号": "warranty_card_no",
    "warranty_card": "warranty_card_no",
    "生产批次": "production_lot",
    "批次": "production_lot",
    "批号": "production_lot",
    "lot": "production_lot",
}

REGION_ALIASES = {
    "mainland": "mainland",
    "cn": "mainland",
    "中国大陆": "mainland",
    "大陆": "mainland",
    "内地": "mainland",
    "hong_kong": "hong_kong",
    "hongkong": "hong_kong",
    "hk": "hong_kong",
    "香港": "hong_kong",
    "macau": "macau",
    "macao": "macau",
    "mo": "macau",
    "澳门": "macau",
    "taiwan": "taiwan",
    "tw": "taiwan",
    "台湾": "taiwan",
    "overseas": "overseas",
    "海外": "overseas",
}
TRUE_WORDS = {"yes", "y", "true", "1", "是", "授权"}
FALSE_WORDS = {"no", "n", "false", "0", "否", "非授权"}

SERIAL_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9\-_/.]{2,39}$")
LOT_RE = re.compile(LOT_PATTERN)

# The import file's messages (its codes and only those).
MESSAGES = IMPORT_MESSAGES


@dataclass(frozen=True)
class RowError:
    """One refused cell of an imported file. An app's own import names its error
    catalogue by subclassing (``catalogue = <app>.errors.ERRORS``)."""

    catalogue = ERRORS  # a class attribute, not a field
    row: int  # 1-based line in the file, the header being row 1
    column: str
    code: str
    params: dict[str, Any] = field(default_factory=dict)

    @property
    def message(self) -> str:
        return self.catalogue.message(self.code, **self.params)

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "code": self.code, "message": self.message}


@dataclass
class CleanRow:
    row: int
    serial: str
    model_id: int
    sale_date: dt.date
    region: str
    authorised_channel: bool
    channel_org_id: int | None
    warranty_card_no: str
    production_lot: str = ""

    def values(self) -> tuple:
        return (
            self.model_id,
            self.sale_date,
            self.region,
            self.authorised_channel,
            self.channel_org_id,
            self.warranty_card_no,
            self.production_lot,
        )


VALUE_FIELDS = (
    "model_id",
    "sale_date",
    "region",
    "authorised_channel",
    "channel_org_id",
    "warranty_card_no",
    "production_lot",
)


def rows_csv(rows: list[dict[str, str]]) -> bytes:
    """``rows`` (dicts with the same keys, the columns) as a UTF-8 CSV file with a
    header row: what ``read_table`` reads back (the demo data, the benchmark)."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue().encode()


def file_error(code: str, **params) -> ValidationFailed:
    return ERRORS.invalid(code, "file", **params)


def _norm_header(name: Any) -> str:
    text = str(name or "").strip().lstrip("\ufeff")
    key = text.lower().replace(" ", "_").replace("-", "_")
    return HEADER_ALIASES.get(text, HEADER_ALIASES.get(key, key))


def read_table(data: bytes, filename: str) -> tuple[list[str], Iterator[list[Any]]]:
    """Header and data rows of a CSV (UTF-8, with or without BOM, or GB18030) or XLSX file."""
    name = (filename or "").lower()
    if name.endswith(".xlsx") or data[:2] == b"PK":
        return _read_xlsx(data)
    return _read_csv(data)


def _read_csv(data: bytes):
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - gb18030 decodes any byte string
        raise file_error("catalog.file_unreadable")
    if "\x00" in text:
        raise file_error("catalog.file_unreadable")
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except StopIteration:
        raise file_error("catalog.file_empty") from None
    except csv.Error:
        raise file_error("catalog.file_unreadable") from None

    def rows():
        try:
            yield from reader
        except csv.Error:
            raise file_error("catalog.file_unreadable") from None

    return [_norm_header(h) for h in header], rows()


def _read_xlsx(data: bytes):
    from openpyxl import load_workbook

    if not xlsx_within_limits(data):  # a zip bomb is refused before it is opened
        raise file_error(
            "catalog.file_unpacks_too_large",
            limit_mb=settings.SANBAO_XLSX_MAX_UNCOMPRESSED_MB,
            members=settings.SANBAO_XLSX_MAX_MEMBERS,
        )

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a damaged file
        raise file_error("catalog.file_unreadable") from None
    sheet = workbook.worksheets[0]
    iterator = sheet.iter_rows(values_only=True)
    try:
        header = next(iterator)
    except StopIteration:
        raise file_error("catalog.file_empty") from None
    return [_norm_header(h) for h in header], (list(r) for r in iterator)


def _text(value: Any) -> str:
    if type(value) is str:  # every cell of a CSV file
        return value.strip()
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _parse_date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = _text(value)
    if len(text) == 10 and text[4] == "-" == text[7] and text.isascii():
        # The usual 2025-03-01 without strptime (a third of validating a row); a
        # text this does not take goes through the formats below as before.
        year, month, day = text[:4], text[5:7], text[8:]
        if year.isdigit() and month.isdigit() and day.isdigit():
            try:
                return dt.date(int(year), int(month), int(day))
            except ValueError:
                pass
    for fmt in ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y%m%d"):
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


@dataclass
class Validation:
    clean: list[CleanRow]
    errors: list[RowError]
    total: int


def validate_rows(
    header: list[str],
    rows: Iterable[list[Any]],
    *,
    model_ids: dict[str, int],
    org_ids: dict[str, int],
    progress: Callable[[int], None] | None = None,
) -> Validation:
    """Check every row; nothing is looked up in the database here (the caller
    passes the code → id maps), so this is fast and testable on plain values."""
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        raise file_error("catalog.columns_missing", columns=", ".join(missing))
    index = {name: header.index(name) for name in COLUMNS if name in header}
    limit = settings.SANBAO_IMPORT_MAX_ROWS
    today = timezone.localdate()
    clean: list[CleanRow] = []
    errors: list[RowError] = []
    seen: dict[str, int] = {}
    total = 0
    for offset, raw in enumerate(rows):
        line = offset + 2
        if not any(_text(v) for v in raw):
            continue  # blank lines in spreadsheets are not rows
        total += 1
        if total > limit:
            raise file_error("catalog.file_too_large", limit=limit)
        if progress and total % 1000 == 0:
            progress(total)

        def cell(name, raw=raw):
            i = index.get(name)
            return raw[i] if i is not None and i < len(raw) else None

        row_errors: list[RowError] = []

        serial = _text(cell("serial"))
        if not serial:
            row_errors.append(RowError(line, "serial", "catalog.value_required"))
        elif not SERIAL_RE.match(serial):
            row_errors.append(RowError(line, "serial", "catalog.serial_invalid", {"value": serial}))
        elif serial in seen:
            row_errors.append(
                RowError(
                    line,
                    "serial",
                    "catalog.serial_repeated",
                    {"value": serial, "other_row": seen[serial]},
                )
            )
        else:
            seen[serial] = line

        code = _text(cell("model_code"))
        model_id = model_ids.get(code)
        if not code:
            row_errors.append(RowError(line, "model_code", "catalog.value_required"))
        elif model_id is None:
            row_errors.append(
                RowError(line, "model_code", "catalog.model_unknown", {"value": code})
            )

        raw_date = cell("sale_date")
        sale_date = _parse_date(raw_date)
        if not _text(raw_date):
            row_errors.append(RowError(line, "sale_date", "catalog.value_required"))
        elif sale_date is None:
            row_errors.append(
                RowError(line, "sale_date", "catalog.date_invalid", {"value": _text(raw_date)})
            )
        elif sale_date > today:
            row_errors.append(
                RowError(
                    line, "sale_date", "catalog.date_in_future", {"value": sale_date.isoformat()}
                )
            )

        region_text = _text(cell("region"))
        region = REGION_ALIASES.get(region_text.lower().replace(" ", "_"))
        if not region_text:
            row_errors.append(RowError(line, "region", "catalog.value_required"))
        elif region is None:
            row_errors.append(
                RowError(line, "region", "catalog.region_unknown", {"value": region_text})
            )

        auth_text = _text(cell("authorised_channel")).lower()
        authorised = True
        if auth_text in FALSE_WORDS:
            authorised = False
        elif auth_text and auth_text not in TRUE_WORDS:
            row_errors.append(
                RowError(
                    line, "authorised_channel", "catalog.boolean_invalid", {"value": auth_text}
                )
            )

        org_code = _text(cell("channel_org_code"))
        org_id = None
        if org_code:
            org_id = org_ids.get(org_code)
            if org_id is None:
                row_errors.append(
                    RowError(
                        line,
                        "channel_org_code",
                        "catalog.organisation_unknown",
                        {"value": org_code},
                    )
                )

        card = _text(cell("warranty_card_no"))
        if len(card) > 40:
            row_errors.append(
                RowError(line, "warranty_card_no", "catalog.value_too_long", {"limit": 40})
            )

        lot = _text(cell("production_lot"))
        if lot and not LOT_RE.match(lot):
            row_errors.append(
                RowError(line, "production_lot", "catalog.lot_invalid", {"value": lot})
            )

        if row_errors:
            errors.extend(row_errors)
            continue
        clean.append(
            CleanRow(
                row=line,
                serial=serial,
                model_id=model_id,
                sale_date=sale_date,
                region=region,
                authorised_channel=authorised,
                channel_org_id=org_id,
                warranty_card_no=card,
                production_lot=lot,
            )
        )
    if total == 0:
        raise file_error("catalog.file_empty")
    return Validation(clean=clean, errors=errors, total=total)
