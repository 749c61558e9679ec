"""The delay marks (IV.6) on the packing list, its workbook and the delivery lists."""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.utils import timezone

from sanbao.documents.pdf import bilingual, in_both
from sanbao.returns import documents, services
from sanbao.returns.documents import delays
from sanbao.returns.documents import text as words
from sanbao.returns.models import BatchStatus, DelayReason
from sanbao.returns.selectors import batch_get
from sanbao.returns.tests.conftest import (
    pb_lines,
    reload,
    settle_all,
    under_test,
)
from sanbao.returns.tests.documents.conftest import (
    ORDER,
    both,
    delivery_list,
    fields_and_rows,
    has,
    release,
    reload_unit,
    workbook,
)
from sanbao.testkit.pdf import pdf_text, squash

# --- Delays (IV.6) -------------------------------------------------------------------


@pytest.mark.clause("IV.6")
def test_the_packing_list_reprinted_after_a_delay_shows_the_delay_mark(
    backorder, agent_a_clerk, platform_staff
):
    batch, late, _first = backorder
    text = pdf_text(documents.packing_list_pdf(batch_get(actor=agent_a_clerk, number=batch.number)))
    assert has(text, words.DELAYS)
    for version in in_both(lambda: delays.units_delayed(1, 3)):
        assert squash(version) in text  # the mark under the batch number
    marks = text[text.rindex(both(words.DELAYS)[-1]) :]
    assert late.code in marks and late.serial_in in marks
    assert has(marks, DelayReason.PARTS_SHORTAGE.label)
    assert squash("电芯缺货 cells next week") in marks
    assert timezone.localdate(reload_unit(late).delayed_at).isoformat() in marks
    assert has(marks, words.STILL_WAITING)
    assert "序列号" in marks and "型号" in marks  # the Chinese headers of the marks

    # Once it has gone back, the reprint says with which shipment and order.
    second = release(batch, late, platform_staff)
    text = pdf_text(documents.packing_list_pdf(batch_get(actor=agent_a_clerk, number=batch.number)))
    marks = text[text.rindex(both(words.DELAYS)[-1]) :]
    assert second.number in marks and ORDER in marks
    assert not has(marks, words.STILL_WAITING)


def test_a_packing_list_without_delays_has_no_delay_mark(agent_a_clerk, platform_staff, pb10k):
    batch = settle_all(under_test(agent_a_clerk, platform_staff, pb_lines(2)), platform_staff)
    text = pdf_text(documents.packing_list_pdf(batch))
    assert not has(text, words.DELAYS)
    ws = openpyxl.load_workbook(io.BytesIO(documents.packing_list_xlsx(batch))).active
    labels = {row[0] for row in ws.iter_rows(values_only=True)}
    assert bilingual(words.DELAYS) not in labels
    assert tuple(bilingual(h) for h in words.XLSX_LINE_HEADERS) in set(
        ws.iter_rows(values_only=True)
    )


@pytest.mark.clause("IV.6")
def test_a_batch_delayed_as_a_whole_says_so_on_its_packing_list(
    agent_a_clerk, platform_staff, pb10k
):
    batch = under_test(agent_a_clerk, platform_staff, pb_lines(2))
    services.batch_delay(
        batch=batch, actor=platform_staff, reason="force_majeure", note="台风 Typhoon"
    )
    text = pdf_text(documents.packing_list_pdf(reload(batch)))
    for version in in_both(
        lambda: (
            str(words.WHOLE_BATCH_DELAYED_FOR)
            % {"reason": f"{DelayReason.FORCE_MAJEURE.label} (台风 Typhoon)"}
        )
    ):
        assert squash(version) in text


@pytest.mark.clause("IV.6")
def test_the_packing_list_workbook_carries_the_delay_marks(backorder, agent_a_clerk):
    batch, late, _first = backorder
    data = documents.packing_list_xlsx(batch_get(actor=agent_a_clerk, number=batch.number))
    ws = openpyxl.load_workbook(io.BytesIO(data)).active
    headers = [*words.XLSX_LINE_HEADERS, words.DELAY_COLUMN]
    fields, rows = fields_and_rows(ws, headers)
    assert fields[bilingual(words.DELAYS)] == bilingual(lambda: delays.units_delayed(1, 3))
    assert rows[0][-1].startswith(f"{late.code}: {bilingual(DelayReason.PARTS_SHORTAGE.label)}")
    assert "电芯缺货 cells next week" in rows[0][-1]
    assert rows[1][-1] is None and rows[2][-1] is None


@pytest.mark.clause("IV.6")
def test_a_batch_ships_the_rest_while_a_unit_waits_for_parts_and_both_delivery_lists_say_so(
    backorder, platform_staff, agent_a_clerk
):
    batch, late, first = backorder
    assert batch.status == BatchStatus.DELAYED
    assert first.units.count() == 2 and not first.order_no

    # The first delivery list: the two units, and the third still to follow.
    text = pdf_text(delivery_list(first, agent_a_clerk))
    assert has(text, words.STILL_TO_FOLLOW) and has(text, words.STILL_WAITING)
    follow = text[text.index(both(words.STILL_TO_FOLLOW)[-1]) :]
    assert late.code in follow and squash("电芯缺货 cells next week") in follow
    assert "序列号" in follow  # the section's headers in Chinese too
    assert has(follow, DelayReason.PARTS_SHORTAGE.label)
    assert has(text, words.ON_TIME)

    second = release(batch, late, platform_staff)
    assert reload(batch).status == BatchStatus.SHIPPED

    # The second: the unit released from the backorder, with the order it goes with.
    text = pdf_text(delivery_list(second, agent_a_clerk))
    assert late.code in text and ORDER in text
    assert not has(text, words.STILL_TO_FOLLOW)
    for version in in_both(
        lambda: (
            str(words.BACKORDER_RELEASED)
            % {"reason": DelayReason.PARTS_SHORTAGE.label, "order": ORDER}
        )
    ):
        assert squash(version) in text
    assert has(text, words.ORDER_NO)

    # The first, reprinted: still lists the unit, now with the shipment it left in.
    text = pdf_text(delivery_list(first, agent_a_clerk))
    follow = text[text.index(both(words.STILL_TO_FOLLOW)[-1]) :]
    assert late.code in follow and second.number in follow and ORDER in follow
    assert not has(follow, words.STILL_WAITING)

    # The workbooks say the same.
    book = workbook(first, agent_a_clerk)
    assert len(book.sheetnames) == 2
    follow_rows = list(book.worksheets[1].iter_rows(values_only=True))
    assert follow_rows[0] == tuple(bilingual(h) for h in words.XLSX_FOLLOW_HEADERS)
    assert follow_rows[1][1] == late.code and follow_rows[1][7:] == (second.number, ORDER)
    _fields, rows = fields_and_rows(workbook(second, agent_a_clerk).active, words.XLSX_UNIT_HEADERS)
    assert [(r[1], r[-1]) for r in rows] == [(late.code, ORDER)]
