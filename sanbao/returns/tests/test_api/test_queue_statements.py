"""Issue 14: the work queue's page counts each batch's units for the rows of the
page only (correlated subqueries), and its count is a plain count of the queued
batches, with no join to their units. The counts shown stay those of the batch."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from sanbao.returns.tests.conftest import (
    pb_lines,
    received,
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
