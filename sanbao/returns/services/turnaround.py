"""The turnaround clock (IV.5): a batch that meets the return specifications goes
back within ``SANBAO_TURNAROUND_WORKING_DAYS`` working days of receipt.

The day of receipt does not count: the batch is due by the end of the n-th
working day after it, on the mainland Chinese calendar (``sanbao.workdays``,
Asia/Shanghai dates). A batch on hold with receipt anomalies has no due date; its
clock starts on the day the last anomaly is resolved. A due date in a year whose
official schedule is not known yet is provisional, and is recomputed when the
administrator enters that schedule (``due_dates_refresh``)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone

from sanbao.returns.models import BatchStatus, ReturnBatch
from sanbao.returns.states import AWAITING_RETURN
from sanbao.workdays import services as workdays


def clock_start(batch: ReturnBatch, day: dt.date, cal=None) -> dict:
    """The clock fields of ``batch`` started on ``day``, for the caller's update;
    ``cal``: the calendar to count on, when many batches are counted at once."""
    working_days = settings.SANBAO_TURNAROUND_WORKING_DAYS
    due = cal.due(day, working_days) if cal is not None else workdays.due_date(day, working_days)
    return {"clock_started_on": day, "due_on": due.day, "due_provisional": due.provisional}


def due_dates_refresh() -> int:
    """Recompute the due dates of batches not yet sent back (the calendar changed:
    an override, or a year's schedule entered). Returns how many changed."""
    cal = workdays.calendar()
    batches = ReturnBatch.objects.filter(
        clock_started_on__isnull=False, shipped_at__isnull=True
    ).only("pk", "clock_started_on", "due_on", "due_provisional")
    changed = []
    for batch in batches.iterator(chunk_size=2000):
        values = clock_start(batch, batch.clock_started_on, cal)
        if (values["due_on"], values["due_provisional"]) != (batch.due_on, batch.due_provisional):
            batch.due_on, batch.due_provisional = values["due_on"], values["due_provisional"]
            changed.append(batch)
    ReturnBatch.objects.bulk_update(changed, ["due_on", "due_provisional"], batch_size=500)
    return len(changed)


@dataclass(frozen=True)
class Turnaround:
    """How a batch stands against its due date (IV.5), as of ``today``."""

    due_on: dt.date | None
    provisional: bool
    working_days_left: int | None  # by the end of the due day; None when overdue
    working_days_overdue: int | None  # None when not overdue
    shipped: bool
    working_days_late: int | None  # once shipped
    delayed: bool  # IV.6: only delayed units are left to send; no clock runs on them

    @property
    def overdue(self) -> bool:
        return self.working_days_overdue is not None

    @property
    def on_time(self) -> bool | None:
        return None if self.working_days_late is None else self.working_days_late == 0


def turnaround(batch: ReturnBatch, today: dt.date | None = None, cal=None) -> Turnaround:
    """Time left or overdue, counted while the batch awaits its return (received,
    testing, ready); a batch delayed for its remaining units (IV.6) is not overdue.
    ``cal``: the calendar to count on, when a list asks for many batches."""
    today = today or timezone.localdate()
    shipped = batch.shipped_at is not None
    left = overdue = None
    if batch.due_on is not None and not shipped and batch.status in AWAITING_RETURN:
        if today <= batch.due_on:
            cal = cal or workdays.calendar()
            left = cal.working_days_between(today, batch.due_on)
        else:
            cal = cal or workdays.calendar()
            overdue = max(1, cal.working_days_between(batch.due_on, today))
    return Turnaround(
        due_on=batch.due_on,
        provisional=batch.due_provisional,
        working_days_left=left,
        working_days_overdue=overdue,
        shipped=shipped,
        working_days_late=batch.working_days_late,
        delayed=batch.status == BatchStatus.DELAYED,
    )
