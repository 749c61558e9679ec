"""The calendar page's badge: ``{% load workdays_ui %}{% year_badge schedule %}``."""

from __future__ import annotations

from django import template

from sanbao.core.ui import badge_tag
from sanbao.workdays import ui

register = template.Library()


@badge_tag(register)
def year_badge(schedule, large=False):
    label = ui.YEAR_LABELS.get(schedule.status, ui.YEAR_LABELS[ui.YearStatus.UNKNOWN])
    return ui.YEAR.badge(schedule.status, label, large=large)
