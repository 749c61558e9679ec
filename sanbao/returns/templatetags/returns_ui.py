"""Badges of the return pages: ``{% load returns_ui %}{% batch_badge batch %}``."""

from __future__ import annotations

from django import template

from sanbao.core.ui import badge
from sanbao.returns import ui

register = template.Library()


@register.inclusion_tag("_badge.html")
def batch_badge(batch, large=False):
    return badge(
        batch.status,
        batch.get_status_display(),
        tones=ui.BATCH_TONES,
        default=ui.BATCH_DEFAULT,
        testid="batch-status",
        css=f"batch-status batch-status-{batch.status}",
        large=large,
    )


@register.inclusion_tag("_badge.html")
def shipment_badge(shipment, large=False):
    return badge(
        shipment.status,
        shipment.get_status_display(),
        tones=ui.SHIPMENT_TONES,
        default=ui.SHIPMENT_DEFAULT,
        testid="shipment-status",
        css=f"shipment-status shipment-status-{shipment.status}",
        large=large,
    )


@register.inclusion_tag("_badge.html")
def task_badge(task):
    return badge(
        task.status,
        task.get_status_display(),
        tones=ui.TASK_TONES,
        default=ui.TASK_DEFAULT,
        attr="",
    )
