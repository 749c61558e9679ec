"""IV.8: the return batches and shipments the purge anonymises once their half
year is over (``sanbao.core.retention`` lists them by dotted path).

A batch's clock starts when it was done with: closed (``closed_at``), or, shipped
back or refused and not closed, its last move (``updated_at``: the shipment of its
last units, or the refusal). A shipment's starts when it left (``shipped_at``), a
cancelled one's when it was prepared. Kept: models, serials, faults, counts,
dates, test results, dispositions, charges and their reasons, delays' reasons,
waybills. Gone: the contact person and telephone, notes, test notes and photos."""

from __future__ import annotations

from django.db.models import Q
from django.db.models.functions import Coalesce

from sanbao.core.retention import DELIVERY, REDACTED, REPAIR, PurgeKind, Scrub
from sanbao.returns.models import (
    BatchStatus,
    ReceiptAnomaly,
    ReceiptScan,
    ReturnBatch,
    ReturnedUnit,
    Shipment,
    ShipmentStatus,
)

# A batch in one of these states is done with; any other is open and never purged.
BATCH_FINAL = (BatchStatus.SHIPPED, BatchStatus.CLOSED, BatchStatus.REFUSED)
SHIPMENT_FINAL = (ShipmentStatus.SHIPPED, ShipmentStatus.CANCELLED)


def expired_batches(cutoff):
    return (
        ReturnBatch.objects.filter(status__in=BATCH_FINAL)
        .alias(done_at=Coalesce("closed_at", "updated_at"))
        .filter(done_at__lt=cutoff)
    )


def expired_shipments(cutoff):
    return (
        Shipment.objects.filter(status__in=SHIPMENT_FINAL)
        .alias(done_at=Coalesce("shipped_at", "created_at"))
        .filter(done_at__lt=cutoff)
    )


BATCHES = PurgeKind(
    name="batches",
    model=ReturnBatch,
    expired=expired_batches,
    organisation="return_org_id",
    retention=REPAIR,
    scrubs=(
        Scrub(ReturnBatch, "pk", {"contact_person": "", "contact_phone": "", "note": ""}),
        Scrub(ReceiptScan, "batch_id", {"note": ""}, condition=~Q(note="")),
        # A resolved anomaly keeps a note (a constraint): its text goes.
        Scrub(
            ReceiptAnomaly,
            "batch_id",
            {"resolution_note": REDACTED},
            condition=~Q(resolution_note="") & ~Q(resolution_note=REDACTED),
        ),
        Scrub(
            ReturnedUnit,
            "batch_id",
            {"evidence": "", "disposition_note": "", "delay_note": ""},
            files=("photo",),
            condition=~Q(evidence="") | ~Q(disposition_note="") | ~Q(delay_note="") | ~Q(photo=""),
        ),
    ),
)

SHIPMENTS = PurgeKind(
    name="shipments",
    model=Shipment,
    expired=expired_shipments,
    organisation="return_org_id",
    retention=DELIVERY,
    scrubs=(Scrub(Shipment, "pk", {"note": ""}),),
)
