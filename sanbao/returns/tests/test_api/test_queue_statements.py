"""Issue 14: the work queue's page counts each batch's units for the rows of the
page only (correlated subqueries), and its count is a plain count of the queued
batches, with no join to their units. The counts shown stay those of the batch."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from sanbao.returns.selectors import turnaround_queue, with_turnaround
from sanbao.returns.tests.conftest import (
    on_hold,
    pb_lines,
    received,
    received_on,
    record_test,
    settle_all,
    under_test,
)
from sanbao.returns.tests.test_api.conftest import post
from sanbao.testkit.cast import api_client_for


def statements(client, path="/api/v1/turnaround-queue"):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200, response.content
    return response.json(), [q["sql"] for q in queries]


def test_the_queue_shows_each_batchs_unit_counts_as_the_batch_does(
    agent_a_clerk, platform_staff, pb10k
):
    staff = api_client_for(platform_staff)
    testing = under_test(agent_a_clerk, platform_staff, pb_lines(3))
    first, second, third = testing.units.order_by("seq")
    settle_all(testing, platform_staff, units=[first])
    record_test(second, platform_staff, "no_fault_found", evidence="Bench test")
    delayed = post(staff, f"/api/v1/returned-units/{third.pk}/delay", {"reason": "parts_shortage"})
    assert delayed.status_code == 200, delayed.content
    waiting = received(agent_a_clerk, platform_staff, pb_lines(2))
    page, _ = statements(staff)
    shown = {
        item["number"]: (item["units_total"], item["units_settled"], item["units_to_follow"])
        for item in page["items"]
    }
    assert page["count"] == 2
    assert shown == {testing.number: (3, 1, 1), waiting.number: (0, 0, 0)}
    counts = staff.get(f"/api/v1/batches/{testing.number}").json()["units"]
    assert (counts["total"], counts["settled"]) == (3, 1)


def test_the_queue_runs_a_fixed_number_of_statements_and_counts_without_a_join(
    agent_a_clerk, platform_staff, pb10k
):
    staff = api_client_for(platform_staff)
    under_test(agent_a_clerk, platform_staff, pb_lines(2))
    staff.get("/api/v1/turnaround-queue")  # the token's last use noted (at most once a minute)
    _, few = statements(staff)
    for _ in range(4):
        under_test(agent_a_clerk, platform_staff, pb_lines(2))
    page, many = statements(staff)
    assert page["count"] == len(page["items"]) == 5
    # The token, the count, the page, the working-day calendar (days, years).
    assert len(few) == len(many) == 5, many
    (count,) = [sql for sql in many if "COUNT(*)" in sql]
    assert "JOIN" not in count
    assert "returns_returnedunit" not in count


def test_the_apis_queue_is_the_selectors_queue_page_by_page(
    clock, agent_a_clerk, agent_b_clerk, platform_staff, pb10k
):
    """The API pages a query compiled once per process (``queue_for_api``); it must
    list what ``turnaround_queue`` lists, in its order, with the same figures."""
    staff = api_client_for(platform_staff)
    received_on("2026-11-30", clock, agent_a_clerk, platform_staff)
    received_on("2026-11-26", clock, agent_b_clerk, platform_staff)
    clock.set("2026-11-27")
    on_hold(agent_a_clerk, platform_staff, pb_lines(2))
    testing = under_test(agent_b_clerk, platform_staff, pb_lines(3))
    first, _second, third = testing.units.order_by("seq")
    settle_all(testing, platform_staff, units=[first])
    delayed = post(staff, f"/api/v1/returned-units/{third.pk}/delay", {"reason": "parts_shortage"})
    assert delayed.status_code == 200, delayed.content
    received(agent_a_clerk, platform_staff, pb_lines(1))
    expected = with_turnaround(list(turnaround_queue(actor=platform_staff)))
    shown = []
    for page in (1, 2, 3):
        answer = staff.get(f"/api/v1/turnaround-queue?page={page}&page_size=2").json()
        assert answer["count"] == len(expected) == 5
        shown += answer["items"]
    assert [item["number"] for item in shown] == [batch.number for batch in expected]
    for item, batch in zip(shown, expected, strict=True):
        assert item["return_org"] == batch.return_org.code
        assert (item["units_total"], item["units_settled"], item["units_to_follow"]) == (
            batch.units_total,
            batch.units_settled,
            batch.units_to_follow,
        )
        assert item["turnaround"]["due_on"] == (
            batch.turnaround_now.due_on and batch.turnaround_now.due_on.isoformat()
        )
        assert item["turnaround"]["working_days_left"] == batch.turnaround_now.working_days_left
        assert item["turnaround"]["overdue"] == batch.turnaround_now.overdue
