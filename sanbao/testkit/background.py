"""Running the queued background tasks inside a test, as ``manage.py db_worker``
would: each ready task is claimed, run and marked finished, in the order the
worker takes them, until none is ready. The worker command itself closes old
database connections between tasks, which a test's transaction cannot survive;
``tests`` that commit run the real command (``notifications/tests/test_tasks.py``)."""

from __future__ import annotations

from django.db import transaction
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult


def run_queued_tasks(limit: int = 100) -> list[DBTaskResult]:
    """Run every ready task (those deferred to later wait); the results, in order."""
    worker = Worker(
        queue_names=["*"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test",
        excluded_queue_names=[],
    )
    ran = []
    for _ in range(limit):
        # Claimed under its row lock inside a transaction, as the worker claims it: a
        # live-server test runs in autocommit, where PostgreSQL's SELECT ... FOR
        # UPDATE needs one (a test's own transaction just nests a savepoint).
        with transaction.atomic():
            result = DBTaskResult.objects.ready().get_locked()
            if result is None:
                return ran
            result.claim(worker.worker_id)
        worker.run_task(result)
        result.refresh_from_db()
        ran.append(result)
    raise AssertionError(f"more than {limit} tasks queued: a task re-enqueuing itself?")


def queued_task_paths() -> list[str]:
    """The task paths waiting to run (ready or deferred)."""
    return list(
        DBTaskResult.objects.exclude(status__in=["SUCCESSFUL", "FAILED"])
        .order_by("enqueued_at")
        .values_list("task_path", flat=True)
    )
