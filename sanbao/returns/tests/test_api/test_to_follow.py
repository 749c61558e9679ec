"""IV.6 through the API: the delayed units still to follow, until they ship."""

from __future__ import annotations

import pytest

from sanbao.returns import services
from sanbao.returns.tests.conftest import pb_lines, settle_all, shipped, under_test
from sanbao.testkit.cast import api_client_for


@pytest.mark.clause("IV.6")
def test_the_units_still_to_follow_are_listed_for_the_platform_and_their_return_unit(
    platform_staff, agent_a_clerk, agent_b_clerk, pb10k
):
    batch = under_test(agent_a_clerk, platform_staff, pb_lines(2))
    first, late = batch.units.order_by("seq")
    services.unit_delay(unit=late, actor=platform_staff, reason="parts_shortage")
    settle_all(batch, platform_staff, units=[first])
    shipped(batch, platform_staff, units=[first])

    def codes(user, query=""):
        response = api_client_for(user).get(f"/api/v1/units-to-follow{query}")
        assert response.status_code == 200, response.content
        return [(u["batch"], u["code"], u["delay_reason"]) for u in response.json()]

    expected = [(batch.number, late.code, "parts_shortage")]
    assert codes(platform_staff) == expected
    assert codes(platform_staff, "?return_org=AG-A") == expected
    assert codes(platform_staff, "?return_org=AG-B") == []
    assert codes(agent_a_clerk) == expected
    assert codes(agent_b_clerk) == []


@pytest.mark.clause("IV.6")
def test_a_batch_with_units_to_follow_stays_in_the_queue_through_the_api(
    platform_staff, agent_a_clerk, pb10k
):
    batch = under_test(agent_a_clerk, platform_staff, pb_lines(1))
    services.batch_delay(batch=batch, actor=platform_staff, reason="force_majeure")
    response = api_client_for(platform_staff).get("/api/v1/turnaround-queue")
    assert response.status_code == 200, response.content
    (entry,) = response.json()["items"]
    assert (entry["number"], entry["status"], entry["units_to_follow"]) == (
        batch.number,
        "delayed",
        1,
    )
    assert entry["turnaround"]["delayed"] is True
