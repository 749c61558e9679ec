"""The returns API's tests: batches taken to each state through the services (the
fixtures the permission matrix and the tests name) and the few helpers that send
their requests. One module per part of ``sanbao/returns/api.py``."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from sanbao.accounts.models import Organisation
from sanbao.accounts.roles import PERMISSIONS
from sanbao.notifications.models import ContactTask
from sanbao.returns import policy, services
from sanbao.returns.tests.conftest import PNG, pb_lines, received, settle_all, shipped, under_test

VIEW = PERMISSIONS["returns.view"]
CREATE = PERMISSIONS["returns.create"]
RECEIVE = PERMISSIONS["returns.receive"]
CONTACTS = PERMISSIONS["contacts.manage"]

PDF = "application/pdf"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

ATTEMPT = {
    "channel": "telephone",
    "outcome": "reached",
    "contact_person": "Wang Fang",
    "number_or_address": "0755-8888 1234",
    "note": "Will send the missing unit with the next parcel.",
}


# Batches in each state, taken there through the services ---------------------------


@pytest.fixture
def draft_of_agent_a(batch_of_agent_a):
    """Three power banks with their data cables in one box, freight prepaid."""
    return batch_of_agent_a


@pytest.fixture
def submitted_of_agent_a(agent_a_clerk, draft_of_agent_a):
    return services.batch_submit(batch=draft_of_agent_a, actor=agent_a_clerk)


@pytest.fixture
def receiving_of_agent_a(platform_staff, submitted_of_agent_a):
    return services.receipt_open(batch=submitted_of_agent_a, actor=platform_staff)


@pytest.fixture
def on_hold_of_agent_a(platform_staff, receiving_of_agent_a):
    """Two of the three units arrived: a missing-unit anomaly and its contact task."""
    batch = receiving_of_agent_a
    for line_no in (1, 2):
        code = policy.label_code(batch.number, line_no, 1)
        services.receipt_scan(batch=batch, actor=platform_staff, code=code)
    return services.receipt_close(batch=batch, actor=platform_staff, received_boxes=1)


@pytest.fixture
def anomaly_of_agent_a(on_hold_of_agent_a):
    return on_hold_of_agent_a.anomalies.get()


@pytest.fixture
def task_of_agent_a(on_hold_of_agent_a):
    return ContactTask.objects.get(target_id=str(on_hold_of_agent_a.pk))


def give_email(org) -> None:
    Organisation.objects.filter(pk=org.pk).update(email="returns@agent-a.test")


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


# Requests ---------------------------------------------------------------------------


def line(model="PB10K", *, quantity=1, box=1, serial="", accessories=("data cable",), **more):
    return {
        "model_code": model,
        "quantity": quantity,
        "fault": more.pop("fault", "No output"),
        "box_no": box,
        "serial": serial,
        "accessories": list(accessories),
        "bundled": more.pop("bundled", False),
        **more,
    }


def batch_body(lines, **header):
    body = {
        "return_org_code": "AG-A",
        "declared_units": sum(x["quantity"] for x in lines),
        "declared_boxes": max((x["box_no"] for x in lines), default=1),
        "packed_on": (timezone.localdate() - dt.timedelta(days=1)).isoformat(),
        "contact_person": "Wang Fang",
        "contact_phone": "0755-8888 1234",
        "carrier": "SF Express",
        "waybill_no": "SF1234567890",
        "home_delivery": True,
        "freight": "prepaid",
        "note": "",
        "lines": lines,
    }
    body.update(header)
    return body


def post(client, url, body=None):
    return client.post(url, data=json.dumps(body or {}), content_type="application/json")


def put(client, url, body=None):
    return client.put(url, data=json.dumps(body or {}), content_type="application/json")


def create(client, lines, **header):
    return post(client, "/api/v1/batches", batch_body(lines, **header))


def created(client, lines, **header) -> dict:
    response = create(client, lines, **header)
    assert response.status_code == 201, response.content
    return response.json()


def lines_xlsx() -> bytes:
    """A dealer's spreadsheet of two power-bank lines (the importer's columns)."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["model", "quantity", "serial", "fault", "accessories", "bundled", "box"])
    sheet.append(["PB10K", 1, "SBI0001", "No output", "data cable", "no", 1])
    sheet.append(["PB10K", 1, "SBI0002", "Swollen", "data cable", "no", 1])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def lines_file(cast=None):
    """The upload of ``lines_xlsx``, as the lines import takes it."""
    return {"file": SimpleUploadedFile("lines.xlsx", lines_xlsx(), content_type=XLSX)}


def submit(client, number):
    return post(client, f"/api/v1/batches/{number}/submit")


def scan(client, batch, code, **more):
    return post(client, f"/api/v1/batches/{batch.number}/scans", {"code": code, **more})


def created_lines(client, number):
    return client.get(f"/api/v1/batches/{number}").json()["lines"]
