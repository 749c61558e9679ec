"""The turnaround queue (``views/queue.py``, IV.5)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from sanbao.returns.tests.conftest import (
    on_hold,
    pb_lines,
    received,
)
from sanbao.returns.tests.views.conftest import attr, row_tag, rows
from sanbao.testkit.cast import login_client_for
from sanbao.testkit.queries import assert_list_queries_flat


@pytest.mark.clause("IV.5")
def test_the_queue_is_sorted_by_due_date_with_the_overdue_in_red_and_on_hold_last(
    clock, platform_staff, agent_a_clerk, agent_b_clerk, pb10k
):
    clock.set("2026-11-27")
    held = on_hold(agent_b_clerk, platform_staff, pb_lines(2))
    clock.set("2026-11-30")
    fresh = received(agent_a_clerk, platform_staff, pb_lines(1))  # due Thursday 3 December
    clock.set("2026-11-25")
    due_today = received(agent_b_clerk, platform_staff, pb_lines(1))  # due Monday 30
    clock.set("2026-11-23")
    overdue = received(agent_a_clerk, platform_staff, pb_lines(1))  # due Thursday 26
    clock.set("2026-11-30")

    page = login_client_for(platform_staff).get(reverse("returns:queue"))
    assert page.status_code == 200
    assert rows(page, "queue-row", "data-number") == [
        overdue.number,
        due_today.number,
        fresh.number,
        held.number,
    ]
    assert rows(page, "queue-row", "data-state") == ["overdue", "due_today", "running", "on_hold"]
    assert 'data-due="2026-11-26"' in row_tag(page, "queue-row", overdue.number)
    assert "table-danger" in row_tag(page, "queue-row", overdue.number)
    assert "table-warning" in row_tag(page, "queue-row", due_today.number)
    assert "table-" not in row_tag(page, "queue-row", fresh.number)
    assert attr(page, "queue-summary", "data-overdue") == "1"
    assert attr(page, "queue-summary", "data-due-today") == "1"


def test_the_queue_runs_a_fixed_number_of_queries_however_many_batches(
    platform_staff, agent_a_clerk, pb10k
):
    client = login_client_for(platform_staff)
    assert_list_queries_flat(
        lambda: client.get(reverse("returns:queue")),
        lambda n: [received(agent_a_clerk, platform_staff, pb_lines(1)) for _ in range(n)],
        ceiling=8,
        more=3,
    )
