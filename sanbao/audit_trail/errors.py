"""Stable codes and messages of the audit trail's refusals."""

from django.utils.translation import gettext_lazy as _

from sanbao.core.errors import ErrorCatalog

MESSAGES = {
    "audit_trail.period_reversed": _("The end of the period comes before its start."),
}

ERRORS = ErrorCatalog("audit_trail", MESSAGES)
