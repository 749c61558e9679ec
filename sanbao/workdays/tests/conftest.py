"""Calendar fixtures: ``calls`` registers a listener of calendar changes for the
test (and removes it after); ``events(action)`` lists the audit events of an action;
``admin_api``/``staff_api`` (token) and ``admin_page``/``staff_page`` (session) are
the administrator's and platform staff's clients, in English."""

from __future__ import annotations

import pytest

from sanbao.core.models import AuditEvent
from sanbao.testkit.cast import api_client_for, login_client_for
from sanbao.workdays import services

# The weekend days worked in 2026 to make up for the holidays, as the library has them.
MAKE_UP_DAYS_2026 = [
    "2026-01-04",
    "2026-02-14",
    "2026-02-28",
    "2026-05-09",
    "2026-09-20",
    "2026-10-10",
]


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


def _english_client(client_for, user: str):
    @pytest.fixture
    def client(request):
        return client_for(request.getfixturevalue(user), language="en")

    return client


admin_api = _english_client(api_client_for, "administrator")
staff_api = _english_client(api_client_for, "platform_staff")
admin_page = _english_client(login_client_for, "administrator")
staff_page = _english_client(login_client_for, "platform_staff")
