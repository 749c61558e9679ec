"""A return batch's life (IV): draft → submitted (in transit) → being received →
received (ready for testing) | on hold (open anomaly) → received once resolved;
refused when it arrives cash on delivery or otherwise cannot be accepted."""

from __future__ import annotations

from dataclasses import dataclass

from sanbao.accounts.roles import can
from sanbao.returns.models import BatchStatus as S


@dataclass(frozen=True)
class Move:
    sources: frozenset[str]
    target: str | None
    permission: str


MOVES: dict[str, Move] = {
    "edit": Move(frozenset({S.DRAFT}), None, "returns.create"),
    "submit": Move(frozenset({S.DRAFT}), S.SUBMITTED, "returns.create"),
    "refuse": Move(frozenset({S.SUBMITTED}), S.REFUSED, "returns.receive"),
    "open_receipt": Move(frozenset({S.SUBMITTED}), S.RECEIVING, "returns.receive"),
    "scan": Move(frozenset({S.RECEIVING}), None, "returns.receive"),
    "close_receipt": Move(frozenset({S.RECEIVING}), None, "returns.receive"),
    "resolve_anomaly": Move(frozenset({S.ON_HOLD}), None, "returns.receive"),
    "contact": Move(frozenset({S.ON_HOLD, S.RECEIVED}), None, "returns.receive"),
}


def allowed_actions(batch, actor) -> list[str]:
    return [
        name
        for name, move in MOVES.items()
        if batch.status in move.sources and can(actor, move.permission)
    ]
