"""The claims' kinds of record in the audit trail (registered in ``ClaimsConfig.ready``):
their names, their events' labels and statuses, and where their pages are."""

from __future__ import annotations

from django.utils.translation import pgettext_lazy

from sanbao.claims.models import Claim, ClaimStatus
from sanbao.claims.views import EVENT_LABELS
from sanbao.core import audit


def register() -> None:
    audit.register_kind(
        Claim,
        pgettext_lazy("record type", "Warranty claim"),
        labels=EVENT_LABELS,
        states=dict(ClaimStatus.choices),
        pages="claims:claim_detail",
    )
