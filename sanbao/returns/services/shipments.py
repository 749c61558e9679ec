"""Shipments: good products sent back to their return unit, every batch of them
with a delivery list (IV.7).

A shipment gathers units of one return unit that have been tested and dealt with,
from one or several of its batches that are ready (or whose delayed units are
still to follow). Delayed units (IV.6) are a backorder: they are released into a
later shipment that travels with the return unit's order, whose number the
shipment must reference. When a shipment leaves, each batch it completes is
compared with its due date (IV.5): on time, or late by so many working days."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from sanbao.accounts.models import Organisation
from sanbao.accounts.roles import OrgKind, require
from sanbao.core import audit
from sanbao.core.numbers import save_numbered
from sanbao.returns import policy
from sanbao.returns.errors import ERRORS
from sanbao.returns.models import (
    BatchStatus,
    ReturnBatch,
    ReturnedUnit,
    Shipment,
)
from sanbao.returns.services.workshop import batch_unit_states
from sanbao.returns.signals import shipment_dispatched
from sanbao.returns.states import BATCH, SHIPMENT
from sanbao.workdays import services as workdays

__all__ = ["shipment_cancel", "shipment_create", "shipment_dispatch"]

SHIPPABLE = (BatchStatus.READY, BatchStatus.DELAYED)


def _text(data: dict, name: str, limit: int, errors) -> str:
    value = (data.get(name) or "").strip()
    if len(value) > limit:
        errors.add(name, "returns.value_too_long", limit=limit)
    return value[:limit]


def shipment_create(
    *,
    actor,
    return_org_code: str,
    unit_ids: list[int],
    carrier: str = "",
    waybill_no: str = "",
    order_no: str = "",
    note: str = "",
) -> Shipment:
    """Prepare a shipment (its delivery list can be printed and packed against).

    Every unit must belong to ``return_org_code``, be dealt with, belong to a batch
    that is ready to go back, and be in no other shipment. A delayed unit goes
    only with an order of the return unit: ``order_no`` is then required (IV.6)."""
    require(actor, "returns.receive")
    errors = ERRORS.collect()
    org = Organisation.objects.filter(
        code=(return_org_code or "").strip(),
        kind__in=[OrgKind.AGENT, OrgKind.ENTERPRISE],
    ).first()
    if org is None:
        errors.add("return_org_code", "returns.return_org_invalid")
    data = {"carrier": carrier, "waybill_no": waybill_no, "order_no": order_no, "note": note}
    clean = {
        name: _text(data, name, limit, errors)
        for name, limit in (("carrier", 60), ("waybill_no", 60), ("order_no", 60), ("note", 500))
    }
    ids = _unit_ids(unit_ids, errors)
    units = list(
        ReturnedUnit.objects.select_related("batch", "shipment")
        .filter(pk__in=ids)
        .order_by("batch__number", "seq")
    )
    if len(units) != len(ids):
        raise ERRORS.not_found("returns.unit_not_found")
    for unit in units:
        problem = _unavailable(unit, org)
        if problem:
            errors.add("unit_ids", problem[0], **problem[1])
    if any(u.delay_reason for u in units) and not clean["order_no"]:
        errors.add("order_no", "returns.order_required")
    errors.raise_if_any("returns.shipment_invalid")
    with transaction.atomic():
        shipment = Shipment(return_org=org, created_by=actor, **clean)
        save_numbered(shipment, "S")
        # The units are taken only if no other shipment took them meanwhile, and,
        # without an order, only if none was delayed meanwhile (IV.6).
        free = ReturnedUnit.objects.filter(
            pk__in=ids, shipment__isnull=True, batch__status__in=SHIPPABLE
        ).exclude(disposition="")
        if not clean["order_no"]:
            free = free.filter(delay_reason="")
        taken = free.update(shipment=shipment)
        if taken != len(ids):
            raise ERRORS.conflict("returns.changed_meanwhile")
        audit.record(
            actor=actor,
            action="shipment.prepared",
            target=shipment,
            data={
                "units": len(ids),
                "batches": sorted({u.batch.number for u in units}),
                "backorder": [u.code for u in units if u.delay_reason],
                "order_no": clean["order_no"] or None,
            },
        )
    return shipment


# A database id: a positive 64-bit integer.
MAX_ID = 2**63 - 1


def _unit_ids(values, errors) -> list[int]:
    """The ids of the units chosen, each a whole number from 1; anything else is an
    error on ``unit_ids`` (never silently dropped)."""
    ids: set[int] = set()
    for value in values or []:
        text = str(value).strip()
        number = int(text) if text.isascii() and text.isdecimal() and len(text) <= 19 else 0
        if not 1 <= number <= MAX_ID:
            errors.add("unit_ids", "returns.unit_id_invalid", value=text[:20])
            continue
        ids.add(number)
    if not ids and "unit_ids" not in errors:
        errors.add("unit_ids", "returns.shipment_no_units")
    return sorted(ids)


def _unavailable(unit: ReturnedUnit, org) -> tuple[str, dict] | None:
    if org is not None and unit.batch.return_org_id != org.pk:
        return "returns.unit_of_other_return_unit", {"code": unit.code}
    if unit.batch.status not in SHIPPABLE:
        return "returns.batch_not_ready", {
            "batch": unit.batch.number,
            "status": unit.batch.get_status_display(),
        }
    if not unit.disposition:
        return "returns.unit_not_ready", {"code": unit.code}
    # A cancelled shipment lets its units go (shipment_cancel): any shipment holds it.
    if unit.shipment_id is not None:
        return "returns.unit_in_other_shipment", {
            "code": unit.code,
            "shipment": unit.shipment.number,
        }
    return None


def shipment_dispatch(
    *, shipment: Shipment, actor, waybill_no: str = "", carrier: str = ""
) -> Shipment:
    """The shipment leaves with its waybill. Each batch it completes is recorded:
    when its units not delayed have all gone back it is shipped on time (by its due
    date) or late by so many working days (IV.5); units delayed by the due date do
    not make a batch late (IV.6), units delayed after it count like the others. A
    batch with nothing left to send is shipped; one with only delayed units left
    waits for them (delayed)."""
    SHIPMENT.check(shipment, actor, "dispatch")
    waybill = (waybill_no or shipment.waybill_no or "").strip()
    if not waybill:
        raise ERRORS.invalid("returns.waybill_required", "waybill_no")
    if len(waybill) > 60 or len((carrier or "").strip()) > 60:
        raise ERRORS.invalid("returns.value_too_long", "waybill_no", limit=60)
    now = timezone.now()
    today = timezone.localdate(now)
    with transaction.atomic():
        SHIPMENT.move(
            shipment,
            "dispatch",
            waybill_no=waybill,
            carrier=(carrier or "").strip() or shipment.carrier,
            shipped_at=now,
            shipped_by=actor,
        )
        cal = workdays.calendar()
        batch_ids = list(shipment.units.values_list("batch_id", flat=True).distinct())
        # Two shipments of one batch leaving at once: each batch is settled by one at
        # a time (its row locked, in one order), so the second sees the first's units.
        for batch in ReturnBatch.objects.filter(pk__in=batch_ids).order_by("pk"):
            BATCH.hold(batch, "ship")
            batch.refresh_from_db()
            _after_shipment(batch, actor, shipment, now, today, cal)
        audit.record(
            actor=actor,
            action="shipment.shipped",
            target=shipment,
            data={"waybill_no": waybill, "units": shipment.units.count()},
        )
        # The return unit receives it as a delivery to inspect (VI), in this transaction.
        shipment_dispatched.send(sender=Shipment, shipment=shipment, actor=actor)
    return shipment


def _after_shipment(batch: ReturnBatch, actor, shipment, now, today, cal) -> None:
    states = batch_unit_states(batch)
    values: dict = {}
    if batch.shipped_at is None:
        # The units the due date holds for: all but those delayed in time (IV.6);
        # a delay declared after the due date excuses nothing (IV.5).
        not_delayed = [u for u in states if not u.delayed or u.late_delay]
        if not_delayed and all(u.shipped for u in not_delayed):
            values["shipped_at"] = now
            if batch.due_on is not None:
                values["working_days_late"] = policy.working_days_late(
                    batch.due_on, today, cal.working_days_between
                )
        elif not not_delayed and all(u.shipped for u in states):
            # A batch delayed as a whole (IV.6): gone back, late for a cause.
            values["shipped_at"] = now
    target = policy.batch_after_shipment(states)
    if target is not None and target != batch.status:
        values["status"] = target
    if not values:
        return
    BATCH.move(batch, "ship", updated_at=now, **values)
    audit.record(
        actor=actor,
        action="return_batch.shipped" if target == "shipped" else "return_batch.shipped_in_part",
        target=batch,
        data={
            "shipment": shipment.number,
            "order_no": shipment.order_no or None,
            "due_on": batch.due_on.isoformat() if batch.due_on else None,
            "working_days_late": values.get("working_days_late"),
        },
    )


def shipment_cancel(*, shipment: Shipment, actor) -> Shipment:
    """A prepared shipment is called off: its units are free for another."""
    SHIPMENT.check(shipment, actor, "cancel")
    with transaction.atomic():
        SHIPMENT.move(shipment, "cancel")
        freed = ReturnedUnit.objects.filter(shipment=shipment).update(shipment=None)
        audit.record(
            actor=actor, action="shipment.cancelled", target=shipment, data={"units": freed}
        )
    return shipment
