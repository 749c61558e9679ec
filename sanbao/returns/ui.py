"""The tone of each state on the return pages (see ``sanbao.core.ui``)."""

from __future__ import annotations

from sanbao.core.ui import Tones
from sanbao.notifications.models import TaskStatus
from sanbao.returns.models import BatchStatus as B
from sanbao.returns.models import ShipmentStatus

# Waiting on someone: info; being worked on: primary; done with a step: success;
# stuck: warning; refused, or a state not listed: danger, so that it stands out.
BATCH = Tones(
    "batch",
    default="danger",
    secondary=[B.DRAFT],
    info=[B.SUBMITTED],
    primary=[B.RECEIVING, B.TESTING],
    success=[B.RECEIVED, B.READY],
    warning=[B.ON_HOLD, B.DELAYED],
    dark=[B.SHIPPED],
    light=[B.CLOSED],
    danger=[B.REFUSED],
)

SHIPMENT = Tones(
    "shipment",
    default="secondary",
    info=[ShipmentStatus.PREPARED],
    success=[ShipmentStatus.SHIPPED],
    secondary=[ShipmentStatus.CANCELLED],
)

# A contact task still open needs someone to call or fax.
TASK = Tones(default="secondary", warning=[TaskStatus.OPEN], success=[TaskStatus.DONE])
