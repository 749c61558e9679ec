from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditTrailConfig(AppConfig):
    """The audit trail's search page, export and API for the platform's managers
    (issue 12, item 4). The events themselves are core's (``core.models.AuditEvent``,
    written by ``core.audit.record``); this app only reads them."""

    name = "sanbao.audit_trail"
    label = "audit_trail"
    verbose_name = _("Audit trail")
