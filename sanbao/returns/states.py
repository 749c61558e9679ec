"""A return batch's life (IV): draft → submitted (in transit) → being received →
received | on hold (open anomaly) → received once resolved → testing → ready →
shipped → closed. Refused when it arrives cash on delivery or otherwise cannot be
accepted; delayed when the units not delayed have gone back and the delayed ones
(IV.6) are still to follow with a later order."""

from __future__ import annotations

from dataclasses import dataclass

from sanbao.accounts.roles import can
from sanbao.returns.models import BatchStatus as S


@dataclass(frozen=True)
class Move:
    sources: frozenset[str]
    target: str | None
    permission: str


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


def allowed_actions(batch, actor) -> list[str]:
    return [
        name
        for name, move in MOVES.items()
        if batch.status in move.sources and can(actor, move.permission)
    ]
