"""A record's timeline on its page: ``{% load sanbao_timeline %}``.

``{% record_timeline shipment testid="shipment-timeline" show_actor=user.is_platform %}``
writes the timeline card (``includes/timeline.html``) of the record's own audit
events, oldest first, labelled as its app registered its kind of record
(``core.audit.register_kind``; an action without a label reads humanised).
"""

from __future__ import annotations

from django import template

from sanbao.core import audit

register = template.Library()


@register.inclusion_tag("includes/timeline.html")
def record_timeline(record, testid: str = "timeline", show_actor: bool = False) -> dict:
    return {
        "timeline": audit.record_timeline(record),
        "testid": testid,
        "show_actor": show_actor,
    }
