"""IV.5 through the API: the date of receipt is given when the receipt is opened
(today when left out), never in the future, never before the batch was sent."""

from __future__ import annotations

import pytest

from sanbao.returns.models import BatchStatus
from sanbao.returns.tests.conftest import pb_lines, reload, submitted
from sanbao.returns.tests.test_api.conftest import post
from sanbao.testkit.cast import api_client_for
from sanbao.testkit.matrix import assert_envelope


@pytest.mark.clause("IV.5")
def test_the_receipt_is_opened_with_the_day_the_parcel_arrived_through_the_api(
    clock, agent_a_clerk, platform_staff, pb10k
):
    clock.set("2026-03-04 10:00")
    batch = submitted(agent_a_clerk, pb_lines(1))
    clock.set("2026-03-09 09:00")
    staff = api_client_for(platform_staff)
    url = f"/api/v1/batches/{batch.number}/receipt"

    future = assert_envelope(
        post(staff, url, {"received_on": "2026-03-10"}), 400, "returns.date_in_future"
    )
    assert list(future["fields"]) == ["received_on"]
    early = assert_envelope(
        post(staff, url, {"received_on": "2026-03-03"}), 400, "returns.received_before_sent"
    )
    assert list(early["fields"]) == ["received_on"]
    assert reload(batch).status == BatchStatus.SUBMITTED

    opened = post(staff, url, {"received_on": "2026-03-06"})
    assert opened.status_code == 200, opened.content
    assert (opened.json()["status"], opened.json()["received_on"]) == ("receiving", "2026-03-06")


@pytest.mark.clause("IV.5")
def test_a_receipt_opened_without_a_date_is_received_today(
    clock, agent_a_clerk, platform_staff, pb10k
):
    clock.set("2026-03-04 10:00")
    batch = submitted(agent_a_clerk, pb_lines(1))
    clock.set("2026-03-05 11:00")
    # No body at all, as before the date of receipt was asked for.
    opened = api_client_for(platform_staff).post(
        f"/api/v1/batches/{batch.number}/receipt", content_type="application/json"
    )
    assert opened.status_code == 200, opened.content
    assert opened.json()["received_on"] == "2026-03-05"
