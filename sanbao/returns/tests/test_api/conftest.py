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
from sanbao.returns.tests.conftest import photo, record_test

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


def give_email(org) -> None:
    Organisation.objects.filter(pk=org.pk).update(email="returns@agent-a.test")


@pytest.fixture
def unit_of_batch_a(testing_of_agent_a):
    return testing_of_agent_a.units.order_by("seq").first()


@pytest.fixture
def tested_unit_of_batch_a(platform_staff, unit_of_batch_a):
    """Excluded under III.6 (liquid damage), proved by a photo."""
    unit, board = unit_of_batch_a, photo("board.png")
    evidence = "Liquid marks on the board"
    record_test(
        unit, platform_staff, "excluded", excluded_rule="III.6", evidence=evidence, photo=board
    )
    return unit


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
