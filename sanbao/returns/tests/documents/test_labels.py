"""The fault labels (IV.3), decoded back from their barcodes."""

from __future__ import annotations

import io
import re

import pypdf
import pytest

from sanbao.core.errors import ValidationFailed
from sanbao.returns import documents, policy
from sanbao.returns.documents import labels as labels_module
from sanbao.returns.documents import text as words
from sanbao.returns.tests.documents.conftest import both, expected_codes
from sanbao.testkit.pdf import barcodes_of, pages_of

# --- The fault labels (IV.3) ---------------------------------------------------------


@pytest.mark.clause("IV.3")
def test_each_60x40_label_decodes_back_to_its_unit_by_code_128_and_by_qr(labelled, tmp_path):
    zxingcpp = pytest.importorskip("zxingcpp")
    codes = expected_codes(labelled)
    assert len(codes) == 25
    data = documents.labels_pdf(labelled, "60x40")
    reader = pypdf.PdfReader(io.BytesIO(data))
    assert len(reader.pages) == 25
    width, height = (float(v) for v in reader.pages[0].mediabox[2:])
    assert (round(width / 72 * 25.4), round(height / 72 * 25.4)) == (60, 40)
    found = []
    for code, results in zip(codes, barcodes_of(data, tmp_path), strict=True):
        assert {(r.text, r.format) for r in results} == {
            (code, zxingcpp.BarcodeFormat.Code128),
            (code, zxingcpp.BarcodeFormat.QRCode),
        }
        found.append(results[0].text)
    assert found == codes


@pytest.mark.clause("IV.3")
def test_every_label_of_an_a4_sheet_decodes_back_on_its_page(labelled, tmp_path):
    codes = expected_codes(labelled)
    data = documents.labels_pdf(labelled, "a4")
    pages = barcodes_of(data, tmp_path)
    per_sheet = labels_module.SHEET_COLUMNS * labels_module.SHEET_ROWS
    assert per_sheet == 21 and len(pages) == 2
    for page, results in enumerate(pages):
        on_page = set(codes[page * per_sheet : (page + 1) * per_sheet])
        assert {r.text for r in results} == on_page
        assert len(results) == 2 * len(on_page)  # a Code 128 and a QR code each


@pytest.mark.clause("IV.3")
def test_a_label_states_the_batch_line_model_serial_fault_and_box(labelled):
    pages = pages_of(documents.labels_pdf(labelled, "60x40"))
    first, last = pages[0], pages[-1]
    assert labelled.number in first and "SBX010001" in first
    assert "无输出Nooutput" in first and "充电宝10000毫安" in first
    assert policy.label_code(labelled.number, 1, 1) in first
    assert "插头松动Looseplug" in last and "氮化镓充电器65W" in last
    assert policy.label_code(labelled.number, 19, 3) in last
    for label, text in ((words.BOX, last), (words.LINE, last)):
        assert both(label)[-1] in text
    assert re.search(r"19·3/3", last) and last.count("SN") == 0


def test_an_unknown_label_layout_is_refused(labelled):
    with pytest.raises(ValidationFailed) as caught:
        documents.labels_pdf(labelled, "a3")
    assert caught.value.code == "returns.label_layout_invalid"
    assert set(caught.value.fields) == {"layout"}
