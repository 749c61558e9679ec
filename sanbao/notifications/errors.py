"""Stable codes and messages of the notifications app's refusals."""

from django.utils.translation import gettext_lazy as _

from sanbao.core.errors import ErrorCatalog

MESSAGES = {
    "notifications.outcome_invalid": _("This outcome does not fit the channel."),
    "notifications.task_closed": _("This contact task is already done."),
    "notifications.no_email": _("The organisation has no e-mail address."),
    "notifications.task_not_found": _("No such contact task."),
}

ERRORS = ErrorCatalog("notifications", MESSAGES)
