"""The returns API's shapes: the packing list in and out, receipt by scanning and
counting, anomalies, contact tasks and the lines import report (SPEC IV).

The schemas refuse only what is not the right shape (422). Values the services
judge (a date in the future, a telephone number, an unknown model, a number out of
range) are answered 400 by the services with the field named, in the request's
language.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Literal

from ninja import Field, Schema

from sanbao.accounts.roles import PLATFORM_ROLES
from sanbao.catalog.replacements import MAX_DECISION_REASON
from sanbao.core.api import SORT_HELP, Day, Moment, PageNumber, PageSize
from sanbao.notifications.models import AttemptOutcome, Channel, TaskStatus
from sanbao.returns import selectors, services
from sanbao.returns.errors import message
from sanbao.returns.models import (
    AnomalyKind,
    BatchStatus,
    DelayReason,
    Disposition,
    Freight,
    ScanKind,
    ShipmentStatus,
    TestResult,
)
from sanbao.returns.states import WITH_UNITS, allowed_actions

# Input -----------------------------------------------------------------------------


class BatchLineIn(Schema):
    """One line of the packing list: a model, its fault as written on the labels,
    the accessories packed with it, whether it is bundled, and its box."""

    model_code: str = Field(..., max_length=40, description="A product model code, e.g. PB10K")
    quantity: int = Field(..., description="Units on the line, 1 to 999 (1 with a serial)")
    fault: str = Field(..., max_length=200, description="The fault as written on the label")
    box_no: int = Field(..., description="The box the line is packed in, from 1")
    serial: str = Field("", max_length=40, description="The unit's serial, when there is one")
    accessories: list[str] = Field(
        default_factory=list,
        max_length=20,
        description="Accessories included, e.g. 'data cable' with a power bank (IV.P1)",
    )
    bundled: bool = Field(False, description="Bundled with a tie (adapters and cables, IV.P4)")


class BatchIn(Schema):
    """The packing list (IV.2), the shipping terms (IV.P5, IV.P6) and the lines.
    A draft is written as given; the packing rules are checked on submission."""

    return_org_code: str = Field(
        "",
        max_length=32,
        description="Platform staff: the agent or enterprise returning the units. "
        "An agent or enterprise always returns its own.",
    )
    declared_units: int = Field(..., description="Total number of faulty units (IV.2)")
    declared_boxes: int = Field(..., description="Number of packages (IV.2)")
    packed_on: Day = Field(..., description="The date of the packing list")
    contact_person: str = Field(..., max_length=200)
    contact_phone: str = Field(..., max_length=40)
    carrier: str = Field("", max_length=200)
    waybill_no: str = Field("", max_length=200)
    home_delivery: bool = Field(
        True, description="False is accepted; the extra cost is then the shipper's (IV.P6)"
    )
    freight: Freight = Field(
        Freight.PREPAID, description="Cash on delivery is refused on submission (IV.P5)"
    )
    note: str = Field("", max_length=2000)
    lines: list[BatchLineIn] = Field(default_factory=list, max_length=services.MAX_LINES)


BatchSort = selectors.BATCH_SORTS.literal()
ShipmentSort = selectors.SHIPMENT_SORTS.literal()
QueueSort = selectors.QUEUE_SORTS.literal()


class BatchFilters(Schema):
    status: BatchStatus | None = None
    return_org: str | None = Field(None, max_length=32, description="Return unit's code")
    number: str | None = Field(None, max_length=20, description="Batch number prefix")
    sort: BatchSort | None = Field(None, description=SORT_HELP)
    page: PageNumber = 1
    page_size: PageSize = None


class RefusalIn(Schema):
    reason: str = Field(..., max_length=300, description="Shown to the return unit")


class ReceiptOpenIn(Schema):
    received_on: Day | None = Field(
        None,
        description=(
            "The day the parcel arrived (IV.5), today when left out: never in the future, "
            "never before the batch was sent. The turnaround counts from it."
        ),
    )


class ScanIn(Schema):
    code: str = Field(..., max_length=100, description="The code read off a fault label")
    box_no: int | None = Field(None, description="The box being counted (the line's if omitted)")


class UnitIn(Schema):
    """A unit that arrived without a label (of a listed line, if known) or one that
    is not on the packing list at all (IV.4)."""

    kind: Literal["unlabelled", "unlisted"]
    box_no: int | None = None
    model_code: str = Field("", max_length=40)
    line_no: int | None = Field(None, description="The listed line an unlabelled unit belongs to")
    note: str = Field("", max_length=200)


class CountIn(Schema):
    counted: int | None = Field(
        ..., description="Units of the line counted by hand; null to go back to the scans"
    )
    accessories_missing: list[str] = Field(default_factory=list, max_length=20)


class ReceiptCloseIn(Schema):
    received_boxes: int = Field(..., description="Packages that physically arrived (IV.4)")


class ResolutionIn(Schema):
    note: str = Field(..., max_length=2000, description="What was agreed with the return unit")


class AttemptIn(Schema):
    """One telephone call, fax or e-mail carried out by a person (IV.4)."""

    channel: Channel
    outcome: AttemptOutcome
    contact_person: str = Field("", max_length=100)
    number_or_address: str = Field("", max_length=254)
    at: Moment | None = Field(None, description="When; now if omitted")
    note: str = Field("", max_length=500)


# Output ----------------------------------------------------------------------------


class ProblemOut(Schema):
    clause: str
    code: str
    line_no: int | None = Field(None, description="Null: the batch as a whole")
    message: str
    blocking: bool = Field(..., description="False: allowed, but recorded (IV.P6)")


def _problem(problem) -> dict:
    return {
        "clause": problem.clause,
        "code": problem.code,
        "line_no": problem.line_no,
        "message": message(problem.code, **problem.params),
        "blocking": problem.blocking,
    }


class BatchLineOut(Schema):
    line_no: int
    model: str = Field(..., alias="model.code")
    category: str = Field(..., alias="model.category.code")
    serial: str
    quantity: int = Field(..., description="Declared on the packing list")
    fault: str
    accessories: list[str]
    bundled: bool
    box_no: int
    counted: int | None = Field(None, description="Typed at receipt, if typed")
    accessories_missing: list[str]
    received_quantity: int | None = Field(
        None, description="What physically arrived, once receipt is closed (IV.1)"
    )


class AnomalyOut(Schema):
    id: int
    batch: str = Field(..., alias="batch.number")
    kind: AnomalyKind
    line_no: int | None = Field(None, alias="line.line_no")
    expected: int
    found: int
    detail: str
    sentence: str = Field(..., description="The anomaly in the request's language")
    is_open: bool
    opened_at: dt.datetime
    resolved_at: dt.datetime | None
    resolution_note: str

    @staticmethod
    def resolve_sentence(obj) -> str:
        return selectors.anomaly_line(obj)


class TurnaroundOut(Schema):
    """IV.5: the batch against its due date (three working days after receipt, on
    the mainland Chinese calendar)."""

    clock_started_on: dt.date | None = Field(
        ..., description="The day of receipt, or the day its anomalies were resolved"
    )
    due_on: dt.date | None = Field(
        ..., description="Due back by the end of this day (Asia/Shanghai); null while on hold"
    )
    provisional: bool = Field(
        ..., description="A year in between has no known official schedule yet"
    )
    working_days_left: int | None
    working_days_overdue: int | None
    overdue: bool
    delayed: bool = Field(..., description="IV.6: only delayed units are left; not overdue")
    shipped_at: dt.datetime | None
    on_time: bool | None
    working_days_late: int | None


def _turnaround(batch) -> dict:
    """The batch's turnaround, as the selector worked it out (``with_turnaround``)."""
    t = batch.turnaround_now
    return {
        "clock_started_on": batch.clock_started_on,
        "due_on": t.due_on,
        "provisional": t.provisional,
        "working_days_left": t.working_days_left,
        "working_days_overdue": t.working_days_overdue,
        "overdue": t.overdue,
        "delayed": t.delayed,
        "shipped_at": batch.shipped_at,
        "on_time": t.on_time,
        "working_days_late": t.working_days_late,
    }


class UnitCountsOut(Schema):
    total: int
    tested: int
    settled: int = Field(..., description="Tested and dealt with")
    delayed: int
    shipped: int


class BatchSummaryOut(Schema):
    number: str
    status: BatchStatus
    return_org: str = Field(..., alias="return_org.code")
    declared_units: int
    declared_boxes: int
    received_units: int | None
    received_boxes: int | None
    packed_on: dt.date
    carrier: str
    waybill_no: str
    extra_cost_to_shipper: bool
    created_at: dt.datetime
    submitted_at: dt.datetime | None
    receipt_closed_at: dt.datetime | None
    due_on: dt.date | None = Field(..., description="IV.5: due back by the end of this day")
    due_provisional: bool
    working_days_late: int | None


class QueueEntryOut(Schema):
    """A batch in the platform's turnaround queue (IV.5), read from the rows of
    ``selectors.queue_entries``."""

    number: str
    status: BatchStatus
    return_org: str = Field(..., alias="return_org_code")
    received_units: int | None
    units_total: int
    units_settled: int
    units_to_follow: int = Field(
        ..., description="Delayed units not yet shipped back (IV.6): the batch stays listed"
    )
    receipt_closed_at: dt.datetime | None
    turnaround: TurnaroundOut

    @staticmethod
    def resolve_turnaround(obj) -> dict:
        return _turnaround(obj)


class BatchOut(Schema):
    number: str
    status: BatchStatus
    return_org: str = Field(..., alias="return_org.code")
    # The packing list (IV.2)
    declared_units: int
    declared_boxes: int
    repair_list_pages: int = Field(..., description="Fixed when the batch is submitted (IV.2)")
    packed_on: dt.date
    contact_person: str
    contact_phone: str
    note: str
    # Shipping terms (IV.P5, IV.P6)
    carrier: str
    waybill_no: str
    home_delivery: bool
    freight: Freight
    extra_cost_to_shipper: bool
    # Receipt (IV.1): what arrived, beside what was declared
    received_units: int | None
    received_boxes: int | None
    receipt_opened_at: dt.datetime | None
    received_on: dt.date | None = Field(..., description="The day the parcel arrived (IV.5)")
    receipt_closed_at: dt.datetime | None
    refusal_reason: str

    lines: list[BatchLineOut]
    allowed_actions: list[str]
    packing_problems: list[ProblemOut] = Field(
        ..., description="What stops a draft from being submitted (empty after a draft)"
    )
    open_anomalies: list[AnomalyOut]
    turnaround: TurnaroundOut
    units: UnitCountsOut = Field(..., description="The units received, once testing started")
    created_at: dt.datetime
    submitted_at: dt.datetime | None
    updated_at: dt.datetime
    closed_at: dt.datetime | None

    @staticmethod
    def resolve_turnaround(obj) -> dict:
        return _turnaround(obj)

    @staticmethod
    def resolve_units(obj) -> dict:

        if obj.status not in WITH_UNITS:
            return dict.fromkeys(("total", "tested", "settled", "delayed", "shipped"), 0)
        return vars(selectors.unit_counts(obj))

    @staticmethod
    def resolve_lines(obj) -> list:
        return list(obj.lines.select_related("model__category").order_by("line_no"))

    @staticmethod
    def resolve_allowed_actions(obj, context) -> list[str]:
        return allowed_actions(obj, context["request"].auth)

    @staticmethod
    def resolve_packing_problems(obj) -> list[dict]:
        if obj.status != BatchStatus.DRAFT:
            return []
        return [_problem(p) for p in selectors.batch_check(obj)]

    @staticmethod
    def resolve_open_anomalies(obj) -> list:
        return list(selectors.open_anomalies(obj).select_related("batch"))


class ScanOut(Schema):
    created: bool = Field(..., description="True: counted now; false: already counted before")
    already_counted: bool
    code: str
    kind: ScanKind
    line_no: int | None = Field(None, alias="line.line_no")
    box_no: int | None
    model: str | None = Field(None, alias="model.code")
    note: str
    scanned_at: dt.datetime


class LineCountOut(Schema):
    line_no: int
    declared: int
    scanned: int
    typed: int | None
    counted: int
    accessories_missing: list[str]


class BoxCountOut(Schema):
    box_no: int
    counted: int


class CountsOut(Schema):
    """Running counts of a receipt: per line, per box and in total (IV.1)."""

    lines: list[LineCountOut]
    boxes: list[BoxCountOut]
    unlisted: int
    unlabelled: int
    unplaced: int = Field(0, description="Unlabelled units not put on any line")
    total: int = Field(..., description="Every unit counted, listed or not")
    declared: int


class AttemptOut(Schema):
    id: int
    channel: Channel
    outcome: AttemptOutcome
    contacted_by: str | None = Field(None, description="Shown to platform users only")
    contact_person: str
    number_or_address: str
    at: dt.datetime
    note: str

    @staticmethod
    def resolve_contacted_by(obj, context) -> str | None:
        actor = context["request"].auth
        if obj.contacted_by_id is None or getattr(actor, "role", None) not in PLATFORM_ROLES:
            return None
        return obj.contacted_by.display_name


class ContactTaskOut(Schema):
    id: int
    recipient: str = Field(..., alias="recipient.code")
    subject: str = Field(..., alias="title")
    body: str
    channel: Channel
    status: TaskStatus
    about: str = Field(..., alias="target_repr")
    created_at: dt.datetime
    done_at: dt.datetime | None
    attempts: list[AttemptOut]

    @staticmethod
    def resolve_attempts(obj) -> list:
        return list(obj.attempts.all())


class ImportRowErrorOut(Schema):
    row: int | None = Field(None, description="The spreadsheet row (1 is the header)")
    column: str = ""
    code: str = ""
    message: str


class LinesImportRejectedOut(Schema):
    code: str
    message: str
    fields: dict[str, list[str]] = {}
    params: dict[str, str] = {}
    errors: list[ImportRowErrorOut] = []


# Testing, dispositions, delays (IV.P2, IV.6, II.3, II.4) -----------------------------


class UnitTestIn(Schema):
    """A unit's test. ``excluded_rule`` (III.1–III.10) and ``evidence`` for an
    exclusion; ``evidence`` also for no fault found. A photo is sent as the
    ``photo`` file of the same multipart request (required for III.4–III.8, III.10)."""

    result: TestResult
    excluded_rule: str = Field("", max_length=8, description="A rule of section III, e.g. III.6")
    evidence: str = Field("", max_length=2000)
    serial_in: str | None = Field(None, max_length=40, description="The serial read off the unit")
    model_code: str = Field("", max_length=40, description="For a unit not on the packing list")


class UnitDisposeIn(Schema):
    disposition: Disposition
    parts_used: list[str] = Field(
        default_factory=list, max_length=20, description="Repaired: the parts fitted"
    )
    replacement_model_code: str = Field(
        "", max_length=40, description="Replaced: the model given (same model if empty; II.3)"
    )
    replacement_serial: str = Field("", max_length=40, description="Replaced: the new serial")
    charge_amount: Decimal | None = Field(None, description="Charged: yuan (IV.P2)")
    charge_reason: str = Field("", max_length=300, description="Charged: printed on the list")
    retained_location: str = Field(
        "", max_length=100, description="Where the replaced unit or parts are kept (II.4)"
    )
    note: str = Field("", max_length=300)
    replacement_decision: str = Field(
        "",
        max_length=MAX_DECISION_REASON,
        description="II.3: an after-sales manager's reason for accepting a different model "
        "when the original has no performance specifications (replacements.decide; audited)",
    )


class DelayIn(Schema):
    reason: DelayReason
    note: str = Field("", max_length=300)


class ReturnedUnitOut(Schema):
    id: int
    batch: str = Field(..., alias="batch.number")
    seq: int
    code: str
    line_no: int | None = Field(None, alias="line.line_no")
    fault: str | None = Field(None, alias="line.fault")
    model: str | None = Field(None, alias="model.code")
    serial_in: str
    result: str
    excluded_rule: str
    evidence: str
    has_photo: bool
    tested_at: dt.datetime | None
    disposition: str
    parts_used: list[str]
    replacement_model: str | None = Field(None, alias="replacement_model.code")
    serial_out: str
    charge_amount: Decimal | None
    charge_reason: str
    disposition_note: str
    disposed_at: dt.datetime | None
    delay_reason: str
    delay_note: str
    shipment: str | None = Field(None, alias="shipment.number")

    @staticmethod
    def resolve_has_photo(obj) -> bool:
        return bool(obj.photo)


# Shipments and delivery lists (IV.7) ---------------------------------------------------


class ShipmentIn(Schema):
    return_org_code: str = Field(..., max_length=32)
    unit_ids: list[int] = Field(..., max_length=5000, description="Returned units to send")
    carrier: str = Field("", max_length=60)
    waybill_no: str = Field("", max_length=60)
    order_no: str = Field(
        "", max_length=60, description="The return unit's order; required with delayed units"
    )
    note: str = Field("", max_length=500)


class DispatchIn(Schema):
    waybill_no: str = Field("", max_length=60, description="Required unless given before")
    carrier: str = Field("", max_length=60)


class ShipmentFilters(Schema):
    return_org: str | None = Field(None, max_length=32)
    status: ShipmentStatus | None = None
    sort: ShipmentSort | None = Field(None, description=SORT_HELP)
    page: PageNumber = 1
    page_size: PageSize = None


class _ShipmentHeader(Schema):
    """The fields a shipment shows in a list and on its own alike."""

    number: str
    status: ShipmentStatus
    return_org: str = Field(..., alias="return_org.code")
    carrier: str
    waybill_no: str
    order_no: str


class ShipmentSummaryOut(_ShipmentHeader):
    unit_count: int
    created_at: dt.datetime
    shipped_at: dt.datetime | None


class ShipmentOut(_ShipmentHeader):
    note: str
    created_at: dt.datetime
    shipped_at: dt.datetime | None
    batches: list[str]
    units: list[ReturnedUnitOut]

    @staticmethod
    def resolve_batches(obj) -> list[str]:

        return [b.number for b in selectors.shipment_batches(obj)]

    @staticmethod
    def resolve_units(obj) -> list:

        return list(selectors.shipment_units(obj))
