"""IV.5 through the pages: the clerk opening the receipt says the day the parcel
arrived (today by default); a day in the future or before the batch was sent is
refused on its field and nothing is written."""

from __future__ import annotations

import datetime as dt

import pytest

from sanbao.returns.models import BatchStatus
from sanbao.returns.tests.conftest import pb_lines, reload, submitted
from sanbao.returns.tests.views.conftest import detail, error_code, field_errors, html, post, url


@pytest.mark.clause("IV.5")
def test_the_receipt_is_opened_from_the_batch_page_with_the_day_the_parcel_arrived(
    clock, agent_a_clerk, platform_staff, pb10k
):
    clock.set("2026-03-04 10:00")
    batch = submitted(agent_a_clerk, pb_lines(1))
    clock.set("2026-03-09 09:00")
    page = detail(platform_staff, batch)
    assert 'name="received_on"' in html(page) and 'value="2026-03-09"' in html(page)

    refused = post(platform_staff, url("receipt_open", batch), {"received_on": "2026-03-10"})
    assert refused.status_code == 400
    assert error_code(refused) == "returns.date_in_future"
    assert field_errors(refused) == {"received_on"}
    assert reload(batch).status == BatchStatus.SUBMITTED

    opened = post(platform_staff, url("receipt_open", batch), {"received_on": "2026-03-06"})
    assert opened.status_code == 302
    batch = reload(batch)
    assert (batch.status, batch.received_on) == (BatchStatus.RECEIVING, dt.date(2026, 3, 6))
    assert "2026-03-06" in html(detail(platform_staff, batch))
