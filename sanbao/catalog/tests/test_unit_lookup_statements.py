"""Issue 14: the look-up of a unit by its serial is one statement besides the
token's: the unit with its model, category and channel, by the serial's index."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from sanbao.testkit.cast import api_client_for


def test_a_serial_look_up_runs_the_token_and_one_statement(platform_staff, unit_of_agent_a):
    client = api_client_for(platform_staff)
    client.get("/api/v1/units/SBZ999999")  # the token's last use noted (at most once a minute)
    for serial, status in [(unit_of_agent_a.serial, 200), ("SBZ999999", 404)]:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(f"/api/v1/units/{serial}")
        assert response.status_code == status
        assert len(queries) == 2, [q["sql"] for q in queries]
    assert response.json()["code"] == "catalog.unit_not_found"
