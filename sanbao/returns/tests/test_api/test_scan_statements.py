"""Issue 14: a scan runs a fixed, small number of statements. The batch is read
once (its visibility is not asked again by the transition check), the line comes
with its model, and a repeat with its line and model: nothing is fetched twice."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from sanbao.returns import policy
from sanbao.returns.tests.test_api.conftest import scan
from sanbao.testkit.cast import api_client_for


def statements(client, batch, code):
    with CaptureQueriesContext(connection) as queries:
        response = scan(client, batch, code)
    return response, [q["sql"] for q in queries]


def test_a_new_label_and_a_repeat_run_a_fixed_number_of_statements(
    platform_staff, receiving_of_agent_a
):
    batch = receiving_of_agent_a
    client = api_client_for(platform_staff)
    client.get("/api/v1/batches")  # the token's last use noted (at most once a minute)
    first, new = statements(client, batch, policy.label_code(batch.number, 2, 1))
    again, repeat = statements(client, batch, policy.label_code(batch.number, 2, 1))
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["model"] == first.json()["model"] == "PB10K"
    assert again.json()["line_no"] == 2
    # Was 12 and 10: the batch's visibility asked twice, the model and line re-read.
    assert len(new) <= 10, new
    assert len(repeat) <= 7, repeat
    assert not [sql for sql in new + repeat if sql.startswith("SELECT 1 AS")]
