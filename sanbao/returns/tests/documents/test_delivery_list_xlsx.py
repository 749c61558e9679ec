"""The delivery list as a workbook (IV.7, IV.P2)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from sanbao.documents.pdf import bilingual
from sanbao.returns.documents import text as words
from sanbao.returns.tests.documents.conftest import fields_and_rows, units_of, workbook


@pytest.mark.clause("IV.7")
@pytest.mark.clause("IV.P2")
def test_the_delivery_list_workbook_has_one_typed_row_per_unit(dealt_with, platform_staff):
    batch, shipment = dealt_with
    book = workbook(shipment, platform_staff)
    assert len(book.sheetnames) == 1  # nothing to follow
    fields, rows = fields_and_rows(book.active, words.XLSX_UNIT_HEADERS)
    assert fields[bilingual(words.DELIVERY_LIST_NUMBER)] == shipment.number
    assert fields[bilingual(words.UNITS_TOTAL)] == 4
    assert fields[bilingual(words.CHARGES_TOTAL)] == Decimal("35.5")
    assert fields[bilingual(words.WAYBILL)] == "SF9000000001"
    assert len(rows) == 4
    by_code = {row[1]: row for row in rows}
    repaired, replaced, as_is, charged = (by_code[u.code] for u in units_of(batch))
    assert repaired[0] == batch.number and repaired[2] == "PB10K"
    assert replaced[4] == units_of(batch)[1].serial_in and replaced[5] == "SBR000777"
    assert replaced[9] == "PB20K"
    assert as_is[4] == as_is[5]
    assert charged[7] == "III.9" and charged[11] == 35.5 and "Out of warranty" in charged[12]
    assert repaired[10] == "电芯 cell"
    header = "".join(bilingual(h) for h in words.XLSX_UNIT_HEADERS)
    assert "批次编号" in header and "型号" in header  # bilingual headers
