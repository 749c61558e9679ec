"""The calendar page's badge: ``{% load workdays_ui %}{% year_badge schedule %}``."""

from __future__ import annotations

from django import template

from sanbao.core.ui import badge
from sanbao.workdays import ui

register = template.Library()


@register.inclusion_tag("_badge.html")
def year_badge(schedule, large=False):
    return badge(
        schedule.status,
        ui.YEAR_LABELS.get(schedule.status, ui.YEAR_LABELS[ui.YearStatus.UNKNOWN]),
        tones=ui.YEAR_TONES,
        default=ui.YEAR_DEFAULT,
        testid="year-status",
        large=large,
    )
