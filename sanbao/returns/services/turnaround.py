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

from django.conf import settings
from django.db import transaction

from sanbao.core import audit
from sanbao.returns.models import ReturnBatch
from sanbao.returns.selectors import Turnaround, turnaround  # noqa: F401 (the services' face)
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
    if not changed:
        return 0
    with transaction.atomic():
        ReturnBatch.objects.bulk_update(changed, ["due_on", "due_provisional"], batch_size=500)
        audit.record_many(
            actor=None,
            action="return_batch.due_dates_recounted",
            target_model=ReturnBatch,
            count=len(changed),
            data={"batches": [b.pk for b in changed[:200]]},
        )
    return len(changed)
