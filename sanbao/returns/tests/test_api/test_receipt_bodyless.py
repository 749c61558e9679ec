"""Opening a receipt takes an optional body: a client that POSTs nothing (no body, no
content type, as ``curl -X POST`` does) opens it as before, received today."""

from __future__ import annotations

from django.utils import timezone

from sanbao.returns.tests.conftest import pb_lines, submitted
from sanbao.testkit.cast import api_client_for


def test_a_receipt_opened_with_no_body_at_all_is_received_today(
    agent_a_clerk, platform_staff, pb10k
):
    batch = submitted(agent_a_clerk, pb_lines(1))
    # A request with no body and no content type, as a bare `curl -X POST` sends.
    client = api_client_for(platform_staff)
    response = client.generic("POST", f"/api/v1/batches/{batch.number}/receipt")
    assert response.status_code == 200, response.content
    assert response.json()["received_on"] == timezone.localdate().isoformat()
