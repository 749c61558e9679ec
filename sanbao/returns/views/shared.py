"""What several return pages share: the return units a platform user may choose, and
the refusal of a move the batch's state does not allow."""

from __future__ import annotations

from sanbao.accounts import selectors as account_selectors
from sanbao.accounts.roles import OrgKind, can
from sanbao.core.errors import Conflict
from sanbao.returns.errors import ACTION_LABELS, MESSAGES
from sanbao.returns.models import (
    ReturnBatch,
)


def return_orgs(user):
    """Agents and enterprises, for a platform user's choices; None for anyone else."""
    if not can(user, "organisations.view"):
        return None
    return (
        account_selectors.organisation_list(actor=user)
        .filter(kind__in=[OrgKind.AGENT, OrgKind.ENTERPRISE], is_active=True)
        .order_by("code")
    )


def refuse_move(batch: ReturnBatch, action: str):
    return Conflict(
        MESSAGES["returns.move_not_allowed"],
        code="returns.move_not_allowed",
        params={"status": batch.get_status_display(), "action": ACTION_LABELS[action]},
    )
