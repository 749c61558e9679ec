"""Writes on return batches: the packing list, submission under the packing rules,
receipt where the physical count prevails (a label's scan itself: ``scans``), and
receipt anomalies with their telephone/fax notice (SPEC IV.1–IV.4, IV.P1,
IV.P3–IV.P6)."""

from __future__ import annotations

import datetime as dt
import re
import uuid
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from sanbao.accounts.models import Organisation
from sanbao.accounts.roles import RETURN_UNIT_ROLES, OrgKind, require
from sanbao.catalog.models import ProductModel
from sanbao.core import audit
from sanbao.core.numbers import save_numbered
from sanbao.core.phones import PHONE_RE
from sanbao.notifications import services as notifications
from sanbao.returns import policy
from sanbao.returns.errors import ERRORS, message
from sanbao.returns.models import (
    BatchLine,
    BatchStatus,
    Freight,
    ReceiptAnomaly,
    ReceiptScan,
    ReturnBatch,
    ScanKind,
)
from sanbao.returns.selectors import anomaly_line, batch_check
from sanbao.returns.services.turnaround import clock_start
from sanbao.returns.states import BATCH

MAX_LINES = 500


@dataclass
class LineIn:
    model_code: str
    quantity: int
    fault: str
    box_no: int
    serial: str = ""
    accessories: list[str] = field(default_factory=list)
    bundled: bool = False


def _int_in(value, low: int, high: int) -> int | None:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if low <= number <= high else None


def _earliest_day() -> dt.date:
    """Issue 10 item 9: no date of a return is before 1 January of
    ``SANBAO_EARLIEST_YEAR`` (year 1, 1900: a typing error, not a date)."""
    return dt.date(settings.SANBAO_EARLIEST_YEAR, 1, 1)


def _validate_header(actor, data: dict, errors) -> dict:
    err = errors.add
    clean: dict[str, Any] = {}
    if actor.role in RETURN_UNIT_ROLES:
        clean["return_org"] = actor.organisation
    else:
        org = Organisation.objects.filter(
            code=(data.get("return_org_code") or "").strip(),
            kind__in=[OrgKind.AGENT, OrgKind.ENTERPRISE],
            is_active=True,
        ).first()
        if org is None:
            err("return_org_code", "returns.return_org_invalid")
        clean["return_org"] = org
    for name, low, high in (("declared_units", 1, 100_000), ("declared_boxes", 1, 1_000)):
        number = _int_in(data.get(name), low, high)
        if number is None:
            err(name, "returns.number_out_of_range", low=low, high=high)
        clean[name] = number
    packed_on = data.get("packed_on")
    if isinstance(packed_on, dt.datetime):
        packed_on = packed_on.date()
    if not isinstance(packed_on, dt.date):
        err("packed_on", "returns.value_required")
    elif packed_on > timezone.localdate():
        err("packed_on", "returns.date_in_future")
    elif packed_on < _earliest_day():
        err("packed_on", "returns.date_too_early", earliest=_earliest_day().isoformat())
    clean["packed_on"] = packed_on
    for name, limit in (
        ("contact_person", 100),
        ("carrier", 60),
        ("waybill_no", 60),
        ("note", 2000),
    ):
        value = (data.get(name) or "").strip()
        if len(value) > limit:
            err(name, "returns.value_too_long", limit=limit)
        clean[name] = value
    if not clean["contact_person"]:
        err("contact_person", "returns.value_required")
    phone = re.sub(r"[\s\-()]", "", str(data.get("contact_phone") or ""))
    if not PHONE_RE.match(phone):
        err("contact_phone", "returns.phone_invalid")
    clean["contact_phone"] = phone
    freight = data.get("freight") or Freight.PREPAID
    if freight not in Freight.values:
        err("freight", "returns.freight_invalid")
    clean["freight"] = freight
    clean["home_delivery"] = bool(data.get("home_delivery", True))
    return clean


def _validate_lines(lines: list[LineIn], errors) -> list[BatchLine]:
    if len(lines) > MAX_LINES:
        errors.add("lines", "returns.too_many_lines", limit=MAX_LINES)
        return []
    codes = {(ln.model_code or "").strip().upper() for ln in lines}
    models = {m.code.upper(): m for m in ProductModel.objects.filter(code__in=codes)}
    serials_seen: set[tuple[str, str]] = set()
    rows = []
    for index, line in enumerate(lines, start=1):
        prefix = f"lines.{index}"

        def err(name, code, prefix=prefix, **params):
            errors.add(f"{prefix}.{name}", code, **params)

        code = (line.model_code or "").strip()
        model = models.get(code.upper()) or ProductModel.objects.filter(code__iexact=code).first()
        if model is None:
            err("model_code", "returns.model_unknown", value=code)
        quantity = _int_in(line.quantity, 1, policy.LINE_QUANTITY_MAX)
        if quantity is None:
            err("quantity", "returns.number_out_of_range", low=1, high=policy.LINE_QUANTITY_MAX)
        serial = (line.serial or "").strip()
        if serial and quantity not in (None, 1):
            err("serial", "returns.serial_means_one_unit")
        # A serial is one unit of its model: it is on one line of the list.
        unit = (code.upper(), serial.upper())
        if serial and unit in serials_seen:
            err("serial", "returns.serial_repeated", serial=serial[:40])
        serials_seen.add(unit)
        fault = (line.fault or "").strip()
        if not fault:
            err("fault", "returns.value_required")
        elif len(fault) > 120:
            err("fault", "returns.value_too_long", limit=120)
        box = _int_in(line.box_no, 1, 1_000)
        if box is None:
            err("box_no", "returns.number_out_of_range", low=1, high=1_000)
        accessories = _accessory_list(line.accessories)
        rows.append(
            BatchLine(
                line_no=index,
                model=model,
                serial=serial[:40],
                quantity=quantity or 1,
                fault=fault[:120],
                accessories=accessories,
                bundled=bool(line.bundled),
                box_no=box or 1,
            )
        )
    return rows


def _accessory_list(value) -> list[str]:
    """Accessories as a list of names; one text (a spreadsheet cell) is split at
    commas, semicolons and the Chinese enumeration comma."""
    if isinstance(value, str):
        value = re.split(r"[,;，；、\n]", value)
    return [str(a).strip()[:60] for a in (value or []) if a and str(a).strip()][:20]


def batch_create(*, actor, lines: list[LineIn], **header) -> ReturnBatch:
    """Write a draft batch with its packing list (IV.2) and lines. An agent or
    enterprise returns its own units; after-sales staff may enter a batch for one.
    Nothing is checked against the packing rules yet: that happens at submission."""
    require(actor, "returns.create")
    errors = ERRORS.collect()
    clean = _validate_header(actor, header, errors)
    rows = _validate_lines(lines, errors)
    errors.raise_if_any("returns.batch_invalid")
    with transaction.atomic():
        batch = ReturnBatch(created_by=actor, **clean)
        save_numbered(batch, "R")
        for row in rows:
            row.batch = batch
        BatchLine.objects.bulk_create(rows)
        audit.record(
            actor=actor,
            action="return_batch.created",
            target=batch,
            data={"lines": len(rows), "declared_units": batch.declared_units},
        )
    return batch


def batch_update(*, batch: ReturnBatch, actor, lines: list[LineIn], **header) -> ReturnBatch:
    """Replace a draft's packing list and lines."""
    BATCH.check(batch, actor, "edit")
    errors = ERRORS.collect()
    clean = _validate_header(actor, {"return_org_code": batch.return_org.code, **header}, errors)
    rows = _validate_lines(lines, errors)
    errors.raise_if_any("returns.batch_invalid")
    with transaction.atomic():
        BATCH.move(batch, "edit", **clean)
        batch.lines.all().delete()
        for row in rows:
            row.batch = batch
        BatchLine.objects.bulk_create(rows)
        audit.record(
            actor=actor, action="return_batch.edited", target=batch, data={"lines": len(rows)}
        )
    return batch


# Where a batch-level packing problem is shown: the header field it is about.
PROBLEM_FIELDS = {
    "returns.cash_on_delivery_refused": "freight",
    "returns.declared_total_mismatch": "declared_units",
    "returns.declared_boxes_too_few": "declared_boxes",
    "returns.no_lines": "lines",
}


def problem_fields(batch: ReturnBatch, problems: list[policy.Problem]) -> dict[str, list[str]]:
    """Each problem's message on the line it concerns (``lines.<n>``); a box that
    mixes categories (IV.P3) on every line packed in that box; the others on the
    header field they are about, else on ``batch``."""
    boxes: dict[int, list[int]] = {}
    for line_no, box_no in batch.lines.order_by("line_no").values_list("line_no", "box_no"):
        boxes.setdefault(box_no, []).append(line_no)
    fields: dict[str, list[str]] = {}
    for p in problems:
        text = message(p.code, **p.params)
        if p.line_no:
            names = [f"lines.{p.line_no}"]
        elif p.code == "returns.box_mixes_categories":
            names = [f"lines.{n}" for n in boxes.get(p.params["box"], [])] or ["batch"]
        else:
            names = [PROBLEM_FIELDS.get(p.code, "batch")]
        for name in names:
            fields.setdefault(name, []).append(text)
    return fields


def batch_submit(*, batch: ReturnBatch, actor) -> ReturnBatch:
    """Send the batch: the packing list must be consistent (IV.2: the declared
    total is the lines' sum, the boxes used are declared), the packing rules must
    hold (IV.P1, IV.P3, IV.P4), cash on delivery is refused (IV.P5), and a batch
    not sent by home delivery is accepted with the extra cost recorded as the
    shipper's (IV.P6). The packing list's page count of the repair list is fixed
    here (IV.2). The batch is checked as it is in the database, under its lock,
    so an edit made meanwhile is either checked or refused."""
    BATCH.check(batch, actor, "submit")
    with transaction.atomic():
        BATCH.hold(batch, "submit")
        batch.refresh_from_db()
        problems = batch_check(batch)
        blocking = [p for p in problems if p.blocking]
        if blocking:
            cod = any(p.code == "returns.cash_on_delivery_refused" for p in blocking)
            code = (
                "returns.cash_on_delivery_refused"
                if cod and len(blocking) == 1
                else "returns.packing_refused"
            )
            raise ERRORS.refused(
                code,
                fields=problem_fields(batch, blocking),
                clauses=", ".join(sorted({p.clause for p in blocking})),
            )
        BATCH.move(
            batch,
            "submit",
            submitted_at=timezone.now(),
            extra_cost_to_shipper=not batch.home_delivery,
            repair_list_pages=policy.repair_list_pages(batch.lines.count()),
        )
        audit.record(
            actor=actor,
            action="return_batch.submitted",
            target=batch,
            data={"extra_cost_to_shipper": batch.extra_cost_to_shipper},
        )
    return batch


def batch_refuse(*, batch: ReturnBatch, actor, reason: str) -> ReturnBatch:
    """Refuse a parcel at the door, e.g. when the carrier asks for cash on delivery
    (IV.P5). The reason is recorded and shown to the return unit."""
    BATCH.check(batch, actor, "refuse")
    reason = (reason or "").strip()
    if not reason:
        raise ERRORS.invalid("returns.value_required", "reason")
    with transaction.atomic():
        BATCH.move(batch, "refuse", refusal_reason=reason[:300])
        audit.record(
            actor=actor, action="return_batch.refused", target=batch, data={"reason": reason[:300]}
        )
    return batch


def _received_on(batch: ReturnBatch, value, today: dt.date) -> dt.date:
    """IV.5: the day the parcel arrived, as the clerk says (today when not said):
    never in the future, never before the batch was sent nor before the earliest
    year (issue 10 item 9)."""
    if value in (None, ""):
        return today
    if isinstance(value, dt.datetime):
        value = timezone.localdate(value) if timezone.is_aware(value) else value.date()
    elif isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value.strip())
        except ValueError:
            raise ERRORS.invalid("returns.date_invalid", "received_on") from None
    if not isinstance(value, dt.date):
        raise ERRORS.invalid("returns.date_invalid", "received_on")
    if value > today:
        raise ERRORS.invalid("returns.date_in_future", "received_on")
    if value < _earliest_day():
        raise ERRORS.invalid(
            "returns.date_too_early", "received_on", earliest=_earliest_day().isoformat()
        )
    sent_on = timezone.localdate(batch.submitted_at) if batch.submitted_at else batch.packed_on
    if value < sent_on:
        raise ERRORS.invalid(
            "returns.received_before_sent", "received_on", sent_on=sent_on.isoformat()
        )
    return value


def receipt_open(*, batch: ReturnBatch, actor, received_on=None) -> ReturnBatch:
    """The parcel is at the platform: counting starts. ``received_on`` is the day
    it arrived (IV.5), today unless the clerk says otherwise: it may be earlier
    than the day the receipt is opened, never in the future, never before the
    batch was sent. The turnaround counts from it."""
    BATCH.check(batch, actor, "open_receipt")
    now = timezone.now()
    day = _received_on(batch, received_on, timezone.localdate(now))
    with transaction.atomic():
        BATCH.move(
            batch,
            "open_receipt",
            receipt_opened_at=now,
            received_on=day,
            received_by=actor,
        )
        audit.record(
            actor=actor,
            action="return_batch.receipt_opened",
            target=batch,
            data={"received_on": day.isoformat()},
        )
    return batch


def receipt_box_check(batch: ReturnBatch, box_no: int | None) -> None:
    """A box counted at receipt is one of the batch's: up to 20 more than it declared
    or was found to have (400 otherwise); none named is the line's."""
    if box_no is None:
        return
    limit = max(batch.declared_boxes, batch.received_boxes or 0) + 20
    if not 1 <= box_no <= limit:
        raise ERRORS.invalid("returns.box_out_of_range", "box_no", box=box_no, boxes=limit)


def receipt_record_unit(
    *,
    batch: ReturnBatch,
    actor,
    kind: str,
    box_no: int | None = None,
    model_code: str = "",
    line_no: int | None = None,
    note: str = "",
) -> ReceiptScan:
    """IV.4: count a unit that arrived without a label (of a listed line, if known)
    or one that is not on the packing list at all."""
    BATCH.check(batch, actor, "scan")
    if kind not in (ScanKind.UNLABELLED, ScanKind.UNLISTED):
        raise ERRORS.invalid("returns.value_required", "kind")
    receipt_box_check(batch, box_no)
    line = None
    if line_no is not None:
        line = batch.lines.filter(line_no=line_no).first()
        if line is None:
            raise ERRORS.invalid("returns.line_unknown", "line_no", line=line_no)
    model = ProductModel.objects.filter(code__iexact=model_code).first() if model_code else None
    if model_code and model is None:
        raise ERRORS.invalid("returns.model_unknown", "model_code", value=model_code)
    prefix = "U" if kind == ScanKind.UNLABELLED else "X"
    with transaction.atomic():
        BATCH.hold(batch, "scan")
        scan = ReceiptScan.objects.create(
            batch=batch,
            code=f"{prefix}-{uuid.uuid4().hex[:12].upper()}",
            kind=kind,
            line=line if kind == ScanKind.UNLABELLED else None,
            box_no=box_no,
            model=model or (line.model if line else None),
            note=(note or "").strip()[:200],
            scanned_by=actor,
        )
        audit.record(
            actor=actor,
            action="return_batch.unit_recorded",
            target=batch,
            data={"kind": kind, "code": scan.code, "box_no": box_no, "line_no": line_no},
        )
    return scan


def receipt_set_count(
    *,
    batch: ReturnBatch,
    actor,
    line_no: int,
    counted: int | None,
    accessories_missing: list[str] | None = None,
) -> BatchLine:
    """Count a line by hand (instead of scanning) and note missing accessories."""
    BATCH.check(batch, actor, "scan")
    line = batch.lines.filter(line_no=line_no).first()
    if line is None:
        raise ERRORS.invalid("returns.line_unknown", "line_no", line=line_no)
    if counted is not None:
        counted = _int_in(counted, 0, 100_000)
        if counted is None:
            raise ERRORS.invalid("returns.number_out_of_range", "counted", low=0, high=100_000)
    missing = _accessory_list(accessories_missing)
    with transaction.atomic():
        BATCH.hold(batch, "scan")
        BatchLine.objects.filter(pk=line.pk).update(counted=counted, accessories_missing=missing)
        # A typed count decides the line's received quantity (IV.1): who typed it is kept.
        audit.record(
            actor=actor,
            action="return_batch.line_counted",
            target=batch,
            data={"line": line.line_no, "counted": counted, "accessories_missing": missing},
        )
    line.counted, line.accessories_missing = counted, missing
    return line


def receipt_counts(batch: ReturnBatch) -> dict[str, Any]:
    """Running counts: per line (labels, unlabelled, typed, counted), per box, totals."""
    per_line = dict(
        batch.scans.filter(line__isnull=False).values_list("line__line_no").annotate(n=Count("id"))
    )
    per_box = dict(
        batch.scans.exclude(box_no__isnull=True).values_list("box_no").annotate(n=Count("id"))
    )
    unlisted = batch.scans.filter(kind=ScanKind.UNLISTED).count()
    unlabelled = batch.scans.filter(kind=ScanKind.UNLABELLED).count()
    # Unlabelled units that could not be put on a line arrived all the same (IV.1).
    unplaced = batch.scans.filter(kind=ScanKind.UNLABELLED, line__isnull=True).count()
    lines = []
    for line in batch.lines.order_by("line_no"):
        scanned = per_line.get(line.line_no, 0)
        counted = line.counted if line.counted is not None else scanned
        lines.append(
            {
                "line_no": line.line_no,
                "declared": line.quantity,
                "scanned": scanned,
                "typed": line.counted,
                "counted": counted,
                "accessories_missing": line.accessories_missing,
            }
        )
    return {
        "lines": lines,
        "boxes": dict(sorted(per_box.items())),
        "unlisted": unlisted,
        "unlabelled": unlabelled,
        "unplaced": unplaced,
        "total": sum(x["counted"] for x in lines) + unlisted + unplaced,
        "declared": batch.declared_units,
    }


def receipt_close(*, batch: ReturnBatch, actor, received_boxes: int) -> ReturnBatch:
    """Close the receipt. The physical count prevails (IV.1): each line's received
    quantity is what was counted (typed, else scanned), and units not on the list
    count too; the declared figures stay for comparison. Any difference opens a
    receipt anomaly, puts the batch on hold and opens a contact task with the
    notice to the return unit by telephone or fax (IV.4)."""
    BATCH.check(batch, actor, "close_receipt")
    boxes = _int_in(received_boxes, 0, 1_000)
    if boxes is None:
        raise ERRORS.invalid("returns.number_out_of_range", "received_boxes", low=0, high=1000)
    with transaction.atomic():
        # Counted under the batch's lock: a scan arriving meanwhile is either in
        # these counts or refused, never left outside the received figures.
        BATCH.hold(batch, "close_receipt")
        batch.refresh_from_db()
        counts = receipt_counts(batch)
        line_counts = [
            policy.LineCount(
                x["line_no"], x["declared"], x["counted"], frozenset(x["accessories_missing"])
            )
            for x in counts["lines"]
        ]
        diffs = policy.receipt_differences(
            line_counts,
            declared_boxes=batch.declared_boxes,
            received_boxes=boxes,
            unlisted=counts["unlisted"],
            unlabelled=counts["unlabelled"],
        )
        total = policy.received_total(
            line_counts, unlisted=counts["unlisted"], unplaced=counts["unplaced"]
        )
        lines_by_no = {line.line_no: line for line in batch.lines.all()}
        for x in counts["lines"]:
            lines_by_no[x["line_no"]].received_quantity = x["counted"]
        BatchLine.objects.bulk_update(lines_by_no.values(), ["received_quantity"], batch_size=200)
        status = BatchStatus.ON_HOLD if diffs else BatchStatus.RECEIVED
        closed_at = timezone.now()
        # IV.5: a batch that meets the specifications is due back counted from the
        # day of receipt (the day the parcel arrived, recorded when the receipt was
        # opened, however long the counting took); one on hold gets its clock when
        # its anomalies are resolved.
        received_on = batch.received_on or timezone.localdate(batch.receipt_opened_at or closed_at)
        clock = {} if diffs else clock_start(batch, received_on)
        BATCH.move(
            batch,
            "close_receipt",
            status=status,
            received_units=total,
            received_boxes=boxes,
            receipt_closed_at=closed_at,
            **clock,
        )
        ReceiptAnomaly.objects.bulk_create(
            [
                ReceiptAnomaly(
                    batch=batch,
                    kind=d.kind,
                    line=lines_by_no.get(d.line_no) if d.line_no else None,
                    expected=d.expected,
                    found=d.found,
                    detail=d.detail[:300],
                )
                for d in diffs
            ]
        )
        if diffs:
            notifications.task_open(
                recipient=batch.return_org,
                subject=gettext_noop("Receipt anomaly on return batch %(number)s"),
                subject_params={"number": batch.number},
                body=anomaly_notice_text(batch),
                target=batch,
                channel="fax" if batch.return_org.fax else "telephone",
                actor=actor,
            )
        audit.record(
            actor=actor,
            action="return_batch.receipt_closed",
            target=batch,
            data={
                "due_on": clock["due_on"].isoformat() if clock else None,
                "declared_units": batch.declared_units,
                "received_units": total,
                "declared_boxes": batch.declared_boxes,
                "received_boxes": boxes,
                "anomalies": [d.kind for d in diffs],
            },
        )
    return batch


def anomaly_notice_text(batch: ReturnBatch) -> str:
    """The text of the notice to the return unit (IV.4), in the active language."""
    anomalies = list(batch.anomalies.select_related("line").order_by("id"))
    head = _(
        "Return batch %(number)s was counted on receipt. What arrived differs from the "
        "packing list; the physical count prevails (IV.1)."
    ) % {"number": batch.number}
    figures = _(
        "Declared: %(units)s units in %(boxes)s boxes. Received: %(r_units)s units in "
        "%(r_boxes)s boxes."
    ) % {
        "units": batch.declared_units,
        "boxes": batch.declared_boxes,
        "r_units": batch.received_units,
        "r_boxes": batch.received_boxes,
    }
    return "\n".join([head, figures, *("- " + anomaly_line(a) for a in anomalies)])


def anomaly_resolve(*, anomaly: ReceiptAnomaly, actor, note: str) -> ReceiptAnomaly:
    """Resolve one anomaly with what was agreed. When the last open anomaly of a
    batch on hold is resolved, the batch is received as of that day: the IV.5
    clock starts from the resolution."""
    batch = anomaly.batch
    BATCH.check(batch, actor, "resolve_anomaly")
    note = (note or "").strip()
    if not note:
        raise ERRORS.invalid("returns.note_required", "note")
    now = timezone.now()
    with transaction.atomic():
        # Resolvers of one batch queue on its row, so the one resolving the last
        # open anomaly sees the others' resolutions and releases the batch.
        BATCH.hold(batch, "resolve_anomaly")
        # IV.4: the return unit must have been called or faxed first (an attempt
        # recorded with its outcome); an e-mail alone does not count.
        if not notifications.attempted(target=batch, channels=notifications.CALL_OR_FAX):
            raise ERRORS.refused("returns.contact_required")
        updated = ReceiptAnomaly.objects.filter(pk=anomaly.pk, resolved_at__isnull=True).update(
            resolved_at=now, resolved_by=actor, resolution_note=note[:2000]
        )
        if not updated:
            raise ERRORS.conflict("returns.anomaly_resolved_already")
        anomaly.resolved_at, anomaly.resolved_by = now, actor
        anomaly.resolution_note = note[:2000]
        audit.record(
            actor=actor,
            action="receipt_anomaly.resolved",
            target=anomaly,
            data={"batch": batch.number, "kind": anomaly.kind},
        )
        if not batch.anomalies.filter(resolved_at__isnull=True).exists():
            clock = clock_start(batch, timezone.localdate(now))
            BATCH.move(batch, "resolve_anomaly", status=BatchStatus.RECEIVED, **clock)
            audit.record(
                actor=actor,
                action="return_batch.anomalies_resolved",
                target=batch,
                data={"due_on": clock["due_on"].isoformat()},
            )
    return anomaly
