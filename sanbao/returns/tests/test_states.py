"""A return batch's life (states.py): which action moves it from which state, who may
act, and what the services do when the state is wrong or changes underneath them:
a 409 with a stable code, no audit event and nothing half-written."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from sanbao.core.errors import Conflict, NotFound, PermissionDenied
from sanbao.core.models import AuditEvent
from sanbao.notifications.models import ContactTask
from sanbao.returns import services
from sanbao.returns.models import (
    BatchLine,
    BatchStatus,
    ReceiptAnomaly,
    ReceiptScan,
    ReturnBatch,
    ReturnedUnit,
)
from sanbao.returns.states import MOVES, allowed_actions
from sanbao.returns.tests.conftest import (
    called,
    draft,
    events,
    labels,
    on_hold,
    pb_lines,
    receiving,
    reload,
    scan,
    settle_all,
    shipped,
    submitted,
    under_test,
)
from sanbao.testkit.records import refused_writing_nothing, stored_fields


def header(lines):
    return {
        "packed_on": timezone.localdate() - dt.timedelta(days=2),
        "contact_person": "Zhao Lei",
        "contact_phone": "13800138000",
        "declared_units": sum(line.quantity for line in lines),
        "declared_boxes": 1,
    }


def first_anomaly(batch):
    """The batch's first anomaly, reached from ``batch`` as loaded (stale or not)."""
    anomaly = ReceiptAnomaly.objects.filter(batch=batch).order_by("id").first()
    anomaly.batch = batch
    return anomaly


def unit_of(batch):
    """The batch's first returned unit; an unsaved one where testing has not started
    (the services refuse the batch's state before they touch the unit)."""
    unit = ReturnedUnit.objects.filter(batch=batch).order_by("seq").first()
    unit = unit or ReturnedUnit(batch=batch, seq=1, code="NONE")
    unit.batch = batch
    return unit


# One valid call of each service, given a batch in a state its move accepts. The
# receipt's three ways of counting are guarded by the same "scan" move, a unit's
# delay and the whole batch's by the same "delay" move.
CALLS = {
    "edit": lambda b, cast: services.batch_update(
        batch=b, actor=cast.agent_a_clerk, lines=pb_lines(2), **header(pb_lines(2))
    ),
    "submit": lambda b, cast: services.batch_submit(batch=b, actor=cast.agent_a_clerk),
    "refuse": lambda b, cast: services.batch_refuse(
        batch=b, actor=cast.platform_staff, reason="The courier asked for cash on delivery."
    ),
    "open_receipt": lambda b, cast: services.receipt_open(batch=b, actor=cast.platform_staff),
    "scan": lambda b, cast: services.receipt_scan(
        batch=b, actor=cast.platform_staff, code=labels(b)[0]
    ),
    "record_unit": lambda b, cast: services.receipt_record_unit(
        batch=b, actor=cast.platform_staff, kind="unlisted", model_code="PB10K"
    ),
    "set_count": lambda b, cast: services.receipt_set_count(
        batch=b, actor=cast.platform_staff, line_no=1, counted=1
    ),
    "close_receipt": lambda b, cast: services.receipt_close(
        batch=b, actor=cast.platform_staff, received_boxes=1
    ),
    "resolve_anomaly": lambda b, cast: services.anomaly_resolve(
        anomaly=first_anomaly(b), actor=cast.platform_staff, note="Agreed by telephone."
    ),
    "start_testing": lambda b, cast: services.testing_start(batch=b, actor=cast.platform_staff),
    "test": lambda b, cast: services.unit_test(
        unit=unit_of(b), actor=cast.platform_staff, result="fault_confirmed"
    ),
    "dispose": lambda b, cast: services.unit_dispose(
        unit=unit_of(b), actor=cast.platform_staff, disposition="returned_as_is"
    ),
    "delay": lambda b, cast: services.unit_delay(
        unit=unit_of(b), actor=cast.platform_staff, reason="parts_shortage"
    ),
    "delay_batch": lambda b, cast: services.batch_delay(
        batch=b, actor=cast.platform_staff, reason="force_majeure"
    ),
    "close": lambda b, cast: services.batch_close(batch=b, actor=cast.platform_staff),
}
MOVE_OF = {
    name: name if name in MOVES else ("delay" if name == "delay_batch" else "scan")
    for name in CALLS
}


def batch_in(cast, status: str) -> ReturnBatch:
    """A batch of two power banks brought to ``status`` through the services. For
    ``resolve_anomaly`` every batch needs an anomaly: see ``put_in``."""
    agent, staff, lines = cast.agent_a_clerk, cast.platform_staff, pb_lines(2)
    if status == BatchStatus.DRAFT:
        return draft(agent, lines)
    if status == BatchStatus.SUBMITTED:
        return submitted(agent, lines)
    if status == BatchStatus.RECEIVING:
        return receiving(agent, staff, lines)
    if status == BatchStatus.ON_HOLD:
        batch = on_hold(agent, staff, lines)
        called(batch, staff, outcome="no_answer")  # IV.4: a call before any resolution
        return batch
    if status == BatchStatus.RECEIVED:
        batch = receiving(agent, staff, lines)
        scan(batch, staff, labels(batch))
        return services.receipt_close(batch=batch, actor=staff, received_boxes=1)
    if status == BatchStatus.REFUSED:
        return services.batch_refuse(batch=submitted(agent, lines), actor=staff, reason="COD")
    if status == BatchStatus.TESTING:
        # The first unit tested (so it may be dealt with), not yet dealt with.
        batch = under_test(agent, staff, lines)
        services.unit_test(unit=unit_of(batch), actor=staff, result="no_fault_found", evidence="OK")
        return reload(batch)
    if status == BatchStatus.READY:
        return settle_all(under_test(agent, staff, lines), staff)
    if status == BatchStatus.DELAYED:
        batch = under_test(agent, staff, lines)
        first, second = batch.units.order_by("seq")
        services.unit_delay(unit=second, actor=staff, reason="parts_shortage")
        shipped(settle_all(batch, staff, units=[first]), staff)
        return reload(batch)
    if status == BatchStatus.SHIPPED:
        batch = settle_all(under_test(agent, staff, lines), staff)
        shipped(batch, staff)
        return reload(batch)
    if status == BatchStatus.CLOSED:
        return services.batch_close(batch=batch_in(cast, BatchStatus.SHIPPED), actor=staff)
    raise AssertionError(status)


def put_in(batch: ReturnBatch, status: str) -> ReturnBatch:
    """Set the state directly (test setup: the action under test reads only it)."""
    ReturnBatch.objects.filter(pk=batch.pk).update(status=status)
    return reload(batch)


def snapshot(batch: ReturnBatch) -> dict:
    return {
        "batch": stored_fields(ReturnBatch, batch.pk),
        "lines": list(BatchLine.objects.filter(batch=batch).order_by("line_no").values()),
        "scans": list(ReceiptScan.objects.filter(batch=batch).order_by("id").values()),
        "anomalies": list(ReceiptAnomaly.objects.filter(batch=batch).order_by("id").values()),
        "units": list(ReturnedUnit.objects.filter(batch=batch).order_by("seq").values()),
        "tasks": list(ContactTask.objects.order_by("id").values("id", "status")),
        "events": AuditEvent.objects.count(),
    }


# The table ------------------------------------------------------------------------------


def test_every_state_but_draft_is_the_target_of_a_move_and_refused_and_closed_are_the_ends():
    targets = {m.target for m in MOVES.values() if m.target}
    # receipt_close decides between received and on hold from the count; the last
    # unit dealt with makes a batch ready; a shipment leaving makes it shipped or,
    # with delayed units still to follow, delayed.
    decided = {BatchStatus.RECEIVED, BatchStatus.ON_HOLD, BatchStatus.READY}
    decided |= {BatchStatus.SHIPPED, BatchStatus.DELAYED}
    assert targets | {BatchStatus.DRAFT} | decided == set(BatchStatus.values)
    for end in (BatchStatus.REFUSED, BatchStatus.CLOSED):
        assert not [name for name, m in MOVES.items() if end in m.sources]


@pytest.mark.parametrize(
    ("status", "for_agent", "for_staff"),
    [
        ("draft", ["edit", "submit"], ["edit", "submit"]),
        ("submitted", [], ["refuse", "open_receipt"]),
        ("receiving", [], ["scan", "close_receipt"]),
        ("on_hold", [], ["resolve_anomaly", "contact"]),
        ("received", [], ["contact", "start_testing"]),
        ("refused", [], []),
        ("testing", [], ["test", "dispose", "delay"]),
        ("ready", [], ["test", "dispose", "delay", "ship"]),
        ("delayed", [], ["test", "dispose", "delay", "ship"]),
        ("shipped", [], ["close"]),
        ("closed", [], []),
    ],
)
def test_allowed_actions_follow_the_state_and_the_role_and_roles_outside_returns_get_none(
    cast, batch_of_agent_a, status, for_agent, for_staff
):
    batch = put_in(batch_of_agent_a, status)
    expected = {"agent_a_clerk": for_agent, "platform_staff": for_staff}
    expected |= {who: [] for who in ("outlet_tech", "commercial_commissioner", "administrator")}
    assert {who: allowed_actions(batch, getattr(cast, who)) for who in expected} == expected


# Wrong state ----------------------------------------------------------------------------

WRONG_STATES = [
    pytest.param(action, status, id=f"{action}-from-{status}")
    for action in CALLS
    for status in BatchStatus.values
    if status not in MOVES[MOVE_OF[action]].sources
]


@pytest.mark.parametrize(("action", "status"), WRONG_STATES)
def test_every_action_from_a_state_that_does_not_allow_it_is_a_conflict_writing_nothing(
    cast, pb10k, action, status
):
    if action == "resolve_anomaly":
        batch = put_in(batch_in(cast, BatchStatus.ON_HOLD), status)
    else:
        batch = batch_in(cast, status)
    conflict = refused_writing_nothing(
        Conflict, "returns.move_not_allowed", lambda: snapshot(batch), status=409
    )
    with conflict as caught:
        CALLS[action](batch, cast)
    assert set(caught.value.params) == {"status", "action"}


# A concurrent move ------------------------------------------------------------------------

# action -> (the state it acts from, where someone else moved the batch meanwhile)
RACES = {
    "edit": (BatchStatus.DRAFT, BatchStatus.SUBMITTED),
    "submit": (BatchStatus.DRAFT, BatchStatus.SUBMITTED),
    "refuse": (BatchStatus.SUBMITTED, BatchStatus.RECEIVING),
    "open_receipt": (BatchStatus.SUBMITTED, BatchStatus.REFUSED),
    "scan": (BatchStatus.RECEIVING, BatchStatus.ON_HOLD),
    "record_unit": (BatchStatus.RECEIVING, BatchStatus.RECEIVED),
    "set_count": (BatchStatus.RECEIVING, BatchStatus.ON_HOLD),
    "close_receipt": (BatchStatus.RECEIVING, BatchStatus.RECEIVED),
    "resolve_anomaly": (BatchStatus.ON_HOLD, BatchStatus.RECEIVED),
    "start_testing": (BatchStatus.RECEIVED, BatchStatus.TESTING),
    "test": (BatchStatus.TESTING, BatchStatus.CLOSED),
    "dispose": (BatchStatus.TESTING, BatchStatus.CLOSED),
    "delay": (BatchStatus.TESTING, BatchStatus.CLOSED),
    "delay_batch": (BatchStatus.TESTING, BatchStatus.CLOSED),
    "close": (BatchStatus.SHIPPED, BatchStatus.CLOSED),
}


def test_every_action_has_a_race():
    assert set(RACES) == set(CALLS)


@pytest.mark.parametrize("action", RACES)
def test_a_batch_moved_between_loading_and_acting_is_a_conflict_writing_nothing(
    cast, pb10k, action
):
    source, elsewhere = RACES[action]
    batch = batch_in(cast, source)
    loaded = reload(batch)
    ReturnBatch.objects.filter(pk=batch.pk).update(status=elsewhere)  # someone else, meanwhile
    conflict = refused_writing_nothing(
        Conflict, "returns.changed_meanwhile", lambda: snapshot(batch), status=409
    )
    with conflict:
        CALLS[action](loaded, cast)


# Who may act ------------------------------------------------------------------------------


@pytest.mark.parametrize("action", ["edit", "submit"])
def test_an_agent_acting_on_another_agents_batch_finds_nothing(cast, agent_b_clerk, pb10k, action):
    batch = batch_in(cast, BatchStatus.DRAFT)
    call = {
        "edit": lambda: services.batch_update(
            batch=batch, actor=agent_b_clerk, lines=pb_lines(2), **header(pb_lines(2))
        ),
        "submit": lambda: services.batch_submit(batch=batch, actor=agent_b_clerk),
    }[action]
    with refused_writing_nothing(NotFound, "returns.batch_not_found", lambda: snapshot(batch)):
        call()


@pytest.mark.parametrize(
    "action", ["refuse", "open_receipt", "scan", "record_unit", "set_count", "close_receipt"]
)
def test_a_return_unit_cannot_do_the_platforms_receipt_work_on_its_own_batch(cast, pb10k, action):
    source = RACES[action][0]
    batch = batch_in(cast, source)
    before = snapshot(batch)
    agent = cast.agent_a_clerk
    calls = {
        "refuse": lambda: services.batch_refuse(batch=batch, actor=agent, reason="x"),
        "open_receipt": lambda: services.receipt_open(batch=batch, actor=agent),
        "scan": lambda: services.receipt_scan(batch=batch, actor=agent, code=labels(batch)[0]),
        "record_unit": lambda: services.receipt_record_unit(
            batch=batch, actor=agent, kind="unlisted"
        ),
        "set_count": lambda: services.receipt_set_count(
            batch=batch, actor=agent, line_no=1, counted=1
        ),
        "close_receipt": lambda: services.receipt_close(batch=batch, actor=agent, received_boxes=1),
    }
    with pytest.raises(PermissionDenied):
        calls[action]()
    assert snapshot(batch) == before


def test_a_return_unit_cannot_resolve_its_own_anomaly(cast, pb10k):
    batch = batch_in(cast, BatchStatus.ON_HOLD)
    before = snapshot(batch)
    with pytest.raises(PermissionDenied):
        services.anomaly_resolve(
            anomaly=first_anomaly(batch), actor=cast.agent_a_clerk, note="We agree."
        )
    assert snapshot(batch) == before


def test_platform_staff_act_on_any_return_units_batch(cast, enterprise_clerk, pb10k):
    batch = draft(enterprise_clerk, pb_lines(1))
    services.batch_submit(batch=batch, actor=cast.platform_staff)
    assert reload(batch).status == BatchStatus.SUBMITTED


# The audit trail ------------------------------------------------------------------------------


def test_each_move_writes_one_audit_event_in_order(cast, pb10k):
    staff = cast.platform_staff
    batch = on_hold(cast.agent_a_clerk, staff, pb_lines(2))
    anomaly = first_anomaly(batch)
    called(batch, staff)
    services.anomaly_resolve(anomaly=anomaly, actor=staff, note="One unit stays with the agent.")
    assert events(batch) == [
        "return_batch.created",
        "return_batch.submitted",
        "return_batch.receipt_opened",
        "return_batch.receipt_closed",
        "return_batch.anomalies_resolved",
    ]
    assert events(anomaly) == ["receipt_anomaly.resolved"]
    (task,) = ContactTask.objects.all()
    assert events(task) == ["contact_task.opened", "contact_task.attempted"]
    first = AuditEvent.objects.for_target(batch).order_by("at", "id").first()
    assert first.actor == cast.agent_a_clerk and first.organisation_id_snapshot == (cast.agent_a.pk)
