"""The returns API, part 2: testing and dispositions, delays, the turnaround queue
and shipments with their delivery lists (SPEC IV.5–IV.7, IV.P2, II.4): who may
call what, and the issue's journeys through the API."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from sanbao.accounts.roles import PERMISSIONS
from sanbao.returns import services
from sanbao.returns.tests.conftest import pb_lines, received, settle_all, shipped, under_test
from sanbao.returns.tests.services.test_testing import PNG
from sanbao.returns.tests.test_api import CASES as PART_1_CASES
from sanbao.returns.tests.test_api import (  # noqa: F401 - fixtures the part 1 cases name
    anomaly_of_agent_a,
    draft_of_agent_a,
    on_hold_of_agent_a,
    receiving_of_agent_a,
    submitted_of_agent_a,
    task_of_agent_a,
)
from sanbao.testkit.cast import api_client_for
from sanbao.testkit.matrix import (
    Case,
    assert_envelope,
    assert_every_operation_has_a_case,
    check,
    matrix,
)

VIEW = PERMISSIONS["returns.view"]
RECEIVE = PERMISSIONS["returns.receive"]
PDF = "application/pdf"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def received_of_agent_a(agent_a_clerk, platform_staff, pb10k):
    return received(agent_a_clerk, platform_staff, pb_lines(2))


@pytest.fixture
def testing_of_agent_a(agent_a_clerk, platform_staff, pb10k):
    return under_test(agent_a_clerk, platform_staff, pb_lines(2))


@pytest.fixture
def unit_of_batch_a(testing_of_agent_a):
    return testing_of_agent_a.units.order_by("seq").first()


@pytest.fixture
def tested_unit_of_batch_a(platform_staff, unit_of_batch_a):
    services.unit_test(
        unit=unit_of_batch_a,
        actor=platform_staff,
        result="excluded",
        excluded_rule="III.6",
        evidence="Liquid marks on the board",
        photo=SimpleUploadedFile("board.png", PNG, content_type="image/png"),
    )
    return unit_of_batch_a


@pytest.fixture
def ready_of_agent_a(platform_staff, testing_of_agent_a):
    return settle_all(testing_of_agent_a, platform_staff)


@pytest.fixture
def prepared_of_agent_a(platform_staff, ready_of_agent_a):
    return services.shipment_create(
        actor=platform_staff,
        return_org_code="AG-A",
        unit_ids=list(ready_of_agent_a.units.values_list("pk", flat=True)),
        carrier="SF Express",
    )


@pytest.fixture
def shipped_of_agent_a(agent_a_clerk, platform_staff, pb10k):
    """A batch of its own, so that it never competes with ``prepared_of_agent_a``."""
    batch = settle_all(under_test(agent_a_clerk, platform_staff, pb_lines(1)), platform_staff)
    shipped(batch, platform_staff, units=list(batch.units.all()))
    return batch


def _batch(fixture: str, tail: str = ""):
    return lambda cast: f"/api/v1/batches/{getattr(cast, fixture).number}{tail}"


def _unit(fixture: str, tail: str = ""):
    return lambda cast: f"/api/v1/returned-units/{getattr(cast, fixture).pk}{tail}"


def _shipment(tail: str = ""):
    return lambda cast: f"/api/v1/shipments/{cast.prepared_of_agent_a.number}{tail}"


def _is_file(content_type: str):
    def on_ok(response, cast):
        assert response["Content-Type"] == content_type
        assert response.content

    return on_ok


def _new_shipment(cast):
    ids = list(cast.ready_of_agent_a.units.values_list("pk", flat=True))
    return {"return_org_code": "AG-A", "unit_ids": ids, "carrier": "SF Express"}


def _test_body(cast):
    return {"result": "no_fault_found", "evidence": "Charges and discharges normally"}


CASES = [
    Case("start_testing", "POST", _batch("received_of_agent_a", "/testing"), RECEIVE,
         owner_org="agent_a"),
    Case("list_returned_units", "GET", _batch("testing_of_agent_a", "/returned-units"), VIEW,
         owner_org="agent_a"),
    Case("get_returned_unit", "GET", _unit("unit_of_batch_a"), VIEW, owner_org="agent_a"),
    Case("test_unit", "POST", _unit("unit_of_batch_a", "/test"), RECEIVE, owner_org="agent_a",
         body=_test_body, body_format="multipart"),
    Case("get_returned_unit_photo", "GET", _unit("tested_unit_of_batch_a", "/photo"), VIEW,
         owner_org="agent_a"),
    Case("dispose_unit", "POST", _unit("tested_unit_of_batch_a", "/disposition"), RECEIVE,
         owner_org="agent_a",
         body={"disposition": "charged", "charge_amount": "20", "charge_reason": "Water damage"}),
    Case("delay_unit", "POST", _unit("unit_of_batch_a", "/delay"), RECEIVE, owner_org="agent_a",
         body={"reason": "parts_shortage", "note": "Cells on order"}),
    Case("delay_batch", "POST", _batch("testing_of_agent_a", "/delay"), RECEIVE,
         owner_org="agent_a", body={"reason": "force_majeure", "note": "Typhoon"}),
    Case("close_batch", "POST", _batch("shipped_of_agent_a", "/close"), RECEIVE,
         owner_org="agent_a"),
    Case("list_turnaround_queue", "GET", "/api/v1/turnaround-queue", RECEIVE),
    Case("list_units_to_ship", "GET",
         lambda cast: (cast.ready_of_agent_a, "/api/v1/units-to-ship?return_org=AG-A")[1],
         RECEIVE),
    Case("list_shipments", "GET", "/api/v1/shipments", VIEW),
    Case("create_shipment", "POST", "/api/v1/shipments", RECEIVE, expect_ok=201,
         body=_new_shipment),
    Case("get_shipment", "GET", _shipment(), VIEW, owner_org="agent_a"),
    Case("dispatch_shipment", "POST", _shipment("/dispatch"), RECEIVE, owner_org="agent_a",
         body={"waybill_no": "SF5550001"}),
    Case("cancel_shipment", "POST", _shipment("/cancel"), RECEIVE, owner_org="agent_a"),
    Case("get_delivery_list", "GET", _shipment("/delivery-list.pdf"), VIEW, owner_org="agent_a",
         on_ok=_is_file(PDF)),
    Case("export_delivery_list", "GET", _shipment("/delivery-list.xlsx"), VIEW,
         owner_org="agent_a", on_ok=_is_file(XLSX)),
]  # fmt: skip


@pytest.mark.parametrize("row", matrix(CASES))
def test_each_endpoint_answers_each_member_of_the_cast_as_declared(cast, row):
    check(cast, row)


def test_every_returns_operation_has_a_permission_matrix_case(cast):
    assert_every_operation_has_a_case([*PART_1_CASES, *CASES], cast, tags=["returns"])


def post(client, url, body=None):
    return client.post(url, data=json.dumps(body or {}), content_type="application/json")


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


@pytest.mark.clause("IV.P2")
def test_a_charge_without_its_reason_is_refused_in_the_users_language(
    agent_a_clerk, platform_staff, tested_unit_of_batch_a
):
    client = api_client_for(platform_staff, language="zh-hans")
    url = f"/api/v1/returned-units/{tested_unit_of_batch_a.pk}/disposition"
    response = post(client, url, {"disposition": "charged", "charge_amount": "20"})
    assert_envelope(response, 400, "returns.charge_reason_required")
    assert "charge_reason" in response.json()["fields"]
    assert "原因" in response.json()["fields"]["charge_reason"][0]


@pytest.mark.clause("IV.P2")
def test_an_exclusion_for_water_damage_without_a_photo_is_refused_naming_the_photo(
    platform_staff, unit_of_batch_a
):
    client = api_client_for(platform_staff)
    response = client.post(
        f"/api/v1/returned-units/{unit_of_batch_a.pk}/test",
        data={"result": "excluded", "excluded_rule": "III.6", "evidence": "Liquid marks"},
    )
    assert_envelope(response, 400, "returns.unit_test_invalid")
    assert list(response.json()["fields"]) == ["photo"]
    response = client.post(
        f"/api/v1/returned-units/{unit_of_batch_a.pk}/test",
        data={
            "result": "excluded",
            "excluded_rule": "III.6",
            "evidence": "Liquid marks",
            "photo": SimpleUploadedFile("marks.png", PNG, content_type="image/png"),
        },
    )
    assert response.status_code == 200, response.content
    assert response.json()["has_photo"] is True
    photo = client.get(f"/api/v1/returned-units/{unit_of_batch_a.pk}/photo")
    assert photo.status_code == 200
    assert photo["Content-Security-Policy"] == "sandbox"


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


def test_the_batch_page_of_the_api_counts_units_tested_dealt_with_delayed_and_shipped(
    agent_a_clerk, platform_staff, ready_of_agent_a
):
    body = api_client_for(agent_a_clerk).get(f"/api/v1/batches/{ready_of_agent_a.number}").json()
    assert body["units"] == {"total": 2, "tested": 2, "settled": 2, "delayed": 0, "shipped": 0}
    assert body["status"] == "ready"
    assert body["allowed_actions"] == []  # the return unit follows; staff act
    assert dt.date.fromisoformat(body["turnaround"]["due_on"])


def test_the_turnaround_queue_answers_in_the_same_number_of_queries_however_long(
    agent_a_clerk, platform_staff, pb10k
):
    from sanbao.testkit.queries import assert_list_queries_flat

    client = api_client_for(platform_staff)
    assert_list_queries_flat(
        lambda: client.get("/api/v1/turnaround-queue"),
        lambda n: [received(agent_a_clerk, platform_staff, pb_lines(1)) for _ in range(n)],
        ceiling=12,
        more=5,
    )


def test_getting_a_batch_under_test_takes_a_fixed_number_of_queries_however_many_units(
    agent_a_clerk, platform_staff, pb10k, django_assert_max_num_queries
):
    client = api_client_for(platform_staff)
    small = under_test(agent_a_clerk, platform_staff, pb_lines(1))
    large = under_test(agent_a_clerk, platform_staff, pb_lines(30))
    client.get(f"/api/v1/batches/{small.number}")
    # as a draft's (6), plus the calendar (2) and the unit counts (1)
    for batch in (small, large):
        with django_assert_max_num_queries(9):
            assert client.get(f"/api/v1/batches/{batch.number}").status_code == 200
