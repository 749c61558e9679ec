"""The staff's side of a purchase registration (issue 16 item 2): the unit page
says when it was registered and delivered; to the after-sales department also who
registered it (the number masked) and a link to the photo of the proof of
purchase, served only to them (the consent the consumer gave names them)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from sanbao.consumers import consent
from sanbao.consumers.registration import registration_create
from sanbao.testkit.cast import anonymous_client, login_client_for
from sanbao.testkit.uploads import jpeg_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def registered(unit_of_agent_a, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return registration_create(
        unit=unit_of_agent_a,
        phone="13800138000",
        delivered_on=dt.date(2025, 6, 3),
        proof_photo=SimpleUploadedFile("r.jpg", jpeg_bytes(), "image/jpeg"),
        consent_version=consent.VERSION,
    )


def proof_url(unit) -> str:
    return f"/catalog/lots/units/{unit.serial}/proof-of-purchase/"


def unit_page(user, unit) -> str:
    response = login_client_for(user).get(f"/catalog/units/{unit.serial}/")
    assert response.status_code == 200
    return response.content.decode()


def test_the_unit_page_says_who_registered_it_masked_and_links_the_proof(
    platform_staff, registered
):
    page = unit_page(platform_staff, registered.unit)
    start = page.index('data-testid="unit-registration"')
    line = page[start : page.index("</p>", start)]
    on = timezone.localtime(registered.created_at).date()
    assert "138****8000" in line and "13800138000" not in page
    assert f"{on:%Y-%m-%d}" in line and "2025-06-03" in line
    assert f'href="{proof_url(registered.unit)}"' in line


def test_an_unregistered_unit_says_so(platform_staff, unit_of_agent_a):
    page = unit_page(platform_staff, unit_of_agent_a)
    assert 'data-testid="unit-registration"' in page
    assert "/proof-of-purchase/" not in page


def test_the_proof_is_served_as_an_attachment_to_the_after_sales_department(
    platform_staff, platform_manager, registered
):
    for user in (platform_staff, platform_manager):
        response = login_client_for(user).get(proof_url(registered.unit))
        assert response.status_code == 200, user
        assert response["Content-Disposition"].startswith("attachment")
        assert response["X-Content-Type-Options"] == "nosniff"
        assert b"".join(response.streaming_content) == jpeg_bytes()


def test_the_seller_and_an_outlet_see_the_dates_but_not_the_number_nor_the_proof(
    agent_a_clerk, outlet_tech, registered
):
    # The consent names the after-sales department (and the outlet of a claim) only.
    for user in (agent_a_clerk, outlet_tech):
        page = unit_page(user, registered.unit)
        start = page.index('data-testid="unit-registration"')
        line = page[start : page.index("</p>", start)]
        assert "2025-06-03" in line and "8000" not in line
        assert "/proof-of-purchase/" not in page
        assert login_client_for(user).get(proof_url(registered.unit)).status_code == 404


def test_the_proof_is_refused_to_another_agent_and_to_anonymous(agent_b_clerk, registered):
    assert login_client_for(agent_b_clerk).get(proof_url(registered.unit)).status_code == 404
    anonymous = anonymous_client().get(proof_url(registered.unit))
    assert anonymous.status_code == 302 and "/login" in anonymous["Location"]


def test_a_unit_without_registration_has_no_proof(platform_staff, unit_of_agent_a):
    response = login_client_for(platform_staff).get(proof_url(unit_of_agent_a))
    assert response.status_code == 404
