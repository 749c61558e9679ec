"""E-mail through the background worker (issue 13 item 7): the request only writes a
task row in its own transaction; ``manage.py db_worker`` sends the mail, records
the outcome and tries a failure again later; finished tasks are pruned."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from sanbao.core import background
from sanbao.core.jobs import DAILY_JOBS
from sanbao.notifications import services
from sanbao.notifications.models import Message, MessageStatus
from sanbao.testkit.background import queued_task_paths, run_queued_tasks

MESSAGE_TASK = "sanbao.notifications.tasks.message_email"
SENT: list = []


class RecordingBackend(BaseEmailBackend):
    """A mail server that notes when it is called: a request must never call it."""

    def send_messages(self, messages):
        SENT.extend(messages)
        return len(messages)


class RefusingBackend(BaseEmailBackend):
    def send_messages(self, messages):
        raise ConnectionRefusedError("mail server down")


@pytest.fixture(autouse=True)
def _clear_sent():
    SENT.clear()


def write(user, key="reminder:1"):
    return services.message_send(recipient=user, key=key, subject="Due back", body="Batch R-1")


@override_settings(EMAIL_BACKEND="sanbao.notifications.tests.test_tasks.RecordingBackend")
def test_writing_a_message_queues_it_and_calls_no_mail_server(platform_staff):
    """The defect: e-mail was sent in the request after its commit, so a slow mail
    server slowed the page. Now the request only queues a task."""
    with transaction.atomic():
        message = write(platform_staff)
    assert SENT == []
    assert Message.objects.get(pk=message.pk).status == MessageStatus.PENDING
    assert queued_task_paths() == [MESSAGE_TASK]
    (ran,) = run_queued_tasks()
    assert ran.status == "SUCCESSFUL"
    assert [m.to for m in SENT] == [[platform_staff.email]]
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT and message.sent_at is not None


def test_a_message_rolled_back_with_its_transaction_leaves_no_task(platform_staff):
    with pytest.raises(RuntimeError), transaction.atomic():
        write(platform_staff)
        raise RuntimeError("the caller failed after writing the message")
    assert DBTaskResult.objects.count() == 0 and Message.objects.count() == 0


@override_settings(
    EMAIL_BACKEND="sanbao.notifications.tests.test_tasks.RefusingBackend",
    SANBAO_EMAIL_ATTEMPTS=3,
    SANBAO_EMAIL_RETRY_MINUTES=5,
)
def test_a_refused_e_mail_is_tried_again_later_then_marked_failed(platform_staff):
    message = write(platform_staff)
    run_queued_tasks()
    message.refresh_from_db()
    assert message.status == MessageStatus.PENDING
    assert "ConnectionRefusedError" in message.error
    later = DBTaskResult.objects.get(status="READY")
    wait = later.run_after - timezone.now()
    assert dt.timedelta(minutes=4) < wait <= dt.timedelta(minutes=5)
    assert run_queued_tasks() == []  # not before its time
    for expected_wait in (10, None):
        DBTaskResult.objects.filter(status="READY").update(run_after=timezone.now())
        run_queued_tasks()
        if expected_wait:
            wait = DBTaskResult.objects.get(status="READY").run_after - timezone.now()
            assert dt.timedelta(minutes=expected_wait - 1) < wait
    message.refresh_from_db()
    assert message.status == MessageStatus.FAILED
    assert DBTaskResult.objects.filter(status="READY").count() == 0
    assert DBTaskResult.objects.filter(task_path=MESSAGE_TASK).count() == 3


def test_an_address_added_before_the_worker_runs_is_used(platform_staff):
    message = write(platform_staff)
    platform_staff.email = "new@sanbao.test"
    platform_staff.save(update_fields=["email"])
    run_queued_tasks()
    assert [m.to for m in mail.outbox] == [["new@sanbao.test"]]
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT


def test_a_message_purged_before_the_worker_runs_is_not_sent(platform_staff):
    message = write(platform_staff)
    Message.objects.filter(pk=message.pk).delete()
    (ran,) = run_queued_tasks()
    assert ran.status == "SUCCESSFUL" and ran.return_value == "gone"
    assert mail.outbox == []


@pytest.mark.django_db(transaction=True)
def test_the_worker_command_sends_what_committed_requests_queued(platform_staff):
    """``manage.py db_worker`` itself (what ``make run`` and production start), on
    rows a committed transaction wrote: ``--batch`` runs what is ready and stops."""
    first, second = write(platform_staff, "a"), write(platform_staff, "b")
    call_command("db_worker", batch=True, interval=0, startup_delay=False, verbosity=0)
    assert sorted(m.subject for m in mail.outbox) == ["Due back", "Due back"]
    assert set(Message.objects.values_list("status", flat=True)) == {MessageStatus.SENT}
    assert set(DBTaskResult.objects.values_list("status", flat=True)) == {"SUCCESSFUL"}
    assert {first.pk, second.pk} == set(Message.objects.values_list("pk", flat=True))


@override_settings(
    TASKS={"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
)
def test_a_broker_backend_gets_the_task_only_after_the_commit(
    platform_staff, django_capture_on_commit_callbacks
):
    """A broker (RQ on Redis) cannot join the transaction: the task is handed over
    on commit, so a worker never looks for a message that is not committed yet
    (here the immediate backend stands for the broker and runs it at once)."""
    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        write(platform_staff)
        assert mail.outbox == []
    assert len(callbacks) == 1 and len(mail.outbox) == 1
    assert DBTaskResult.objects.count() == 0
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        write(platform_staff, "rolled back")
        raise RuntimeError
    assert len(mail.outbox) == 1


def test_finished_tasks_are_pruned_after_their_days_and_waiting_ones_kept(platform_staff):
    assert ("task_results_prune", "sanbao.core.background.prune_finished") in DAILY_JOBS
    write(platform_staff, "old")
    run_queued_tasks()
    write(platform_staff, "waiting")
    now = timezone.now()
    with override_settings(SANBAO_TASK_RESULTS_DAYS=7):
        assert background.prune_finished(now=now + dt.timedelta(days=6)) == 0
        assert background.prune_finished(now=now + dt.timedelta(days=8)) == 1
    assert list(DBTaskResult.objects.values_list("status", flat=True)) == ["READY"]
