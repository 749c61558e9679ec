"""Contact tasks and their attempts, and messages. A task is written in the caller's
transaction; an e-mail is sent by a background worker once that transaction commits
(``notifications.tasks``), and its attempt or message records whether the mail
backend accepted it."""

from __future__ import annotations

import base64
import datetime as dt

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from sanbao.accounts.models import User
from sanbao.accounts.roles import require
from sanbao.core import audit, background
from sanbao.notifications.errors import ERRORS
from sanbao.notifications.models import (
    AttemptOutcome,
    Channel,
    ContactAttempt,
    ContactTask,
    Message,
    MessageStatus,
    TaskStatus,
)

# Outcomes that mean the message reached the organisation: the task is done. An
# e-mail is logged but does not replace the call or the fax (IV.4): it closes nothing.
REACHING = {AttemptOutcome.REACHED, AttemptOutcome.FAX_SENT}
# The channels that count as contacting an organisation (IV.4).
CALL_OR_FAX = (Channel.TELEPHONE, Channel.FAX)
OUTCOMES_BY_CHANNEL = {
    Channel.TELEPHONE: {
        AttemptOutcome.REACHED,
        AttemptOutcome.NO_ANSWER,
        AttemptOutcome.WRONG_NUMBER,
    },
    Channel.FAX: {AttemptOutcome.FAX_SENT, AttemptOutcome.FAX_FAILED, AttemptOutcome.WRONG_NUMBER},
    Channel.EMAIL: {AttemptOutcome.EMAIL_SENT, AttemptOutcome.EMAIL_FAILED},
}


def task_open(
    *,
    recipient,
    subject: str,
    body: str,
    target,
    channel: str = Channel.TELEPHONE,
    actor=None,
    subject_params: dict | None = None,
) -> ContactTask:
    """Open a task to tell ``recipient`` about ``target`` (called inside a service).

    With ``subject_params``, ``subject`` is a message (``gettext_noop``) with
    ``%(name)s`` places: each reader sees it in their own language."""
    params = {k: str(v) for k, v in (subject_params or {}).items()}
    task = ContactTask.objects.create(
        recipient=recipient,
        subject=(gettext(subject) % params if subject_params is not None else str(subject))[:200],
        subject_msgid=str(subject)[:200] if subject_params is not None else "",
        subject_params=params,
        body=str(body)[:5000],
        channel=channel,
        target_type=target._meta.label_lower,
        target_id=str(target.pk),
        target_repr=str(target)[:200],
    )
    audit.record(
        actor=actor,
        action="contact_task.opened",
        target=task,
        data={"about": task.target_repr, "channel": channel},
    )
    return task


def attempt_record(
    *,
    task: ContactTask,
    actor,
    channel: str,
    outcome: str,
    contact_person: str = "",
    number_or_address: str = "",
    at=None,
    note: str = "",
) -> ContactAttempt:
    """IV.4: record one telephone call or fax (carried out by a person) and its
    outcome; an attempt that reached the organisation closes the task. The task's
    row is locked first, so two people recording at once cannot both add to a
    task the other has just closed."""
    require(actor, "contacts.manage")
    _check_outcome(channel, outcome)
    with transaction.atomic():
        if not ContactTask.objects.filter(pk=task.pk, status=TaskStatus.OPEN).update(
            status=TaskStatus.OPEN
        ):
            raise ERRORS.conflict("notifications.task_closed")
        return _write_attempt(
            task=task,
            actor=actor,
            channel=channel,
            outcome=outcome,
            contact_person=contact_person,
            number_or_address=number_or_address,
            at=at,
            note=note,
        )


def attempted(*, target, channels=CALL_OR_FAX) -> bool:
    """Whether at least one attempt by one of ``channels`` is recorded, with its
    outcome, on a task about ``target``."""
    return ContactAttempt.objects.filter(
        task__target_type=target._meta.label_lower,
        task__target_id=str(target.pk),
        channel__in=channels,
    ).exists()


def _check_outcome(channel: str, outcome: str) -> None:
    if channel not in OUTCOMES_BY_CHANNEL or outcome not in OUTCOMES_BY_CHANNEL[channel]:
        raise ERRORS.invalid(
            "notifications.outcome_invalid", "outcome", channel=channel, outcome=outcome
        )


def _write_attempt(
    *, task, actor, channel, outcome, contact_person="", number_or_address="", at=None, note=""
) -> ContactAttempt:
    """The attempt row, the task closed if it reached them, one audit event. Called
    inside a transaction."""
    attempt = ContactAttempt.objects.create(
        task=task,
        channel=channel,
        contacted_by=actor,
        contact_person=(contact_person or "").strip()[:100],
        number_or_address=(number_or_address or "").strip()[:254],
        at=at or timezone.now(),
        outcome=outcome,
        note=(note or "").strip()[:500],
    )
    if outcome in REACHING and ContactTask.objects.filter(
        pk=task.pk, status=TaskStatus.OPEN
    ).update(status=TaskStatus.DONE, done_at=attempt.at):
        task.status, task.done_at = TaskStatus.DONE, attempt.at
    audit.record(
        actor=actor,
        action="contact_task.attempted",
        target=task,
        data={"channel": channel, "outcome": outcome},
    )
    return attempt


def task_send_email(
    *, task: ContactTask, actor, attachments: list[tuple[str, bytes, str]] = ()
) -> None:
    """E-mail the task's message (with e.g. the notice PDF) to the organisation: a
    background task, enqueued in the current transaction, sends it once that commits
    and records the attempt with its outcome (``task_email_deliver``)."""
    require(actor, "contacts.manage")
    address = task.recipient.email
    if not address:
        raise ERRORS.invalid("notifications.no_email", "channel")
    if task.status != TaskStatus.OPEN:
        raise ERRORS.conflict("notifications.task_closed")
    from sanbao.notifications import tasks

    attachments = list(attachments)
    files = [
        [name, base64.b64encode(content).decode("ascii"), kind]
        for name, content, kind in attachments
    ]
    with transaction.atomic():  # the request and its queued e-mail, or neither
        audit.record(
            actor=actor,
            action="contact_task.email_requested",
            target=task,
            data={"address": address, "attachments": [name for name, _, _ in attachments]},
        )
        background.enqueue(tasks.contact_task_email, task.pk, actor.pk, address, files)


def task_email_deliver(
    task_id: int, *, actor_id: int, address: str, attachments: list, attempt: int = 1
) -> str:
    """In the worker: send a contact task's e-mail and record the attempt, whatever
    happened to the task meanwhile (a telephone call may have closed it): the e-mail
    went out, or failed, all the same. A failure is tried again, later, up to
    ``SANBAO_EMAIL_ATTEMPTS`` times in all; each try is an attempt on the task."""
    task = ContactTask.objects.filter(pk=task_id).select_related("recipient").first()
    if task is None:  # purged meanwhile (IV.8): nobody to write to any more
        return "gone"
    actor = User.objects.filter(pk=actor_id).first()
    mail = EmailMessage(subject=task.subject, body=task.body, to=[address])
    for name, content, kind in attachments:
        mail.attach(name, base64.b64decode(content), kind)
    error = _send(mail)
    with transaction.atomic():
        _write_attempt(
            task=task,
            actor=actor,
            channel=Channel.EMAIL,
            outcome=AttemptOutcome.EMAIL_FAILED if error else AttemptOutcome.EMAIL_SENT,
            number_or_address=address,
            note=error,
        )
    if not error:
        return "sent"
    if attempt < settings.SANBAO_EMAIL_ATTEMPTS:
        from sanbao.notifications import tasks

        background.enqueue_later(
            tasks.contact_task_email,
            _retry_delay(attempt),
            task_id,
            actor_id,
            address,
            attachments,
            attempt=attempt + 1,
        )
        return "retry"
    return "failed"


def message_send(*, recipient, key: str, subject: str, body: str) -> Message | None:
    """Write a message to ``recipient``; a background task e-mails it once the
    transaction commits (``message_deliver``). None when a message with ``key``
    exists already (sent once only)."""
    message, created = Message.objects.get_or_create(
        key=key[:120], defaults={"recipient": recipient, "subject": subject[:200], "body": body}
    )
    if not created:
        return None
    audit.record(
        actor=None,
        action="message.written",
        target=message,
        data={"recipient": recipient.get_username(), "key": message.key},
    )
    if not recipient.email:
        Message.objects.filter(pk=message.pk).update(status=MessageStatus.NO_ADDRESS)
        message.status = MessageStatus.NO_ADDRESS
        return message
    from sanbao.notifications import tasks

    background.enqueue(tasks.message_email, message.pk)
    return message


def message_deliver(message_id: int, *, attempt: int = 1) -> str:
    """In the worker: e-mail a pending message to its recipient's address as it is
    now, and mark it sent; a failure is kept on the message and tried again later,
    up to ``SANBAO_EMAIL_ATTEMPTS`` times in all, then the message is marked failed."""
    message = Message.objects.filter(pk=message_id).select_related("recipient").first()
    if message is None or message.status != MessageStatus.PENDING:
        return "gone" if message is None else message.status
    address = message.recipient.email
    if not address:
        Message.objects.filter(pk=message.pk).update(status=MessageStatus.NO_ADDRESS)
        return MessageStatus.NO_ADDRESS
    error = _send(EmailMessage(subject=message.subject, body=message.body, to=[address]))
    if not error:
        values = {"status": MessageStatus.SENT, "sent_at": timezone.now(), "error": ""}
    elif attempt < settings.SANBAO_EMAIL_ATTEMPTS:
        from sanbao.notifications import tasks

        values = {"error": error}
        background.enqueue_later(
            tasks.message_email, _retry_delay(attempt), message_id, attempt=attempt + 1
        )
    else:
        values = {"status": MessageStatus.FAILED, "error": error}
    Message.objects.filter(pk=message.pk).update(**values)
    return values.get("status", "retry")


def _send(mail: EmailMessage) -> str:
    """Send ``mail``: "" when the backend accepted it, else why not."""
    try:
        mail.send(fail_silently=False)
    except Exception as exc:  # any backend failure is an outcome to record
        return f"{type(exc).__name__}: {exc}"[:500]
    return ""


def _retry_delay(attempt: int) -> dt.timedelta:
    """Before try ``attempt + 1``: SANBAO_EMAIL_RETRY_MINUTES, doubled each time."""
    return dt.timedelta(minutes=settings.SANBAO_EMAIL_RETRY_MINUTES * 2 ** (attempt - 1))
