"""Deliveries to agents (entered, imported, or a returns shipment) and their
arrival: the time received and what each box showed (VI.1–VI.3)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import formats, timezone

from sanbao.accounts.models import Organisation
from sanbao.accounts.roles import OrgKind, require
from sanbao.catalog.models import ProductModel
from sanbao.core import audit
from sanbao.core.numbers import save_numbered
from sanbao.core.phones import PHONE_RE, normalise_phone
from sanbao.deliveries import importing, policy
from sanbao.deliveries.errors import ERRORS
from sanbao.deliveries.models import (
    QUANTITY_MAX,
    WEIGHT_MAX_G,
    Delivery,
    DeliveryBox,
    DeliveryItem,
    DeliverySource,
)
from sanbao.deliveries.states import DELIVERY

__all__ = [
    "ImportResult",
    "arrival_record",
    "delivery_create",
    "delivery_from_shipment",
    "delivery_import",
    "when",
]


def when(value: dt.datetime) -> str:
    """A moment as the reader reads it: in their language and their time zone (the
    active one, ``accounts.middleware``), the zone named: ``Sept. 3, 2026, 9:30 a.m.
    (Asia/Shanghai)``."""
    local = timezone.localtime(value)
    zone = timezone.get_current_timezone_name()
    return f"{formats.date_format(local, 'DATETIME_FORMAT')} ({zone})"


def _text(value, name: str, limit: int, errors, *, required: bool = False) -> str:
    text = (value or "").strip()
    if required and not text:
        errors.add(name, "deliveries.value_required")
    if len(text) > limit:
        errors.add(name, "deliveries.value_too_long", limit=limit)
    return text[:limit]


def _whole(value, low: int, high: int) -> int | None:
    if isinstance(value, bool):
        return None
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        return None
    return number if low <= number <= high else None


def delivery_create(
    *,
    actor,
    agent_code: str,
    note_no: str,
    shipped_at: dt.datetime,
    boxes: list[dict],
    items: list[dict],
    carrier: str = "",
    waybill_no: str = "",
    source: str = DeliverySource.PLATFORM,
) -> Delivery:
    """A delivery the brand sends an agent: its note, boxes (with their expected
    weights in grams) and the products in them. Every field is checked at once."""
    require(actor, "deliveries.manage")
    errors = ERRORS.collect()
    agent = Organisation.objects.filter(
        code=(agent_code or "").strip(), kind__in=[OrgKind.AGENT, OrgKind.ENTERPRISE]
    ).first()
    if agent is None:
        errors.add("agent_code", "deliveries.agent_invalid")
    clean = {
        "note_no": _text(note_no, "note_no", 60, errors, required=True),
        "carrier": _text(carrier, "carrier", 60, errors),
        "waybill_no": _text(waybill_no, "waybill_no", 60, errors),
    }
    if shipped_at is None:
        errors.add("shipped_at", "deliveries.value_required")
    elif shipped_at > timezone.now():
        errors.add("shipped_at", "deliveries.shipped_in_future")
    weights = _boxes(boxes, errors)
    lines = _items(items, weights, errors)
    errors.raise_if_any("deliveries.delivery_invalid")
    with transaction.atomic():
        delivery = Delivery(
            agent=agent, source=source, shipped_at=shipped_at, created_by=actor, **clean
        )
        save_numbered(delivery, "D")
        made = {
            no: DeliveryBox.objects.create(delivery=delivery, box_no=no, expected_weight_g=weight)
            for no, weight in weights.items()
        }
        DeliveryItem.objects.bulk_create(
            DeliveryItem(delivery=delivery, box=made[no], model=model, quantity=qty)
            for model, qty, no in lines
        )
        audit.record(
            actor=actor,
            action="delivery.created",
            target=delivery,
            data={"source": source, "boxes": len(made), "items": len(lines)},
        )
    return delivery


def _boxes(boxes, errors) -> dict[int, int | None]:
    weights: dict[int, int | None] = {}
    for index, box in enumerate(boxes or []):
        no = _whole(box.get("box_no"), 1, 999)
        if no is None:
            errors.add(f"boxes.{index}.box_no", "deliveries.quantity_invalid", high=999)
            continue
        if no in weights:
            errors.add(f"boxes.{index}.box_no", "deliveries.box_repeated", box=no)
        raw = box.get("expected_weight_g")
        weight = None if raw in (None, "") else _whole(raw, 0, WEIGHT_MAX_G)
        if raw not in (None, "") and weight is None:
            errors.add(
                f"boxes.{index}.expected_weight_g", "deliveries.weight_invalid", high=WEIGHT_MAX_G
            )
        weights[no] = weight
    if not boxes:
        errors.add("boxes", "deliveries.no_boxes")
    return weights


def _items(items, weights, errors) -> list[tuple]:
    codes = {str(item.get("model_code") or "").strip() for item in items or []}
    models = {m.code: m for m in ProductModel.objects.filter(code__in=codes)}
    lines = []
    for index, item in enumerate(items or []):
        code = str(item.get("model_code") or "").strip()
        model = models.get(code)
        if model is None:
            errors.add(f"items.{index}.model_code", "deliveries.model_unknown", value=code[:40])
        qty = _whole(item.get("quantity"), 1, QUANTITY_MAX)
        if qty is None:
            errors.add(f"items.{index}.quantity", "deliveries.quantity_invalid", high=QUANTITY_MAX)
        no = _whole(item.get("box_no") or 1, 1, 999)
        if no not in weights:
            errors.add(f"items.{index}.box_no", "deliveries.box_unknown", box=item.get("box_no"))
        if model is not None and qty is not None and no in weights:
            lines.append((model, qty, no))
    if not items:
        errors.add("items", "deliveries.no_items")
    return lines


def arrival_record(
    *,
    actor,
    delivery: Delivery,
    received_at: dt.datetime,
    boxes: list[dict],
    courier_name: str = "",
    courier_work_no: str = "",
    courier_phone: str = "",
) -> Delivery:
    """The agent records the arrival: when the courier handed the delivery over
    (never in the future, never before it was shipped) and, for every box, the
    tamper-evident labels (VI.1), the outside of the box (VI.2: a damaged box must
    have been opened and what was inside recorded, or the arrival is not
    complete) and the courier's annotation on the delivery note (VI.3): labels,
    box, actual weight, and the courier's name, work number and telephone. A box
    whose actual weight is off the expected one by more than the tolerance flags
    the delivery."""
    DELIVERY.check(delivery, actor, "arrive")
    errors = ERRORS.collect()
    now = timezone.now()
    if received_at is None:
        errors.add("received_at", "deliveries.value_required")
    elif received_at > now:
        errors.add("received_at", "deliveries.received_in_future")
    elif received_at < delivery.shipped_at:
        errors.add(
            "received_at", "deliveries.received_before_shipped", shipped=when(delivery.shipped_at)
        )
    courier = {
        "courier_name": _text(courier_name, "courier_name", 60, errors),
        "courier_work_no": _text(courier_work_no, "courier_work_no", 30, errors),
        "courier_phone": normalise_phone(courier_phone or ""),
    }
    if not (courier["courier_name"] and courier["courier_work_no"] and courier["courier_phone"]):
        errors.add("courier", "deliveries.courier_required")
    elif not PHONE_RE.match(courier["courier_phone"]):
        errors.add("courier_phone", "deliveries.phone_invalid")
    stored = {box.box_no: box for box in delivery.boxes.all()}
    given = {}
    for index, raw in enumerate(boxes or []):
        no = _whole(raw.get("box_no"), 1, 999)
        if no not in stored:
            errors.add(f"boxes.{index}.box_no", "deliveries.box_unknown", box=raw.get("box_no"))
            continue
        given[no] = _inspection(raw, index, stored[no], errors)
    for no in stored:
        if no not in given and "boxes" not in errors:
            errors.add("boxes", "deliveries.box_missing", box=no)
    errors.raise_if_any("deliveries.arrival_invalid")
    with transaction.atomic():
        gap = False
        for no, values in given.items():
            box = stored[no]
            values["weight_gap"] = policy.weight_gap(
                box.expected_weight_g, values["actual_weight_g"]
            )
            gap = gap or values["weight_gap"]
            DeliveryBox.objects.filter(pk=box.pk).update(**values)
        DELIVERY.move(
            delivery,
            "arrive",
            received_at=received_at,
            received_by=actor,
            weight_gap=gap,
            **courier,
        )
        audit.record(
            actor=actor,
            action="delivery.arrived",
            target=delivery,
            data={
                "received_at": received_at.isoformat(),
                "weight_gap": gap,
                "damaged_boxes": sorted(n for n, v in given.items() if not v["outside_undamaged"]),
                "labels_broken": sorted(n for n, v in given.items() if not v["labels_intact"]),
            },
        )
    return delivery


YES_NO = ("labels_intact", "outside_undamaged", "courier_labels_intact", "courier_box_undamaged")


def _inspection(raw: dict, index: int, box, errors) -> dict:
    values: dict = {}
    for name in YES_NO:
        value = raw.get(name)
        if not isinstance(value, bool):
            errors.add(f"boxes.{index}.{name}", "deliveries.answer_required")
        values[name] = bool(value)
    opened = bool(raw.get("opened_inspected"))
    note = _text(raw.get("inside_note"), f"boxes.{index}.inside_note", 500, errors)
    # VI.2: any damage outside, and the box is opened and inspected before the
    # arrival is complete.
    if raw.get("outside_undamaged") is False and not (opened and note):
        errors.add(
            f"boxes.{index}.inside_note", "deliveries.damaged_box_not_opened", box=box.box_no
        )
    values["opened_inspected"] = opened
    values["inside_note"] = note
    weight = raw.get("actual_weight_g")
    values["actual_weight_g"] = None if weight in (None, "") else _whole(weight, 0, WEIGHT_MAX_G)
    if values["actual_weight_g"] is None:
        errors.add(f"boxes.{index}.actual_weight_g", "deliveries.weight_invalid", high=WEIGHT_MAX_G)
    return values


def delivery_from_shipment(sender, *, shipment, actor=None, **kwargs) -> Delivery | None:
    """IV.7 → VI: a returns shipment that has left is a delivery its return unit
    receives and inspects like any other (received by the ``shipment_dispatched``
    signal, in the dispatch transaction). One box, its weight unknown; the
    products are the units' models (a replacement's model for a replaced unit)."""
    if Delivery.objects.filter(shipment=shipment).exists():
        return None
    counts: Counter = Counter()
    for unit in shipment.units.select_related("model", "replacement_model"):
        model = unit.replacement_model or unit.model
        if model is not None:
            counts[model] += 1
    delivery = Delivery(
        agent_id=shipment.return_org_id,
        source=DeliverySource.RETURNS,
        shipment=shipment,
        note_no=shipment.number,
        carrier=shipment.carrier,
        waybill_no=shipment.waybill_no,
        shipped_at=shipment.shipped_at or timezone.now(),
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    save_numbered(delivery, "D")
    box = DeliveryBox.objects.create(delivery=delivery, box_no=1)
    DeliveryItem.objects.bulk_create(
        DeliveryItem(delivery=delivery, box=box, model=model, quantity=qty)
        for model, qty in counts.items()
    )
    audit.record(
        actor=actor,
        action="delivery.created",
        target=delivery,
        data={"source": DeliverySource.RETURNS, "shipment": shipment.number},
    )
    return delivery


@dataclass
class ImportResult:
    """What an import came to: the deliveries made, or every bad row (none made)."""

    deliveries: list[Delivery] = field(default_factory=list)
    errors: list = field(default_factory=list)

    @property
    def bad_rows(self) -> int:
        return len({e.row for e in self.errors})

    def as_dict(self) -> dict:
        return {
            "deliveries": [d.number for d in self.deliveries],
            "errors": [e.as_dict() for e in self.errors],
        }


def delivery_import(*, actor, data: bytes, filename: str) -> ImportResult:
    """Deliveries sent by the brand's shipping system (CSV or XLSX, one row per
    product line, grouped by delivery note): every row is checked, and with any
    bad row nothing is imported (all or nothing, like the unit import)."""
    require(actor, "deliveries.manage")
    planned, errors = importing.plan(data, filename)
    if errors:
        return ImportResult(errors=errors)
    made = []
    with transaction.atomic():
        for plan in planned:
            made.append(
                delivery_create(
                    actor=actor,
                    agent_code=plan.agent_code,
                    note_no=plan.note_no,
                    carrier=plan.carrier,
                    waybill_no=plan.waybill_no,
                    shipped_at=plan.shipped_at,
                    boxes=[
                        {"box_no": no, "expected_weight_g": weight}
                        for no, weight in sorted(plan.boxes.items())
                    ],
                    items=plan.items,
                    source=DeliverySource.IMPORT,
                )
            )
        audit.record_many(
            actor=actor, action="delivery.imported", target_model=Delivery, count=len(made)
        )
    return ImportResult(deliveries=made)
