"""The accounts' kinds of record in the audit trail (registered in
``AccountsConfig.ready``): their names and their events' labels."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from sanbao.accounts.models import ApiToken, Organisation, User
from sanbao.core import audit


def register() -> None:
    audit.register_kind(
        User,
        pgettext_lazy("record type", "User"),
        labels={
            "user.created": _("User created"),
            "user.language_set": _("Interface language chosen"),
            "user.time_zone_set": _("Time zone chosen"),
        },
    )
    audit.register_kind(
        Organisation,
        pgettext_lazy("record type", "Organisation"),
        labels={"organisation.created": _("Organisation created")},
    )
    audit.register_kind(
        ApiToken,
        pgettext_lazy("record type", "API token"),
        labels={
            "api_token.created": _("API token created"),
            "api_token.revoked": _("API token revoked"),
        },
    )
