"""Small readers the tests of several apps share: what a downloaded workbook says."""

from __future__ import annotations

import io


def xlsx_cells(content: bytes) -> set[str]:
    """Every non-empty cell of the first sheet of an XLSX file, as text."""
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(content)).active
    return {
        str(value)
        for row in sheet.iter_rows(values_only=True)
        for value in row
        if value is not None
    }
