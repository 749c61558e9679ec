"""The benchmark's statement count (``X-Sanbao-Queries``), on only when
``SANBAO_QUERY_COUNT_HEADER`` is set."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext, override_settings

from sanbao.core.middleware import QUERY_COUNT_HEADER
from sanbao.testkit.cast import api_client_for


def test_the_header_is_absent_by_default(cast):
    client = api_client_for(cast.platform_staff)
    response = client.get("/api/v1/claims")
    assert response.status_code == 200
    assert QUERY_COUNT_HEADER not in response.headers


@override_settings(SANBAO_QUERY_COUNT_HEADER=True)
def test_the_header_counts_every_statement_of_the_request(cast):
    client = api_client_for(cast.platform_staff)  # built after the setting: its handler sees it
    with CaptureQueriesContext(connection) as captured:
        response = client.get("/api/v1/claims")
    assert response.status_code == 200
    # The token look-up, the page's count and its rows at least.
    assert int(response.headers[QUERY_COUNT_HEADER]) == len(captured) >= 3


@override_settings(SANBAO_QUERY_COUNT_HEADER=True)
def test_each_request_is_counted_on_its_own(cast):
    client = api_client_for(cast.platform_staff)
    client.get("/api/v1/claims")
    unit = cast.unit_of_agent_a
    for path in (f"/api/v1/units/{unit.serial}", "/api/v1/claims"):
        with CaptureQueriesContext(connection) as captured:
            response = client.get(path)
        assert response.status_code == 200
        assert int(response.headers[QUERY_COUNT_HEADER]) == len(captured) >= 1
