"""The returns API's shipments: units sent back to their return unit with a
delivery list, and the turnaround queue of what is due (SPEC IV.5–IV.7)."""

from __future__ import annotations

import pytest

from sanbao.returns.tests.conftest import pb_lines, received, settle_all, under_test
from sanbao.returns.tests.test_api.conftest import post
from sanbao.testkit.cast import api_client_for
from sanbao.testkit.matrix import assert_envelope
from sanbao.testkit.queries import assert_list_queries_flat


@pytest.mark.clause("IV.5")
def test_a_batch_shows_its_due_date_time_left_and_then_on_time_through_the_api(
    clock, agent_a_clerk, platform_staff, pb10k
):
    clock.set("2026-09-30 15:00")
    batch = received(agent_a_clerk, platform_staff, pb_lines(1))
    clock.set("2026-10-08 09:00")
    staff = api_client_for(platform_staff)
    body = staff.get(f"/api/v1/batches/{batch.number}").json()
    assert body["turnaround"] == {
        "clock_started_on": "2026-09-30",
        "due_on": "2026-10-10",
        "provisional": False,
        "working_days_left": 2,
        "working_days_overdue": None,
        "overdue": False,
        "delayed": False,
        "shipped_at": None,
        "on_time": None,
        "working_days_late": None,
    }
    queue = staff.get("/api/v1/turnaround-queue").json()
    assert [(x["number"], x["turnaround"]["due_on"]) for x in queue["items"]] == [
        (batch.number, "2026-10-10")
    ]
    assert post(staff, f"/api/v1/batches/{batch.number}/testing").json()["status"] == "testing"
    units = staff.get(f"/api/v1/batches/{batch.number}/returned-units").json()
    unit_id = units[0]["id"]
    response = staff.post(
        f"/api/v1/returned-units/{unit_id}/test", data={"result": "fault_confirmed"}
    )
    assert response.status_code == 200, response.content
    response = post(
        staff, f"/api/v1/returned-units/{unit_id}/disposition", {"disposition": "repaired"}
    )
    assert response.json()["disposition"] == "repaired"
    created = post(staff, "/api/v1/shipments", {"return_org_code": "AG-A", "unit_ids": [unit_id]})
    assert created.status_code == 201, created.content
    number = created.json()["number"]
    clock.set("2026-10-10 16:00")
    sent = post(staff, f"/api/v1/shipments/{number}/dispatch", {"waybill_no": "SF42"})
    assert sent.json()["status"] == "shipped"
    turnaround = staff.get(f"/api/v1/batches/{batch.number}").json()["turnaround"]
    assert (turnaround["on_time"], turnaround["working_days_late"]) == (True, 0)
    agent = api_client_for(agent_a_clerk)
    assert agent.get(f"/api/v1/shipments/{number}").json()["units"][0]["disposition"] == "repaired"
    assert agent.get(f"/api/v1/shipments/{number}/delivery-list.pdf").status_code == 200


@pytest.mark.clause("IV.6")
def test_a_backorder_without_an_order_number_is_refused_through_the_api(
    platform_staff, testing_of_agent_a
):
    client = api_client_for(platform_staff)
    unit = testing_of_agent_a.units.order_by("seq").first()
    assert post(client, f"/api/v1/returned-units/{unit.pk}/delay", {"reason": "product_shortage"}
                ).json()["delay_reason"] == "product_shortage"  # fmt: skip
    settle_all(testing_of_agent_a, platform_staff)
    response = post(client, "/api/v1/shipments", {"return_org_code": "AG-A", "unit_ids": [unit.pk]})
    assert_envelope(response, 400, "returns.shipment_invalid")
    assert list(response.json()["fields"]) == ["order_no"]


def test_a_shipment_of_units_of_no_such_id_is_a_404(platform_staff):
    response = post(
        api_client_for(platform_staff),
        "/api/v1/shipments",
        {"return_org_code": "AG-A", "unit_ids": [999999]},
    )
    assert_envelope(response, 404, "returns.unit_not_found")


def test_the_turnaround_queue_answers_in_the_same_number_of_queries_however_long(
    agent_a_clerk, platform_staff, pb10k
):

    client = api_client_for(platform_staff)
    assert_list_queries_flat(
        lambda: client.get("/api/v1/turnaround-queue"),
        lambda n: [received(agent_a_clerk, platform_staff, pb_lines(1)) for _ in range(n)],
        ceiling=12,
        more=5,
    )


def test_an_odd_unit_id_answers_400_naming_its_field(agent_a_clerk, platform_staff, pb10k):
    settle_all(under_test(agent_a_clerk, platform_staff, pb_lines(1)), platform_staff)
    response = api_client_for(platform_staff).post(
        "/api/v1/shipments",
        data={"return_org_code": "AG-A", "unit_ids": [10**30]},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["unit_ids"]
