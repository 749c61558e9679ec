"""Issue 13 item 5 for claims: scans and finding photos checked by their content
(``core.uploads.check_upload``), served as attachments with ``nosniff``, and no
file left behind by a replaced scan or a claim create that failed."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from sanbao.claims import services
from sanbao.claims.models import Claim, InspectionFinding
from sanbao.claims.tests.conftest import intake
from sanbao.core.errors import ValidationFailed
from sanbao.testkit.cast import login_client_for
from sanbao.testkit.uploads import (
    encrypted_pdf,
    jpeg_magic_then_html,
    pdf_bytes,
    pdf_with_javascript,
    png_header,
    upload,
)


def stored_files() -> set[Path]:
    return {p for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file()}


@pytest.mark.parametrize(
    ("name", "data", "code"),
    [
        pytest.param(
            "card.jpg", jpeg_magic_then_html(), "claims.file_invalid", id="jpeg-magic-html"
        ),
        pytest.param("card.pdf", pdf_with_javascript(), "claims.file_invalid", id="pdf-javascript"),
        pytest.param("card.pdf", encrypted_pdf(), "claims.file_invalid", id="pdf-encrypted"),
        pytest.param(
            "card.png", png_header(30_000, 30_000), "claims.image_too_large", id="png-30000"
        ),
    ],
)
def test_a_hostile_scan_is_refused_naming_the_field_and_nothing_is_stored(
    platform_staff, unit_of_agent_a, name, data, code
):
    before = stored_files()
    with pytest.raises(ValidationFailed) as caught:
        intake(platform_staff, unit_of_agent_a, warranty_card_scan=upload(name, data))
    assert caught.value.code == "claims.intake_invalid"
    assert list(caught.value.fields) == ["warranty_card_scan"]
    assert not Claim.objects.exists()
    assert stored_files() == before
    claim = intake(platform_staff, unit_of_agent_a, warranty_card_scan=None)
    with pytest.raises(ValidationFailed) as caught:
        services.claim_attach_scans(
            claim=claim, actor=platform_staff, warranty_card_scan=upload(name, data)
        )
    expected = services.ERRORS.message(
        code,
        limit=f"{settings.SANBAO_EVIDENCE_MAX_PIXELS:,}",
        limit_mb=settings.SANBAO_UPLOAD_MAX_MB,
    )
    assert caught.value.fields == {"warranty_card_scan": [expected]}
    claim.refresh_from_db()
    assert not claim.warranty_card_scan


def test_a_finding_photo_that_is_a_jpeg_only_by_its_first_bytes_is_refused(
    platform_staff, unit_of_agent_a
):
    claim = intake(platform_staff, unit_of_agent_a)
    with pytest.raises(ValidationFailed) as caught:
        services.claim_attach_finding_photo(
            claim=claim,
            actor=platform_staff,
            rule="III.6",
            photo=upload("wet.jpg", jpeg_magic_then_html()),
        )
    assert list(caught.value.fields) == ["photo"]
    assert not InspectionFinding.objects.filter(claim=claim).exclude(photo="").exists()


def test_a_scan_is_served_as_an_attachment_with_nosniff(agent_a_clerk, agent_claim):
    url = reverse("claims:claim_scan", args=[agent_claim.number, "warranty-card"])
    response = login_client_for(agent_a_clerk).get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"


def test_a_replaced_scan_leaves_only_the_new_file_in_storage(
    platform_staff, unit_of_agent_a, django_capture_on_commit_callbacks
):
    claim = intake(platform_staff, unit_of_agent_a)
    old = Path(claim.proof_of_purchase_scan.path)
    before = stored_files()
    with django_capture_on_commit_callbacks(execute=True):
        services.claim_attach_scans(
            claim=claim,
            actor=platform_staff,
            proof_of_purchase_scan=upload("invoice-2.pdf", pdf_bytes()),
        )
    claim.refresh_from_db()
    after = stored_files()
    assert not old.exists()
    assert len(after) == len(before)
    assert after - before == {Path(claim.proof_of_purchase_scan.path)}


def test_a_claim_create_that_fails_after_storing_its_scans_leaves_no_file(
    platform_staff, unit_of_agent_a, monkeypatch
):
    def fails(**_kwargs):
        raise RuntimeError("the audit trail is unavailable")

    monkeypatch.setattr(services.audit, "record", fails)
    before = stored_files()
    with pytest.raises(RuntimeError):
        intake(platform_staff, unit_of_agent_a)
    assert not Claim.objects.exists()
    assert stored_files() == before
