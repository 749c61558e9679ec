"""Badges of the claim pages: ``{% load claims_ui %}{% claim_badge claim %}``."""

from __future__ import annotations

from django import template

from sanbao.claims import ui
from sanbao.claims.models import ClaimStatus
from sanbao.core.ui import badge_tag

register = template.Library()


@badge_tag(register)
def claim_badge(claim, large=False):
    label = claim.get_status_display()
    if claim.status == ClaimStatus.RESOLVED and claim.outcome:
        label = f"{label} · {claim.get_outcome_display()}"
    return ui.CLAIM.badge(claim.status, label, large=large)


@badge_tag(register)
def public_status_badge(status, label):
    return ui.PUBLIC_STATUS.badge(status, label, large=True, attr="")


@badge_tag(register)
def verdict_badge(verdict, label, large=False, testid="claim-verdict"):
    context = ui.VERDICT.badge(verdict, label, large=large, attr="verdict")
    context["testid"] = testid
    return context


@register.filter
def verdict_tone(verdict) -> str:
    """The verdict's tone, for a card's border."""
    return ui.VERDICT[verdict]
