"""The workshop: a received batch is tested unit by unit, each unit dealt with
(repaired, replaced, returned as is, or charged) or delayed for shortage or force
majeure, until the batch is ready to go back (IV.5, IV.6, IV.P2, II.3, II.4)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from sanbao.catalog import selectors as catalog_selectors
from sanbao.catalog import services as catalog_services
from sanbao.catalog.models import ProductModel
from sanbao.catalog.replacements import replacement_check
from sanbao.core import audit
from sanbao.core.uploads import UploadRefused, check_upload
from sanbao.returns import policy
from sanbao.returns.errors import ERRORS
from sanbao.returns.models import (
    BatchStatus,
    DelayReason,
    Disposition,
    ReceiptScan,
    ReturnBatch,
    ReturnedUnit,
    ShipmentStatus,
    TestResult,
)
from sanbao.returns.states import BATCH

__all__ = [
    "batch_close",
    "batch_delay",
    "batch_unit_states",
    "testing_start",
    "unit_delay",
    "unit_dispose",
    "unit_test",
]


def _check_unit(unit: ReturnedUnit, actor, action: str) -> ReturnBatch:
    """The unit's batch, checked for ``action``: 403 for the role, 404 outside the
    actor's scope, 409 for the batch's state."""
    batch = unit.batch
    BATCH.check(batch, actor, action)
    return batch


def _check_not_dealt_with(unit: ReturnedUnit) -> None:
    """A unit dealt with (or on its way back) keeps its test and disposition: 409."""
    if unit.shipment_id is not None:
        raise ERRORS.conflict("returns.unit_shipped_already", code=unit.code)
    if unit.disposition:
        raise ERRORS.conflict("returns.unit_disposed_already")


def _lock_unit(unit: ReturnedUnit, **state) -> None:
    """Inside a transaction: hold the unit's row while it is still as ``state`` says
    (an update that changes nothing); zero rows means someone changed it meanwhile."""
    if not ReturnedUnit.objects.filter(pk=unit.pk, **state).update(seq=unit.seq):
        raise ERRORS.conflict("returns.changed_meanwhile")


# --- Start testing -------------------------------------------------------------------


def _units_of(batch: ReturnBatch) -> list[ReturnedUnit]:
    """One unit per unit physically received (IV.1), in line order: the labels and
    unlabelled units counted on each line, then, where a line's count was typed, the
    rest of its count (under the labels not scanned, then receipt codes of their
    own); a typed count lower than the scans keeps the first scans. Then the units
    counted without a line: unlabelled and not on the list."""
    scans_by_line: dict[int, list[ReceiptScan]] = {}
    loose: list[ReceiptScan] = []
    for scan in batch.scans.select_related("line").order_by("scanned_at", "id"):
        if scan.line_id:
            scans_by_line.setdefault(scan.line_id, []).append(scan)
        else:
            loose.append(scan)
    units: list[ReturnedUnit] = []

    def add(code, *, line=None, scan=None, model_id=None, serial=""):
        units.append(
            ReturnedUnit(
                batch=batch,
                seq=len(units) + 1,
                line=line,
                scan=scan,
                code=code,
                model_id=model_id,
                serial_in=serial,
            )
        )

    for line in batch.lines.order_by("line_no"):
        received = line.received_quantity or 0
        scans = scans_by_line.get(line.pk, [])[:received]
        for scan in scans:
            add(scan.code, line=line, scan=scan, model_id=line.model_id, serial=line.serial)
        scanned = {s.code for s in scans}
        free = (
            policy.label_code(batch.number, line.line_no, seq)
            for seq in range(1, line.quantity + 1)
            if policy.label_code(batch.number, line.line_no, seq) not in scanned
        )
        for extra in range(1, received - len(scans) + 1):
            code = next(free, None) or f"{batch.number}-{line.line_no:03d}-H{extra:03d}"
            add(code, line=line, model_id=line.model_id, serial=line.serial)
    for scan in loose:
        add(scan.code, scan=scan, model_id=scan.model_id)
    return units


def testing_start(*, batch: ReturnBatch, actor) -> ReturnBatch:
    """A received batch goes to testing: one returned unit per unit that physically
    arrived (IV.1), each to be tested and dealt with. A batch of which nothing
    arrived (the physical count prevails) has nothing to test or send back: it is
    closed."""
    BATCH.check(batch, actor, "start_testing")
    with transaction.atomic():
        BATCH.hold(batch, "start_testing")
        batch.refresh_from_db()
        units = _units_of(batch)
        if not units:
            BATCH.move(batch, "start_testing", status=BatchStatus.CLOSED, closed_at=timezone.now())
            audit.record(actor=actor, action="return_batch.closed", target=batch, data={"units": 0})
            return batch
        BATCH.move(batch, "start_testing")
        ReturnedUnit.objects.bulk_create(units, batch_size=500)
        audit.record(
            actor=actor,
            action="return_batch.testing_started",
            target=batch,
            data={"units": len(units)},
        )
    return batch


# --- Test -----------------------------------------------------------------------------


def unit_test(
    *,
    unit: ReturnedUnit,
    actor,
    result: str,
    excluded_rule: str = "",
    evidence: str = "",
    serial_in: str | None = None,
    model_code: str = "",
    photo=None,
) -> ReturnedUnit:
    """Record a unit's test: fault confirmed, no fault found, or excluded under a
    rule of section III with the evidence, and a photo where the unit itself shows
    it (III.4–III.8, III.10). The serial read off the unit and, for a unit not on
    the packing list, its model may be given here. A unit already dealt with keeps
    its test."""
    batch = _check_unit(unit, actor, "test")
    _check_not_dealt_with(unit)
    errors = ERRORS.collect()
    if result not in TestResult.values:
        errors.add("result", "returns.result_invalid")
    rule = (excluded_rule or "").strip() if result == TestResult.EXCLUDED else ""
    if result == TestResult.EXCLUDED and rule not in policy.EXCLUSION_RULES:
        errors.add("excluded_rule", "returns.rule_invalid")
    evidence = (evidence or "").strip()
    if result in (TestResult.EXCLUDED, TestResult.NO_FAULT_FOUND) and not evidence:
        errors.add("evidence", "returns.evidence_required")
    if len(evidence) > 2000:
        errors.add("evidence", "returns.value_too_long", limit=2000)
    serial = unit.serial_in if serial_in is None else (serial_in or "").strip()
    if len(serial) > 40:
        errors.add("serial_in", "returns.value_too_long", limit=40)
    model_id = unit.model_id
    if (model_code or "").strip():
        model = ProductModel.objects.filter(code__iexact=model_code.strip()).first()
        if model is None:
            errors.add("model_code", "returns.model_unknown", value=model_code.strip()[:40])
        else:
            model_id = model.pk
    elif model_id is None:
        errors.add("model_code", "returns.model_required")
    if photo is not None:
        # A photo is a JPEG or PNG image by its content: a PDF or a lying file is no photo.
        try:
            check_upload(photo, photo=True)
        except UploadRefused as refused:
            if refused.too_large:
                errors.add("photo", "returns.image_too_large", limit=f"{refused.limit:,}")
            else:
                errors.add("photo", "returns.photo_invalid", limit_mb=settings.SANBAO_UPLOAD_MAX_MB)
    elif photo is None and not unit.photo and policy.photo_required(result, rule):
        errors.add("photo", "returns.photo_required", rule=rule)
    errors.raise_if_any("returns.unit_test_invalid")
    now = timezone.now()
    old_photo = unit.photo.name if photo is not None and unit.photo else ""
    new_photo = ""
    try:
        with transaction.atomic():
            BATCH.hold(batch, "test")
            _lock_unit(unit, disposition="", shipment__isnull=True)
            unit.result, unit.excluded_rule, unit.evidence = result, rule, evidence
            unit.serial_in, unit.model_id = serial, model_id
            unit.tested_by, unit.tested_at = actor, now
            names = ["result", "excluded_rule", "evidence", "serial_in", "model", "tested_by"]
            if photo is not None:
                unit.photo.save(photo.name, photo, save=False)
                new_photo = unit.photo.name
                names.append("photo")
            unit.save(update_fields=[*names, "tested_at"])
            audit.record(
                actor=actor,
                action="returned_unit.tested",
                target=unit,
                data={"batch": batch.number, "result": result, "rule": rule or None},
            )
            if old_photo:
                # The photo a new one replaces goes once the new test is committed.
                storage = unit.photo.storage
                transaction.on_commit(lambda: storage.delete(old_photo))
    except Exception:
        # Nothing of a refused test stays behind, not even its photo's file.
        if new_photo:
            unit.photo.storage.delete(new_photo)
        raise
    return unit


# --- Disposition ----------------------------------------------------------------------


def _charge(value) -> Decimal | None:
    """IV.P2: yuan with at most two decimals, exactly as given: 12.345 is refused,
    never rounded to 12.34."""
    try:
        given = Decimal(str(value).strip())
        if not given.is_finite():  # NaN, Infinity
            return None
        amount = given.quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError, TypeError):
        return None
    if amount != given:
        return None
    return amount if Decimal("0") < amount <= Decimal(settings.SANBAO_CHARGE_MAX_YUAN) else None


def _check_replacement(
    unit: ReturnedUnit, code: str, actor, decision: str
) -> tuple[ProductModel, str]:
    """II.3: the same model or one whose specifications are not lower; for an
    original with no specifications, a manager's decision (its reason returned)."""
    original = unit.model
    candidate = (
        ProductModel.objects.filter(code__iexact=code.strip()).first() if code.strip() else original
    )
    if candidate is None:
        raise ERRORS.invalid(
            "returns.model_unknown", "replacement_model_code", value=code.strip()[:40]
        )
    decided = replacement_check(
        original,
        candidate,
        errors=ERRORS,
        field="replacement_model_code",
        actor=actor,
        decision_reason=decision,
    )
    return candidate, decided


def unit_dispose(
    *,
    unit: ReturnedUnit,
    actor,
    disposition: str,
    parts_used: list[str] | None = None,
    replacement_model_code: str = "",
    replacement_serial: str = "",
    charge_amount=None,
    charge_reason: str = "",
    retained_location: str = "",
    note: str = "",
    replacement_decision: str = "",
) -> ReturnedUnit:
    """Deal with a tested unit.

    - A confirmed fault is repaired (the parts used are listed; the faulty parts
      they replaced are kept, II.4) or the unit replaced by the same model or one
      not lower (II.3): the new serial is registered as a unit, the old unit is
      kept in the retained-parts ledger, never returned (II.4).
    - A unit that does not meet the requirements (no fault found, or excluded) is
      returned as it is or charged, as the platform's test found (IV.P2): a charge
      has an amount and a reason, both printed on the delivery list.

    Once every unit of the batch is dealt with or delayed, the batch is ready."""
    batch = _check_unit(unit, actor, "dispose")
    _check_not_dealt_with(unit)
    if not unit.result:
        raise ERRORS.refused("returns.unit_not_tested", "disposition")
    if disposition not in Disposition.values:
        raise ERRORS.invalid("returns.disposition_invalid", "disposition")
    open_ = policy.dispositions_open(unit.result)
    if disposition not in open_:
        raise ERRORS.refused(
            "returns.disposition_not_open",
            "disposition",
            result=TestResult(unit.result).label,
            disposition=Disposition(disposition).label,
            open=" / ".join(str(Disposition(d).label) for d in open_),
        )
    parts = [p for p in (str(x).strip()[:100] for x in (parts_used or [])) if p][:20]
    location = (retained_location or "").strip()
    values: dict = {
        "disposition": disposition,
        "parts_used": parts if disposition == Disposition.REPAIRED else [],
        "serial_out": unit.serial_in,
        "disposition_note": (note or "").strip()[:300],
    }
    replacement, decided = None, ""
    if disposition == Disposition.REPLACED:
        replacement, decided = _check_replacement(
            unit, replacement_model_code or "", actor, replacement_decision
        )
        values["replacement_model"] = replacement
    if disposition == Disposition.CHARGED:
        amount = _charge(charge_amount)
        if amount is None:
            raise ERRORS.invalid(
                "returns.charge_invalid", "charge_amount", limit=settings.SANBAO_CHARGE_MAX_YUAN
            )
        reason = (charge_reason or "").strip()
        if not reason:
            raise ERRORS.invalid("returns.charge_reason_required", "charge_reason")
        values["charge_amount"], values["charge_reason"] = amount, reason[:300]
    takes_in = disposition == Disposition.REPLACED or bool(values["parts_used"])
    if takes_in and not location:
        raise ERRORS.refused("returns.location_required", "retained_location")
    now = timezone.now()
    with transaction.atomic():
        BATCH.hold(batch, "dispose")
        # As tested when checked above: a test corrected meanwhile is a 409 (IV.P2).
        _lock_unit(
            unit,
            disposition="",
            shipment__isnull=True,
            result=unit.result,
            serial_in=unit.serial_in,
            model_id=unit.model_id,
        )
        if replacement is not None:
            original = catalog_selectors.unit_find(serial=unit.serial_in)
            if original is not None and original.model_id != unit.model_id:
                original = None
            category = replacement.category
            new_unit = catalog_services.unit_register_replacement(
                actor=actor,
                serial=replacement_serial,
                model=replacement,
                # I.2: a replacement starts a new warranty when its category says so,
                # otherwise it continues the original's.
                warranty_start=timezone.localdate()
                if category.new_warranty_on_replacement or original is None
                else original.warranty_start,
                original=original,
            )
            values["serial_out"] = new_unit.serial
        for name, value in values.items():
            setattr(unit, name, value)
        unit.disposed_by, unit.disposed_at = actor, now
        unit.save(update_fields=[*values, "disposed_by", "disposed_at"])
        if disposition == Disposition.REPLACED:
            catalog_services.retained_part_take_in(
                actor=actor,
                source=unit,
                kind="unit",
                description=str(unit.model),
                model=unit.model,
                serial=unit.serial_in,
                held_by=actor.organisation,
                location=location,
            )
        for part in values["parts_used"]:
            catalog_services.retained_part_take_in(
                actor=actor,
                source=unit,
                kind="part",
                description=part,
                held_by=actor.organisation,
                location=location,
            )
        audit.record(
            actor=actor,
            action="returned_unit.disposed",
            target=unit,
            data={
                "batch": batch.number,
                "disposition": disposition,
                "serial_out": unit.serial_out or None,
                "charge": str(unit.charge_amount) if unit.charge_amount else None,
                **({"replacement_decision": decided} if decided else {}),
            },
        )
        _settle(batch, actor, "dispose")
    return unit


# --- Delays (IV.6) ----------------------------------------------------------------------


def _delay_values(reason: str, note: str) -> dict:
    """The delay's fields. A unit delayed already keeps the moment its delay was
    first declared: declaring it again (another reason, a new note) after the due
    date does not make a delay declared in time a late one (IV.5)."""
    if reason not in DelayReason.values:
        raise ERRORS.invalid("returns.delay_reason_invalid", "reason")
    note = (note or "").strip()
    if len(note) > 300:
        raise ERRORS.invalid("returns.value_too_long", "note", limit=300)
    return {
        "delay_reason": reason,
        "delay_note": note,
        "delayed_at": Coalesce(F("delayed_at"), Value(timezone.now())),
    }


def unit_delay(*, unit: ReturnedUnit, actor, reason: str, note: str = "") -> ReturnedUnit:
    """IV.6: a unit held back for shortage of products or parts, or force majeure.
    The mark is printed on the packing list; the good product goes back later with
    the return unit's next order, and the rest of the batch need not wait for it."""
    batch = _check_unit(unit, actor, "delay")
    values = _delay_values(reason, note)
    with transaction.atomic():
        BATCH.hold(batch, "delay")
        if not ReturnedUnit.objects.filter(pk=unit.pk, shipment__isnull=True).update(**values):
            raise ERRORS.conflict("returns.unit_shipped_already", code=unit.code)
        unit.refresh_from_db(fields=list(values))
        audit.record(
            actor=actor,
            action="returned_unit.delayed",
            target=unit,
            # IV.8: the note may name people; the trail (never purged) says only that
            # there is one.
            data={"batch": batch.number, "reason": reason, "noted": bool(values["delay_note"])},
        )
        _settle(batch, actor, "delay")
    return unit


def batch_delay(*, batch: ReturnBatch, actor, reason: str, note: str = "") -> ReturnBatch:
    """IV.6 for a whole batch: every unit not yet shipped is delayed."""
    BATCH.check(batch, actor, "delay")
    values = _delay_values(reason, note)
    with transaction.atomic():
        BATCH.hold(batch, "delay")
        count = batch.units.filter(shipment__isnull=True).update(**values)
        audit.record(
            actor=actor,
            action="return_batch.delayed",
            target=batch,
            data={"reason": reason, "noted": bool(values["delay_note"]), "units": count},
        )
        _settle(batch, actor, "delay")
    return batch


# --- Readiness and closing ---------------------------------------------------------------


def batch_unit_states(batch: ReturnBatch) -> list[policy.UnitState]:
    """Each unit's state; a delay declared after the batch's due date is marked
    ``late_delay`` (IV.5, IV.6: it excuses nothing)."""
    rows = batch.units.values_list("disposition", "delay_reason", "delayed_at", "shipment__status")
    return [
        policy.UnitState(
            settled=bool(disposition),
            delayed=bool(delay),
            shipped=shipment_status == ShipmentStatus.SHIPPED,
            late_delay=bool(delay)
            and not policy.delay_excused(
                timezone.localdate(delayed_at) if delayed_at else None, batch.due_on
            ),
        )
        for disposition, delay, delayed_at, shipment_status in rows
    ]


def _settle(batch: ReturnBatch, actor, action: str) -> None:
    """Inside the caller's transaction (``action``: the unit's dispose or delay): a
    batch under test whose units are all dealt with or delayed is ready to go back
    (IV.5); one whose units are all delayed waits for them (IV.6)."""
    batch.refresh_from_db(fields=["status"])
    if batch.status not in (BatchStatus.TESTING, BatchStatus.READY):
        return
    target = policy.batch_after_testing(batch_unit_states(batch))
    if target is None or target == batch.status:
        return
    BATCH.move(batch, action, status=target)
    audit.record(
        actor=actor,
        action="return_batch.ready" if target == "ready" else "return_batch.delayed_whole",
        target=batch,
    )


def batch_close(*, batch: ReturnBatch, actor) -> ReturnBatch:
    """A batch whose units have all gone back is closed."""
    BATCH.check(batch, actor, "close")
    with transaction.atomic():
        BATCH.move(batch, "close", closed_at=timezone.now())
        audit.record(actor=actor, action="return_batch.closed", target=batch)
    return batch
