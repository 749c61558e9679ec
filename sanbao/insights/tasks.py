"""Periodic work of the insights app (listed in ``sanbao.core.jobs``): the quality
signals told to the after-sales managers."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from sanbao.accounts.models import User
from sanbao.accounts.roles import Role
from sanbao.insights import quality
from sanbao.insights.text import flag_lines, reason_labels
from sanbao.notifications import services as notifications

# Who is told of a model whose fault rate rose: the after-sales managers.
TOLD_ROLES = (Role.AFTERSALES_MANAGER,)


def quality_signals_notify() -> int:
    """Issue 15 item 4: each flagged model-month is told to every active after-sales
    manager once, one message a model-month (``notifications.message_send`` keeps its
    key: run again, or the next day, a model-month already told sends nothing).
    Returns the messages written."""
    found = quality.signals()
    if not found.flags:
        return 0
    written = 0
    managers = User.objects.filter(is_active=True, role__in=TOLD_ROLES).order_by("pk")
    for user in managers:
        with translation.override(user.language or settings.LANGUAGE_CODE):
            for flag in found.flags:
                model = found.model(flag)
                subject = _(
                    "Quality signal: %(model)s sold in %(month)s, fault rate %(rate)s%%"
                ) % {"model": model.code, "month": f"{flag.month:%Y-%m}", "rate": flag.counts.rate}
                body = "\n".join(
                    [
                        _("The fault rate of %(model)s rose: %(reasons)s.")
                        % {"model": str(model), "reasons": reason_labels(flag)},
                        "",
                        *flag_lines(flag),
                        "",
                        _("The dashboard: %(path)s") % {"path": reverse("insights:dashboard")},
                    ]
                )
                message = notifications.message_send(
                    recipient=user, key=f"quality:{flag.key}:{user.pk}", subject=subject, body=body
                )
                written += message is not None
    return written
