"""The claim's life: which action moves it from which states, and who may act.

submitted → under judgement → approved | rejected → in service → resolved → closed.
A refund needs no service: an approved return is resolved directly. The UI reads
``allowed_actions`` to show only the buttons that work; the services enforce it.
"""

from __future__ import annotations

from dataclasses import dataclass

from sanbao.accounts.roles import can
from sanbao.claims.models import ClaimStatus as S


@dataclass(frozen=True)
class Move:
    sources: frozenset[str]
    target: str | None  # None: decided by the service (judge) or unchanged (inspect)
    permission: str


MOVES: dict[str, Move] = {
    "start_judgement": Move(frozenset({S.SUBMITTED}), S.UNDER_JUDGEMENT, "claims.judge"),
    "record_findings": Move(frozenset({S.SUBMITTED, S.UNDER_JUDGEMENT}), None, "claims.judge"),
    "judge": Move(frozenset({S.SUBMITTED, S.UNDER_JUDGEMENT}), None, "claims.judge"),
    "start_service": Move(frozenset({S.APPROVED}), S.IN_SERVICE, "claims.judge"),
    "resolve": Move(frozenset({S.APPROVED, S.IN_SERVICE}), S.RESOLVED, "claims.judge"),
    "close": Move(frozenset({S.RESOLVED, S.REJECTED}), S.CLOSED, "claims.judge"),
}


def allowed_actions(claim, actor) -> list[str]:
    """The actions ``actor`` can take on ``claim`` now (the claim is visible to them)."""
    return [
        name
        for name, move in MOVES.items()
        if claim.status in move.sources and can(actor, move.permission)
    ]
