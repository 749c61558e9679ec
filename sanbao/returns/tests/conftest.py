"""Return-batch fixtures: ``draft(actor, lines=..., **header)`` writes a draft through
the service with a valid packing list; ``pb_lines(n, box)`` makes power-bank lines
that carry their data cable (IV.P1).

Further along the life of a batch, always through the services: ``submitted``
(sent by its return unit), ``receiving`` (submitted and opened for receipt by
platform staff), ``labels(batch)`` (every label code of the batch, line by line),
``scan(batch, staff, codes)``, ``on_hold`` (received with a unit missing).
``received`` (every label scanned, receipt closed without anomalies: the IV.5
clock runs), ``under_test`` (received and put to testing), ``record_test(unit, staff,
result, ...)`` and ``dispose(unit, staff, disposition, ...)``, ``settle_all(batch, staff,
result=..., disposition=...)`` (every unit tested and dealt with), ``shipped(batch,
staff, units=None, order_no="")`` (prepared and dispatched).
``events(record)`` lists a record's audit actions oldest first; ``reload`` reads
a batch again.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from sanbao.core.models import AuditEvent
from sanbao.returns import policy, services
from sanbao.returns.models import ReturnBatch
from sanbao.returns.services import LineIn
from sanbao.testkit.uploads import png_bytes

# A small PNG: an upload that is an image by its content.
PNG = png_bytes()


def photo(name="swollen.png"):
    """A photo upload (``PNG``) as a test result's evidence."""
    return SimpleUploadedFile(name, PNG, content_type="image/png")


def pb_lines(count: int, *, box: int = 1, model: str = "PB10K", fault: str = "No output"):
    return [
        LineIn(
            model_code=model,
            quantity=1,
            fault=fault,
            box_no=box,
            serial=f"SBX{box:02d}{i:04d}",
            accessories=["data cable"],
        )
        for i in range(1, count + 1)
    ]


def draft(actor, lines, **header):
    data = {
        "packed_on": timezone.localdate() - dt.timedelta(days=1),
        "contact_person": "Wang Fang",
        "contact_phone": "0755-8888 1234",
        "declared_units": sum(line.quantity for line in lines),
        "declared_boxes": max(line.box_no for line in lines),
        "carrier": "SF Express",
        "waybill_no": "SF1234567890",
        "home_delivery": True,
        "freight": "prepaid",
    }
    data.update(header)
    return services.batch_create(actor=actor, lines=lines, **data)


def submitted(actor, lines, **header) -> ReturnBatch:
    """A batch drafted and submitted by ``actor`` (its return unit)."""
    batch = draft(actor, lines, **header)
    return services.batch_submit(batch=batch, actor=actor)


def receiving(actor, staff, lines, **header) -> ReturnBatch:
    """A batch submitted by ``actor`` whose receipt ``staff`` has opened."""
    batch = submitted(actor, lines, **header)
    return services.receipt_open(batch=batch, actor=staff)


def labels(batch: ReturnBatch) -> list[str]:
    """Every fault-label code of the batch (IV.3), in line and unit order."""
    return [
        policy.label_code(batch.number, line_no, seq)
        for line_no, quantity in batch.lines.order_by("line_no").values_list("line_no", "quantity")
        for seq in range(1, quantity + 1)
    ]


def scan(batch: ReturnBatch, staff, codes) -> list[bool]:
    """Scan ``codes``; whether each scan counted a new unit."""
    return [services.receipt_scan(batch=batch, actor=staff, code=code).created for code in codes]


def on_hold(actor, staff, lines, *, received_boxes=None, **header) -> ReturnBatch:
    """A batch received with its last unit missing: on hold with one anomaly (and
    one more for the boxes, if fewer than declared were ``received_boxes``)."""
    batch = receiving(actor, staff, lines, **header)
    scan(batch, staff, labels(batch)[:-1])
    boxes = batch.declared_boxes if received_boxes is None else received_boxes
    return services.receipt_close(batch=batch, actor=staff, received_boxes=boxes)


def received(actor, staff, lines, **header) -> ReturnBatch:
    """A batch whose every label was scanned and whose receipt closed cleanly."""
    batch = receiving(actor, staff, lines, **header)
    scan(batch, staff, labels(batch))
    return services.receipt_close(batch=batch, actor=staff, received_boxes=batch.declared_boxes)


def received_on(day: str, clock, actor, staff, count: int = 2) -> ReturnBatch:
    """``count`` power banks received on ``day`` (set on the ``clock``) as listed."""
    clock.set(day)
    return received(actor, staff, pb_lines(count))


def under_test(actor, staff, lines, **header) -> ReturnBatch:
    """A received batch put to testing: its returned units exist."""
    batch = received(actor, staff, lines, **header)
    return services.testing_start(batch=batch, actor=staff)


def record_test(unit, staff, result, **details):
    """``staff`` records the test of ``unit``: its ``result`` and ``details``."""
    return services.unit_test(unit=unit, actor=staff, result=result, **details)


def dispose(unit, staff, disposition, **details):
    """``staff`` deals with ``unit``: its ``disposition`` and ``details``."""
    return services.unit_dispose(unit=unit, actor=staff, disposition=disposition, **details)


def settle_all(batch, staff, *, result="no_fault_found", disposition="returned_as_is", units=None):
    """Test and deal with ``units`` (default: every unit not yet dealt with)."""
    units = units if units is not None else list(batch.units.filter(disposition="").order_by("seq"))
    for unit in units:
        record_test(unit, staff, result, evidence="Bench test")
        dispose(unit, staff, disposition)
    return reload(batch)


def shipped(batch, staff, *, units=None, order_no="", waybill="SF9000000001"):
    """Prepare and dispatch a shipment of ``units`` (default: all ready to go)."""
    from sanbao.returns import selectors

    units = (
        units
        if units is not None
        else list(selectors.units_to_ship(actor=staff, return_org=batch.return_org.code))
    )
    shipment = services.shipment_create(
        actor=staff,
        return_org_code=batch.return_org.code,
        unit_ids=[u.pk for u in units],
        carrier="SF Express",
        order_no=order_no,
    )
    return services.shipment_dispatch(shipment=shipment, actor=staff, waybill_no=waybill)


def reload(batch: ReturnBatch) -> ReturnBatch:
    return ReturnBatch.objects.select_related("return_org").get(pk=batch.pk)


def events(record) -> list[str]:
    """The audit actions written about ``record``, oldest first."""
    timeline = AuditEvent.objects.for_target(record).order_by("at", "id")
    return list(timeline.values_list("action", flat=True))


class Clock:
    """The time services see (``django.utils.timezone.now``), set by a test."""

    def __init__(self, monkeypatch):
        self._now = timezone.now()
        monkeypatch.setattr(timezone, "now", lambda: self._now)

    def set(self, when: str) -> None:
        """``when``: local (Asia/Shanghai) ISO date or date-time, e.g. "2026-09-30 10:00"."""
        value = dt.datetime.fromisoformat(when if " " in when or "T" in when else f"{when} 10:00")
        self._now = timezone.make_aware(value)

    def today(self) -> dt.date:
        return timezone.localdate(self._now)


@pytest.fixture
def clock(monkeypatch) -> Clock:
    return Clock(monkeypatch)


@pytest.fixture
def batch_of_agent_a(agent_a_clerk, pb10k, ad65):
    return draft(agent_a_clerk, pb_lines(3))


@pytest.fixture
def drafts_of_everyone(agent_a_clerk, agent_b_clerk, enterprise_clerk, pb10k):
    """A draft of each return unit of the cast: agents A and B, enterprise C."""
    return {
        "agent_a": draft(agent_a_clerk, pb_lines(1)),
        "agent_b": draft(agent_b_clerk, pb_lines(2)),
        "enterprise_c": draft(enterprise_clerk, pb_lines(1)),
    }


def called(batch, staff, *, outcome="reached"):
    """IV.4: record a telephone call to the return unit about ``batch`` (a batch
    on hold has its contact task); anomalies are resolved only after one."""
    from sanbao.notifications import services as notifications
    from sanbao.notifications.models import ContactTask

    task = ContactTask.objects.filter(target_id=str(batch.pk)).order_by("id").first()
    return notifications.attempt_record(
        task=task, actor=staff, channel="telephone", outcome=outcome
    )


# Agent A's batches at each stage, as the page and API tests and their permission
# matrices name them (``cast.<name>``) --------------------------------------------


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
    """Lines 1 and 2 scanned, line 3 missing: on hold with one missing-unit anomaly
    and its contact task."""
    batch = receiving_of_agent_a
    scan(batch, platform_staff, labels(batch)[:2])
    return services.receipt_close(batch=batch, actor=platform_staff, received_boxes=1)


@pytest.fixture
def anomaly_of_agent_a(on_hold_of_agent_a):
    return on_hold_of_agent_a.anomalies.get()


@pytest.fixture
def task_of_agent_a(on_hold_of_agent_a):
    from sanbao.notifications.models import ContactTask

    return ContactTask.objects.get(target_id=str(on_hold_of_agent_a.pk))


@pytest.fixture
def received_of_agent_a(agent_a_clerk, platform_staff, pb10k):
    """Two power banks received as listed: the IV.5 clock runs."""
    return received(agent_a_clerk, platform_staff, pb_lines(2))


@pytest.fixture
def testing_of_agent_a(agent_a_clerk, platform_staff, pb10k):
    return under_test(agent_a_clerk, platform_staff, pb_lines(2))


@pytest.fixture
def ready_of_agent_a(platform_staff, testing_of_agent_a):
    return settle_all(testing_of_agent_a, platform_staff)


@pytest.fixture
def prepared_of_agent_a(platform_staff, ready_of_agent_a):
    """A shipment of every unit of the ready batch, prepared, not yet gone."""
    return services.shipment_create(
        actor=platform_staff,
        return_org_code="AG-A",
        unit_ids=list(ready_of_agent_a.units.values_list("pk", flat=True)),
        carrier="SF Express",
    )


@pytest.fixture
def shipped_of_agent_a(agent_a_clerk, platform_staff, pb10k):
    """A batch of its own, every unit gone back, so that it never competes with
    ``prepared_of_agent_a``: it may be closed."""
    batch = settle_all(under_test(agent_a_clerk, platform_staff, pb_lines(1)), platform_staff)
    shipped(batch, platform_staff, units=list(batch.units.all()))
    return reload(batch)
