"""The audit trail is append-only: rows are added, never changed or removed."""

from __future__ import annotations

import pytest
from django.db import transaction

from sanbao.catalog.models import Unit
from sanbao.core import audit
from sanbao.core.models import AppendOnlyError, AuditEvent


@pytest.fixture
def event(agent_a_clerk):
    return audit.record(actor=agent_a_clerk, action="test.done", target=agent_a_clerk.organisation)


def test_record_names_the_actor_their_organisation_and_the_target(event, agent_a_clerk, agent_a):
    event.refresh_from_db()
    assert event.actor == agent_a_clerk
    assert event.actor_label == "agent_a_clerk"
    assert event.organisation_id_snapshot == agent_a.pk
    assert event.target_type == "accounts.organisation"
    assert event.target_id == str(agent_a.pk)
    assert event.target_repr == str(agent_a)


def test_record_without_an_actor_is_labelled_system(agent_a):
    event = audit.record(actor=None, action="test.done", target=agent_a)
    assert event.actor is None
    assert event.actor_label == "system"
    assert event.organisation_id_snapshot is None


def test_record_many_stands_for_a_bulk_write_with_a_star_target(platform_staff):
    event = audit.record_many(
        actor=platform_staff, action="unit.imported", target_model=Unit, count=3, data={"a": 1}
    )
    assert event.target_type == "catalog.unit"
    assert event.target_id == "*"
    assert event.target_repr.startswith("3 ")
    assert event.data == {"a": 1}


def test_for_target_finds_the_events_of_one_record(event, agent_a, agent_b):
    assert list(AuditEvent.objects.for_target(agent_a)) == [event]
    assert not AuditEvent.objects.for_target(agent_b).exists()


def test_an_event_cannot_be_saved_again(event):
    event.action = "test.rewritten"
    with pytest.raises(AppendOnlyError):
        event.save()
    event.refresh_from_db()
    assert event.action == "test.done"


def test_an_event_cannot_be_deleted(event):
    with pytest.raises(AppendOnlyError):
        event.delete()
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_a_queryset_of_events_cannot_be_updated(event):
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).update(action="test.rewritten")
    event.refresh_from_db()
    assert event.action == "test.done"


def test_a_queryset_of_events_cannot_be_deleted(event):
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_events_cannot_be_bulk_updated(event):
    event.action = "test.rewritten"
    # bulk_update opens a transaction without a savepoint; ours keeps the test's usable.
    with pytest.raises(AppendOnlyError), transaction.atomic():
        AuditEvent.objects.bulk_update([event], ["action"])
    assert AuditEvent.objects.get(pk=event.pk).action == "test.done"


# --- From what to what ----------------------------------------------------------------------


def test_a_noted_move_goes_into_the_next_event_on_that_record_only(agent_a_clerk, agent_a):
    audit.note_move(agent_a, "draft", "submitted")
    first = audit.record(actor=agent_a_clerk, action="test.moved", target=agent_a, data={"n": 1})
    second = audit.record(actor=agent_a_clerk, action="test.again", target=agent_a)
    assert first.data == {"from": "draft", "to": "submitted", "n": 1}
    assert second.data == {}


def test_a_move_that_keeps_the_state_notes_nothing(agent_a_clerk, agent_a):
    audit.note_move(agent_a, "draft", "draft")
    assert audit.record(actor=agent_a_clerk, action="test.edited", target=agent_a).data == {}


def test_a_services_own_from_and_to_win_over_the_noted_move(agent_a_clerk, agent_a):
    audit.note_move(agent_a, "draft", "submitted")
    event = audit.record(
        actor=agent_a_clerk, action="test.corrected", target=agent_a, data={"from": "A", "to": "B"}
    )
    assert event.data == {"from": "A", "to": "B"}


def test_an_action_without_a_label_reads_humanised():
    assert audit.event_label("return_batch.unit_recorded_twice") == "Unit recorded twice"


def test_a_timeline_names_the_states_moved_between(agent_a_clerk, agent_a):
    audit.note_move(agent_a, "draft", "submitted")
    audit.record(actor=agent_a_clerk, action="test.moved", target=agent_a)
    states = {"draft": "Draft", "submitted": "In transit"}
    (row,) = audit.timeline(AuditEvent.objects.for_target(agent_a), {}, states=states)
    assert row["label"] == "Moved"
    assert [(str(label), value) for label, value in row["details"]] == [
        ("Status", "Draft → In transit")
    ]
