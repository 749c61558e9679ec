"""The deliveries API's request and answer bodies."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from ninja import Field, Schema

from sanbao.core.api import SORT_HELP, Moment, PageNumber, PageSize
from sanbao.deliveries import policy
from sanbao.deliveries.models import EvidenceKind
from sanbao.deliveries.selectors import DECLARATION_SORTS, DELIVERY_SORTS


class BoxIn(Schema):
    box_no: int = Field(ge=1, le=999)
    expected_weight_g: int | None = Field(None, ge=0, le=1_000_000)


class ItemIn(Schema):
    model_code: str = Field(max_length=40)
    quantity: int = Field(ge=1, le=100_000)
    box_no: int = Field(1, ge=1, le=999)


class DeliveryIn(Schema):
    agent_code: str = Field(max_length=32)
    note_no: str = Field(max_length=60)
    carrier: str = Field("", max_length=60)
    waybill_no: str = Field("", max_length=60)
    shipped_at: Moment
    boxes: list[BoxIn] = Field(max_length=999)
    items: list[ItemIn] = Field(max_length=2000)


class BoxArrivalIn(Schema):
    box_no: int = Field(ge=1, le=999)
    labels_intact: bool
    outside_undamaged: bool
    opened_inspected: bool = False
    inside_note: str = Field("", max_length=500)
    courier_labels_intact: bool
    courier_box_undamaged: bool
    actual_weight_g: int = Field(ge=0, le=1_000_000)


class ArrivalIn(Schema):
    received_at: Moment
    courier_name: str = Field(max_length=60)
    courier_work_no: str = Field(max_length=30)
    courier_phone: str = Field(max_length=30)
    boxes: list[BoxArrivalIn] = Field(max_length=999)


class BoxOut(Schema):
    box_no: int
    expected_weight_g: int | None
    labels_intact: bool | None
    outside_undamaged: bool | None
    opened_inspected: bool
    inside_note: str
    courier_labels_intact: bool | None
    courier_box_undamaged: bool | None
    actual_weight_g: int | None
    weight_gap: bool


class ItemOut(Schema):
    model_code: str = Field(alias="model.code")
    quantity: int
    box_no: int | None = None

    @staticmethod
    def resolve_box_no(obj) -> int | None:
        return obj.box.box_no if obj.box_id else None


class DeliverySummaryOut(Schema):
    number: str
    status: str
    source: str
    agent_code: str = Field(alias="agent.code")
    note_no: str
    carrier: str
    waybill_no: str
    shipped_at: dt.datetime
    received_at: dt.datetime | None
    weight_gap: bool


class DeliveryOut(DeliverySummaryOut):
    courier_name: str
    courier_work_no: str
    courier_phone: str
    boxes: list[BoxOut]
    items: list[ItemOut]

    @staticmethod
    def resolve_boxes(obj):
        return list(obj.boxes.all())

    @staticmethod
    def resolve_items(obj):
        return list(obj.items.all())


DeliverySort = DELIVERY_SORTS.literal()
DeclarationSort = DECLARATION_SORTS.literal()


class DeliveryFilters(Schema):
    status: Literal["shipped", "arrived"] | None = None
    sort: DeliverySort | None = Field(None, description=SORT_HELP)
    page: PageNumber = 1
    page_size: PageSize = None


class LineIn(Schema):
    model_code: str = Field(max_length=40)
    quantity: int = Field(ge=1, le=100_000)


class DeclarationIn(Schema):
    description: str = Field(max_length=4000)
    lines: list[LineIn] = Field(max_length=200)


class SubmitIn(Schema):
    department: Literal["marketing", "after_sales", ""] = ""


class DecisionIn(Schema):
    accept: bool
    outcome: Literal["replaced", "credited", ""] = ""
    settled: dict[str, int] = {}
    reason: str = Field("", max_length=1000)


class LineOut(Schema):
    model_code: str = Field(alias="model.code")
    quantity: int
    settled_quantity: int


class EvidenceOut(Schema):
    id: int
    kind: str
    media_type: str
    uploaded_at: dt.datetime


class DeclarationSummaryOut(Schema):
    number: str
    status: str
    delivery: str = Field(alias="delivery.number")
    opened_at: dt.datetime
    submitted_at: dt.datetime | None
    department: str


class DeclarationOut(DeclarationSummaryOut):
    description: str
    window_closes_at: dt.datetime
    outcome: str
    reason: str
    decided_at: dt.datetime | None
    replacement: str | None = None
    credit_note: str | None = Field(
        None, description="The number of the credit note (K…) of a declaration settled by a credit"
    )
    lines: list[LineOut]
    evidence: list[EvidenceOut]
    missing_evidence: list[str]

    @staticmethod
    def resolve_window_closes_at(obj) -> dt.datetime | None:
        return policy.window_closes(obj.delivery.received_at)

    @staticmethod
    def resolve_replacement(obj) -> str | None:
        return obj.replacement.number if obj.replacement_id else None

    @staticmethod
    def resolve_credit_note(obj) -> str | None:
        note = getattr(obj, "credit_note", None)
        return note.number if note is not None else None

    @staticmethod
    def resolve_lines(obj):
        return list(obj.lines.all())

    @staticmethod
    def resolve_evidence(obj):
        return list(obj.evidence.all())

    @staticmethod
    def resolve_missing_evidence(obj) -> list[str]:
        present = {e.kind for e in obj.evidence.all()}
        return [kind for kind in EvidenceKind.values if kind not in present]


class DeclarationFilters(Schema):
    status: Literal["draft", "submitted", "accepted", "rejected"] | None = None
    sort: DeclarationSort | None = Field(None, description=SORT_HELP)
    page: PageNumber = 1
    page_size: PageSize = None
