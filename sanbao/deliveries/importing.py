"""Deliveries sent by the brand's shipping system as a CSV or XLSX file: one row
per product line, the rows of one delivery note grouped into one delivery.

All or nothing, like the unit import: every row is checked, and one bad row
means nothing is imported; the answer names every bad row, its column, a stable
code and a message in the reader's language. The file is read by
``catalog.importing.read_table`` (UTF-8 or GB18030 CSV, or the first sheet of an
XLSX workbook)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.utils import timezone

from sanbao.accounts.models import Organisation
from sanbao.accounts.roles import OrgKind
from sanbao.catalog import importing as catalog_importing
from sanbao.catalog.importing import read_table
from sanbao.catalog.models import ProductModel
from sanbao.deliveries.errors import ERRORS
from sanbao.deliveries.models import QUANTITY_MAX, WEIGHT_MAX_G, Delivery

COLUMNS = (
    "delivery_note",
    "agent",
    "carrier",
    "waybill",
    "shipped_at",
    "box",
    "expected_weight_g",
    "model_code",
    "quantity",
)
REQUIRED = ("delivery_note", "agent", "shipped_at", "box", "model_code", "quantity")
ALIASES = {
    "送货单号": "delivery_note",
    "代理商": "agent",
    "代理商编码": "agent",
    "承运商": "carrier",
    "运单号": "waybill",
    "发货时间": "shipped_at",
    "箱号": "box",
    "预计重量": "expected_weight_g",
    "型号": "model_code",
    "数量": "quantity",
}
# The columns one delivery's rows must agree on.
HEADER_FIELDS = ("agent", "carrier", "waybill", "shipped_at")


class RowError(catalog_importing.RowError):
    """A refused cell of a delivery file, with the deliveries app's messages."""

    catalogue = ERRORS


@dataclass
class Planned:
    """One delivery to create, as ``services.deliveries.delivery_create`` takes it."""

    note_no: str
    agent_code: str
    carrier: str
    waybill_no: str
    shipped_at: dt.datetime
    boxes: dict[int, int | None] = field(default_factory=dict)
    items: list[dict] = field(default_factory=list)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _moment(value: Any) -> dt.datetime | None:
    if isinstance(value, dt.datetime):
        moment = value
    else:
        try:
            moment = dt.datetime.fromisoformat(_text(value).replace("/", "-"))
        except ValueError:
            return None
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment)


def _whole(value: Any, low: int, high: int) -> int | None:
    text = _text(value)
    if not (text.isascii() and text.isdecimal()):
        return None
    number = int(text)
    return number if low <= number <= high else None


def plan(data: bytes, filename: str) -> tuple[list[Planned], list[RowError]]:
    """The deliveries a file describes, and every row error (nothing written)."""
    header, rows = read_table(data, filename)
    header = [ALIASES.get(h, h) for h in header]
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise ERRORS.invalid(
            "deliveries.import_columns_missing", "file", columns=", ".join(missing)
        )
    index = {name: header.index(name) for name in COLUMNS if name in header}
    errors: list[RowError] = []
    planned: dict[str, Planned] = {}
    raw_rows = []
    for number, row in enumerate(rows, start=2):
        if number - 1 > settings.SANBAO_IMPORT_MAX_ROWS:
            raise ERRORS.invalid(
                "deliveries.import_too_many_rows", "file", limit=settings.SANBAO_IMPORT_MAX_ROWS
            )
        cells = {name: row[i] if i < len(row) else None for name, i in index.items()}
        if all(_text(v) == "" for v in cells.values()):
            continue
        raw_rows.append((number, cells))
    if not raw_rows:
        raise ERRORS.invalid("deliveries.import_empty", "file")
    agents = {
        o.code: o
        for o in Organisation.objects.filter(
            code__in={_text(c.get("agent")) for _n, c in raw_rows},
            kind__in=[OrgKind.AGENT, OrgKind.ENTERPRISE],
        )
    }
    models = set(
        ProductModel.objects.filter(
            code__in={_text(c.get("model_code")) for _n, c in raw_rows}
        ).values_list("code", flat=True)
    )
    existing = set(
        Delivery.objects.filter(
            note_no__in={_text(c.get("delivery_note")) for _n, c in raw_rows}
        ).values_list("agent__code", "note_no")
    )
    now = timezone.now()
    for number, cells in raw_rows:
        before = len(errors)

        def bad(column: str, code: str, **params) -> None:
            errors.append(RowError(number, column, code, params))  # noqa: B023

        note = _text(cells.get("delivery_note"))
        if not note or len(note) > 60:
            bad("delivery_note", "deliveries.import_value_required")
        agent = _text(cells.get("agent"))
        if agent not in agents:
            bad("agent", "deliveries.agent_invalid")
        elif (agent, note) in existing:
            bad("delivery_note", "deliveries.import_note_exists", note=note)
        carrier, waybill = _text(cells.get("carrier"))[:61], _text(cells.get("waybill"))[:61]
        if len(carrier) > 60 or len(waybill) > 60:
            bad(
                "carrier" if len(carrier) > 60 else "waybill", "deliveries.value_too_long", limit=60
            )
        shipped = _moment(cells.get("shipped_at"))
        if shipped is None:
            bad("shipped_at", "deliveries.import_time_invalid")
        elif shipped > now:
            bad("shipped_at", "deliveries.shipped_in_future")
        box = _whole(cells.get("box"), 1, 999)
        if box is None:
            bad("box", "deliveries.quantity_invalid", high=999)
        raw_weight = _text(cells.get("expected_weight_g"))
        weight = _whole(raw_weight, 0, WEIGHT_MAX_G) if raw_weight else None
        if raw_weight and weight is None:
            bad("expected_weight_g", "deliveries.weight_invalid", high=WEIGHT_MAX_G)
        model = _text(cells.get("model_code"))
        if model not in models:
            bad("model_code", "deliveries.model_unknown", value=model[:40])
        quantity = _whole(cells.get("quantity"), 1, QUANTITY_MAX)
        if quantity is None:
            bad("quantity", "deliveries.quantity_invalid", high=QUANTITY_MAX)
        if len(errors) > before:
            continue
        key = f"{agent}\x00{note}"
        values = {"agent": agent, "carrier": carrier, "waybill": waybill, "shipped_at": shipped}
        delivery = planned.get(key)
        if delivery is None:
            delivery = planned[key] = Planned(note, agent, carrier, waybill, shipped)
        else:
            first = {
                "agent": delivery.agent_code,
                "carrier": delivery.carrier,
                "waybill": delivery.waybill_no,
                "shipped_at": delivery.shipped_at,
            }
            differs = [name for name in HEADER_FIELDS if values[name] != first[name]]
            if differs:
                bad(differs[0], "deliveries.import_rows_disagree", note=note)
                continue
        if (
            box in delivery.boxes
            and weight is not None
            and delivery.boxes[box] not in (None, weight)
        ):
            bad("expected_weight_g", "deliveries.import_box_weight_differs", box=box)
            continue
        if delivery.boxes.get(box) is None:
            delivery.boxes[box] = weight
        delivery.items.append({"model_code": model, "quantity": quantity, "box_no": box})
    return list(planned.values()), errors
