"""The deliveries' kinds of record in the audit trail (registered in
``DeliveriesConfig.ready``): their names, their events' labels and statuses, and
where their pages are."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from sanbao.core import audit
from sanbao.deliveries.models import Declaration, DeclarationStatus, Delivery, DeliveryStatus

DELIVERY_EVENT_LABELS = {
    "delivery.created": _("Delivery entered"),
    "delivery.imported": _("Deliveries imported"),
    "delivery.arrived": _("Arrival and inspection recorded"),
}

DECLARATION_EVENT_LABELS = {
    "declaration.opened": _("Declaration opened"),
    "declaration.evidence_uploaded": _("Evidence uploaded"),
    "declaration.submitted": _("Sent to the commissioner"),
    "declaration.accepted": pgettext_lazy("declaration event", "Accepted"),
    "declaration.rejected": pgettext_lazy("declaration event", "Rejected"),
}


def register() -> None:
    audit.register_kind(
        Delivery,
        pgettext_lazy("record type", "Delivery"),
        labels=DELIVERY_EVENT_LABELS,
        states=dict(DeliveryStatus.choices),
        pages="deliveries:delivery_detail",
    )
    audit.register_kind(
        Declaration,
        pgettext_lazy("record type", "Unpacking-damage declaration"),
        labels=DECLARATION_EVENT_LABELS,
        states=dict(DeclarationStatus.choices),
        pages="deliveries:declaration_detail",
    )
