"""Delivery fixtures, always made through the services.

``clock`` sets the time the services see (``timezone.now``); ``shipped_delivery``
is a delivery of two boxes of PB10K (6 + 4) to agent A, shipped on 2026-09-01
08:00; ``arrive(delivery, clerk, at, **box_changes)`` records its arrival with
every box fine unless changed; ``declared`` is a declaration of 2 damaged PB10K
opened an hour after the arrival; ``png()``, ``pdf()`` and ``upload_all`` give
evidence."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image
from pypdf import PdfWriter

from sanbao.deliveries.services import declarations, deliveries


def _image(kind: str, size=(40, 30)) -> bytes:
    """A real image of ``kind`` (PNG, JPEG): decodable to its last pixel."""
    out = io.BytesIO()
    Image.new("RGB", size, (200, 40, 40)).save(out, kind)
    return out.getvalue()


PNG = _image("PNG")
JPEG = _image("JPEG")

SHIPPED = "2026-09-01 08:00"
RECEIVED = "2026-09-02 09:30"


def at(when: str) -> dt.datetime:
    return timezone.make_aware(dt.datetime.fromisoformat(when))


class Clock:
    """The time services see (``django.utils.timezone.now``), set by a test."""

    def __init__(self, monkeypatch):
        self._now = timezone.now()
        monkeypatch.setattr(timezone, "now", lambda: self._now)

    def set(self, when: str | dt.datetime) -> None:
        self._now = when if isinstance(when, dt.datetime) else at(when)


@pytest.fixture
def clock(monkeypatch) -> Clock:
    clock = Clock(monkeypatch)
    clock.set("2026-09-01 12:00")
    return clock


def png(name="damage.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PNG, content_type="image/png")


def jpeg(name="damage.jpg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, JPEG, content_type="image/jpeg")


def pdf(name="scan.pdf") -> SimpleUploadedFile:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return SimpleUploadedFile(name, out.getvalue(), content_type="application/pdf")


def new_delivery(staff, agent_code="AG-A", **changes):
    data = {
        "agent_code": agent_code,
        "note_no": "DN-0001",
        "carrier": "SF Express",
        "waybill_no": "SF1234567890",
        "shipped_at": at(SHIPPED),
        "boxes": [
            {"box_no": 1, "expected_weight_g": 5000},
            {"box_no": 2, "expected_weight_g": 3000},
        ],
        "items": [
            {"model_code": "PB10K", "quantity": 6, "box_no": 1},
            {"model_code": "PB10K", "quantity": 4, "box_no": 2},
        ],
    } | changes
    return deliveries.delivery_create(actor=staff, **data)


def fine_box(no: int, weight: int) -> dict:
    return {
        "box_no": no,
        "labels_intact": True,
        "outside_undamaged": True,
        "courier_labels_intact": True,
        "courier_box_undamaged": True,
        "actual_weight_g": weight,
    }


def arrive(delivery, clerk, when=RECEIVED, *, boxes=None, **changes):
    data = {
        "received_at": at(when) if isinstance(when, str) else when,
        "courier_name": "Wang Wei",
        "courier_work_no": "SF-0427",
        "courier_phone": "13800138000",
        "boxes": boxes if boxes is not None else [fine_box(1, 5000), fine_box(2, 3000)],
    } | changes
    return deliveries.arrival_record(actor=clerk, delivery=delivery, **data)


@pytest.fixture
def shipped_delivery(clock, platform_staff, agent_a, pb10k):
    return new_delivery(platform_staff, agent_code=agent_a.code)


@pytest.fixture
def arrived_delivery(clock, shipped_delivery, agent_a_clerk):
    clock.set("2026-09-02 10:00")
    return arrive(shipped_delivery, agent_a_clerk)


def open_declaration(delivery, clerk, quantity=2):
    return declarations.declaration_open(
        actor=clerk,
        delivery=delivery,
        description="Two power banks crushed at one corner.",
        lines=[{"model_code": "PB10K", "quantity": quantity}],
    )


@pytest.fixture
def declared(clock, arrived_delivery, agent_a_clerk):
    clock.set("2026-09-02 10:30")
    return open_declaration(arrived_delivery, agent_a_clerk)


def upload_all(declaration, clerk, kinds=("photo", "form", "note")):
    files = {"photo": png, "form": pdf, "note": jpeg}
    for kind in kinds:
        declarations.evidence_upload(
            actor=clerk, declaration=declaration, kind=kind, upload=files[kind]()
        )


@pytest.fixture
def complete(declared, agent_a_clerk):
    upload_all(declared, agent_a_clerk)
    return declared


@pytest.fixture
def submitted(complete, agent_a_clerk):
    return declarations.declaration_submit(
        actor=agent_a_clerk, declaration=complete, department="after_sales"
    )
