"""Calendar fixtures: ``calls`` registers a listener of calendar changes for the
test (and removes it after); ``events(action)`` lists the audit events of an action."""

from __future__ import annotations

import pytest

from sanbao.core.models import AuditEvent
from sanbao.workdays import services


@pytest.fixture
def calls():
    """A list that grows by one each time the listeners of calendar changes run."""
    seen: list[str] = []

    def listener():
        seen.append("changed")

    services.on_calendar_changed(listener)
    yield seen
    services._listeners.remove(listener)


def events(action: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=action).order_by("id"))
