"""IV.4 after the count: the platform notifies the return unit by telephone or fax
(or e-mail, through Django's mail backend), records who contacted whom, when, how
and with what outcome, and resolves each anomaly with a note; resolving the last
one releases the batch to testing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from sanbao.core.errors import Conflict, PermissionDenied, PolicyRefused, ValidationFailed
from sanbao.core.models import AuditEvent
from sanbao.notifications import services as notifications
from sanbao.notifications.models import ContactAttempt, ContactTask
from sanbao.returns import selectors, services
from sanbao.returns.models import BatchStatus, ReceiptAnomaly
from sanbao.returns.tests.conftest import (
    called,
    events,
    on_hold,
    pb_lines,
    reload,
)
from sanbao.testkit.background import run_queued_tasks


class RefusingBackend:
    """A mail server that is down (the outside world, stood in for)."""

    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("SMTP server unreachable")


@pytest.fixture
def batch(agent_a_clerk, platform_staff, pb10k):
    """On hold: three power banks listed, two arrived in two boxes of three."""
    lines = pb_lines(3)
    return reload(on_hold(agent_a_clerk, platform_staff, lines, declared_boxes=3, received_boxes=2))


@pytest.fixture
def task(batch):
    return ContactTask.objects.get(target_id=str(batch.pk))


def attempt(task, actor, channel="telephone", outcome="reached", **kwargs):
    return notifications.attempt_record(
        task=task, actor=actor, channel=channel, outcome=outcome, **kwargs
    )


# Contact attempts -----------------------------------------------------------------------------


@pytest.mark.clause("IV.4")
def test_a_telephone_call_that_reaches_the_return_unit_is_recorded_and_closes_the_task(
    task, platform_staff
):
    at = timezone.now() - dt.timedelta(minutes=5)
    done = attempt(
        task, platform_staff, contact_person="Wang Fang", number_or_address="075588881234", at=at
    )
    row = ContactAttempt.objects.get(pk=done.pk)
    assert (row.channel, row.outcome, row.contacted_by, row.contact_person, row.at) == (
        "telephone",
        "reached",
        platform_staff,
        "Wang Fang",
        at,
    )
    task.refresh_from_db()
    assert (task.status, task.done_at) == ("done", at)
    assert events(task) == ["contact_task.opened", "contact_task.attempted"]


@pytest.mark.clause("IV.4")
@pytest.mark.parametrize(
    ("channel", "outcome"),
    [("telephone", "no_answer"), ("telephone", "wrong_number"), ("fax", "fax_failed")],
)
def test_an_attempt_that_does_not_reach_them_is_recorded_and_keeps_the_task_open(
    task, platform_staff, channel, outcome
):
    attempt(task, platform_staff, channel, outcome)
    attempt(task, platform_staff, channel, outcome)
    task.refresh_from_db()
    assert task.status == "open"
    assert list(task.attempts.values_list("outcome", flat=True)) == [outcome, outcome]


@pytest.mark.clause("IV.4")
def test_a_fax_sent_closes_the_task(task, platform_staff):
    attempt(task, platform_staff, "fax", "fax_sent", number_or_address="075588880000")
    task.refresh_from_db()
    assert task.status == "done"


@pytest.mark.clause("IV.4")
@pytest.mark.parametrize(
    ("channel", "outcome"),
    [
        ("telephone", "fax_sent"),
        ("fax", "reached"),
        ("email", "reached"),
        ("telephone", "email_sent"),
        ("pigeon", "reached"),
        ("telephone", "maybe"),
    ],
)
def test_an_outcome_that_does_not_fit_the_channel_is_refused(
    task, platform_staff, channel, outcome
):
    with pytest.raises(ValidationFailed) as caught:
        attempt(task, platform_staff, channel, outcome)
    assert caught.value.code == "notifications.outcome_invalid"
    assert set(caught.value.fields) == {"outcome"}
    assert ContactAttempt.objects.count() == 0
    assert events(task) == ["contact_task.opened"]


@pytest.mark.clause("IV.4")
def test_nothing_more_is_recorded_on_a_task_already_done(task, platform_staff):
    attempt(task, platform_staff)
    with pytest.raises(Conflict) as caught:
        attempt(task, platform_staff, outcome="no_answer")
    assert caught.value.code == "notifications.task_closed"
    assert ContactAttempt.objects.count() == 1


@pytest.mark.parametrize("who", ["agent_a_clerk", "outlet_tech", "cs_commissioner"])
def test_only_after_sales_staff_record_contacts(cast, task, who):
    with pytest.raises(PermissionDenied):
        attempt(task, getattr(cast, who))
    assert ContactAttempt.objects.count() == 0


# E-mail ---------------------------------------------------------------------------------------


@pytest.mark.clause("IV.4")
def test_the_notice_is_e_mailed_through_the_mail_backend_by_the_worker(
    task, agent_a, platform_staff
):
    agent_a.email = "returns@agent-a.example"
    agent_a.save(update_fields=["email"])
    task = ContactTask.objects.select_related("recipient").get(pk=task.pk)
    notice = ("notice.pdf", b"%PDF-1.4 notice", "application/pdf")
    with transaction.atomic():
        notifications.task_send_email(task=task, actor=platform_staff, attachments=[notice])
    assert mail.outbox == []  # nothing leaves in the request: the worker sends it
    (ran,) = run_queued_tasks()
    assert ran.task_path == "sanbao.notifications.tasks.contact_task_email"
    (sent,) = mail.outbox
    assert (sent.to, sent.subject, sent.body) == (
        ["returns@agent-a.example"],
        task.subject,
        task.body,
    )
    assert sent.attachments[0][:2] == ("notice.pdf", b"%PDF-1.4 notice")
    (row,) = ContactAttempt.objects.all()
    assert (row.channel, row.outcome, row.number_or_address, row.contacted_by) == (
        "email",
        "email_sent",
        "returns@agent-a.example",
        platform_staff,
    )
    task.refresh_from_db()
    assert task.status == "open"  # an e-mail is logged; it does not replace the call (IV.4)


@pytest.mark.clause("IV.4")
@override_settings(
    EMAIL_BACKEND="sanbao.returns.tests.services.test_anomaly_contacts.RefusingBackend"
)
def test_an_e_mail_the_backend_refuses_is_recorded_as_failed_and_the_task_stays_open(
    task, agent_a, platform_staff
):
    agent_a.email = "returns@agent-a.example"
    agent_a.save(update_fields=["email"])
    task = ContactTask.objects.select_related("recipient").get(pk=task.pk)
    notifications.task_send_email(task=task, actor=platform_staff)
    run_queued_tasks()
    (row,) = ContactAttempt.objects.all()
    assert (row.channel, row.outcome) == ("email", "email_failed")
    assert "ConnectionRefusedError" in row.note
    task.refresh_from_db()
    assert task.status == "open"


def test_an_e_mail_is_not_sent_to_a_return_unit_without_an_address(task, platform_staff):
    with pytest.raises(ValidationFailed) as caught:
        notifications.task_send_email(task=task, actor=platform_staff)
    assert caught.value.code == "notifications.no_email"
    assert mail.outbox == [] and ContactAttempt.objects.count() == 0


def test_an_e_mail_rolled_back_with_its_transaction_is_never_sent(task, agent_a, platform_staff):
    agent_a.email = "returns@agent-a.example"
    agent_a.save(update_fields=["email"])
    task = ContactTask.objects.select_related("recipient").get(pk=task.pk)
    with pytest.raises(RuntimeError), transaction.atomic():
        notifications.task_send_email(task=task, actor=platform_staff)
        raise RuntimeError("the caller failed after asking for the e-mail")
    assert run_queued_tasks() == [] and mail.outbox == []
    assert ContactAttempt.objects.count() == 0


# Resolution -----------------------------------------------------------------------------------


@pytest.mark.clause("IV.4")
@pytest.mark.parametrize("note", ["", "   ", None])
def test_an_anomaly_is_resolved_only_with_a_note(batch, platform_staff, note):
    anomaly = ReceiptAnomaly.objects.filter(batch=batch).first()
    with pytest.raises(ValidationFailed) as caught:
        services.anomaly_resolve(anomaly=anomaly, actor=platform_staff, note=note)
    assert caught.value.code == "returns.note_required"
    assert set(caught.value.fields) == {"note"}
    anomaly.refresh_from_db()
    assert anomaly.is_open and events(anomaly) == []


@pytest.mark.clause("IV.4")
def test_an_anomaly_is_not_resolved_before_the_return_unit_is_called_or_faxed(
    batch, task, agent_a, platform_staff
):
    """Issue 10 item 10: no resolution, and no clock, until at least one telephone
    call or fax is recorded with its outcome; an e-mail is logged but replaces
    neither, and does not close the call task."""
    missing, boxes = ReceiptAnomaly.objects.filter(batch=batch).order_by("id")
    with pytest.raises(PolicyRefused) as caught:
        services.anomaly_resolve(anomaly=missing, actor=platform_staff, note="Agreed.")
    assert caught.value.code == "returns.contact_required"
    agent_a.email = "returns@agent-a.example"
    agent_a.save(update_fields=["email"])
    task = ContactTask.objects.select_related("recipient").get(pk=task.pk)
    notifications.task_send_email(task=task, actor=platform_staff)
    run_queued_tasks()
    assert ContactAttempt.objects.get().outcome == "email_sent"
    assert ContactTask.objects.get(pk=task.pk).status == "open"
    with pytest.raises(PolicyRefused):
        services.anomaly_resolve(anomaly=missing, actor=platform_staff, note="Agreed.")
    missing.refresh_from_db()
    assert missing.is_open and reload(batch).status == BatchStatus.ON_HOLD
    assert reload(batch).due_on is None
    attempt(task, platform_staff, outcome="no_answer")
    services.anomaly_resolve(anomaly=missing, actor=platform_staff, note="Agreed.")
    services.anomaly_resolve(anomaly=boxes, actor=platform_staff, note="Repacked.")
    assert reload(batch).status == BatchStatus.RECEIVED


@pytest.mark.clause("IV.4")
def test_resolving_the_last_anomaly_releases_the_batch_to_testing(batch, platform_staff):
    called(batch, platform_staff)
    assert batch.status == BatchStatus.ON_HOLD
    missing, boxes = ReceiptAnomaly.objects.filter(batch=batch).order_by("id")
    assert (missing.kind, boxes.kind) == ("missing_units", "boxes")
    services.anomaly_resolve(
        anomaly=missing, actor=platform_staff, note="Agent confirms one unit stays behind."
    )
    assert reload(batch).status == BatchStatus.ON_HOLD
    assert list(selectors.open_anomalies(batch)) == [boxes]
    services.anomaly_resolve(anomaly=boxes, actor=platform_staff, note="Two boxes, repacked.")
    assert reload(batch).status == BatchStatus.RECEIVED
    boxes.refresh_from_db()
    assert (boxes.resolved_by, boxes.resolution_note) == (platform_staff, "Two boxes, repacked.")
    assert events(batch)[-1] == "return_batch.anomalies_resolved"
    # the received figures are untouched by the resolution (IV.1)
    assert (reload(batch).declared_units, reload(batch).received_units) == (3, 2)


@pytest.mark.clause("IV.4")
def test_an_anomaly_is_resolved_once(batch, platform_staff):
    called(batch, platform_staff)
    anomaly = ReceiptAnomaly.objects.filter(batch=batch).first()
    services.anomaly_resolve(anomaly=anomaly, actor=platform_staff, note="Agreed.")
    stale = ReceiptAnomaly.objects.get(pk=anomaly.pk)
    stale.resolved_at = None
    with pytest.raises(Conflict) as caught:
        services.anomaly_resolve(anomaly=stale, actor=platform_staff, note="Again.")
    assert caught.value.code == "returns.anomaly_resolved_already"
    assert events(anomaly) == ["receipt_anomaly.resolved"]
    assert ReceiptAnomaly.objects.get(pk=anomaly.pk).resolution_note == "Agreed."


def test_the_database_refuses_a_resolution_without_a_note(batch):
    from django.db import IntegrityError

    with pytest.raises(IntegrityError), transaction.atomic():
        ReceiptAnomaly.objects.filter(batch=batch).update(
            resolved_at=timezone.now(), resolution_note=""
        )


def test_the_whole_story_of_an_anomaly_is_in_the_audit_trail(cast, pb10k, platform_staff):
    batch = on_hold(cast.agent_a_clerk, platform_staff, pb_lines(2))
    task = ContactTask.objects.get(target_id=str(batch.pk))
    attempt(task, platform_staff, outcome="no_answer")
    attempt(task, platform_staff, outcome="reached")
    (anomaly,) = ReceiptAnomaly.objects.filter(batch=batch)
    services.anomaly_resolve(anomaly=anomaly, actor=platform_staff, note="Lost in transit.")
    actions = list(
        AuditEvent.objects.filter(actor=platform_staff)
        .order_by("at", "id")
        .values_list("action", flat=True)
    )
    assert actions == [
        "return_batch.receipt_opened",
        "contact_task.opened",
        "return_batch.receipt_closed",
        "contact_task.attempted",
        "contact_task.attempted",
        "receipt_anomaly.resolved",
        "return_batch.anomalies_resolved",
    ]
