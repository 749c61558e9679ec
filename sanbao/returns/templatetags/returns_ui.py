"""Badges of the return pages: ``{% load returns_ui %}{% batch_badge batch %}``."""

from __future__ import annotations

from django import template

from sanbao.returns import ui

register = template.Library()


@register.inclusion_tag("_badge.html")
def batch_badge(batch, large=False):
    return ui.BATCH.badge(batch.status, batch.get_status_display(), large=large)


@register.inclusion_tag("_badge.html")
def shipment_badge(shipment, large=False):
    return ui.SHIPMENT.badge(shipment.status, shipment.get_status_display(), large=large)


@register.inclusion_tag("_badge.html")
def task_badge(task):
    return ui.TASK.badge(task.status, task.get_status_display(), attr="")
