"""The Django admin of return batches, anomalies and contact tasks."""

from __future__ import annotations

from django.urls import reverse

from sanbao.returns.tests.views.conftest import html
from sanbao.testkit.cast import login_client_for

# The Django admin ---------------------------------------------------------------------------


def test_the_admin_shows_batches_anomalies_and_contact_tasks_read_mostly(
    administrator, on_hold_of_agent_a, anomaly_of_agent_a, task_of_agent_a
):
    administrator.is_staff = administrator.is_superuser = True
    administrator.save(update_fields=["is_staff", "is_superuser"])
    client = login_client_for(administrator)
    for path in (
        reverse("admin:returns_returnbatch_changelist"),
        reverse("admin:returns_returnbatch_change", args=[on_hold_of_agent_a.pk]),
        reverse("admin:returns_receiptanomaly_changelist"),
        reverse("admin:returns_receiptanomaly_change", args=[anomaly_of_agent_a.pk]),
        reverse("admin:notifications_contacttask_changelist"),
        reverse("admin:notifications_contacttask_change", args=[task_of_agent_a.pk]),
    ):
        assert client.get(path).status_code == 200, path
    change = html(
        client.get(reverse("admin:returns_returnbatch_change", args=[on_hold_of_agent_a.pk]))
    )
    assert 'name="note"' in change
    assert 'name="status"' not in change and 'name="declared_units"' not in change
    assert client.get(reverse("admin:returns_returnbatch_add")).status_code == 403
