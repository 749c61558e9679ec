"""Stable codes and messages of the consumers app's refusals."""

from django.utils.translation import gettext_lazy as _

from sanbao.core.errors import ErrorCatalog

MESSAGES = {
    "consumers.lot_too_large": _(
        "The lot %(lot)s has %(count)s units; a sheet of warranty cards holds at most "
        "%(limit)s. Ask an administrator to split the lot or to raise "
        "SANBAO_CARD_SHEET_MAX_UNITS."
    ),
    # Registering a purchase (issue 16 item 2).
    "consumers.registration_invalid": _(
        "The purchase cannot be registered: check the fields marked."
    ),
    "consumers.phone_not_confirmed": _("Confirm your mobile number first."),
    "consumers.consent_required": _("Please read and agree to how your information is used first."),
    "consumers.delivery_date_required": _("Enter the delivery date on your proof of purchase."),
    "consumers.delivery_date_in_future": _("The delivery date cannot be in the future."),
    "consumers.delivery_before_sale": _(
        "The delivery cannot be earlier than the sale recorded with the serial number "
        "(%(sale_date)s)."
    ),
    "consumers.delivery_date_too_early": _("The date cannot be earlier than %(earliest)s."),
    "consumers.proof_photo_required": _("Take or choose a photo of your proof of purchase."),
    "consumers.proof_photo_invalid": _(
        "The photo must be a JPEG or PNG image of at most %(limit_mb)s MB."
    ),
    "consumers.proof_photo_too_large": _("The photo has more than %(limit)s pixels."),
    "consumers.unit_already_registered": _(
        "This unit is already registered. If you bought it, contact the after-sales department."
    ),
    "consumers.registered_to_you": _("This unit is already registered to your number."),
    "consumers.registration_not_found": _("Not found."),
}

ERRORS = ErrorCatalog("consumers", MESSAGES)
