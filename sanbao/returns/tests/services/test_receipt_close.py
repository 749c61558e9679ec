"""receipt_close: the physical count prevails (IV.1) — the received quantities are
what was counted, the declared ones stay beside them — and every difference from
the packing list opens a receipt anomaly, puts the batch on hold and opens a
contact task carrying the notice to the return unit (IV.4)."""

from __future__ import annotations

import pytest

from sanbao.core.errors import ValidationFailed
from sanbao.core.models import AuditEvent
from sanbao.notifications.models import ContactTask
from sanbao.returns import policy, services
from sanbao.returns.models import BatchStatus, ReceiptAnomaly
from sanbao.returns.services import LineIn
from sanbao.returns.tests.conftest import events, labels, pb_lines, receiving, reload, scan


def close(batch, staff, boxes=None):
    services.receipt_close(
        batch=batch, actor=staff, received_boxes=batch.declared_boxes if boxes is None else boxes
    )
    return reload(batch)


def anomalies(batch) -> list[tuple]:
    return list(
        ReceiptAnomaly.objects.filter(batch=batch)
        .order_by("id")
        .values_list("kind", "line__line_no", "expected", "found", "detail")
    )


def received(batch) -> list[tuple[int, int, int | None]]:
    return list(
        batch.lines.order_by("line_no").values_list("line_no", "quantity", "received_quantity")
    )


@pytest.fixture
def batch(agent_a_clerk, platform_staff, pb10k):
    """Receiving: line 1 is 4 units in box 1, line 2 one unit in box 2."""
    lines = [
        LineIn(
            model_code="PB10K", quantity=4, fault="No output", box_no=1, accessories=["data cable"]
        ),
        *pb_lines(1, box=2),
    ]
    return receiving(agent_a_clerk, platform_staff, lines)


@pytest.mark.clause("IV.1")
def test_a_batch_that_arrives_as_listed_is_received_ready_for_testing(batch, platform_staff):
    scan(batch, platform_staff, labels(batch))
    batch = close(batch, platform_staff)
    assert batch.status == BatchStatus.RECEIVED
    assert (batch.declared_units, batch.received_units) == (5, 5)
    assert (batch.declared_boxes, batch.received_boxes) == (2, 2)
    assert batch.receipt_closed_at is not None and batch.received_by == platform_staff
    assert received(batch) == [(1, 4, 4), (2, 1, 1)]
    assert anomalies(batch) == []
    assert ContactTask.objects.count() == 0
    event = AuditEvent.objects.for_target(batch).get(action="return_batch.receipt_closed")
    assert event.data == {
        "from": "receiving",
        "to": "received",
        "due_on": batch.due_on.isoformat(),  # IV.5: the clock starts at receipt
        "declared_units": 5,
        "received_units": 5,
        "declared_boxes": 2,
        "received_boxes": 2,
        "anomalies": [],
    }


@pytest.mark.clause("IV.1")
@pytest.mark.clause("IV.4")
def test_missing_units_are_received_as_counted_and_open_an_anomaly(batch, platform_staff):
    codes = labels(batch)
    scan(batch, platform_staff, [codes[0], codes[1], codes[4]])
    batch = close(batch, platform_staff)
    assert batch.status == BatchStatus.ON_HOLD
    assert (batch.declared_units, batch.received_units) == (5, 3)
    assert received(batch) == [(1, 4, 2), (2, 1, 1)]
    assert anomalies(batch) == [("missing_units", 1, 4, 2, "")]


@pytest.mark.clause("IV.1")
@pytest.mark.clause("IV.4")
def test_more_units_than_listed_on_a_line_are_received_and_open_an_anomaly(batch, platform_staff):
    scan(batch, platform_staff, labels(batch))
    services.receipt_set_count(batch=batch, actor=platform_staff, line_no=1, counted=6)
    batch = close(batch, platform_staff)
    assert batch.received_units == 7
    assert received(batch) == [(1, 4, 6), (2, 1, 1)]
    assert anomalies(batch) == [("extra_units", 1, 4, 6, "")]


@pytest.mark.clause("IV.1")
@pytest.mark.clause("IV.4")
def test_units_not_on_the_list_count_in_what_was_received_and_open_an_anomaly(
    batch, platform_staff
):
    scan(batch, platform_staff, labels(batch))
    for _ in range(2):
        services.receipt_record_unit(
            batch=batch, actor=platform_staff, kind="unlisted", model_code="PB10K", box_no=2
        )
    batch = close(batch, platform_staff)
    assert (batch.declared_units, batch.received_units) == (5, 7)
    assert anomalies(batch) == [("unlisted_units", None, 0, 2, "")]


@pytest.mark.clause("IV.1")
@pytest.mark.clause("IV.4")
def test_units_without_a_label_count_on_their_line_or_on_their_own_and_open_an_anomaly(
    batch, platform_staff
):
    codes = labels(batch)
    scan(batch, platform_staff, codes[:3])  # line 1's fourth unit and line 2 lost their labels
    services.receipt_record_unit(batch=batch, actor=platform_staff, kind="unlabelled", line_no=1)
    services.receipt_record_unit(batch=batch, actor=platform_staff, kind="unlabelled", box_no=2)
    batch = close(batch, platform_staff)
    # the unit whose line is unknown arrived: it is received, though on no line
    assert batch.received_units == 5
    assert received(batch) == [(1, 4, 4), (2, 1, 0)]
    assert anomalies(batch) == [
        ("missing_units", 2, 1, 0, ""),
        ("unlabelled_units", None, 0, 2, ""),
    ]


@pytest.mark.clause("IV.4")
@pytest.mark.parametrize("boxes", [1, 3])
def test_a_different_number_of_boxes_opens_an_anomaly(batch, platform_staff, boxes):
    scan(batch, platform_staff, labels(batch))
    batch = close(batch, platform_staff, boxes)
    assert batch.status == BatchStatus.ON_HOLD
    assert (batch.declared_boxes, batch.received_boxes) == (2, boxes)
    assert anomalies(batch) == [("boxes", None, 2, boxes, "")]


@pytest.mark.clause("IV.4")
def test_missing_accessories_open_an_anomaly_naming_them(batch, platform_staff):
    scan(batch, platform_staff, labels(batch))
    services.receipt_set_count(
        batch=batch,
        actor=platform_staff,
        line_no=1,
        counted=None,
        accessories_missing=["pouch", "data cable"],
    )
    batch = close(batch, platform_staff)
    assert batch.received_units == 5
    assert anomalies(batch) == [("accessories", 1, 0, 0, "data cable, pouch")]


@pytest.mark.clause("IV.4")
def test_a_receipt_with_differences_opens_a_contact_task_with_the_notice_to_the_return_unit(
    batch, platform_staff, agent_a
):
    scan(batch, platform_staff, labels(batch)[1:])
    services.receipt_record_unit(batch=batch, actor=platform_staff, kind="unlisted")
    batch = close(batch, platform_staff, boxes=3)
    (task,) = ContactTask.objects.all()
    assert (task.recipient, task.status, task.channel) == (agent_a, "open", "telephone")
    assert (task.target_type, task.target_id) == ("returns.returnbatch", str(batch.pk))
    assert task.body == services.anomaly_notice_text(batch)
    assert batch.number in task.subject and batch.number in task.body
    for anomaly in ReceiptAnomaly.objects.filter(batch=batch):
        assert services.anomaly_line(anomaly) in task.body
    assert events(task) == ["contact_task.opened"]


@pytest.mark.clause("IV.4")
def test_a_return_unit_with_a_fax_number_is_sent_the_notice_by_fax(batch, platform_staff, agent_a):
    agent_a.fax = "0755-8888 0000"
    agent_a.save(update_fields=["fax"])
    batch = reload(batch)
    scan(batch, platform_staff, labels(batch)[1:])
    close(batch, platform_staff)
    assert ContactTask.objects.get().channel == "fax"


@pytest.mark.clause("IV.4")
@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_the_notice_states_the_declared_and_received_figures_and_each_anomaly(
    batch, platform_staff, language
):
    from django.utils import translation

    scan(batch, platform_staff, labels(batch)[1:])
    batch = close(batch, platform_staff)
    with translation.override(language):
        notice = services.anomaly_notice_text(batch)
        (anomaly,) = ReceiptAnomaly.objects.filter(batch=batch)
        lines = notice.splitlines()
        assert lines[-1] == "- " + services.anomaly_line(anomaly)
        assert batch.number in lines[0]
        assert all(str(n) in lines[1] for n in (5, 2, 4))


def test_an_impossible_number_of_boxes_is_refused_and_the_receipt_stays_open(batch, platform_staff):
    for boxes in (-1, 1001, "two", None):
        with pytest.raises(ValidationFailed) as caught:
            services.receipt_close(batch=batch, actor=platform_staff, received_boxes=boxes)
        assert caught.value.code == "returns.number_out_of_range"
        assert set(caught.value.fields) == {"received_boxes"}
        assert "%(" not in caught.value.message  # the bounds are filled in
    assert reload(batch).status == BatchStatus.RECEIVING
    assert events(batch)[-1] == "return_batch.receipt_opened"


def test_a_scan_after_the_receipt_closed_is_refused(batch, platform_staff):
    stale = reload(batch)
    scan(batch, platform_staff, labels(batch)[:4])
    close(batch, platform_staff)
    code = labels(batch)[4]
    from sanbao.core.errors import Conflict

    with pytest.raises(Conflict):
        services.receipt_scan(batch=stale, actor=platform_staff, code=code)
    assert not batch.scans.filter(code=code).exists()
    assert reload(batch).received_units == 4


@pytest.mark.clause("IV.1")
@pytest.mark.clause("IV.4")
def test_twenty_declared_in_three_boxes_arriving_as_nineteen_listed_plus_one_unlisted(
    agent_a_clerk, platform_staff, pb10k
):
    """The issue's own example: received 20, a missing-unit and an unlisted-unit
    anomaly, a call task; the declared figures stay beside the received ones."""
    lines = pb_lines(7, box=1) + pb_lines(7, box=2) + pb_lines(6, box=3)
    batch = receiving(agent_a_clerk, platform_staff, lines)
    assert (batch.declared_units, batch.declared_boxes) == (20, 3)
    scan(batch, platform_staff, [policy.label_code(batch.number, n, 1) for n in range(1, 20)])
    services.receipt_record_unit(
        batch=batch, actor=platform_staff, kind="unlisted", box_no=3, model_code="PB10K"
    )
    batch = close(batch, platform_staff, boxes=3)
    assert batch.status == BatchStatus.ON_HOLD
    assert (batch.declared_units, batch.received_units) == (20, 20)
    assert (batch.declared_boxes, batch.received_boxes) == (3, 3)
    assert anomalies(batch) == [("missing_units", 20, 1, 0, ""), ("unlisted_units", None, 0, 1, "")]
    assert received(batch)[-1] == (20, 1, 0)
    assert ContactTask.objects.filter(target_id=str(batch.pk), status="open").count() == 1


def test_a_count_typed_by_hand_is_audited_with_who_typed_it(
    batch_of_agent_a, agent_a_clerk, platform_staff
):
    from sanbao.core.models import AuditEvent
    from sanbao.returns import services as returns_services

    batch = batch_of_agent_a
    returns_services.batch_submit(batch=batch, actor=agent_a_clerk)
    returns_services.receipt_open(batch=batch, actor=platform_staff)
    returns_services.receipt_set_count(batch=batch, actor=platform_staff, line_no=1, counted=0)
    event = AuditEvent.objects.for_target(batch).get(action="return_batch.line_counted")
    assert event.actor == platform_staff and event.data["counted"] == 0
