"""A return batch's life (IV): draft → submitted (in transit) → being received →
received | on hold (open anomaly) → received once resolved → testing → ready →
shipped → closed. Refused when it arrives cash on delivery or otherwise cannot be
accepted; delayed when the units not delayed have gone back and the delayed ones
(IV.6) are still to follow with a later order."""

from __future__ import annotations

from sanbao.accounts.roles import can, require
from sanbao.core.transitions import Codes, Machine, Move
from sanbao.returns.errors import ACTION_LABELS, ERRORS, SHIPMENT_ACTION_LABELS
from sanbao.returns.models import BatchStatus as S
from sanbao.returns.models import ReturnBatch, Shipment, ShipmentStatus

# Received and not yet sent back: the IV.5 clock is running.
AWAITING_RETURN = (S.RECEIVED, S.TESTING, S.READY)
# A batch that has returned units: testing started.
WITH_UNITS = frozenset({S.TESTING, S.READY, S.DELAYED, S.SHIPPED, S.CLOSED})
# A batch whose units are being dealt with: tested, disposed of, delayed.
WORKSHOP = frozenset({S.TESTING, S.READY, S.DELAYED})

MOVES: dict[str, Move] = {
    "edit": Move(frozenset({S.DRAFT}), None, "returns.create"),
    "submit": Move(frozenset({S.DRAFT}), S.SUBMITTED, "returns.create"),
    "refuse": Move(frozenset({S.SUBMITTED}), S.REFUSED, "returns.receive"),
    "open_receipt": Move(frozenset({S.SUBMITTED}), S.RECEIVING, "returns.receive"),
    "scan": Move(frozenset({S.RECEIVING}), None, "returns.receive"),
    "close_receipt": Move(frozenset({S.RECEIVING}), None, "returns.receive"),
    "resolve_anomaly": Move(frozenset({S.ON_HOLD}), None, "returns.receive"),
    "contact": Move(frozenset({S.ON_HOLD, S.RECEIVED}), None, "returns.receive"),
    "start_testing": Move(frozenset({S.RECEIVED}), S.TESTING, "returns.receive"),
    "test": Move(WORKSHOP, None, "returns.receive"),
    "dispose": Move(WORKSHOP, None, "returns.receive"),
    "delay": Move(WORKSHOP, None, "returns.receive"),
    "ship": Move(frozenset({S.READY, S.DELAYED}), None, "returns.receive"),
    "close": Move(frozenset({S.SHIPPED}), S.CLOSED, "returns.receive"),
}

BATCH = Machine(
    ReturnBatch,
    MOVES,
    labels=ACTION_LABELS,
    errors=ERRORS,
    codes=Codes(
        not_found="returns.batch_not_found",
        not_allowed="returns.move_not_allowed",
        changed="returns.changed_meanwhile",
    ),
    can=can,
    require=require,
)

allowed_actions = BATCH.allowed_actions

# A shipment (IV.7) is prepared, then leaves with its waybill or is cancelled.
SHIPMENT_MOVES: dict[str, Move] = {
    "dispatch": Move(
        frozenset({ShipmentStatus.PREPARED}), ShipmentStatus.SHIPPED, "returns.receive"
    ),
    "cancel": Move(
        frozenset({ShipmentStatus.PREPARED}), ShipmentStatus.CANCELLED, "returns.receive"
    ),
}

SHIPMENT = Machine(
    Shipment,
    SHIPMENT_MOVES,
    labels=SHIPMENT_ACTION_LABELS,
    errors=ERRORS,
    codes=Codes(
        not_found="returns.shipment_not_found",
        not_allowed="returns.shipment_move_not_allowed",
        changed="returns.shipment_changed_meanwhile",
    ),
    can=can,
    require=require,
    stamp=None,
)
