"""IV.8: the deliveries and declarations the purge anonymises once their half year
is over (``sanbao.core.retention`` lists them by dotted path).

A delivery's clock starts when it arrived (``received_at``), and it waits for its
declarations: while one is open or not yet expired, the courier's data stays as
its evidence. A declaration's clock starts when it was decided (``decided_at``).
Kept: numbers, carriers, waybills, dates, boxes with their weights and findings,
items and quantities, outcomes, rejection reasons, credits, the kinds of evidence
given. Gone: the courier's name, work number and telephone, what was noted
inside a box, the description of the damage and every evidence file."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q

from sanbao.core.models import LegalHold
from sanbao.core.retention import DELIVERY, PurgeKind, Scrub
from sanbao.deliveries.models import (
    Declaration,
    DeclarationStatus,
    Delivery,
    DeliveryBox,
    DeliveryStatus,
    Evidence,
)

DECLARATION_FINAL = (DeclarationStatus.ACCEPTED, DeclarationStatus.REJECTED)


def expired_declarations(cutoff):
    return Declaration.objects.filter(status__in=DECLARATION_FINAL, decided_at__lt=cutoff)


def expired_deliveries(cutoff):
    """Arrived before ``cutoff``, with no declaration still open, younger, or on
    hold: the courier's data is that declaration's evidence."""
    held = [int(i) for i in LegalHold.objects.held_ids(Declaration._meta.label_lower)]
    done = Q(status__in=DECLARATION_FINAL, decided_at__lt=cutoff) & ~Q(pk__in=held)
    live = Declaration.objects.filter(delivery=OuterRef("pk")).exclude(done)
    return Delivery.objects.filter(status=DeliveryStatus.ARRIVED, received_at__lt=cutoff).exclude(
        Exists(live)
    )


DELIVERIES = PurgeKind(
    name="deliveries",
    model=Delivery,
    expired=expired_deliveries,
    organisation="agent_id",
    retention=DELIVERY,
    scrubs=(
        Scrub(Delivery, "pk", {"courier_name": "", "courier_work_no": "", "courier_phone": ""}),
        Scrub(DeliveryBox, "delivery_id", {"inside_note": ""}, condition=~Q(inside_note="")),
    ),
)

DECLARATIONS = PurgeKind(
    name="declarations",
    model=Declaration,
    expired=expired_declarations,
    organisation="delivery__agent_id",
    retention=DELIVERY,
    scrubs=(
        Scrub(Declaration, "pk", {"description": ""}),
        Scrub(Evidence, "declaration_id", files=("file",), condition=~Q(file="")),
    ),
)
