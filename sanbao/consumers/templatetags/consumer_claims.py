"""``{% unit_claims unit %}``: on a unit's card page, the consumer's claims for the
unit (issue 16 item 4), those whose telephone is the number confirmed in the
session, with their status and a link to each; without a confirmed number, only
a link to confirm one (``service:phone``) that comes back to the page."""

from __future__ import annotations

from django import template

from sanbao.consumers import follow
from sanbao.consumers.follow_views import phone_url
from sanbao.consumers.phone_views import masked
from sanbao.notifications import consumer

register = template.Library()


@register.inclusion_tag("consumers/_unit_claims.html", takes_context=True)
def unit_claims(context, unit):
    """``unit``: the unit, or its serial (``CardFacts.serial`` on the card page)."""
    request = context["request"]
    phone = consumer.confirmed_phone(request)
    if phone is None:
        return {"confirmed": "", "phone_url": phone_url(request.get_full_path())}
    return {"confirmed": masked(phone), "claims": follow.unit_claims_for_phone(unit, phone)}
