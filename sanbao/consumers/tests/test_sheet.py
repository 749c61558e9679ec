"""The printable sheet of a production lot's warranty cards (issue 16 item 1):
its QR codes decode to the units' signed card URLs; an oversized lot is refused;
only the platform's staff who print cards download it, on the page and the API."""

from __future__ import annotations

import pytest
from django.test import override_settings

from sanbao.catalog.tests.factories import UnitFactory
from sanbao.consumers import selectors
from sanbao.consumers.cards import card_url
from sanbao.documents import registry
from sanbao.testkit.cast import api_client_for, login_client_for
from sanbao.testkit.pdf import decoded, pdf_text, render_pngs

SHEET_URL = "/catalog/lots/{lot}/warranty-cards.pdf"
API_URL = "/api/v1/lots/{lot}/warranty-cards.pdf"


@pytest.fixture
def lot_of_twelve(pb10k, pb20k):
    """Twelve units of lot L2612-A (two pages: ten cards a page), and one of another lot."""
    units = [
        UnitFactory(serial=f"SBL{n:06d}", model=pb20k if n % 3 else pb10k, production_lot="L2612-A")
        for n in range(1, 13)
    ]
    UnitFactory(serial="SBM000001", model=pb10k, production_lot="L2612-B")
    return units


@pytest.mark.django_db
@pytest.mark.clause("II.2")
@override_settings(SANBAO_PUBLIC_BASE_URL="https://service.sanbao.example")
def test_every_qr_code_on_the_sheet_decodes_to_its_units_card_url(
    lot_of_twelve, platform_staff, tmp_path
):
    lot = selectors.lot_get(actor=platform_staff, number="L2612-A")
    file = registry.file("consumers.warranty_cards_pdf", lot)
    assert file.filename == "warranty-cards-L2612-A.pdf"
    pages = render_pngs(file.content, tmp_path, dpi=200)
    assert len(pages) == 2
    found = [code.text for png in pages for code in decoded(png) if code.format.name == "QRCode"]
    assert sorted(found) == sorted(card_url(unit) for unit in lot_of_twelve)
    assert all(url.startswith("https://service.sanbao.example/w/SBL") for url in found)


@pytest.mark.django_db
def test_each_card_prints_the_brand_model_serial_card_number_and_the_scan_line(
    lot_of_twelve, platform_staff
):
    lot = selectors.lot_get(actor=platform_staff, number="L2612-A")
    text = pdf_text(registry.file("consumers.warranty_cards_pdf", lot).content)
    first = lot_of_twelve[0]
    for expected in (
        "保修卡",
        first.serial,
        first.warranty_card_no,
        first.model.code,
        first.model.name_zh,
        "扫码查看保修·报修/Scanforwarrantyandservice",
    ):
        assert expected.replace(" ", "") in text
    assert "SBM000001" not in text  # another lot's unit


@pytest.mark.django_db
@override_settings(SANBAO_CARD_SHEET_MAX_UNITS=11)
def test_a_lot_larger_than_a_sheet_may_hold_is_refused_with_a_message(
    lot_of_twelve, platform_staff
):
    response = login_client_for(platform_staff).get(SHEET_URL.format(lot="L2612-A"))
    assert response.status_code == 400
    assert 'data-error-code="consumers.lot_too_large"' in response.content.decode()
    api = api_client_for(platform_staff).get(API_URL.format(lot="L2612-A"))
    assert api.status_code == 400
    assert api.json()["code"] == "consumers.lot_too_large"
    assert api.json()["params"] == {"lot": "L2612-A", "count": "12", "limit": "11"}


@pytest.mark.django_db
def test_the_platform_staff_download_the_sheet_from_the_page_and_the_api(
    lot_of_twelve, platform_staff
):
    page = login_client_for(platform_staff).get(SHEET_URL.format(lot="L2612-A"))
    assert page.status_code == 200
    assert page["Content-Type"] == "application/pdf"
    assert "warranty-cards-L2612-A.pdf" in page["Content-Disposition"]
    assert "no-store" in page["Cache-Control"]
    api = api_client_for(platform_staff).get(API_URL.format(lot="L2612-A"))
    assert api.status_code == 200
    assert api["Content-Disposition"].startswith("attachment")
    assert api.content[:5] == b"%PDF-"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "who", ["agent_a_clerk", "enterprise_clerk", "outlet_tech", "cs_commissioner"]
)
def test_the_sheet_is_refused_to_anyone_who_does_not_print_cards(lot_of_twelve, cast, who):
    user = getattr(cast, who)
    assert login_client_for(user).get(SHEET_URL.format(lot="L2612-A")).status_code == 403
    assert api_client_for(user).get(API_URL.format(lot="L2612-A")).status_code == 403


@pytest.mark.django_db
def test_an_agent_cannot_print_even_the_cards_of_units_sold_through_it(
    agent_a_clerk, pb10k, agent_a
):
    UnitFactory(model=pb10k, channel_org=agent_a, production_lot="L-AGENT")
    assert login_client_for(agent_a_clerk).get(SHEET_URL.format(lot="L-AGENT")).status_code == 403


@pytest.mark.django_db
def test_a_lot_without_units_is_not_found(platform_staff):
    assert login_client_for(platform_staff).get(SHEET_URL.format(lot="L-NONE")).status_code == 404
    assert api_client_for(platform_staff).get(API_URL.format(lot="L-NONE")).status_code == 404


@pytest.mark.django_db
def test_anonymous_is_sent_to_log_in(lot_of_twelve):
    from django.test import Client

    response = Client().get(SHEET_URL.format(lot="L2612-A"))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
