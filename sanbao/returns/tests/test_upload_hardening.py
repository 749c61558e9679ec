"""Issue 13 item 5 for returns: a workshop photo is a JPEG or PNG image by its
content (``core.uploads.check_upload``; a PDF is no photo), served as an
attachment with ``nosniff``; a batch-lines workbook that unpacks past
``SANBAO_XLSX_MAX_UNCOMPRESSED_MB`` is refused before it is opened."""

from __future__ import annotations

import pytest
from django.conf import settings

from sanbao.core.errors import ValidationFailed
from sanbao.returns.models import ReturnedUnit
from sanbao.returns.tests.conftest import pb_lines, photo, record_test, under_test
from sanbao.testkit.cast import api_client_for
from sanbao.testkit.matrix import assert_envelope
from sanbao.testkit.uploads import jpeg_magic_then_html, pdf_bytes, png_header, upload, xlsx_bomb


def excluded(unit, staff, picture):
    record_test(
        unit, staff, "excluded", excluded_rule="III.6", evidence="Liquid marks", photo=picture
    )
    return ReturnedUnit.objects.get(pk=unit.pk)


@pytest.mark.parametrize(
    ("name", "data", "code"),
    [
        pytest.param(
            "wet.jpg", jpeg_magic_then_html(), "returns.photo_invalid", id="jpeg-magic-html"
        ),
        pytest.param("wet.pdf", pdf_bytes(), "returns.photo_invalid", id="a-pdf-is-no-photo"),
        pytest.param(
            "wet.png", png_header(30_000, 30_000), "returns.image_too_large", id="png-30000"
        ),
    ],
)
def test_a_workshop_photo_that_is_not_an_image_is_refused_naming_the_photo(
    agent_a_clerk, platform_staff, pb10k, name, data, code
):
    from sanbao.returns.errors import message

    unit = under_test(agent_a_clerk, platform_staff, pb_lines(1)).units.get()
    with pytest.raises(ValidationFailed) as refused:
        excluded(unit, platform_staff, upload(name, data))
    expected = message(
        code,
        limit=f"{settings.SANBAO_EVIDENCE_MAX_PIXELS:,}",
        limit_mb=settings.SANBAO_UPLOAD_MAX_MB,
    )
    assert refused.value.fields == {"photo": [expected]}
    assert not ReturnedUnit.objects.get(pk=unit.pk).photo


def test_a_workshop_photo_is_served_as_an_attachment_with_nosniff(
    agent_a_clerk, platform_staff, pb10k
):
    unit = under_test(agent_a_clerk, platform_staff, pb_lines(1)).units.get()
    excluded(unit, platform_staff, photo())
    response = api_client_for(platform_staff).get(f"/api/v1/returned-units/{unit.pk}/photo")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"


def test_a_lines_workbook_that_unpacks_past_the_limit_is_refused_before_it_is_opened(
    agent_a_clerk, draft_of_agent_a, monkeypatch
):
    import openpyxl

    from sanbao.returns import importing

    opened = []

    def never(*args, **_kwargs):
        opened.append(args)
        raise AssertionError("the workbook was opened")

    monkeypatch.setattr(importing, "load_workbook", never)
    monkeypatch.setattr(openpyxl, "load_workbook", never)
    bomb = xlsx_bomb(settings.SANBAO_XLSX_MAX_UNCOMPRESSED_MB + 10)
    assert len(bomb) < 1024 * 1024
    url = f"/api/v1/batches/{draft_of_agent_a.number}/lines/import"
    response = api_client_for(agent_a_clerk).post(url, data={"file": upload("lines.xlsx", bomb)})
    assert not opened
    body = assert_envelope(response, 400, "returns.lines_import_rejected")
    assert [(e["column"], e["code"]) for e in body["errors"]] == [
        ("file", "returns.import_unpacks_too_large")
    ]
    assert draft_of_agent_a.lines.count() == 3
