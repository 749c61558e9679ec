"""A delivery is shipped, then arrives (inspected, VI). A declaration on it is
prepared (draft: evidence uploaded), submitted to a commissioner, then accepted
or rejected (V.2)."""

from __future__ import annotations

from sanbao.accounts.roles import can, require
from sanbao.core.transitions import Codes, Machine, Move
from sanbao.deliveries.errors import DECLARATION_ACTION_LABELS, DELIVERY_ACTION_LABELS, ERRORS
from sanbao.deliveries.models import Declaration, DeclarationStatus, Delivery, DeliveryStatus

DELIVERY = Machine(
    Delivery,
    {
        "arrive": Move(
            frozenset({DeliveryStatus.SHIPPED}), DeliveryStatus.ARRIVED, "deliveries.receive"
        ),
        "declare": Move(frozenset({DeliveryStatus.ARRIVED}), None, "deliveries.receive"),
    },
    labels=DELIVERY_ACTION_LABELS,
    errors=ERRORS,
    codes=Codes(
        not_found="deliveries.delivery_not_found",
        not_allowed="deliveries.move_not_allowed",
        changed="deliveries.changed_meanwhile",
    ),
    can=can,
    require=require,
)

D = DeclarationStatus
DECLARATION = Machine(
    Declaration,
    {
        "upload": Move(frozenset({D.DRAFT}), None, "deliveries.receive"),
        "submit": Move(frozenset({D.DRAFT}), D.SUBMITTED, "deliveries.receive"),
        "decide": Move(frozenset({D.SUBMITTED}), None, "declarations.decide"),
    },
    labels=DECLARATION_ACTION_LABELS,
    errors=ERRORS,
    codes=Codes(
        not_found="deliveries.declaration_not_found",
        not_allowed="deliveries.declaration_move_not_allowed",
        changed="deliveries.declaration_changed_meanwhile",
    ),
    can=can,
    require=require,
)
