"""Stable codes and messages of the calendar's refusals."""

from django.utils.translation import gettext_lazy as _

from sanbao.core.errors import ErrorCatalog

MESSAGES = {
    "workdays.day_invalid": _("The calendar day cannot be saved: check the fields marked."),
    "workdays.value_required": _("This value is required."),
    "workdays.value_too_long": _("At most %(limit)s characters."),
    "workdays.date_invalid": _("Enter a date as YYYY-MM-DD."),
    "workdays.date_out_of_range": _("Enter a date from %(low)s to %(high)s."),
    "workdays.kind_invalid": _("Choose a holiday or a make-up working day."),
    "workdays.year_out_of_range": _("Enter a year from %(low)s to %(high)s."),
    "workdays.working_days_invalid": _("Enter a whole number from %(low)s to %(high)s."),
    "workdays.day_not_found": _("%(day)s has no override in the calendar."),
    "workdays.year_entered_already": _(
        "The official schedule of %(year)s is already marked as entered."
    ),
    "workdays.year_known_to_library": _(
        "The holidays library already knows the official schedule of %(year)s: "
        "there is nothing to mark."
    ),
    "workdays.year_entry_not_found": _(
        "The official schedule of %(year)s is not marked as entered."
    ),
    "workdays.changed_meanwhile": _(
        "Someone changed the calendar meanwhile; reload it and try again."
    ),
}

ERRORS = ErrorCatalog("workdays", MESSAGES)
message = ERRORS.message
