"""Stable codes and messages of the statements app's refusals."""

from django.utils.translation import gettext_lazy as _

from sanbao.core.errors import ErrorCatalog

MESSAGES = {
    "statements.organisation_required": _("Choose the return unit (agent or enterprise)."),
    "statements.organisation_not_found": _("No such return unit."),
    "statements.date_invalid": _("Enter a date as YYYY-MM-DD."),
    "statements.period_reversed": _("The end of the period cannot be before its start."),
    "statements.period_past_retention": _(
        "Repair and delivery data are kept for %(days)s days (IV.8): the period can start on "
        "%(earliest)s at the earliest."
    ),
    "statements.period_in_future": _("The period cannot start after today."),
}

ERRORS = ErrorCatalog("statements", MESSAGES)
