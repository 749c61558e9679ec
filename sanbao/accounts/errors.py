from django.utils.translation import gettext_lazy as _

from sanbao.core.errors import Conflict, ValidationFailed

TOKEN_NAME_REQUIRED = ("accounts.token_name_required", _("Give the token a name."))
TOKEN_NAME_TAKEN = (
    "accounts.token_name_taken",
    _("You already have an active token named “%(name)s”."),
)
LANGUAGE_UNKNOWN = ("accounts.language_unknown", _("“%(language)s” is not a supported language."))
ORG_CODE_TAKEN = (
    "accounts.organisation_code_taken",
    _("The code “%(code_value)s” is already used."),
)
ROLE_NOT_FOR_KIND = (
    "accounts.role_not_for_kind",
    _("The role “%(role)s” cannot belong to an organisation of kind “%(kind)s”."),
)
TOKEN_ALREADY_REVOKED = ("accounts.token_already_revoked", _("This token is already revoked."))

__all__ = ["Conflict", "ValidationFailed"]
