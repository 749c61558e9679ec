"""The page that prepares a shipment (``returns:shipment_create``): what it refuses
before anything is written."""

from __future__ import annotations

from sanbao.returns.tests.conftest import pb_lines, settle_all, under_test
from sanbao.testkit.cast import login_client_for


def test_odd_unit_ids_answer_400_on_the_page(agent_a_clerk, platform_staff, pb10k):
    settle_all(under_test(agent_a_clerk, platform_staff, pb_lines(1)), platform_staff)
    page = login_client_for(platform_staff).post(
        "/returns/shipments/new/", {"return_org_code": "AG-A", "unit_ids": ["²", "9" * 30]}
    )
    assert page.status_code == 400
