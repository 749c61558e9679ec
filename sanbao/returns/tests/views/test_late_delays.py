"""IV.5, IV.6 on the batch page: a batch whose units were delayed after its due
date shows as overdue, not as merely waiting for its delayed units."""

from __future__ import annotations

import pytest

from sanbao.returns import services
from sanbao.returns.tests.conftest import pb_lines, under_test
from sanbao.returns.tests.views.conftest import attr, detail


@pytest.mark.clause("IV.6")
def test_a_batch_delayed_after_its_due_date_shows_as_overdue(
    clock, platform_staff, agent_a_clerk, pb10k
):
    clock.set("2026-03-02")  # due Thursday 5 March
    late = under_test(agent_a_clerk, platform_staff, pb_lines(1))
    in_time = under_test(agent_a_clerk, platform_staff, pb_lines(1))
    clock.set("2026-03-05 16:00")
    services.batch_delay(batch=in_time, actor=platform_staff, reason="parts_shortage")
    clock.set("2026-03-10 10:00")  # three working days after the due day
    services.batch_delay(batch=late, actor=platform_staff, reason="parts_shortage")

    page = detail(platform_staff, late)
    assert attr(page, "turnaround", "data-state") == "overdue"
    assert attr(page, "turnaround-overdue", "data-days") == "3"
    assert attr(detail(platform_staff, in_time), "turnaround", "data-state") == "delayed"
