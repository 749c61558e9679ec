"""The packing list (IV.2): every figure the policy asks for, its barcode, the
received figures after receipt (IV.1)."""

from __future__ import annotations

import io
import re

import pypdf
import pytest

from sanbao.returns import documents
from sanbao.returns.documents import text as words
from sanbao.returns.tests.conftest import draft, pb_lines, submitted
from sanbao.returns.tests.documents.conftest import both, fresh, repair_pages_stated
from sanbao.testkit.pdf import barcodes_of, pdf_text, squash

# --- The packing list (IV.2) ---------------------------------------------------------


@pytest.mark.clause("IV.2")
def test_the_packing_list_states_every_figure_the_policy_asks_for(batch_45, agent_a_clerk):
    text = pdf_text(documents.packing_list_pdf(batch_45))
    org = batch_45.return_org
    assert batch_45.number in text
    for value in (
        org.name_zh,  # Chinese renders and extracts back
        org.address,
        org.phone,
        org.fax,
        batch_45.contact_person,
        batch_45.contact_phone,
        batch_45.packed_on.isoformat(),
        batch_45.carrier,
        batch_45.waybill_no,
        "充电宝10000毫安",
        "移动电源",
        "氮化镓充电器65W",
    ):
        assert squash(value) in text, value
    for label, value in (
        (words.DECLARED_UNITS, 60),
        (words.DECLARED_BOXES, 2),
        (words.REPAIR_LIST_PAGES, 3),
    ):
        assert re.search(re.escape(both(label)[-1]) + str(value), text), label
    # The products by model: 30 power banks on 30 lines in box 1, 30 adapters on 15
    # lines in box 2; 45 lines and 60 units in all.
    assert "PB10K" in text and "AD65" in text
    assert re.search(re.escape(both(words.TOTAL)[-1]) + r"—?45602", text)


def test_the_packing_list_barcode_decodes_to_the_batch_number(batch_45, tmp_path):
    (barcodes,) = barcodes_of(documents.packing_list_pdf(batch_45), tmp_path, dpi=200)
    assert [c.text for c in barcodes] == [batch_45.number]


def test_a_batch_not_sent_by_home_delivery_says_the_extra_cost_is_the_shippers(batch_45):
    text = pdf_text(documents.packing_list_pdf(batch_45))
    for version in both(words.EXTRA_COST):
        assert version in text


def test_a_batch_sent_by_home_delivery_says_nothing_of_an_extra_cost(agent_a_clerk, pb10k):
    batch = submitted(agent_a_clerk, pb_lines(2))
    text = pdf_text(documents.packing_list_pdf(batch))
    for version in both(words.EXTRA_COST):
        assert version not in text


@pytest.mark.clause("IV.1")
@pytest.mark.clause("IV.2")
def test_after_receipt_the_packing_list_shows_the_received_figures_beside_the_declared(
    received_with_anomalies,
):
    batch = received_with_anomalies
    assert (batch.declared_units, batch.received_units) == (20, 20)
    text = pdf_text(documents.packing_list_pdf(batch))
    for version in both(words.RECEIPT):
        assert version in text
    faulty, boxes, unlisted = (
        both(label)[-1] for label in (words.FAULTY_UNITS, words.BOXES, words.UNLISTED_UNITS)
    )
    assert f"{faulty}2020" in text  # declared 20, received 20 (19 listed + 1 not)
    assert f"{boxes}33" in text
    assert f"{unlisted}01" in text
    # By model: 20 declared, 19 of them received.
    assert re.search(re.escape(both(words.TOTAL)[-1]) + r"—?2020319", text)


def test_before_receipt_the_packing_list_has_no_received_figures(batch_45):
    text = pdf_text(documents.packing_list_pdf(batch_45))
    for version in both(words.RECEIPT):
        assert version not in text


def test_the_packing_list_of_a_draft_states_the_pages_its_repair_list_will_have(
    agent_a_clerk, pb10k
):
    batch = fresh(draft(agent_a_clerk, pb_lines(21)), agent_a_clerk)
    assert batch.repair_list_pages == 0  # fixed at submission
    assert repair_pages_stated(pdf_text(documents.packing_list_pdf(batch))) == 2
    assert len(pypdf.PdfReader(io.BytesIO(documents.repair_list_pdf(batch))).pages) == 2


def test_the_packing_list_embeds_its_font_and_stays_small(batch_45):
    data = documents.packing_list_pdf(batch_45)
    reader = pypdf.PdfReader(io.BytesIO(data))
    for ref in reader.pages[0]["/Resources"]["/Font"].values():
        assert "/FontFile2" in ref.get_object()["/FontDescriptor"].get_object()
    assert len(data) < 300_000
