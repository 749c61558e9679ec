"""The tone of each state on the return pages (see ``sanbao.core.ui``)."""

from __future__ import annotations

from sanbao.notifications.models import TaskStatus
from sanbao.returns.models import BatchStatus, ShipmentStatus

# Waiting on someone: info; being worked on: primary; done with this step: success;
# stuck: warning; refused: danger (the default: a state not listed stands out).
BATCH_TONES = {
    BatchStatus.DRAFT: "secondary",
    BatchStatus.SUBMITTED: "info",
    BatchStatus.RECEIVING: "primary",
    BatchStatus.TESTING: "primary",
    BatchStatus.RECEIVED: "success",
    BatchStatus.READY: "success",
    BatchStatus.ON_HOLD: "warning",
    BatchStatus.DELAYED: "warning",
    BatchStatus.SHIPPED: "dark",
    BatchStatus.CLOSED: "light",
    BatchStatus.REFUSED: "danger",
}
BATCH_DEFAULT = "danger"

SHIPMENT_TONES = {
    ShipmentStatus.PREPARED: "info",
    ShipmentStatus.SHIPPED: "success",
    ShipmentStatus.CANCELLED: "secondary",
}
SHIPMENT_DEFAULT = "secondary"

# A contact task still open needs someone to call or fax.
TASK_TONES = {TaskStatus.OPEN: "warning", TaskStatus.DONE: "success"}
TASK_DEFAULT = "secondary"
