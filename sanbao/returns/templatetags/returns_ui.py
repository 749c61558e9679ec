"""Badges of the return pages: ``{% load returns_ui %}{% batch_badge batch %}``."""

from __future__ import annotations

from django import template

from sanbao.core.ui import badge_tag
from sanbao.returns import ui

register = template.Library()


@badge_tag(register)
def batch_badge(batch, large=False):
    return ui.BATCH.badge(batch.status, batch.get_status_display(), large=large)


@badge_tag(register)
def shipment_badge(shipment, large=False):
    return ui.SHIPMENT.badge(shipment.status, shipment.get_status_display(), large=large)


@badge_tag(register)
def task_badge(task):
    return ui.TASK.badge(task.status, task.get_status_display(), attr="")
