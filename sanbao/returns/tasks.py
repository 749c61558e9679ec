"""Periodic work of the returns app (listed in ``sanbao.core.jobs``)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from sanbao.accounts.models import User
from sanbao.accounts.roles import Role
from sanbao.notifications import services as notifications
from sanbao.returns.models import ReturnBatch
from sanbao.returns.selectors import clock_running, with_late_delays
from sanbao.workdays import services as workdays

# Who is reminded of batches due back: the people who test and ship them.
REMINDED_ROLES = (Role.AFTERSALES_STAFF, Role.AFTERSALES_MANAGER)


def turnaround_reminders(today: dt.date | None = None) -> int:
    """IV.5: once a day, remind after-sales staff and managers of the batches due
    back today or by the end of the next working day, and of those overdue: one
    message a person a day (run twice, it sends nothing new). Returns the messages
    written."""
    today = today or timezone.localdate()
    cal = workdays.calendar()
    tomorrow = cal.add_working_days(today, 1)
    batches = list(
        with_late_delays(ReturnBatch.objects.all())
        .filter(clock_running(), due_on__isnull=False)
        .filter(due_on__lte=tomorrow)
        .select_related("return_org")
        .order_by("due_on", "number")
    )
    overdue = [b for b in batches if b.due_on < today]
    due_next = [b for b in batches if b.due_on >= today]
    if not batches:
        return 0
    written = 0
    users = User.objects.filter(is_active=True, role__in=REMINDED_ROLES).order_by("pk")
    for user in users:
        with translation.override(user.language or settings.LANGUAGE_CODE):
            subject = _("Return batches: %(overdue)s overdue, %(due)s due by %(day)s") % {
                "overdue": len(overdue),
                "due": len(due_next),
                "day": tomorrow.isoformat(),
            }
            body = _reminder_body(overdue, due_next, today, cal)
        message = notifications.message_send(
            recipient=user,
            key=f"turnaround:{today.isoformat()}:{user.pk}",
            subject=subject,
            body=body,
        )
        written += message is not None
    return written


def _reminder_body(overdue, due_next, today, cal) -> str:
    lines = [_("The turnaround queue: %(path)s") % {"path": reverse("returns:queue")}, ""]
    if overdue:
        lines.append(_("Overdue (IV.5: back within three working days of receipt):"))
        for batch in overdue:
            late = max(1, cal.working_days_between(batch.due_on, today))
            lines.append(
                "- "
                + ngettext(
                    "%(number)s of %(org)s, due %(due)s, %(late)s working day overdue",
                    "%(number)s of %(org)s, due %(due)s, %(late)s working days overdue",
                    late,
                )
                % {
                    "number": batch.number,
                    "org": batch.return_org.display_name,
                    "due": batch.due_on.isoformat(),
                    "late": late,
                }
            )
        lines.append("")
    if due_next:
        lines.append(_("Due today or by the end of the next working day:"))
        for batch in due_next:
            lines.append(
                "- "
                + _("%(number)s of %(org)s, due %(due)s")
                % {
                    "number": batch.number,
                    "org": batch.return_org.display_name,
                    "due": batch.due_on.isoformat(),
                }
            )
    return "\n".join(lines)
