"""The statements' fixtures: ``clock`` pins the time the services see, and
``seeded`` is one month of agent A's repair and delivery data, made through the
services, on 1 September 2026 (Shanghai):

* batch: 10 power banks declared, 9 received (one missing: an anomaly, agreed);
* of the 9 units: 1 repaired, 1 charged 35.00 yuan, 1 delayed for parts, 6
  returned as they were;
* one shipment of the 8 units dealt with (its delivery to agent A made from it);
* one delivery of 10 power banks entered by the platform, arrived, with a
  declaration of 2 damaged, 1 of them credited.

``PERIOD`` is that month."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from sanbao.deliveries.services import declarations
from sanbao.deliveries.tests.conftest import arrive, new_delivery, open_declaration, upload_all
from sanbao.returns import services
from sanbao.returns.tests.conftest import (
    called,
    dispose,
    labels,
    pb_lines,
    receiving,
    record_test,
    reload,
    scan,
    settle_all,
    shipped,
)

PERIOD = {"start": "2026-09-01", "end": "2026-09-30"}


class Clock:
    """The time services see (``django.utils.timezone.now``), set by a test."""

    def __init__(self, monkeypatch):
        self._now = timezone.now()
        monkeypatch.setattr(timezone, "now", lambda: self._now)

    def set(self, when: str) -> None:
        self._now = timezone.make_aware(dt.datetime.fromisoformat(when))

    def today(self) -> dt.date:
        return timezone.localdate(self._now)


@pytest.fixture
def clock(monkeypatch) -> Clock:
    clock = Clock(monkeypatch)
    clock.set("2026-10-08 10:00")
    return clock


@pytest.fixture
def seeded(clock, agent_a_clerk, platform_staff, cs_commissioner, pb10k):
    clock.set("2026-09-01 09:00")
    batch = receiving(agent_a_clerk, platform_staff, pb_lines(10))
    scan(batch, platform_staff, labels(batch)[:9])
    batch = services.receipt_close(batch=batch, actor=platform_staff, received_boxes=1)
    called(batch, platform_staff)
    for anomaly in batch.anomalies.all():
        services.anomaly_resolve(anomaly=anomaly, actor=platform_staff, note="Agreed: nine.")
    batch = services.testing_start(batch=reload(batch), actor=platform_staff)
    repaired, charged, delayed, *rest = list(batch.units.order_by("seq"))
    record_test(repaired, platform_staff, "fault_confirmed", evidence="No output")
    dispose(
        repaired,
        platform_staff,
        "repaired",
        parts_used=["Battery cell"],
        retained_location="Shelf B-3",
    )
    record_test(charged, platform_staff, "no_fault_found", evidence="Bench test")
    dispose(
        charged,
        platform_staff,
        "charged",
        charge_amount=Decimal("35.00"),
        charge_reason="No fault found: bench test fee",
    )
    services.unit_delay(
        unit=delayed, actor=platform_staff, reason="parts_shortage", note="Cells on order"
    )
    settle_all(batch, platform_staff, units=rest)
    shipment = shipped(reload(batch), platform_staff)

    delivery = new_delivery(platform_staff, agent_code="AG-A")  # shipped 08:00
    clock.set("2026-09-01 12:00")
    arrive(delivery, agent_a_clerk, "2026-09-01 11:30")
    clock.set("2026-09-01 13:00")
    declaration = open_declaration(delivery, agent_a_clerk)
    upload_all(declaration, agent_a_clerk)
    declarations.declaration_submit(
        actor=agent_a_clerk, declaration=declaration, department="after_sales"
    )
    clock.set("2026-09-02 10:00")
    declarations.declaration_decide(
        actor=cs_commissioner,
        declaration=declaration,
        accept=True,
        outcome="credited",
        settled={"PB10K": 1},
    )
    clock.set("2026-10-08 10:00")
    return {"batch": reload(batch), "shipment": shipment, "delivery": delivery}
