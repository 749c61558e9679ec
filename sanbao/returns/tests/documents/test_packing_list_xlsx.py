"""The packing list as a workbook."""

from __future__ import annotations

import io

import openpyxl

from sanbao.documents.pdf import bilingual
from sanbao.returns import documents
from sanbao.returns.documents import text as words
from sanbao.returns.documents.packing_list_xlsx import received_figure
from sanbao.returns.tests.conftest import draft, pb_lines
from sanbao.returns.tests.documents.conftest import fresh

# --- The packing list workbook -------------------------------------------------------


def test_the_packing_list_workbook_has_the_header_block_and_one_typed_row_per_line(
    received_with_anomalies,
):
    batch = received_with_anomalies
    ws = openpyxl.load_workbook(io.BytesIO(documents.packing_list_xlsx(batch))).active
    rows = list(ws.iter_rows(values_only=True))
    fields = {row[0]: next(v for v in row[1:] if v is not None) for row in rows[1:] if row[0]}
    assert fields[bilingual(words.BATCH_NUMBER)] == batch.number
    assert fields[bilingual(words.DECLARED_UNITS)] == 20
    assert fields[bilingual(words.DECLARED_BOXES)] == 3
    assert fields[bilingual(words.REPAIR_LIST_PAGES)] == 1
    assert fields[bilingual(words.HOME_DELIVERY)] is True
    assert fields[bilingual(words.DATE)].date() == batch.packed_on
    assert fields[bilingual(received_figure(words.FAULTY_UNITS))] == 20
    header = rows.index(tuple(bilingual(h) for h in words.XLSX_LINE_HEADERS))
    assert ws.freeze_panes == f"A{header + 2}"
    lines = rows[header + 1 :]
    assert len(lines) == 20
    first, last = lines[0], lines[-1]
    assert first[:2] == (1, "PB10K") and first[4] == "SBX010001" and first[5] == 1
    assert first[8] is False and first[9] == 1 and first[10] == 1
    assert last[0] == 20 and last[10] == 0  # line 20 never arrived


def test_the_workbook_of_a_draft_leaves_the_received_figures_out(agent_a_clerk, pb10k):
    batch = fresh(draft(agent_a_clerk, pb_lines(3)), agent_a_clerk)
    ws = openpyxl.load_workbook(io.BytesIO(documents.packing_list_xlsx(batch))).active
    labels = {row[0] for row in ws.iter_rows(values_only=True)}
    assert bilingual(received_figure(words.FAULTY_UNITS)) not in labels
    assert bilingual(words.REPAIR_LIST_PAGES) in labels
