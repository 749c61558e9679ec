"""The unit page's claims panel (issue 10 item 8): the unit's warranty claims
the user may see, and its current warranty end with the days it spent in
warranty repair. Registered with catalog's unit page in ``ClaimsConfig.ready()``
(catalog cannot import claims: see catalog.panels)."""

from __future__ import annotations

from sanbao.accounts.roles import can
from sanbao.catalog.models import Unit
from sanbao.claims.models import Claim
from sanbao.claims.warranty import unit_warranty_end


def claims_panel(request, unit: Unit):
    """``(template, context)`` for the unit page, or ``None`` for users who see no claims."""
    if not can(request.user, "claims.view"):
        return None
    claims = Claim.objects.visible_to(request.user).filter(unit=unit).order_by("-created_at", "-pk")
    end, days = unit_warranty_end(unit)
    return "claims/_unit_panel.html", {
        "claims": list(claims),
        "warranty_end": end,
        "days_in_repair": days,
    }
