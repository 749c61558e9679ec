"""Background work through Django's tasks API (the django-tasks backport; Django 6
has it built in). Every task the apps enqueue goes through ``enqueue`` here.

With the default database backend (django-tasks-db) the task is a row written in
the caller's transaction: it is committed with the record that asked for it, or
rolled back with it, and a worker (``manage.py db_worker``) runs it once committed.
With a broker's backend (RQ on Redis) the task cannot join the transaction, so it is
handed over only after the commit: a worker never runs a task whose record was
rolled back or is not visible yet."""

from __future__ import annotations

import datetime as dt
from functools import partial

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.models import DBTaskResult


def enqueue(task, *args, **kwargs) -> None:
    """Run ``task(*args, **kwargs)`` in the background, once the current
    transaction (if any) commits."""
    if isinstance(task.get_backend(), DatabaseBackend):
        task.enqueue(*args, **kwargs)
    else:
        transaction.on_commit(partial(task.enqueue, *args, **kwargs))


def enqueue_later(task, delay: dt.timedelta, *args, **kwargs) -> None:
    """``enqueue``, run no earlier than ``delay`` from now where the backend can
    defer (both the database's and RQ's can); else at once."""
    if task.get_backend().supports_defer:
        task = task.using(run_after=timezone.now() + delay)
    enqueue(task, *args, **kwargs)


def prune_finished(now: dt.datetime | None = None) -> int:
    """Delete the database backend's tasks that finished (well or not) more than
    ``SANBAO_TASK_RESULTS_DAYS`` ago; how many. Waiting and running ones stay."""
    cutoff = (now or timezone.now()) - dt.timedelta(days=settings.SANBAO_TASK_RESULTS_DAYS)
    deleted, _ = DBTaskResult.objects.finished().filter(finished_at__lt=cutoff).delete()
    return deleted
