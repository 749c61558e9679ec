"""IV.5: the date of receipt is the day the parcel arrived, which the receiving clerk
records when the receipt is opened (today unless said otherwise; never in the
future, never before the batch was sent). The turnaround counts from it."""

from __future__ import annotations

import datetime as dt

import pytest

from sanbao.core.errors import ValidationFailed
from sanbao.returns import services
from sanbao.returns.models import BatchStatus
from sanbao.returns.tests.conftest import (
    events,
    labels,
    pb_lines,
    reload,
    scan,
    submitted,
)


@pytest.mark.clause("IV.5")
def test_a_parcel_that_arrived_on_friday_and_is_opened_on_monday_counts_from_friday(
    clock, agent_a_clerk, platform_staff, pb10k
):
    clock.set("2026-03-04 10:00")  # Wednesday: the batch is sent
    batch = submitted(agent_a_clerk, pb_lines(2))
    clock.set("2026-03-09 09:00")  # Monday: the clerk opens the parcel that came on Friday
    batch = services.receipt_open(
        batch=batch, actor=platform_staff, received_on=dt.date(2026, 3, 6)
    )
    assert reload(batch).received_on == dt.date(2026, 3, 6)
    scan(batch, platform_staff, labels(batch))
    batch = services.receipt_close(batch=batch, actor=platform_staff, received_boxes=1)
    # Friday 6 does not count: Monday 9, Tuesday 10, Wednesday 11.
    assert (batch.clock_started_on, batch.due_on) == (dt.date(2026, 3, 6), dt.date(2026, 3, 11))


@pytest.mark.clause("IV.5")
def test_the_date_of_receipt_is_today_unless_the_clerk_says_otherwise(
    clock, agent_a_clerk, platform_staff, pb10k
):
    clock.set("2026-03-04 10:00")
    batch = submitted(agent_a_clerk, pb_lines(1))
    clock.set("2026-03-05 23:30")  # late in the evening in Shanghai
    batch = services.receipt_open(batch=batch, actor=platform_staff)
    assert reload(batch).received_on == dt.date(2026, 3, 5)


@pytest.mark.clause("IV.5")
@pytest.mark.parametrize(
    ("day", "code"),
    [
        (dt.date(2026, 3, 10), "returns.date_in_future"),
        (dt.date(2026, 3, 3), "returns.received_before_sent"),
    ],
)
def test_a_date_of_receipt_in_the_future_or_before_the_batch_was_sent_is_refused(
    clock, agent_a_clerk, platform_staff, pb10k, day, code
):
    clock.set("2026-03-04 10:00")
    batch = submitted(agent_a_clerk, pb_lines(1))
    clock.set("2026-03-09 09:00")
    with pytest.raises(ValidationFailed) as refused:
        services.receipt_open(batch=batch, actor=platform_staff, received_on=day)
    assert (refused.value.code, list(refused.value.fields)) == (code, ["received_on"])
    batch = reload(batch)
    # Nothing was written: the batch is still in transit, its receipt not opened.
    assert (batch.status, batch.received_on, batch.receipt_opened_at) == (
        BatchStatus.SUBMITTED,
        None,
        None,
    )
    assert "return_batch.receipt_opened" not in events(batch)


@pytest.mark.clause("IV.5")
def test_a_parcel_that_arrived_the_day_it_was_sent_is_accepted(
    clock, agent_a_clerk, platform_staff, pb10k
):
    clock.set("2026-03-04 10:00")
    batch = submitted(agent_a_clerk, pb_lines(1))
    clock.set("2026-03-04 17:00")
    batch = services.receipt_open(
        batch=batch, actor=platform_staff, received_on=dt.date(2026, 3, 4)
    )
    assert reload(batch).received_on == dt.date(2026, 3, 4)
