"""Issue 13 item 5 for deliveries: evidence checked by its content through
``core.uploads.check_upload`` (the one check every upload passes), served as an
attachment with ``nosniff`` by the page and the API, and a shipping-system XLSX
that unpacks past ``SANBAO_XLSX_MAX_UNCOMPRESSED_MB`` refused before it is opened."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.urls import reverse

from sanbao.core.errors import ValidationFailed
from sanbao.deliveries.models import Delivery, Evidence
from sanbao.deliveries.services import declarations, deliveries
from sanbao.testkit.cast import api_client_for, login_client_for
from sanbao.testkit.uploads import (
    encrypted_pdf,
    jpeg_magic_then_html,
    pdf_with_javascript,
    pdf_with_open_action_script,
    upload,
    xlsx_bomb,
)


@pytest.mark.parametrize(
    ("kind", "name", "data"),
    [
        pytest.param("photo", "dent.jpg", jpeg_magic_then_html(), id="jpeg-magic-html-photo"),
        pytest.param("note", "note.jpg", jpeg_magic_then_html(), id="jpeg-magic-html-scan"),
        pytest.param("form", "form.pdf", pdf_with_javascript(), id="pdf-javascript-names"),
        pytest.param("form", "form.pdf", pdf_with_open_action_script(), id="pdf-open-action"),
        pytest.param("form", "form.pdf", encrypted_pdf(), id="pdf-encrypted"),
    ],
)
def test_hostile_evidence_is_refused_naming_the_file(declared, agent_a_clerk, kind, name, data):
    with pytest.raises(ValidationFailed) as caught:
        declarations.evidence_upload(
            actor=agent_a_clerk, declaration=declared, kind=kind, upload=upload(name, data)
        )
    assert caught.value.code == "deliveries.file_not_accepted"
    assert list(caught.value.fields) == ["file"]
    assert not Evidence.objects.exists()


def test_evidence_is_served_as_an_attachment_with_nosniff_by_the_page_and_the_api(
    complete, agent_a_clerk
):
    evidence = Evidence.objects.filter(declaration=complete).first()
    page = login_client_for(agent_a_clerk).get(
        reverse("deliveries:evidence_file", args=[complete.number, evidence.pk])
    )
    api = api_client_for(agent_a_clerk).get(
        f"/api/v1/declarations/{complete.number}/evidence/{evidence.pk}"
    )
    for response in (page, api):
        assert response.status_code == 200
        assert response["Content-Disposition"].startswith("attachment;")
        assert response["X-Content-Type-Options"] == "nosniff"


def test_a_shipping_workbook_that_unpacks_past_the_limit_is_refused_before_it_is_opened(
    clock, agent_a, pb10k, platform_staff, monkeypatch
):
    import openpyxl

    opened = []

    def never(*args, **_kwargs):
        opened.append(args)
        raise AssertionError("the workbook was opened")

    monkeypatch.setattr(openpyxl, "load_workbook", never)
    bomb = xlsx_bomb(settings.SANBAO_XLSX_MAX_UNCOMPRESSED_MB + 10)
    with pytest.raises(ValidationFailed) as caught:
        deliveries.delivery_import(actor=platform_staff, data=bomb, filename="d.xlsx")
    assert not opened
    assert caught.value.code == "catalog.file_unpacks_too_large"
    assert list(caught.value.fields) == ["file"]
    assert not Delivery.objects.exists()


def test_the_unpacked_size_limit_is_a_setting(clock, agent_a, pb10k, platform_staff, settings):
    settings.SANBAO_XLSX_MAX_UNCOMPRESSED_MB = 200
    bomb = xlsx_bomb(60)
    with pytest.raises(ValidationFailed) as caught:
        deliveries.delivery_import(actor=platform_staff, data=bomb, filename="d.xlsx")
    assert caught.value.code != "catalog.file_unpacks_too_large"  # opened, and its rows wrong
