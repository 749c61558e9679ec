"""Every state of a batch, a shipment and a contact task has a tone of its own, and
the badge tags render it."""

from __future__ import annotations

from types import SimpleNamespace

from django.template import Context, Template

from sanbao.notifications.models import TaskStatus
from sanbao.returns import ui
from sanbao.returns.models import BatchStatus, ShipmentStatus


def test_every_batch_shipment_and_task_state_has_a_tone():
    assert ui.BATCH.states() == set(BatchStatus.values)
    assert ui.SHIPMENT.states() == set(ShipmentStatus.values)
    assert ui.TASK.states() <= set(TaskStatus.values)


def test_a_batch_badge_shows_the_state_its_tone_and_its_label():
    batch = SimpleNamespace(status="on_hold", get_status_display=lambda: "On hold")
    html = Template("{% load returns_ui %}{% batch_badge batch large=True %}").render(
        Context({"batch": batch})
    )
    assert 'data-status="on_hold"' in html
    assert "text-bg-warning" in html and "fs-6" in html
    assert ">On hold</span>" in html


def test_a_closed_batch_is_a_light_badge_with_a_border():
    batch = SimpleNamespace(status="closed", get_status_display=lambda: "Closed")
    html = Template("{% load returns_ui %}{% batch_badge batch %}").render(
        Context({"batch": batch})
    )
    assert "text-bg-light border" in html
