"""Shipments through the pages (``views/shipments.py``, IV.7)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from sanbao.returns.models import (
    BatchStatus,
    Shipment,
    ShipmentStatus,
)
from sanbao.returns.tests.conftest import (
    pb_lines,
    settle_all,
    shipped,
    under_test,
)
from sanbao.returns.tests.views.conftest import (
    attr,
    batch_url,
    field_errors,
    html,
    rows,
    shown_testids,
    status_now,
)
from sanbao.testkit.cast import login_client_for
from sanbao.testkit.queries import assert_list_queries_flat
from sanbao.testkit.responses import assert_refused


def test_the_shipment_list_runs_a_fixed_number_of_queries_however_many_shipments(
    platform_staff, agent_a_clerk, pb10k
):
    def ship(n):
        for _ in range(n):
            batch = under_test(agent_a_clerk, platform_staff, pb_lines(1))
            shipped(settle_all(batch, platform_staff), platform_staff)

    client = login_client_for(platform_staff)
    assert_list_queries_flat(
        lambda: client.get(reverse("returns:shipment_list")), ship, ceiling=8, more=3
    )


# Shipments (IV.7) ------------------------------------------------------------------------------


@pytest.mark.clause("IV.7")
@pytest.mark.clause("IV.5")
def test_a_shipment_is_prepared_and_dispatched_from_the_pages(platform_staff, ready_of_agent_a):
    batch = ready_of_agent_a
    client = login_client_for(platform_staff)
    page = client.get(reverse("returns:shipment_create"))
    assert 'value="AG-A"' in html(page)
    page = client.get(reverse("returns:shipment_create") + f"?return_org=AG-A&batch={batch.number}")
    assert rows(page, "ship-batch", "data-number") == [batch.number]
    ids = [int(pk) for pk in rows(page, "ship-unit", "data-unit")]
    assert html(page).count(' checked data-testid="ship-unit-check"') == 2

    response = client.post(
        reverse("returns:shipment_create"),
        {"return_org_code": "AG-A", "unit_ids": ids, "carrier": "SF Express"},
    )
    assert response.status_code == 302
    shipment = Shipment.objects.get()
    detail = client.get(response.url)
    assert attr(detail, "shipment-body", "data-status") == ShipmentStatus.PREPARED
    assert rows(detail, "shipment-batch", "data-number") == [batch.number]
    pdf = reverse("returns:delivery_list_pdf", args=[shipment.number])
    assert f'href="{pdf}"' in html(detail)
    assert {"action-dispatch", "action-cancel"} <= shown_testids(detail)

    refused = client.post(reverse("returns:shipment_dispatch", args=[shipment.number]), {})
    assert refused.status_code == 400
    assert "waybill_no" in field_errors(refused)

    response = client.post(
        reverse("returns:shipment_dispatch", args=[shipment.number]),
        {"waybill_no": "SF7770001", "carrier": "SF Express"},
    )
    assert response.status_code == 302
    shipment.refresh_from_db()
    assert (shipment.status, shipment.waybill_no) == (ShipmentStatus.SHIPPED, "SF7770001")
    assert status_now(batch) == BatchStatus.SHIPPED
    page = client.get(batch_url("batch_detail", batch))
    assert attr(page, "turnaround", "data-state") == "on_time"
    assert rows(page, "batch-shipment", "data-number") == [shipment.number]
    assert "action-close" in shown_testids(page)
    assert "action-dispatch" not in shown_testids(client.get(response.url))

    closed = client.post(batch_url("batch_close", batch))
    assert closed.status_code == 302
    assert status_now(batch) == BatchStatus.CLOSED


def test_a_shipment_without_a_return_unit_or_units_is_refused_by_its_fields(
    platform_staff, ready_of_agent_a
):
    client = login_client_for(platform_staff)
    response = client.post(reverse("returns:shipment_create"), {"carrier": "SF Express"})
    assert_refused(response, 400, "returns.shipment_invalid")
    assert field_errors(response) == {"return_org_code"}
    response = client.post(reverse("returns:shipment_create"), {"return_org_code": "AG-A"})
    assert response.status_code == 400
    assert field_errors(response) == {"unit_ids"}
    assert not Shipment.objects.exists()


@pytest.mark.clause("IV.7")
def test_a_cancelled_shipment_frees_its_units_for_another(platform_staff, prepared_of_agent_a):
    client = login_client_for(platform_staff)
    response = client.post(reverse("returns:shipment_cancel", args=[prepared_of_agent_a.number]))
    assert response.status_code == 302
    again = client.post(reverse("returns:shipment_cancel", args=[prepared_of_agent_a.number]))
    assert_refused(again, 409, "returns.shipment_move_not_allowed")
    page = client.get(reverse("returns:shipment_create") + "?return_org=AG-A")
    assert len(rows(page, "ship-unit", "data-unit")) == 2


def test_the_shipment_list_filters_by_status(
    platform_staff, prepared_of_agent_a, shipped_of_agent_a
):
    client = login_client_for(platform_staff)
    everything = client.get(reverse("returns:shipment_list"))
    assert len(rows(everything, "shipment-row", "data-number")) == 2
    prepared = client.get(reverse("returns:shipment_list") + "?status=prepared")
    assert rows(prepared, "shipment-row", "data-number") == [prepared_of_agent_a.number]
