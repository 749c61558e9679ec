"""The delivery list as a spreadsheet (``returns.documents.delivery_list_xlsx``):
text typed by people never becomes a formula in any of its sheets."""

from __future__ import annotations

import io

import openpyxl

from sanbao.returns import services
from sanbao.returns.documents import delivery_list_xlsx
from sanbao.returns.tests.conftest import pb_lines, settle_all, shipped, under_test


def test_text_that_looks_like_a_formula_stays_text_in_every_sheet_of_the_delivery_list(
    agent_a_clerk, platform_staff, pb10k
):
    batch = under_test(agent_a_clerk, platform_staff, pb_lines(2))
    first, second = batch.units.order_by("seq")
    services.unit_delay(
        unit=second,
        actor=platform_staff,
        reason="parts_shortage",
        note='=HYPERLINK("http://example.invalid","click")',
    )
    settle_all(batch, platform_staff, units=[first])
    shipment = shipped(batch, platform_staff, units=[first])
    book = openpyxl.load_workbook(io.BytesIO(delivery_list_xlsx(shipment)))
    cells = [c for sheet in book.worksheets for row in sheet.iter_rows() for c in row]
    suspicious = [c for c in cells if isinstance(c.value, str) and c.value.startswith("=")]
    assert suspicious, "the note is in the workbook"
    assert all(c.data_type == "s" for c in suspicious)
