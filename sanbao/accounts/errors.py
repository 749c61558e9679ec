"""Stable codes and messages of the accounts app's refusals."""

from django.utils.translation import gettext_lazy as _

from sanbao.core.errors import ErrorCatalog, NotFound, ValidationFailed

MESSAGES = {
    "accounts.token_name_required": _("Give the token a name."),
    "accounts.token_name_too_long": ValidationFailed.default_message,
    "accounts.token_name_taken": _("You already have an active token named “%(name)s”."),
    "accounts.token_expiry_not_future": _("Choose an expiry date after today."),
    "accounts.token_expiry_too_far": _("Choose an expiry date no later than %(latest)s."),
    "accounts.token_already_revoked": _("This token is already revoked."),
    "accounts.token_not_found": NotFound.default_message,
    "accounts.language_unknown": _("“%(language)s” is not a supported language."),
    "accounts.time_zone_unknown": _(
        "“%(zone)s” is not a known time zone: choose one from the list, e.g. Asia/Shanghai."
    ),
    "accounts.organisation_code_taken": _("The code “%(code_value)s” is already used."),
    "accounts.organisation_invalid": ValidationFailed.default_message,
    "accounts.organisation_not_found": NotFound.default_message,
    "accounts.role_not_for_kind": _(
        "The role “%(role)s” cannot belong to an organisation of kind “%(kind)s”."
    ),
    # IV.8: legal holds
    "accounts.hold_invalid": ValidationFailed.default_message,
    "accounts.hold_kind_unknown": _("“%(kind)s” is not a kind of record that can be held."),
    "accounts.hold_value_required": _("This field is required."),
    "accounts.hold_reason_too_long": _("Write at most %(limit)s characters."),
    "accounts.hold_record_not_found": _("No record numbered “%(reference)s” was found."),
    "accounts.hold_exists": _("“%(record)s” is already on hold."),
    "accounts.hold_released_already": _("This hold has already been released."),
    "accounts.hold_not_found": NotFound.default_message,
}

ERRORS = ErrorCatalog("accounts", MESSAGES)
