"""The unit page shows the unit's warranty card: its QR code and URL (issue 16 item 1)."""

from __future__ import annotations

import pytest

from sanbao.consumers.cards import card_url
from sanbao.testkit.cast import login_client_for


def unit_page(user, unit) -> str:
    response = login_client_for(user).get(f"/catalog/units/{unit.serial}/")
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.django_db
def test_the_unit_page_shows_the_cards_qr_code_and_url(platform_staff, unit_of_agent_a):
    page = unit_page(platform_staff, unit_of_agent_a)
    assert 'data-testid="unit-card-qr"><svg' in page
    assert card_url(unit_of_agent_a) in page
    assert "<script" not in page.split('data-testid="unit-card-panel"')[1].split("</div></div>")[0]


@pytest.mark.django_db
def test_the_unit_page_shows_the_lot_and_links_its_sheet_for_who_prints_cards(
    platform_staff, agent_a_clerk, unit_of_agent_a
):
    unit_of_agent_a.production_lot = "L2606-C"
    unit_of_agent_a.save()
    page = unit_page(platform_staff, unit_of_agent_a)
    assert 'data-testid="unit-lot">L2606-C<' in page
    assert "/catalog/lots/L2606-C/warranty-cards.pdf" in page
    # The agent who sold it sees the card, not the printing.
    theirs = unit_page(agent_a_clerk, unit_of_agent_a)
    assert card_url(unit_of_agent_a) in theirs
    assert "warranty-cards.pdf" not in theirs
