"""Issue 15: the batch list's page is read newest first from its index, each
batch's open anomalies counted for the rows of the page only (a correlated count),
not by a join grouped over every batch before the page is cut."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from sanbao.returns.tests.conftest import on_hold, pb_lines, received
from sanbao.testkit.cast import login_client_for


def test_the_batch_lists_page_groups_nothing_and_counts_open_anomalies(
    agent_a_clerk, platform_staff, pb10k
):
    held = on_hold(agent_a_clerk, platform_staff, pb_lines(2), received_boxes=0)
    calm = received(agent_a_clerk, platform_staff, pb_lines(1))
    client = login_client_for(platform_staff)
    with CaptureQueriesContext(connection) as queries:
        page = client.get("/returns/").content.decode()
    (read,) = [q["sql"] for q in queries if '"returns_returnbatch"."created_at" DESC' in q["sql"]]
    # The only grouping is the count's own, by the anomaly's batch, inside it.
    assert 'GROUP BY "returns_returnbatch"' not in read
    assert 'GROUP BY U0."batch_id"' in read
    assert held.anomalies.filter(resolved_at__isnull=True).count() == 2
    row = page.split(f'data-number="{held.number}"', 1)[1].split("</tr>", 1)[0]
    assert ">2<" in row.replace(" ", "")
    assert calm.number in page
