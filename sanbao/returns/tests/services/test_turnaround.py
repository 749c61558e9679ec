"""IV.5: a batch that meets the return specifications goes back within three working
days of receipt, on the mainland Chinese calendar; a batch on hold is counted from
the resolution of its anomalies; a due date in a year whose schedule is unknown is
provisional until the administrator enters it; shipping is on time or late by so
many working days; the queue and the daily reminders follow the due dates."""

from __future__ import annotations

import datetime as dt

import pytest

from sanbao.core.errors import PermissionDenied
from sanbao.notifications.models import Message
from sanbao.returns import selectors, services
from sanbao.returns.models import BatchStatus
from sanbao.returns.services.turnaround import turnaround
from sanbao.returns.tasks import turnaround_reminders
from sanbao.returns.tests.conftest import (
    called,
    events,
    labels,
    on_hold,
    pb_lines,
    received_on,
    receiving,
    reload,
    scan,
    settle_all,
    shipped,
)
from sanbao.testkit.background import run_queued_tasks
from sanbao.workdays import services as workdays


@pytest.mark.clause("IV.5")
def test_a_batch_received_on_30_september_2026_is_due_on_the_make_up_saturday_10_october(
    clock, agent_a_clerk, platform_staff, pb10k
):
    batch = received_on("2026-09-30", clock, agent_a_clerk, platform_staff)
    assert batch.status == BatchStatus.RECEIVED
    assert batch.clock_started_on == dt.date(2026, 9, 30)
    # 1–7 October is the National Day holiday; 8, 9 and the make-up Saturday 10 count.
    assert (batch.due_on, batch.due_provisional) == (dt.date(2026, 10, 10), False)


@pytest.mark.clause("IV.5")
def test_the_day_of_receipt_never_counts_and_weekends_are_skipped(
    clock, agent_a_clerk, platform_staff, pb10k
):
    batch = received_on("2026-11-27 16:30", clock, agent_a_clerk, platform_staff)  # a Friday
    assert batch.due_on == dt.date(2026, 12, 2)  # Mon 30, Tue 1, Wed 2


@pytest.mark.clause("IV.5")
def test_a_receipt_closed_late_in_the_evening_counts_from_that_shanghai_day(
    clock, agent_a_clerk, platform_staff, pb10k
):
    # 23:30 in Shanghai is 15:30 UTC the same day; 00:30 on the next day is still the
    # previous day in UTC: the local day decides.
    batch = received_on("2026-12-01 00:30", clock, agent_a_clerk, platform_staff)
    assert batch.clock_started_on == dt.date(2026, 12, 1)
    assert batch.due_on == dt.date(2026, 12, 4)


@pytest.mark.clause("IV.5")
def test_a_batch_received_on_30_december_2026_is_due_provisionally_in_2027_until_the_schedule_is_entered(  # noqa: E501
    clock, agent_a_clerk, platform_staff, administrator, pb10k, django_capture_on_commit_callbacks
):
    batch = received_on("2026-12-30", clock, agent_a_clerk, platform_staff)
    # The calendar library knows 2026 but not 2027's official schedule yet: 31 Dec,
    # then (1 January is a fixed holiday) Mon 4 and Tue 5 January, provisionally.
    assert (batch.due_on, batch.due_provisional) == (dt.date(2027, 1, 5), True)
    assert turnaround(batch, today=dt.date(2026, 12, 30)).provisional is True

    # The administrator enters the 2027 schedule as published (in this test: 1 and 2
    # January off, Sunday 3 January a make-up working day).
    # Due dates are counted again once each change commits.
    with django_capture_on_commit_callbacks(execute=True):
        for day, kind in ((1, "holiday"), (2, "holiday"), (3, "workday")):
            workdays.day_set(actor=administrator, day=dt.date(2027, 1, day), kind=kind, name="元旦")
    batch = reload(batch)
    assert (batch.due_on, batch.due_provisional) == (dt.date(2027, 1, 4), True)  # still unknown
    with django_capture_on_commit_callbacks(execute=True):
        workdays.year_mark_entered(actor=administrator, year=2027, note="State Council notice")
    batch = reload(batch)
    # 31 December, Sunday 3 January (worked), Monday 4 January; no longer provisional.
    assert (batch.due_on, batch.due_provisional) == (dt.date(2027, 1, 4), False)


@pytest.mark.clause("IV.5")
def test_a_batch_on_hold_has_no_due_date_until_its_anomalies_are_resolved_and_then_counts_from_that_day(  # noqa: E501
    clock, agent_a_clerk, platform_staff, pb10k
):
    clock.set("2026-09-28")
    batch = on_hold(agent_a_clerk, platform_staff, pb_lines(3))
    assert batch.status == BatchStatus.ON_HOLD
    assert (batch.clock_started_on, batch.due_on) == (None, None)
    assert turnaround(batch).due_on is None

    clock.set("2026-10-09 11:00")
    called(batch, platform_staff)
    services.anomaly_resolve(
        anomaly=batch.anomalies.get(), actor=platform_staff, note="The unit follows."
    )
    batch = reload(batch)
    assert batch.status == BatchStatus.RECEIVED
    assert batch.clock_started_on == dt.date(2026, 10, 9)
    assert batch.due_on == dt.date(2026, 10, 13)  # Sat 10 (make-up), Mon 12, Tue 13


@pytest.mark.clause("IV.5")
def test_time_left_and_overdue_are_counted_in_working_days(
    clock, agent_a_clerk, platform_staff, pb10k
):
    batch = received_on("2026-09-30", clock, agent_a_clerk, platform_staff)
    assert turnaround(batch, today=dt.date(2026, 9, 30)).working_days_left == 3
    assert turnaround(batch, today=dt.date(2026, 10, 5)).working_days_left == 3  # a holiday
    assert turnaround(batch, today=dt.date(2026, 10, 9)).working_days_left == 1
    on_the_day = turnaround(batch, today=dt.date(2026, 10, 10))
    assert (on_the_day.working_days_left, on_the_day.overdue) == (0, False)
    sunday = turnaround(batch, today=dt.date(2026, 10, 11))
    assert (sunday.overdue, sunday.working_days_overdue) == (True, 1)
    later = turnaround(batch, today=dt.date(2026, 10, 14))
    assert (later.overdue, later.working_days_overdue) == (True, 3)  # Mon 12, Tue 13, Wed 14


@pytest.mark.clause("IV.5")
@pytest.mark.parametrize(
    ("shipped_at", "late", "on_time"),
    [
        pytest.param("2026-10-10 17:00", 0, True, id="by-the-due-day-on-time"),
        # Mon 12, Tue 13 after the due Saturday
        pytest.param("2026-10-13 09:00", 2, False, id="after-it-late-by-the-working-days-between"),
        # the Sunday after the due Saturday
        pytest.param("2026-10-11 09:00", 1, False, id="on-a-rest-day-after-it-late-by-one"),
    ],
)
def test_a_batch_shipped_is_late_by_the_working_days_after_its_due_day(
    clock, agent_a_clerk, platform_staff, pb10k, shipped_at, late, on_time
):
    batch = received_on("2026-09-30", clock, agent_a_clerk, platform_staff)
    services.testing_start(batch=batch, actor=platform_staff)
    settle_all(batch, platform_staff)
    clock.set(shipped_at)
    shipped(batch, platform_staff)
    batch = reload(batch)
    assert batch.status == BatchStatus.SHIPPED
    assert (batch.working_days_late, batch.on_time) == (late, on_time)
    assert turnaround(batch).shipped is True
    assert "return_batch.shipped" in events(batch)


@pytest.mark.clause("IV.5")
def test_the_queue_lists_batches_awaiting_return_soonest_due_first_and_those_on_hold_last(
    clock, agent_a_clerk, agent_b_clerk, platform_staff, pb10k
):
    later = received_on("2026-11-30", clock, agent_a_clerk, platform_staff)
    sooner = received_on("2026-11-26", clock, agent_b_clerk, platform_staff)
    clock.set("2026-11-27")
    held = on_hold(agent_a_clerk, platform_staff, pb_lines(2))
    gone = received_on("2026-11-20", clock, agent_a_clerk, platform_staff)
    services.testing_start(batch=gone, actor=platform_staff)
    shipped(settle_all(gone, platform_staff), platform_staff)
    queue = list(selectors.turnaround_queue(actor=platform_staff))
    assert [b.number for b in queue] == [sooner.number, later.number, held.number]


@pytest.mark.clause("IV.5")
def test_agents_have_no_turnaround_queue(agent_a_clerk):
    with pytest.raises(PermissionDenied):
        selectors.turnaround_queue(actor=agent_a_clerk)


@pytest.mark.clause("IV.5")
def test_the_daily_reminder_tells_staff_of_batches_due_by_the_next_working_day_and_overdue_once_a_day(  # noqa: E501
    clock,
    agent_a_clerk,
    agent_b_clerk,
    platform_staff,
    platform_manager,
    pb10k,
    mailoutbox,
):
    overdue = received_on("2026-11-23", clock, agent_a_clerk, platform_staff)  # due Thu 26
    due_next = received_on("2026-11-27", clock, agent_b_clerk, platform_staff)  # due Wed 2 Dec
    due_today = received_on("2026-11-26", clock, agent_b_clerk, platform_staff)  # due Tue 1
    not_yet = received_on("2026-11-30", clock, agent_a_clerk, platform_staff)  # due Thu 3 Dec
    written = turnaround_reminders(today=dt.date(2026, 12, 1))
    assert written == 2
    assert mailoutbox == []  # the worker sends them
    run_queued_tasks()  # the staff member and the manager
    body = Message.objects.get(recipient=platform_staff).body
    assert overdue.number in body and due_next.number in body and due_today.number in body
    assert not_yet.number not in body
    assert {m.to[0] for m in mailoutbox} == {platform_staff.email, platform_manager.email}
    # Run again on the same day: nothing new.
    assert turnaround_reminders(today=dt.date(2026, 12, 1)) == 0
    assert Message.objects.count() == 2


@pytest.mark.clause("IV.5")
def test_no_reminder_is_written_when_nothing_is_due(clock, platform_staff):
    assert turnaround_reminders(today=dt.date(2026, 12, 1)) == 0


@pytest.mark.clause("IV.5")
def test_shipped_batches_and_those_on_hold_are_never_reminded(
    clock, agent_a_clerk, platform_staff, pb10k
):
    clock.set("2026-11-02")
    on_hold(agent_a_clerk, platform_staff, pb_lines(2))
    gone = received_on("2026-11-02", clock, agent_a_clerk, platform_staff)
    services.testing_start(batch=gone, actor=platform_staff)
    shipped(settle_all(gone, platform_staff), platform_staff)
    assert turnaround_reminders(today=dt.date(2026, 12, 1)) == 0


@pytest.mark.clause("IV.5")
def test_a_batch_scanned_in_part_and_counted_by_hand_is_received_with_its_clock(
    clock, agent_a_clerk, platform_staff, pb10k
):
    clock.set("2026-09-30")
    batch = receiving(agent_a_clerk, platform_staff, pb_lines(2))
    scan(batch, platform_staff, labels(batch)[:1])
    services.receipt_set_count(batch=batch, actor=platform_staff, line_no=2, counted=1)
    batch = services.receipt_close(batch=batch, actor=platform_staff, received_boxes=1)
    assert (batch.status, batch.due_on) == (BatchStatus.RECEIVED, dt.date(2026, 10, 10))


@pytest.mark.clause("IV.5")
def test_the_clock_counts_from_the_day_the_parcel_arrived_not_the_day_counting_ended(
    clock, agent_a_clerk, platform_staff, pb10k
):
    clock.set("2026-03-06 09:00")  # Friday: the parcel arrives, receipt opened
    batch = receiving(agent_a_clerk, platform_staff, pb_lines(2))
    scan(batch, platform_staff, labels(batch))
    clock.set("2026-03-09 17:00")  # Monday: counting finished
    batch = services.receipt_close(batch=batch, actor=platform_staff, received_boxes=1)
    assert (batch.clock_started_on, batch.due_on) == (dt.date(2026, 3, 6), dt.date(2026, 3, 11))
