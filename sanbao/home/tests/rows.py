"""Hand-made rows for the home pages' counts: records in exactly the state a test
names (a batch overdue by two days, a claim under judgement), written as rows so
the counts are checked against numbers the test chose, not against the services
that would have to be driven there step by step. Dates are counted from today."""

from __future__ import annotations

import datetime as dt
import itertools

from django.utils import timezone

from sanbao.claims.models import Claim, ClaimantKind
from sanbao.deliveries.models import Declaration, DeclarationStatus, Delivery, Department
from sanbao.notifications.models import ContactTask, TaskStatus
from sanbao.returns.models import BatchStatus, ReceiptAnomaly, ReturnBatch, ReturnedUnit

_numbers = itertools.count(1)


def today() -> dt.date:
    return timezone.localdate()


def days(n: int) -> dt.date:
    """Today plus ``n`` calendar days (negative: in the past)."""
    return today() + dt.timedelta(days=n)


def batch(org, by, status: str, **fields) -> ReturnBatch:
    """A batch of ``org`` in ``status``; ``fields``: its due date, shipping, …"""
    values = {
        "declared_units": 2,
        "declared_boxes": 1,
        "packed_on": days(-20),
        "contact_person": "Wang Fang",
        "contact_phone": "0755-8888 1234",
    }
    values.update(fields)
    return ReturnBatch.objects.create(
        number=f"R2612-H{next(_numbers):05d}",
        return_org=org,
        status=status,
        created_by=by,
        **values,
    )


def batches(org, by, status: str, count: int, **fields) -> list[ReturnBatch]:
    return [batch(org, by, status, **fields) for _ in range(count)]


def shipped(org, by, *, late: int) -> ReturnBatch:
    """A batch sent back ``late`` working days after its due date (0: on time)."""
    return batch(
        org,
        by,
        BatchStatus.SHIPPED,
        due_on=days(-10),
        shipped_at=timezone.now() - dt.timedelta(days=5),
        working_days_late=late,
    )


def anomaly(of: ReturnBatch, *, resolved: bool = False) -> ReceiptAnomaly:
    values = {"resolved_at": timezone.now(), "resolution_note": "agreed"} if resolved else {}
    return ReceiptAnomaly.objects.create(
        batch=of, kind="missing_units", expected=2, found=1, **values
    )


def contact_task(about: ReturnBatch, *, done: bool = False) -> ContactTask:
    """IV.4: a call to make about a batch (done: the return unit was reached)."""
    return ContactTask.objects.create(
        recipient=about.return_org,
        subject=f"Receipt anomaly on return batch {about.number}",
        body="Units missing",
        status=TaskStatus.DONE if done else TaskStatus.OPEN,
        target_type=ReturnBatch._meta.label_lower,
        target_id=str(about.pk),
        target_repr=about.number,
    )


def unit_to_follow(of: ReturnBatch, seq: int) -> ReturnedUnit:
    """IV.6: a unit delayed for parts and not yet shipped back."""
    return ReturnedUnit.objects.create(
        batch=of,
        seq=seq,
        code=f"{of.number}-{seq}",
        result="fault_confirmed",
        delay_reason="parts_shortage",
        delayed_at=timezone.now(),
    )


def claim(handler, by, status: str, *, claimant=None, model) -> Claim:
    """A claim handled by ``handler`` in ``status`` (made by ``claimant``, an
    organisation, or a consumer)."""
    claimant_fields = (
        {"claimant_kind": ClaimantKind.ORGANISATION, "claimant_org": claimant}
        if claimant is not None
        else {"claimant_kind": ClaimantKind.CONSUMER, "consumer_phone": "13800000000"}
    )
    return Claim.objects.create(
        number=f"C2612-H{next(_numbers):05d}",
        status=status,
        handling_org=handler,
        model=model,
        delivered_on=days(-30),
        claimed_on=days(-2),
        handed_in_on=days(-2),
        region="mainland",
        fault_kind="not_charging",
        fault_description="Does not charge",
        verdict="covered",
        policy_version="2026",
        created_by=by,
        **claimant_fields,
    )


def declaration(agent, by, status: str, department: str = Department.AFTER_SALES) -> Declaration:
    """An unpacking-damage declaration of ``agent`` in ``status``, on a delivery of
    its own; submitted ones went to ``department``."""
    delivery = Delivery.objects.create(
        number=f"D2612-H{next(_numbers):05d}",
        source="platform",
        agent=agent,
        note_no="DN-1",
        shipped_at=timezone.now() - dt.timedelta(days=2),
    )
    return Declaration.objects.create(
        number=f"U2612-H{next(_numbers):05d}",
        status=status,
        delivery=delivery,
        description="Dented box",
        opened_by=by,
        opened_at=timezone.now() - dt.timedelta(hours=3),
        department="" if status == DeclarationStatus.DRAFT else department,
    )
