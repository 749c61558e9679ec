"""The document registry: one entry a paper, looked up by name by the pages and
the API alike, each naming its file one way."""

from __future__ import annotations

import pytest

from sanbao.core.web import PDF, XLSX
from sanbao.documents import registry


class Record:
    number = "R2605-K7M2QX"


def test_a_registered_document_renders_its_bytes_under_its_file_name_and_media_type():
    registry.register(
        "tests.greeting",
        render=lambda record, tone="plain": f"{tone} {record.number}".encode(),
        filename=lambda record, tone="plain": f"greeting-{record.number}-{tone}.pdf",
        media_type=PDF,
    )
    file = registry.file("tests.greeting", Record(), "warm")
    assert (file.content, file.filename, file.media_type) == (
        b"warm R2605-K7M2QX",
        "greeting-R2605-K7M2QX-warm.pdf",
        PDF,
    )
    assert file.as_attachment() == ("greeting-R2605-K7M2QX-warm.pdf", b"warm R2605-K7M2QX", PDF)


def test_a_name_is_registered_once():
    registry.register("tests.once", render=bytes, filename=str, media_type=XLSX)
    with pytest.raises(ValueError, match="already registered"):
        registry.register("tests.once", render=bytes, filename=str, media_type=XLSX)


def test_a_refusal_of_the_renderer_propagates_before_any_file_is_named():
    named = []

    def refuse(record):
        raise LookupError("no such paper")

    registry.register(
        "tests.refused", render=refuse, filename=lambda r: named.append(r) or "x", media_type=PDF
    )
    with pytest.raises(LookupError):
        registry.file("tests.refused", Record())
    assert named == []


def test_an_unknown_name_is_a_programming_error():
    with pytest.raises(KeyError):
        registry.get("tests.never_registered")


def test_the_papers_of_claims_and_returns_are_found_by_name_without_importing_them_first():
    assert {
        "claims.claim_receipt_pdf",
        "claims.claim_service_report_pdf",
        "claims.claims_xlsx",
        "returns.anomaly_notice_pdf",
        "returns.delivery_list_pdf",
        "returns.delivery_list_xlsx",
        "returns.labels_pdf",
        "returns.lines_template_xlsx",
        "returns.packing_list_pdf",
        "returns.packing_list_xlsx",
        "returns.repair_list_pdf",
    } <= set(registry.names())


@pytest.mark.parametrize(
    ("name", "args", "filename"),
    [
        ("returns.packing_list_pdf", (), "packing-list-R2605-K7M2QX.pdf"),
        ("returns.packing_list_xlsx", (), "packing-list-R2605-K7M2QX.xlsx"),
        ("returns.repair_list_pdf", (), "repair-list-R2605-K7M2QX.pdf"),
        ("returns.labels_pdf", ("a4",), "fault-labels-R2605-K7M2QX-a4.pdf"),
        ("returns.anomaly_notice_pdf", (), "anomaly-notice-R2605-K7M2QX.pdf"),
        ("returns.delivery_list_pdf", (), "delivery-list-R2605-K7M2QX.pdf"),
        ("claims.claim_receipt_pdf", (), "claim-receipt-R2605-K7M2QX.pdf"),
        ("claims.claim_service_report_pdf", (), "claim-service-report-R2605-K7M2QX.pdf"),
    ],
)
def test_each_paper_is_named_by_its_kind_then_its_records_number(name, args, filename):
    assert registry.get(name).filename(Record(), *args) == filename
