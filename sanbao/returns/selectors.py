"""Reads of return batches and their anomalies, units and shipments: tenant-scoped
lists and look-ups, and what the pages and the API show of a batch."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from types import SimpleNamespace

from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sanbao.accounts.roles import PLATFORM_ROLES, require
from sanbao.core.filters import filter_given
from sanbao.core.prepared import Prepared, PreparedList
from sanbao.core.sorting import Sorting, SortKey
from sanbao.core.tenancy import get_numbered, get_visible, typed_number
from sanbao.notifications.models import ContactTask, TaskStatus
from sanbao.returns import policy, reasons
from sanbao.returns.models import (
    AnomalyKind,
    BatchStatus,
    ReceiptAnomaly,
    ReceiptScan,
    ReturnBatch,
    ReturnedUnit,
    ScanKind,
    Shipment,
    ShipmentStatus,
)
from sanbao.returns.reasons import ANOMALY_SENTENCES
from sanbao.returns.states import AWAITING_RETURN, MOVES
from sanbao.workdays import services as workdays

# The batch list's orders (issue 15): 100,000 batches, each order read from an
# index: ``returns_batch_newest_idx`` (created_at, id), the number's unique one and
# ``returns_batch_due_idx`` (due_on, id).
BATCH_SORTS = Sorting(
    SortKey("created", _("Created"), "created_at"),
    SortKey("number", _("Batch"), "number", unique=True),
    SortKey("due", _("Due back by"), "due_on"),
    default="-created",
)


def batch_list(
    *,
    actor,
    status: str | None = None,
    return_org: str | None = None,
    number: str | None = None,
    attention: str | None = None,
    sort: str | None = None,
) -> QuerySet[ReturnBatch]:
    """The batches the actor sees; ``attention``: only those that need it (one of
    ``ATTENTION``: overdue, due back today, a call or fax to make, sent back late),
    as the home page counts them."""
    require(actor, "returns.view")
    # ``late_delay``: whether a batch waiting for delayed units is overdue (IV.6).
    qs = filter_given(
        with_late_delays(ReturnBatch.objects.visible_to(actor)).select_related("return_org"),
        status=status,
        return_org__code=return_org,
        number__istartswith=(number or "").strip(),
    )
    if attention in ATTENTION:
        qs = qs.filter(ATTENTION[attention](timezone.localdate()))
    return BATCH_SORTS.apply(qs, sort)


def with_open_anomalies(batches: QuerySet[ReturnBatch]) -> QuerySet[ReturnBatch]:
    """``batches`` with ``open_anomalies``: how many of each one's receipt anomalies
    are unresolved. A correlated count, not a join grouped by batch: the database
    sorts and pages the batches by their own index and counts anomalies for the
    rows of the page only (a join counted them for every batch before the page
    was cut: 260 ms at 100,000 batches, issue 15)."""
    open_ones = (
        ReceiptAnomaly.objects.filter(batch=OuterRef("pk"), resolved_at__isnull=True)
        .order_by()
        .values("batch")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return batches.annotate(open_anomalies=Coalesce(Subquery(open_ones), 0))


def batch_get(*, actor, number: str) -> ReturnBatch:
    require(actor, "returns.view")
    batches = ReturnBatch.objects.select_related("return_org", "created_by", "received_by")
    return get_numbered(batches, actor, number, error_code="returns.batch_not_found")


def anomaly_get(*, actor, pk: int) -> ReceiptAnomaly:
    require(actor, "returns.view")
    return get_visible(
        ReceiptAnomaly.objects.select_related("batch", "batch__return_org", "line"),
        actor,
        error_code="returns.anomaly_not_found",
        pk=pk,
    )


ANOMALY_SORTS = Sorting(
    SortKey("opened", _("Opened"), "opened_at"),
    SortKey("batch", _("Batch"), "batch__number"),
    default="-opened",
)


def anomaly_list(
    *,
    actor,
    batch: ReturnBatch | None = None,
    open_only: bool = False,
    sort: str | None = None,
) -> QuerySet[ReceiptAnomaly]:
    """IV.4: receipt anomalies; a return unit sees those of its own batches."""
    require(actor, "returns.view")
    qs = ReceiptAnomaly.objects.visible_to(actor).select_related(
        "batch", "batch__return_org", "line", "resolved_by"
    )
    if batch is not None:
        qs = qs.filter(batch=batch)
    if open_only:
        qs = qs.filter(resolved_at__isnull=True)
    return ANOMALY_SORTS.apply(qs, sort)


def batch_contact_tasks(*, actor, batch: ReturnBatch) -> QuerySet[ContactTask]:
    """IV.4: the contact tasks (notices) about a batch and their attempts, for
    platform staff and for the return unit the batch belongs to."""
    require(actor, "returns.view")
    if not ReturnBatch.objects.visible_to(actor).filter(pk=batch.pk).exists():
        return ContactTask.objects.none()
    return (
        ContactTask.objects.visible_to(actor)
        .filter(target_type=ReturnBatch._meta.label_lower, target_id=str(batch.pk))
        .prefetch_related("attempts")
        .order_by("created_at", "id")
    )


# --- Testing, the turnaround queue, shipments (IV.5–IV.7) ------------------------------


def returned_unit_list(*, actor, batch: ReturnBatch) -> QuerySet[ReturnedUnit]:
    """The units received in a batch, in order, for whoever may see the batch."""
    require(actor, "returns.view")
    return (
        ReturnedUnit.objects.visible_to(actor)
        .filter(batch=batch)
        .select_related("line", "model", "replacement_model", "shipment", "tested_by")
        .order_by("seq")
    )


def returned_unit_get(*, actor, pk: int) -> ReturnedUnit:
    require(actor, "returns.view")
    return get_visible(
        ReturnedUnit.objects.select_related(
            "batch", "batch__return_org", "line", "model", "replacement_model", "shipment"
        ),
        actor,
        error_code="returns.unit_not_found",
        pk=pk,
    )


def returned_unit_of(*, actor, batch: ReturnBatch, seq: int) -> ReturnedUnit:
    """Unit number ``seq`` of a batch the caller sees."""
    require(actor, "returns.view")
    unit = get_visible(
        ReturnedUnit.objects.select_related("line", "model", "replacement_model", "shipment"),
        actor,
        error_code="returns.unit_not_found",
        batch=batch,
        seq=seq,
    )
    unit.batch = batch
    return unit


@dataclass(frozen=True)
class UnitCounts:
    total: int
    tested: int
    settled: int
    delayed: int
    shipped: int


def unit_counts(batch: ReturnBatch) -> UnitCounts:
    """How far the batch's units are: tested, dealt with, delayed, shipped."""
    figures = batch.units.aggregate(
        total=Count("id"),
        tested=Count("id", filter=~Q(result="")),
        settled=Count("id", filter=~Q(disposition="")),
        delayed=Count("id", filter=~Q(delay_reason="")),
        shipped=Count("id", filter=Q(shipment__status=ShipmentStatus.SHIPPED)),
    )
    return UnitCounts(**figures)


@dataclass(frozen=True)
class Turnaround:
    """How a batch stands against its due date (IV.5), as of ``today``."""

    due_on: dt.date | None
    provisional: bool
    working_days_left: int | None  # by the end of the due day; None when overdue
    working_days_overdue: int | None  # None when not overdue
    shipped: bool
    working_days_late: int | None  # once shipped
    delayed: bool  # IV.6: only delayed units are left to send; no clock runs on them

    @property
    def overdue(self) -> bool:
        return self.working_days_overdue is not None

    @property
    def on_time(self) -> bool | None:
        return None if self.working_days_late is None else self.working_days_late == 0


def late_delays_pending() -> Exists:
    """IV.5, IV.6: for a batch (the outer query's row), a unit not yet shipped back
    whose delay was declared after the batch's due date: it excuses nothing."""
    return Exists(
        ReturnedUnit.objects.filter(batch=OuterRef("pk"), delayed_at__date__gt=OuterRef("due_on"))
        .exclude(delay_reason="")
        .filter(Q(shipment__isnull=True) | ~Q(shipment__status=ShipmentStatus.SHIPPED))
    )


def clock_running() -> Q:
    """IV.5: batches whose turnaround clock runs: received and not yet sent back
    (received, testing, ready), and those waiting for delayed units (IV.6) one of
    which was delayed after the due date."""
    return Q(status__in=AWAITING_RETURN) | Q(status=BatchStatus.DELAYED, late_delay=True)


def with_late_delays(qs: QuerySet[ReturnBatch]) -> QuerySet[ReturnBatch]:
    """``qs`` with ``late_delay`` (see ``late_delays_pending``) for ``clock_running``."""
    return qs.annotate(late_delay=late_delays_pending())


def _late_delay(batch: ReturnBatch) -> bool:
    known = getattr(batch, "late_delay", None)
    if known is not None:
        return known
    return (
        with_late_delays(ReturnBatch.objects.filter(pk=batch.pk)).filter(late_delay=True).exists()
    )


def turnaround(batch: ReturnBatch, today: dt.date | None = None, cal=None) -> Turnaround:
    """Time left or overdue, counted while the batch awaits its return (received,
    testing, ready); a batch delayed for its remaining units (IV.6) is not overdue,
    unless one of them was delayed after the due date: that delay excuses nothing.
    ``cal``: the calendar to count on, when a list asks for many batches."""
    today = today or timezone.localdate()
    shipped = batch.shipped_at is not None
    left = overdue = None
    running = batch.status in AWAITING_RETURN or (
        batch.status == BatchStatus.DELAYED
        and batch.due_on is not None
        and today > batch.due_on
        and _late_delay(batch)
    )
    if batch.due_on is not None and not shipped and running:
        if today <= batch.due_on:
            cal = cal or workdays.calendar()
            left = cal.working_days_between(today, batch.due_on)
        else:
            cal = cal or workdays.calendar()
            overdue = max(1, cal.working_days_between(batch.due_on, today))
    return Turnaround(
        due_on=batch.due_on,
        provisional=batch.due_provisional,
        working_days_left=left,
        working_days_overdue=overdue,
        shipped=shipped,
        working_days_late=batch.working_days_late,
        delayed=batch.status == BatchStatus.DELAYED,
    )


def with_turnaround(batches: list[ReturnBatch]) -> list[ReturnBatch]:
    """IV.5: set each batch's ``turnaround_now`` (time left, overdue, late), counted
    on one calendar for them all, read only if one of them needs it."""
    needs = any(b.due_on is not None and b.shipped_at is None for b in batches)
    cal = workdays.calendar() if needs else None
    for batch in batches:
        batch.turnaround_now = turnaround(batch, cal=cal)
    return batches


# The queue's orders: its own (IV.5: the batches whose clock runs, soonest due
# first, then those on hold, then those waiting for delayed units), either way, or
# by number. A few hundred batches are ever queued: sorted in memory.
QUEUE_SORTS = Sorting(
    SortKey("due", _("Due back by"), "queue_group", "due_on", "receipt_closed_at"),
    SortKey("number", _("Batch"), "number", unique=True),
    default="due",
    tiebreak="number",
)


def turnaround_queue(*, actor, sort: str | None = None) -> QuerySet[ReturnBatch]:
    """IV.5: the platform's work queue: batches received and not yet sent back,
    soonest due first; then batches on hold (no due date until their anomalies
    are resolved); last, batches whose delayed units are still to follow (IV.6),
    which stay listed until those units ship (``units_to_follow``: how many). A
    batch waiting for a unit delayed after its due date is overdue: it is listed
    with those whose clock runs.

    The unit counts are correlated subqueries, not a join grouped by batch: the
    database sorts the queue's batches without touching their units and counts
    units only for the rows of the page it returns, and ``count()`` is a plain
    count of the queued batches (issue 14)."""
    require(actor, "returns.receive")
    return _queue(ReturnBatch.objects.visible_to(actor), sort)


def _queue(batches: QuerySet[ReturnBatch], sort: str | None = None) -> QuerySet[ReturnBatch]:
    queue = (
        with_late_delays(batches)
        .filter(status__in=QUEUE_STATES)
        .select_related("return_org")
        .annotate(
            units_total=_units_counted(Q()),
            units_settled=_units_counted(~Q(disposition="")),
            units_to_follow=_units_counted(TO_FOLLOW),
            queue_group=Case(
                When(clock_running(), then=Value(0)),
                When(status=BatchStatus.ON_HOLD, then=Value(1)),
                default=Value(2),
            ),
        )
    )
    return QUEUE_SORTS.apply(queue, sort)


def queue_entries(rows) -> list[SimpleNamespace]:
    """A page of the queue as the API shows it (``QueueEntryOut``), from
    ``queue_rows`` (dicts): each with its ``turnaround_now``."""
    return with_turnaround([SimpleNamespace(**row) for row in rows])


def queue_rows(batches: QuerySet[ReturnBatch]) -> QuerySet[dict]:
    """What the API's queue shows of each batch, and what its turnaround is worked
    out from: 14 columns read as dicts, no model instances."""
    return batches.values(*QUEUE_COLUMNS, return_org_code=F("return_org__code"))


# What the queue shows of a batch, and what its turnaround is worked out from.
QUEUE_COLUMNS = (
    "number",
    "status",
    "received_units",
    "receipt_closed_at",
    "clock_started_on",
    "due_on",
    "due_provisional",
    "shipped_at",
    "working_days_late",
    "late_delay",
    "units_total",
    "units_settled",
    "units_to_follow",
)

# Issue 14: the platform's queue (every batch visible) compiled once per process,
# one query per order of the queue; ``queue_for_api`` runs it. Built from
# ``_queue`` itself, so it is the same query.
_PLATFORM_QUEUES = {
    sort: Prepared(lambda p, sort=sort: queue_rows(_queue(ReturnBatch.objects.all(), sort)))
    for sort in QUEUE_SORTS.values()
}
_PLATFORM_QUEUED = Prepared(
    lambda p: ReturnBatch.objects.filter(status__in=QUEUE_STATES).order_by().values("pk")
)


def queue_for_api(*, actor, sort: str | None = None):
    """The queue as the API pages it: ``paginate`` takes its count and a slice of
    rows (dicts, see ``queue_rows``); ``queue_entries`` makes the page's entries.
    A platform user sees every batch (``OrgScopedQuerySet``), so its queue is
    the prepared one; anyone else's is built as ``turnaround_queue`` builds it."""
    require(actor, "returns.receive")
    if actor.role in PLATFORM_ROLES:
        key, descending = QUEUE_SORTS.split(sort)
        queue = _PLATFORM_QUEUES[f"-{key.name}" if descending else key.name]
        return PreparedList(queue, _PLATFORM_QUEUED)
    return queue_rows(turnaround_queue(actor=actor, sort=sort))


# The states of the batches in the work queue (IV.5, IV.6).
QUEUE_STATES = [*AWAITING_RETURN, BatchStatus.ON_HOLD, BatchStatus.DELAYED]

# IV.6: a returned unit still to follow: delayed and not yet shipped back (in no
# shipment, or in one prepared that has not left).
TO_FOLLOW = ~Q(delay_reason="") & (
    Q(shipment__isnull=True) | Q(shipment__status=ShipmentStatus.PREPARED)
)


def _units_counted(condition: Q) -> Coalesce:
    """How many of the outer batch's units meet ``condition`` (0 when none)."""
    units = (
        ReturnedUnit.objects.filter(condition, batch=OuterRef("pk"))
        .order_by()
        .values("batch")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(units), 0)


# --- What needs attention: the home pages' counts and the lists they open -------------


def clock_running_now() -> Q:
    """``clock_running`` for a query without the ``late_delay`` annotation (an
    aggregate): the delayed batch's late unit asked for in place."""
    return Q(status__in=AWAITING_RETURN) | (
        Q(status=BatchStatus.DELAYED) & Q(late_delays_pending())
    )


def overdue(today: dt.date) -> Q:
    """IV.5: not sent back and past the end of its due day while its clock runs (a
    batch waiting only for units delayed in time is not overdue, IV.6)."""
    # The cheap conditions first: the delayed batch's subquery runs only for the rest.
    return Q(due_on__lt=today, shipped_at__isnull=True) & clock_running_now()


def due_today(today: dt.date) -> Q:
    """IV.5: to be sent back by the end of today."""
    return Q(due_on=today, shipped_at__isnull=True) & clock_running_now()


def contact_pending(today: dt.date | None = None) -> Q:
    """IV.4: a call or fax to make: an open contact task (no attempt has reached
    the return unit yet) about a batch still in a state where an attempt is
    recorded (on hold, or received once its anomalies were resolved)."""
    tasks = ContactTask.objects.filter(
        status=TaskStatus.OPEN,
        target_type=ReturnBatch._meta.label_lower,
        target_id=Cast(OuterRef("pk"), output_field=CharField()),
    )
    return Q(status__in=MOVES["contact"].sources) & Q(Exists(tasks))


def sent_back_late(today: dt.date) -> Q:
    """IV.5: shipped back after its due day, or overdue and not yet shipped."""
    return Q(working_days_late__gt=0) | overdue(today)


# The batch list's ``attention`` filter: name -> the condition as of a day.
ATTENTION = {
    "overdue": overdue,
    "due_today": due_today,
    "to_contact": contact_pending,
    "late": sent_back_late,
}


@dataclass(frozen=True)
class ReturnsWork:
    """What a home page counts of the return batches the actor sees (see
    ``returns_work``)."""

    by_status: dict[str, int]
    overdue: int
    due_today: int
    to_contact: int
    on_time: int | None  # shipped back by the end of the due day (IV.5); None: not asked
    late: int | None  # shipped back after it, or overdue and not yet shipped
    open_anomalies: int
    units_to_follow: int
    next_due: list[ReturnBatch]

    @property
    def on_time_rate(self) -> float | None:
        """On time / (on time + late); None before any batch is due."""
        if self.on_time is None or self.late is None:
            return None
        judged = self.on_time + self.late
        return self.on_time / judged if judged else None


# The states a batch ends in: the home pages count them only as history.
ENDED = (BatchStatus.SHIPPED, BatchStatus.CLOSED, BatchStatus.REFUSED)


def _lateness() -> dict:
    """The batches sent back on time and after their due day (IV.5)."""
    return {
        "on_time": Count("pk", filter=Q(working_days_late=0)),
        "shipped_late": Count("pk", filter=Q(working_days_late__gt=0)),
    }


def returns_work(
    *, actor, today: dt.date | None = None, next_due: int = 5, history: bool = True
) -> ReturnsWork:
    """The home page's counts of return batches, scoped to the actor: batches by
    state, overdue, due back today, calls or faxes to make (IV.4, IV.5), the
    on-time record, open receipt anomalies, units still to follow (IV.6), and the
    ``next_due`` batches soonest due back. At most five queries whatever the rows:
    one aggregate over the batches still open (read through the status index: a
    million-row history is not scanned for the day's work), one over the ended
    ones (``history``: their states and the on-time record; the after-sales
    staff's page, which shows neither, leaves it out and gets None for both), one
    count each of anomalies and units, and the soonest due."""
    require(actor, "returns.view")
    today = today or timezone.localdate()
    batches = ReturnBatch.objects.visible_to(actor).order_by()
    open_states = [value for value in BatchStatus.values if value not in ENDED]
    figures = batches.filter(status__in=open_states).aggregate(
        **{f"s_{value}": Count("pk", filter=Q(status=value)) for value in open_states},
        overdue=Count("pk", filter=overdue(today)),
        due_today=Count("pk", filter=due_today(today)),
        to_contact=Count("pk", filter=contact_pending()),
        **_lateness(),
    )
    by_status = {value: figures[f"s_{value}"] for value in open_states}
    on_time = late = None
    if history:
        ended = batches.filter(status__in=ENDED).aggregate(
            **{f"s_{value}": Count("pk", filter=Q(status=value)) for value in ENDED},
            **_lateness(),
        )
        by_status.update({value: ended[f"s_{value}"] for value in ENDED})
        # A batch sent back (a delayed one too, its late units to follow) has its
        # lateness counted; one not sent back is late once overdue.
        on_time = figures["on_time"] + ended["on_time"]
        late = figures["shipped_late"] + ended["shipped_late"] + figures["overdue"]
    soonest = (
        list(
            batches.filter(clock_running_now(), due_on__isnull=False, shipped_at__isnull=True)
            .select_related("return_org")
            .order_by("due_on", "number")[:next_due]
        )
        if next_due
        else []
    )
    return ReturnsWork(
        by_status=by_status,
        overdue=figures["overdue"],
        due_today=figures["due_today"],
        to_contact=figures["to_contact"],
        on_time=on_time,
        late=late,
        open_anomalies=ReceiptAnomaly.objects.visible_to(actor)
        .filter(resolved_at__isnull=True)
        .count(),
        units_to_follow=ReturnedUnit.objects.visible_to(actor).filter(TO_FOLLOW).count(),
        next_due=soonest,
    )


def units_to_follow(*, actor, return_org: str | None = None) -> QuerySet[ReturnedUnit]:
    """IV.6: the delayed units not yet shipped back ("still to follow"), by return
    unit and batch: every return unit's for the platform, its own for a return
    unit; ``return_org``: one return unit's only."""
    require(actor, "returns.view")
    qs = (
        ReturnedUnit.objects.visible_to(actor)
        .filter(TO_FOLLOW)
        .select_related("batch", "batch__return_org", "model", "line", "shipment")
    )
    if return_org:
        qs = qs.filter(batch__return_org__code=return_org)
    return qs.order_by("batch__return_org__code", "batch__number", "seq")


SHIPMENT_SORTS = Sorting(
    SortKey("prepared", _("Prepared"), "created_at"),
    SortKey("number", _("Delivery list number"), "number", unique=True),
    SortKey("shipped", _("Shipped"), "shipped_at"),
    default="-prepared",
)


def shipment_list(
    *,
    actor,
    return_org: str | None = None,
    status: str | None = None,
    sort: str | None = None,
) -> QuerySet[Shipment]:
    require(actor, "returns.view")
    qs = Shipment.objects.visible_to(actor).select_related("return_org")
    qs = filter_given(qs, return_org__code=return_org, status=status)
    return SHIPMENT_SORTS.apply(qs.annotate(unit_count=Count("units")), sort)


def shipment_get(*, actor, number: str) -> Shipment:
    require(actor, "returns.view")
    shipments = Shipment.objects.select_related("return_org", "created_by", "shipped_by")
    return get_numbered(shipments, actor, number, error_code="returns.shipment_not_found")


def shipment_units(shipment: Shipment) -> QuerySet[ReturnedUnit]:
    return shipment.units.select_related("batch", "line", "model", "replacement_model").order_by(
        "batch__number", "seq"
    )


def shipment_batches(shipment: Shipment) -> QuerySet[ReturnBatch]:
    return ReturnBatch.objects.filter(units__shipment=shipment).distinct().order_by("number")


def units_to_ship(*, actor, return_org: str) -> QuerySet[ReturnedUnit]:
    """What may go back to a return unit now: units dealt with, in no shipment, of
    its batches ready to go back; delayed units among them go with an order (IV.6)."""
    require(actor, "returns.receive")
    return (
        ReturnedUnit.objects.visible_to(actor)
        .filter(
            batch__return_org__code=return_org,
            batch__status__in=[BatchStatus.READY, BatchStatus.DELAYED],
            shipment__isnull=True,
        )
        .exclude(disposition="")
        .select_related("batch", "model", "replacement_model", "line")
        .order_by("batch__due_on", "batch__number", "seq")
    )


def return_orgs_to_ship(*, actor) -> list[tuple[str, int]]:
    """(code, units waiting) of the return units with units ready to go back."""
    require(actor, "returns.receive")
    rows = (
        ReturnedUnit.objects.visible_to(actor)
        .filter(
            batch__status__in=[BatchStatus.READY, BatchStatus.DELAYED],
            shipment__isnull=True,
        )
        .exclude(disposition="")
        .values("batch__return_org__code")
        .annotate(n=Count("id"))
        .order_by("batch__return_org__code")
    )
    return [(r["batch__return_org__code"], r["n"]) for r in rows]


def delayed_units(batch: ReturnBatch) -> QuerySet[ReturnedUnit]:
    """IV.6: the units of a batch marked delayed, with the shipment they went in."""
    return (
        batch.units.exclude(delay_reason="")
        .select_related("model", "line", "shipment")
        .order_by("seq")
    )


# --- Reads the services and the API share ------------------------------------------


def line_facts(batch: ReturnBatch) -> list[policy.LineFacts]:
    return [
        policy.LineFacts(
            line_no=line.line_no,
            category=line.model.category.code,
            quantity=line.quantity,
            box_no=line.box_no,
            accessories=frozenset(line.accessories),
            required_accessories=frozenset(line.model.category.required_accessories),
            must_be_bundled=line.model.category.must_be_bundled,
            bundled=line.bundled,
        )
        for line in batch.lines.select_related("model__category").order_by("line_no")
    ]


def batch_check(batch: ReturnBatch) -> list[policy.Problem]:
    """The packing problems of a batch, and the packing list's own consistency."""
    facts = line_facts(batch)
    problems = policy.packing_problems(
        facts, freight=batch.freight, home_delivery=batch.home_delivery
    )
    total = sum(f.quantity for f in facts)
    if facts and total != batch.declared_units:
        problems.append(
            policy.Problem(
                "IV.2",
                "returns.declared_total_mismatch",
                None,
                {"declared": batch.declared_units, "lines": total},
            )
        )
    top_box = max((f.box_no for f in facts), default=0)
    if top_box > batch.declared_boxes:
        problems.append(
            policy.Problem(
                "IV.2",
                "returns.declared_boxes_too_few",
                None,
                {"box": top_box, "declared": batch.declared_boxes},
            )
        )
    return problems


# The units an anomaly names at most (the notice is one faxed page).
UNITS_NAMED_MAX = 10

# The units counted at receipt that an anomaly of each kind is about.
ANOMALY_SCANS = {
    AnomalyKind.UNLISTED_UNITS: ScanKind.UNLISTED,
    AnomalyKind.UNLABELLED_UNITS: ScanKind.UNLABELLED,
}


def _unit_named(scan: ReceiptScan) -> str:
    parts = [scan.model.code if scan.model_id else str(reasons.UNIT_MODEL_NOT_KNOWN)]
    if scan.line_id:
        parts.append(str(reasons.UNIT_LINE) % {"line": scan.line.line_no})
    if scan.box_no:
        parts.append(str(reasons.UNIT_BOX) % {"box": scan.box_no})
    unit = ", ".join(parts)
    return str(reasons.UNIT_WITH_NOTE) % {"unit": unit, "note": scan.note} if scan.note else unit


def anomaly_units(anomaly: ReceiptAnomaly) -> str:
    """IV.4: the units an anomaly is about, named so the return unit can tell which
    they were (a unit not on the list or without a label: its model, line, box and
    the note recorded at receipt); empty for the other kinds."""
    kind = ANOMALY_SCANS.get(anomaly.kind)
    if kind is None:
        return ""
    scans = list(
        ReceiptScan.objects.filter(batch_id=anomaly.batch_id, kind=kind)
        .select_related("model", "line")
        .order_by("scanned_at", "id")[: UNITS_NAMED_MAX + 1]
    )
    if not scans:
        return ""
    named = [_unit_named(scan) for scan in scans[:UNITS_NAMED_MAX]]
    if len(scans) > UNITS_NAMED_MAX:
        total = ReceiptScan.objects.filter(batch_id=anomaly.batch_id, kind=kind).count()
        named.append(str(reasons.UNITS_MORE) % {"count": total - UNITS_NAMED_MAX})
    return str(reasons.UNITS_NAMED) % {"units": "; ".join(named)}


def anomaly_sentence(anomaly: ReceiptAnomaly) -> str:
    """One anomaly as a sentence in the active language, without the units it is
    about: no query beyond the anomaly and its line (the anomaly list's export)."""
    return str(ANOMALY_SENTENCES[anomaly.kind]) % {
        "line": anomaly.line.line_no if anomaly.line_id else "—",
        "expected": anomaly.expected,
        "found": anomaly.found,
        "detail": anomaly.detail,
    }


def anomaly_line(anomaly: ReceiptAnomaly) -> str:
    """One anomaly as a sentence in the active language (notice, task, pages),
    naming the units it is about where the receipt recorded them (IV.4)."""
    sentence = anomaly_sentence(anomaly)
    units = anomaly_units(anomaly)
    return f"{sentence} {units}" if units else sentence


def open_anomalies(batch: ReturnBatch):
    return batch.anomalies.filter(Q(resolved_at__isnull=True)).select_related("line")


# --- What happened in a period, for one return unit (IV.8) ---------------------------
#
# The reconciliation statement and a return unit's own look-up read these: each is
# tenant-scoped (a return unit sees only its own rows) and narrowed to one return
# unit and to the local days ``start``..``end`` (inclusive) of its own event.


def batches_submitted_between(*, actor, return_org, start, end) -> QuerySet[ReturnBatch]:
    """IV.8: the batches a return unit submitted in the period, with their anomalies."""
    require(actor, "returns.view")
    return (
        ReturnBatch.objects.visible_to(actor)
        .filter(return_org=return_org, submitted_at__date__range=(start, end))
        .prefetch_related("anomalies")
        .order_by("submitted_at", "number")
    )


def units_of(*, actor, return_org) -> QuerySet[ReturnedUnit]:
    """IV.8: every unit a return unit sent back and the platform received, with its
    batch, line, models and shipment: the repair data it may look up."""
    require(actor, "returns.view")
    return (
        ReturnedUnit.objects.visible_to(actor)
        .filter(batch__return_org=return_org)
        .select_related("batch", "line", "model", "replacement_model", "shipment")
    )


def units_disposed_between(*, actor, return_org, start, end) -> QuerySet[ReturnedUnit]:
    """IV.8: the units dealt with (IV.P2) in the period."""
    return (
        units_of(actor=actor, return_org=return_org)
        .filter(disposed_at__date__range=(start, end))
        .exclude(disposition="")
        .order_by("disposed_at", "batch__number", "seq")
    )


def units_delayed_between(*, actor, return_org, start, end) -> QuerySet[ReturnedUnit]:
    """IV.8: the units marked delayed (IV.6) in the period."""
    return (
        units_of(actor=actor, return_org=return_org)
        .filter(delayed_at__date__range=(start, end))
        .exclude(delay_reason="")
        .order_by("delayed_at", "batch__number", "seq")
    )


def unit_search(
    *, actor, return_org, start=None, end=None, batch: str = "", serial: str = ""
) -> QuerySet[ReturnedUnit]:
    """IV.8: a return unit's repair data by period (the batch's submission), batch
    number (its beginning, as typed) or serial (received, sent back, or on the
    packing-list line)."""
    qs = units_of(actor=actor, return_org=return_org)
    if start is not None and end is not None:
        qs = qs.filter(batch__submitted_at__date__range=(start, end))
    batch = typed_number(batch)
    if batch:
        qs = qs.filter(batch__number__startswith=batch)
    serial = (serial or "").strip()
    if serial:
        qs = qs.filter(
            Q(serial_in__iexact=serial)
            | Q(serial_out__iexact=serial)
            | Q(line__serial__iexact=serial)
        )
    return qs.order_by("batch__submitted_at", "batch__number", "seq")


def shipments_shipped_between(*, actor, return_org, start, end) -> QuerySet[Shipment]:
    """IV.8: the shipments (delivery lists, IV.7) that left for a return unit in
    the period, with how many units and what they were charged (IV.P2)."""
    require(actor, "returns.view")
    return (
        Shipment.objects.visible_to(actor)
        .filter(
            return_org=return_org,
            status=ShipmentStatus.SHIPPED,
            shipped_at__date__range=(start, end),
        )
        .annotate(unit_count=Count("units"), charges=Sum("units__charge_amount"))
        .order_by("shipped_at", "number")
    )
