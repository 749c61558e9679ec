"""Who may call which operation of the returns API on whose batches: every
operation declared once and answered for each member of the cast (SPEC IV.1–IV.7,
IV.P1–IV.P6, II.4)."""

from __future__ import annotations

import pytest

from sanbao.returns import policy
from sanbao.returns.models import ReturnBatch
from sanbao.returns.tests.conftest import called
from sanbao.returns.tests.test_api.conftest import (
    ATTEMPT,
    CONTACTS,
    CREATE,
    PDF,
    RECEIVE,
    VIEW,
    XLSX,
    batch_body,
    give_email,
    line,
    lines_file,
)
from sanbao.testkit.matrix import Case, assert_every_operation_has_a_case, check, matrix
from sanbao.testkit.responses import has_status, is_download


def _new_batch(cast):
    _exist = (cast.pb10k, cast.agent_a)
    return batch_body([line(serial="SBN0001"), line(serial="SBN0002")])


def _url(fixture: str, tail: str = ""):
    def url(cast):
        return f"/api/v1/batches/{getattr(cast, fixture).number}{tail}"

    return url


def _task_url(tail: str, *, email: bool = False):
    def url(cast):
        if email:
            give_email(cast.agent_a)
        return f"/api/v1/contact-tasks/{cast.task_of_agent_a.pk}{tail}"

    return url


def _scan(cast):
    return {"code": policy.label_code(cast.receiving_of_agent_a.number, 1, 1)}


def _created(response, cast):
    body = response.json()
    assert ReturnBatch.objects.filter(number=body["number"], return_org__code=body["return_org"])
    assert (body["status"], len(body["lines"])) == ("draft", 2)


def _download(name: str, fixture: str, tail: str, content_type: str) -> Case:
    """A document of agent A's batch ``fixture``, which every viewer may download."""
    url = _url(fixture, tail)
    return Case(name, "GET", url, VIEW, owner_org="agent_a", on_ok=is_download(content_type))


BATCH_CASES = [
    Case("create_batch", "POST", "/api/v1/batches", CREATE, expect_ok=201, body=_new_batch,
         on_ok=_created),
    Case("list_batches", "GET", "/api/v1/batches", VIEW),
    Case("get_lines_template", "GET", "/api/v1/batches/lines-template.xlsx", CREATE,
         on_ok=is_download(XLSX)),
    Case("get_batch", "GET", _url("draft_of_agent_a"), VIEW, owner_org="agent_a"),
    Case("update_batch", "PUT", _url("draft_of_agent_a"), CREATE, owner_org="agent_a",
         body=_new_batch, on_ok=has_status("draft")),
    Case("import_batch_lines", "POST", _url("draft_of_agent_a", "/lines/import"), CREATE,
         owner_org="agent_a", body=lines_file, body_format="multipart"),
    Case("submit_batch", "POST", _url("draft_of_agent_a", "/submit"), CREATE,
         owner_org="agent_a", on_ok=has_status("submitted")),
    Case("refuse_batch", "POST", _url("submitted_of_agent_a", "/refuse"), RECEIVE,
         owner_org="agent_a", body={"reason": "The carrier asked for cash on delivery."},
         on_ok=has_status("refused")),
    Case("open_receipt", "POST", _url("submitted_of_agent_a", "/receipt"), RECEIVE,
         owner_org="agent_a", on_ok=has_status("receiving")),
    Case("receive_scan", "POST", _url("receiving_of_agent_a", "/scans"), RECEIVE,
         owner_org="agent_a", expect_ok=201, body=_scan),
    Case("receive_unit", "POST", _url("receiving_of_agent_a", "/units"), RECEIVE,
         owner_org="agent_a", expect_ok=201,
         body={"kind": "unlisted", "box_no": 1, "model_code": "PB10K", "note": "No label"}),
    Case("count_line", "PUT", _url("receiving_of_agent_a", "/lines/1/count"), RECEIVE,
         owner_org="agent_a", body={"counted": 1, "accessories_missing": []}),
    Case("get_receipt_counts", "GET", _url("receiving_of_agent_a", "/counts"), RECEIVE,
         owner_org="agent_a"),
    Case("close_receipt", "POST", _url("receiving_of_agent_a", "/receipt/close"), RECEIVE,
         owner_org="agent_a", body={"received_boxes": 1}, on_ok=has_status("on_hold")),
    Case("list_batch_anomalies", "GET", _url("on_hold_of_agent_a", "/anomalies"), VIEW,
         owner_org="agent_a"),
    Case("resolve_anomaly", "POST",
         lambda c: f"/api/v1/anomalies/{c.anomaly_of_agent_a.pk}/resolve", RECEIVE,
         owner_org="agent_a", body=lambda c: (
             called(c.on_hold_of_agent_a, c.platform_staff),
             {"note": "Agreed: the unit follows in the next parcel."})[1]),
    Case("list_batch_contact_tasks", "GET", _url("on_hold_of_agent_a", "/contact-tasks"), VIEW,
         owner_org="agent_a"),
    Case("record_contact_attempt", "POST", _task_url("/attempts"), CONTACTS,
         owner_org="agent_a", expect_ok=201, body=ATTEMPT),
    Case("email_contact_task", "POST", _task_url("/email", email=True), CONTACTS,
         owner_org="agent_a"),
    _download("get_packing_list", "draft_of_agent_a", "/packing-list.pdf", PDF),
    _download("export_packing_list", "draft_of_agent_a", "/packing-list.xlsx", XLSX),
    _download("get_repair_list", "submitted_of_agent_a", "/repair-list.pdf", PDF),
    _download("get_fault_labels", "draft_of_agent_a", "/labels.pdf?layout=a4", PDF),
    _download("get_anomaly_notice", "on_hold_of_agent_a", "/anomaly-notice.pdf", PDF),
]  # fmt: skip


def _unit(fixture: str, tail: str = ""):
    return lambda cast: f"/api/v1/returned-units/{getattr(cast, fixture).pk}{tail}"


def _shipment(tail: str = ""):
    return lambda cast: f"/api/v1/shipments/{cast.prepared_of_agent_a.number}{tail}"


def _new_shipment(cast):
    ids = list(cast.ready_of_agent_a.units.values_list("pk", flat=True))
    return {"return_org_code": "AG-A", "unit_ids": ids, "carrier": "SF Express"}


def _test_body(cast):
    return {"result": "no_fault_found", "evidence": "Charges and discharges normally"}


TESTING_AND_SHIPMENT_CASES = [
    Case("start_testing", "POST", _url("received_of_agent_a", "/testing"), RECEIVE,
         owner_org="agent_a"),
    Case("list_returned_units", "GET", _url("testing_of_agent_a", "/returned-units"), VIEW,
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
    Case("delay_batch", "POST", _url("testing_of_agent_a", "/delay"), RECEIVE,
         owner_org="agent_a", body={"reason": "force_majeure", "note": "Typhoon"}),
    Case("close_batch", "POST", _url("shipped_of_agent_a", "/close"), RECEIVE,
         owner_org="agent_a"),
    Case("list_turnaround_queue", "GET", "/api/v1/turnaround-queue", RECEIVE),
    Case("list_units_to_ship", "GET",
         lambda cast: (cast.ready_of_agent_a, "/api/v1/units-to-ship?return_org=AG-A")[1],
         RECEIVE),
    Case("list_units_to_follow", "GET", "/api/v1/units-to-follow", VIEW),
    Case("list_shipments", "GET", "/api/v1/shipments", VIEW),
    Case("create_shipment", "POST", "/api/v1/shipments", RECEIVE, expect_ok=201,
         body=_new_shipment),
    Case("get_shipment", "GET", _shipment(), VIEW, owner_org="agent_a"),
    Case("dispatch_shipment", "POST", _shipment("/dispatch"), RECEIVE, owner_org="agent_a",
         body={"waybill_no": "SF5550001"}),
    Case("cancel_shipment", "POST", _shipment("/cancel"), RECEIVE, owner_org="agent_a"),
    Case("get_delivery_list", "GET", _shipment("/delivery-list.pdf"), VIEW, owner_org="agent_a",
         on_ok=is_download(PDF)),
    Case("export_delivery_list", "GET", _shipment("/delivery-list.xlsx"), VIEW,
         owner_org="agent_a", on_ok=is_download(XLSX)),
]  # fmt: skip


CASES = [*BATCH_CASES, *TESTING_AND_SHIPMENT_CASES]


@pytest.mark.parametrize("row", matrix(CASES))
def test_each_endpoint_answers_each_member_of_the_cast_as_declared(cast, row):
    check(cast, row)


def test_every_returns_operation_has_a_permission_matrix_case(cast):
    assert_every_operation_has_a_case(CASES, cast, tags=["returns"])
