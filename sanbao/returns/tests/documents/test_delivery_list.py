"""The delivery list (IV.7, IV.P2) as a PDF."""

from __future__ import annotations

import io
import re

import pypdf
import pytest

from sanbao.returns import documents, services
from sanbao.returns.documents import text as words
from sanbao.returns.tests.conftest import (
    pb_lines,
    settle_all,
    shipped,
    under_test,
)
from sanbao.returns.tests.documents.conftest import both, delivery_list, has, units_of
from sanbao.testkit.pdf import pages_of, pdf_text, squash

# --- The delivery list (IV.7, IV.P2) -------------------------------------------------


@pytest.mark.clause("IV.7")
def test_the_delivery_list_lists_every_unit_with_its_serials_result_disposition_and_charge(
    dealt_with, platform_staff
):
    batch, shipment = dealt_with
    text = pdf_text(delivery_list(shipment, platform_staff))
    org = batch.return_org
    assert shipment.number in text and batch.number in text
    for value in (org.name_zh, org.name_en, org.code, org.address, org.phone, "李娜"):
        assert squash(value) in text, value
    assert "SFExpress" in text and "SF9000000001" in text
    for label in (
        words.DELIVERY_LIST_NUMBER,
        words.SERIAL_IN,
        words.SERIAL_OUT,
        words.TEST_RESULT,
        words.DISPOSITION,
        words.BATCHES_CARRIED,
        words.DUE_ON,
        words.ON_TIME,  # shipped the day it was received
    ):
        assert has(text, label), label
    # Chinese renders and extracts back: labels, the model and the return unit.
    for chinese in (
        "批次编号",
        "返修单位",
        "承运商",
        "运单号",
        "已维修",
        "已换货",
        "充电宝10000毫安",
    ):
        assert chinese in text, chinese
    for unit in units_of(batch):
        assert unit.code in text and unit.serial_in in text
    assert "SBR000777" in text and "PB20K" in text  # the replacement's serial and model
    assert "III.9" in text  # the exclusion the charge rests on
    assert batch.due_on.isoformat() in text
    assert re.search(re.escape(both(words.UNITS_TOTAL)[-1]) + "4", text)


@pytest.mark.clause("IV.P2")
def test_a_charged_unit_shows_its_amount_and_reason_on_the_delivery_list(
    dealt_with, platform_staff
):
    _batch, shipment = dealt_with
    text = pdf_text(delivery_list(shipment, platform_staff))
    assert "¥35.50" in text
    assert squash("保修期已过 Out of warranty: cell replaced at cost") in text
    assert has(text, words.CHARGES_TOTAL)
    assert re.search(re.escape(both(words.CHARGES_TOTAL)[-1]) + "¥35.50", text)


def test_a_delivery_list_of_many_units_repeats_its_table_header_on_every_page(
    agent_a_clerk, platform_staff, pb10k
):
    batch = under_test(agent_a_clerk, platform_staff, pb_lines(34))
    batch = settle_all(batch, platform_staff)
    shipment = shipped(batch, platform_staff)
    pages = pages_of(delivery_list(shipment, platform_staff))
    assert len(pages) >= 2
    serial_out = both(words.SERIAL_OUT)[-1]
    units = units_of(batch)
    for page in pages:
        if any(u.code in page for u in units):
            assert serial_out in page
    assert all(u.code in "".join(pages) for u in units)
    assert has(pages[-1], words.SIGN_RETURN_UNIT)


def test_a_delivery_list_printed_before_dispatch_says_the_batch_has_not_gone_back_yet(
    agent_a_clerk, platform_staff, pb10k
):
    batch = settle_all(under_test(agent_a_clerk, platform_staff, pb_lines(2)), platform_staff)
    prepared = services.shipment_create(
        actor=platform_staff,
        return_org_code=batch.return_org.code,
        unit_ids=list(batch.units.values_list("pk", flat=True)),
    )
    text = pdf_text(delivery_list(prepared, platform_staff))
    assert prepared.number in text and has(text, words.NOT_SHIPPED_YET)
    assert not has(text, words.ON_TIME)


@pytest.mark.parametrize("letters", ["WWWWWW", "MMMMMM", "QWMWQM", "ABCDEF"])
def test_a_label_code_stays_on_one_line_of_the_delivery_list_however_wide_its_letters(
    agent_a_clerk, platform_staff, pb10k, letters
):
    """The batch number is random: wide letters must not break a code in two."""
    from sanbao.returns.models import ReturnBatch

    batch = under_test(agent_a_clerk, platform_staff, pb_lines(2))
    first, second = batch.units.order_by("seq")
    number = f"R2612-{letters}"
    ReturnBatch.objects.filter(pk=batch.pk).update(number=number)
    for unit in (first, second):
        unit.code = unit.code.replace(batch.number, number)
        unit.save(update_fields=["code"])
    services.unit_delay(unit=second, actor=platform_staff, reason="parts_shortage")
    batch.refresh_from_db()
    settle_all(batch, platform_staff, units=[first])
    shipment = shipped(batch, platform_staff, units=[first])
    pdf = pypdf.PdfReader(io.BytesIO(documents.delivery_list_pdf(shipment)))
    lines = [line for page in pdf.pages for line in page.extract_text().splitlines()]
    for code in (f"{number}-001-001", f"{number}-002-001"):  # in the units, to follow
        assert any(code in line for line in lines), (code, [x for x in lines if letters in x])
