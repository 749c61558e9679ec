"""The claim's life: which action moves it from which states, and who may act.

submitted → under judgement → approved | rejected → in service → resolved → closed.
A refund needs no service: an approved return is resolved directly. The UI reads
``allowed_actions`` to show only the buttons that work; the services enforce it.
"""

from __future__ import annotations

from sanbao.accounts.roles import can, require
from sanbao.claims.errors import ACTION_LABELS, ERRORS
from sanbao.claims.models import Claim
from sanbao.claims.models import ClaimStatus as S
from sanbao.core.transitions import Codes, Machine, Move

# target None: decided by the service (judge) or unchanged (inspect)

MOVES: dict[str, Move] = {
    "start_judgement": Move(frozenset({S.SUBMITTED}), S.UNDER_JUDGEMENT, "claims.judge"),
    "record_findings": Move(frozenset({S.SUBMITTED, S.UNDER_JUDGEMENT}), None, "claims.judge"),
    "judge": Move(frozenset({S.SUBMITTED, S.UNDER_JUDGEMENT}), None, "claims.judge"),
    "start_service": Move(frozenset({S.APPROVED}), S.IN_SERVICE, "claims.judge"),
    "resolve": Move(frozenset({S.APPROVED, S.IN_SERVICE}), S.RESOLVED, "claims.judge"),
    "close": Move(frozenset({S.RESOLVED, S.REJECTED}), S.CLOSED, "claims.judge"),
}

CLAIM = Machine(
    Claim,
    MOVES,
    labels=ACTION_LABELS,
    errors=ERRORS,
    codes=Codes(
        not_found="claims.claim_not_found",
        not_allowed="claims.move_not_allowed",
        changed="claims.changed_meanwhile",
    ),
    can=can,
    require=require,
)

allowed_actions = CLAIM.allowed_actions
