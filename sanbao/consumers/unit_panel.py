"""The unit page's warranty-card panel (issue 16 item 1): the card's QR code (an
inline SVG drawn on the server) and its URL, for whoever may see the unit; and
for whoever prints cards, the link to the unit's lot's sheet; and the consumer's
registration of the purchase, if any, with its proof of purchase. Registered with
catalog's unit page in ``ConsumersConfig.ready()``."""

from __future__ import annotations

from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from sanbao.accounts.roles import can
from sanbao.catalog.models import Unit
from sanbao.consumers.cards import card_url
from sanbao.consumers.registration import masked_phone, registration_of, sees_registrations
from sanbao.documents.qr import qr_svg


def card_panel(request, unit: Unit):
    """``(template, context)`` for the unit page (its caller already checked that
    the user may see the unit)."""
    url = card_url(unit)
    registered = registration_of(unit)
    details = registered is not None and sees_registrations(request.user)
    return "consumers/_unit_panel.html", {
        # The consumer's registration (issue 16 item 2): that it exists and its dates
        # to whoever sees the unit; the number (masked) and the photo (through a view
        # that checks again) to the after-sales department only.
        "registration": registered,
        "registration_details": details,
        "registration_phone": masked_phone(registered.phone) if details else "",
        "card_url": url,
        # Built here from the URL alone (no user text): safe to insert as it is.
        "card_qr": mark_safe(qr_svg(url, title=_("Warranty card QR code"))),
        "can_print": can(request.user, "units.print_cards") and bool(unit.production_lot),
        "lot": unit.production_lot,
    }
