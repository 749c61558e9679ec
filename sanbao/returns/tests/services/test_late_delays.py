"""IV.5, IV.6: a delay declared by the due date keeps the batch on time; one declared
after it does not make a late batch punctual: the batch stays overdue until the
delayed units ship, and is recorded late by the working days up to that day."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from sanbao.notifications.models import Message
from sanbao.returns import selectors, services
from sanbao.returns.models import BatchStatus
from sanbao.returns.services.turnaround import turnaround
from sanbao.returns.tasks import turnaround_reminders
from sanbao.returns.tests.conftest import (
    pb_lines,
    reload,
    settle_all,
    shipped,
    under_test,
)

# Received on Monday 2 March 2026: due by Thursday 5 March (3, 4, 5 count).
RECEIVED, DUE = "2026-03-02", dt.date(2026, 3, 5)


def _testing(clock, agent, staff, count=2):
    clock.set(RECEIVED)
    batch = under_test(agent, staff, pb_lines(count))
    assert batch.due_on == DUE
    return batch, list(batch.units.order_by("seq"))


def _repair(unit, staff):
    unit.refresh_from_db()
    services.unit_test(unit=unit, actor=staff, result="fault_confirmed")
    services.unit_dispose(
        unit=unit,
        actor=staff,
        disposition="repaired",
        parts_used=["Battery cell"],
        retained_location="Shelf B-3",
    )


def _queued(staff) -> list[str]:
    return [b.number for b in selectors.turnaround_queue(actor=staff)]


@pytest.mark.clause("IV.6")
def test_a_whole_batch_delayed_after_its_due_date_stays_overdue_and_is_late_when_it_ships(
    clock, agent_a_clerk, platform_staff, pb10k
):
    batch, _ = _testing(clock, agent_a_clerk, platform_staff)
    clock.set("2026-03-10 11:00")  # Tuesday: three working days overdue (6, 9, 10)
    services.batch_delay(batch=batch, actor=platform_staff, reason="force_majeure", note="Flood")
    batch = reload(batch)
    assert batch.status == BatchStatus.DELAYED  # its units are still to follow
    now = turnaround(batch, today=dt.date(2026, 3, 10))
    assert (now.overdue, now.working_days_overdue) == (True, 3)
    assert batch.number in _queued(platform_staff)

    settle_all(batch, platform_staff)
    clock.set("2026-03-20 15:00")  # Friday: 11 working days after the due day
    shipped(batch, platform_staff, order_no="PO-88")
    batch = reload(batch)
    assert batch.status == BatchStatus.SHIPPED
    assert (batch.working_days_late, batch.on_time) == (11, False)


@pytest.mark.clause("IV.6")
def test_a_unit_delayed_after_the_due_date_keeps_the_batch_overdue_after_the_rest_ships(
    clock, agent_a_clerk, platform_staff, pb10k
):
    batch, (first, late) = _testing(clock, agent_a_clerk, platform_staff)
    clock.set("2026-03-10 11:00")
    services.unit_delay(unit=late, actor=platform_staff, reason="parts_shortage")
    settle_all(batch, platform_staff, units=[first])
    shipped(batch, platform_staff, units=[first])
    batch = reload(batch)
    assert batch.status == BatchStatus.DELAYED
    # Not shipped back yet: the late delay excuses nothing.
    assert (batch.shipped_at, batch.working_days_late) == (None, None)
    now = turnaround(batch, today=dt.date(2026, 3, 11))
    assert (now.overdue, now.working_days_overdue) == (True, 4)

    _repair(late, platform_staff)
    clock.set("2026-03-20 15:00")
    shipped(batch, platform_staff, units=[late], order_no="PO-2026-0320")
    batch = reload(batch)
    assert batch.status == BatchStatus.SHIPPED
    assert batch.shipped_at is not None
    assert (batch.working_days_late, batch.on_time) == (11, False)


@pytest.mark.clause("IV.6")
def test_a_delay_declared_by_the_due_date_keeps_the_batch_on_time(
    clock, agent_a_clerk, platform_staff, pb10k
):
    batch, (first, late) = _testing(clock, agent_a_clerk, platform_staff)
    clock.set("2026-03-05 17:30")  # the due day itself
    services.unit_delay(unit=late, actor=platform_staff, reason="parts_shortage")
    settle_all(batch, platform_staff, units=[first])
    shipped(batch, platform_staff, units=[first])
    batch = reload(batch)
    assert (batch.status, batch.working_days_late) == (BatchStatus.DELAYED, 0)
    assert turnaround(batch, today=dt.date(2026, 3, 10)).overdue is False

    # Declared again after the due date (another reason): it was declared in time.
    clock.set("2026-03-10 09:00")
    late.refresh_from_db()
    services.unit_delay(unit=late, actor=platform_staff, reason="product_shortage")
    late.refresh_from_db()
    assert timezone.localdate(late.delayed_at) == dt.date(2026, 3, 5)
    _repair(late, platform_staff)
    clock.set("2026-03-20 15:00")
    shipped(batch, platform_staff, units=[late], order_no="PO-2026-0320")
    batch = reload(batch)
    assert (batch.status, batch.working_days_late, batch.on_time) == (
        BatchStatus.SHIPPED,
        0,
        True,
    )


@pytest.mark.clause("IV.6")
def test_the_daily_reminder_names_a_batch_delayed_late_as_overdue_but_not_one_delayed_in_time(
    clock, agent_a_clerk, platform_staff, pb10k
):
    late, _ = _testing(clock, agent_a_clerk, platform_staff, count=1)
    in_time, _ = _testing(clock, agent_a_clerk, platform_staff, count=1)
    clock.set("2026-03-04 10:00")
    services.batch_delay(batch=in_time, actor=platform_staff, reason="parts_shortage")
    clock.set("2026-03-09 10:00")
    services.batch_delay(batch=late, actor=platform_staff, reason="parts_shortage")
    assert turnaround_reminders(today=dt.date(2026, 3, 10)) == 1
    body = Message.objects.get(recipient=platform_staff).body
    assert late.number in body and in_time.number not in body


@pytest.mark.clause("IV.6")
def test_the_batch_list_shows_a_batch_delayed_late_as_overdue_without_a_query_per_batch(
    clock, agent_a_clerk, platform_staff, pb10k, django_assert_max_num_queries
):
    for _n in range(3):
        batch, _ = _testing(clock, agent_a_clerk, platform_staff, count=1)
        clock.set("2026-03-09 10:00")
        services.batch_delay(batch=batch, actor=platform_staff, reason="parts_shortage")
    clock.set("2026-03-10 10:00")
    with django_assert_max_num_queries(3):  # the batches, the calendar (2)
        batches = selectors.with_turnaround(list(selectors.batch_list(actor=platform_staff)))
    assert [b.turnaround_now.working_days_overdue for b in batches] == [3, 3, 3]
