"""Badges of the claim pages: ``{% load claims_ui %}{% claim_badge claim %}``."""

from __future__ import annotations

from django import template

from sanbao.claims import ui
from sanbao.claims.models import ClaimStatus
from sanbao.core.ui import badge, tone

register = template.Library()


@register.inclusion_tag("_badge.html")
def claim_badge(claim, large=False):
    label = claim.get_status_display()
    if claim.status == ClaimStatus.RESOLVED and claim.outcome:
        label = f"{label} · {claim.get_outcome_display()}"
    return badge(
        claim.status,
        label,
        tones=ui.CLAIM_TONES,
        default=ui.CLAIM_DEFAULT,
        testid="claim-status",
        css=f"claim-status claim-status-{claim.status}",
        large=large,
    )


@register.inclusion_tag("_badge.html")
def public_status_badge(status, label):
    return badge(
        status,
        label,
        tones=ui.PUBLIC_STATUS_TONES,
        default=ui.PUBLIC_STATUS_DEFAULT,
        testid="status-label",
        attr="",
        large=True,
    )


@register.inclusion_tag("_badge.html")
def verdict_badge(verdict, label, large=False, testid="claim-verdict"):
    return badge(
        verdict,
        label,
        tones=ui.VERDICT_TONES,
        default=ui.VERDICT_DEFAULT,
        testid=testid,
        attr="verdict",
        large=large,
    )


@register.filter
def verdict_tone(verdict) -> str:
    """The verdict's tone, for a card's border."""
    return tone(ui.VERDICT_TONES, verdict, default=ui.VERDICT_DEFAULT)
