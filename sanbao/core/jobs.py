"""The periodic jobs, in one place. ``manage.py run_daily_jobs`` runs them (from
cron or a systemd timer, once a day after midnight Asia/Shanghai); each is safe
to run twice on one day. Jobs are dotted paths so ``core`` imports no app."""

from __future__ import annotations

from django.utils.module_loading import import_string

DAILY_JOBS = [
    # IV.5: batches due back by the end of the next working day, and overdue ones.
    ("turnaround_reminders", "sanbao.returns.tasks.turnaround_reminders"),
    # IV.5: due dates recomputed, e.g. after the calendar library learned a year.
    ("due_dates_refresh", "sanbao.returns.services.turnaround.due_dates_refresh"),
    # IV.8: personal data and files of records kept beyond the retention period.
    ("retention_purge", "sanbao.core.retention.purge_expired"),
    # Issue 13: Idempotency-Key rows older than SANBAO_IDEMPOTENCY_HOURS.
    ("idempotency_keys_expire", "sanbao.core.idempotency.purge_expired_keys"),
    # Issue 13: finished background tasks older than SANBAO_TASK_RESULTS_DAYS.
    ("task_results_prune", "sanbao.core.background.prune_finished"),
    # Issue 16: one-time codes past their expiry, and their SMS.
    ("otp_codes_purge", "sanbao.notifications.services.otp_codes_purge"),
    # Issue 15: models whose fault rate rose in a sale month, told to the managers once.
    ("quality_signals", "sanbao.insights.tasks.quality_signals_notify"),
]


def run_daily(names: list[str] | None = None) -> dict[str, object]:
    """Run the daily jobs (or those named); what each returned."""
    results = {}
    for name, path in DAILY_JOBS:
        if names and name not in names:
            continue
        results[name] = import_string(path)()
    return results
