"""The returns' kinds of record in the audit trail (registered in
``ReturnsConfig.ready``): their names, their events' labels and statuses, and where
their pages are."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from sanbao.core import audit
from sanbao.returns.models import BatchStatus, ReturnBatch, Shipment, ShipmentStatus
from sanbao.returns.views.batches import EVENT_LABELS

SHIPMENT_EVENT_LABELS = {
    "shipment.prepared": _("Shipment prepared"),
    "shipment.shipped": pgettext_lazy("shipment event", "Dispatched"),
    "shipment.cancelled": pgettext_lazy("shipment event", "Cancelled"),
}

BATCH_EVENT_LABELS = {
    **EVENT_LABELS,
    "return_batch.unit_recorded": _("Unit without a label or not listed counted"),
    "return_batch.delayed_whole": _("Every remaining unit delayed (IV.6)"),
    "return_batch.due_dates_recounted": _("Due dates counted again"),
}


def register() -> None:
    audit.register_kind(
        ReturnBatch,
        pgettext_lazy("record type", "Return batch"),
        labels=BATCH_EVENT_LABELS,
        states=dict(BatchStatus.choices),
        pages="returns:batch_detail",
    )
    audit.register_kind(
        Shipment,
        pgettext_lazy("record type", "Shipment"),
        labels=SHIPMENT_EVENT_LABELS,
        states=dict(ShipmentStatus.choices),
        pages="returns:shipment_detail",
    )
