"""On PostgreSQL the database itself keeps the audit trail append-only (IV.8: the
data both parties check cannot be rewritten afterwards). SQLite has no trigger:
these tests run in the PostgreSQL pass."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction

from sanbao.accounts.models import User
from sanbao.core import audit
from sanbao.core.models import AuditEvent

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the append-only trigger is PostgreSQL's"
)


@pytest.fixture
def event(agent_a_clerk):
    return audit.record(actor=agent_a_clerk, action="test.done", target=agent_a_clerk.organisation)


def _refused(sql: str, params) -> str:
    """Run ``sql`` in a savepoint; the database's refusal, as its message."""
    with pytest.raises(DatabaseError) as refused, transaction.atomic(), connection.cursor() as c:
        c.execute(sql, params)
    return str(refused.value)


@pytest.mark.clause("IV.8")
def test_the_database_refuses_an_update_of_an_audit_event(event):
    message = _refused(
        "UPDATE core_auditevent SET action = 'test.rewritten' WHERE id = %s", [event.pk]
    )
    assert "append-only" in message
    assert AuditEvent.objects.get(pk=event.pk).action == "test.done"


@pytest.mark.clause("IV.8")
def test_the_database_refuses_a_delete_of_an_audit_event(event):
    message = _refused("DELETE FROM core_auditevent WHERE id = %s", [event.pk])
    assert "append-only" in message
    assert AuditEvent.objects.filter(pk=event.pk).exists()


@pytest.mark.clause("IV.8")
def test_the_database_refuses_clearing_the_actor_together_with_another_change(event):
    sql = "UPDATE core_auditevent SET actor_id = NULL, action = 'test.hidden' WHERE id = %s"
    assert "append-only" in _refused(sql, [event.pk])
    stored = AuditEvent.objects.get(pk=event.pk)
    assert (stored.actor_id, stored.action) == (event.actor_id, "test.done")


def test_deleting_a_user_clears_the_events_actor_and_keeps_their_name(event, agent_a_clerk):
    User.objects.filter(pk=agent_a_clerk.pk).delete()
    event = AuditEvent.objects.get(pk=event.pk)
    assert event.actor_id is None
    assert event.actor_label == "agent_a_clerk"
