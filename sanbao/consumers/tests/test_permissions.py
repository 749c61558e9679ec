"""Who may print a production lot's warranty cards, page and API: every endpoint of
the app × anonymous and each member of the cast. (The card page itself is public:
sanbao/consumers/tests/test_card_page.py.)"""

from __future__ import annotations

import pytest

from sanbao.accounts.roles import Role
from sanbao.catalog.tests.factories import UnitFactory
from sanbao.core.web import PDF
from sanbao.testkit.matrix import Case, assert_every_operation_has_a_case, check, matrix
from sanbao.testkit.responses import is_download

# Spelled out here rather than read from accounts/roles.py, so the test checks the table.
PRINTERS = {Role.AFTERSALES_STAFF, Role.AFTERSALES_MANAGER, Role.ADMINISTRATOR}


def lot_of_agent_a(cast) -> str:
    """A lot with one of agent A's units in it: the platform prints it, agent A does not."""
    UnitFactory(model=cast.pb10k, channel_org=cast.agent_a, production_lot="L-MATRIX")
    return "L-MATRIX"


def shown_as_pdf(response, cast):
    """The page shows a PDF in the browser, which prints it (the API saves it)."""
    assert response["Content-Type"] == PDF
    assert response["Content-Disposition"].startswith("inline;")
    assert response.content.startswith(b"%PDF-")


CASES = [
    Case(
        "warranty_cards_pdf",
        "GET",
        lambda c: f"/catalog/lots/{lot_of_agent_a(c)}/warranty-cards.pdf",
        PRINTERS,
        on_ok=shown_as_pdf,
    ),
    Case(
        "get_warranty_cards",
        "GET",
        lambda c: f"/api/v1/lots/{lot_of_agent_a(c)}/warranty-cards.pdf",
        PRINTERS,
        on_ok=is_download(PDF),
    ),
]


@pytest.mark.parametrize("row", matrix(CASES))
def test_each_endpoint_answers_each_member_of_the_cast_as_declared(cast, row):
    check(cast, row)


def test_every_consumers_operation_has_a_permission_matrix_case(cast):
    assert_every_operation_has_a_case(CASES, cast, tags=["consumers"])
