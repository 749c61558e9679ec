"""The page that deals with a tested unit (``returns:unit_dispose``): what it refuses
before anything is written (IV.P2)."""

from __future__ import annotations

import pytest

from sanbao.returns import services
from sanbao.returns.models import ReturnedUnit
from sanbao.returns.tests.conftest import pb_lines, under_test
from sanbao.testkit.cast import login_client_for


@pytest.mark.parametrize("amount", ["NaN", "Infinity", "-Infinity", "sNaN"])
def test_a_charge_that_is_not_a_number_answers_400_on_the_page(
    agent_a_clerk, platform_staff, pb10k, amount
):
    batch = under_test(agent_a_clerk, platform_staff, pb_lines(1))
    unit = batch.units.get()
    services.unit_test(unit=unit, actor=platform_staff, result="no_fault_found", evidence="OK")
    response = login_client_for(platform_staff).post(
        f"/returns/{batch.number}/units/1/dispose/",
        {"disposition": "charged", "charge_amount": amount, "charge_reason": "Test fee"},
    )
    assert response.status_code == 400
    assert ReturnedUnit.objects.get(pk=unit.pk).disposition == ""


@pytest.mark.clause("IV.P2")
def test_a_charge_of_a_fraction_of_a_fen_is_refused_on_the_page_naming_the_field(
    agent_a_clerk, platform_staff, pb10k
):
    """Issue 10 item 14: 12.345 is refused with a field message, not stored as 12.34."""
    batch = under_test(agent_a_clerk, platform_staff, pb_lines(1))
    unit = batch.units.get()
    services.unit_test(unit=unit, actor=platform_staff, result="no_fault_found", evidence="OK")
    response = login_client_for(platform_staff).post(
        f"/returns/{batch.number}/units/1/dispose/",
        {"disposition": "charged", "charge_amount": "12.345", "charge_reason": "Test fee"},
    )
    assert response.status_code == 400
    assert "最多两位小数" in response.content.decode()
    assert ReturnedUnit.objects.get(pk=unit.pk).charge_amount is None
