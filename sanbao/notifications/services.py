"""Contact tasks and their attempts, messages, SMS and one-time codes. A task is
written in the caller's transaction; an e-mail or an SMS is sent by a background
worker once that transaction commits (``notifications.tasks``), and its attempt or
message records whether the mail backend or the SMS provider accepted it."""

from __future__ import annotations

import base64
import datetime as dt
import hmac
import math
import re
import secrets
import uuid

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext

from sanbao.accounts.models import User
from sanbao.accounts.roles import require
from sanbao.core import audit, background, ratelimit
from sanbao.core.phones import PHONE_RE, normalise_phone
from sanbao.notifications import sms
from sanbao.notifications.errors import ERRORS, too_many
from sanbao.notifications.models import (
    AttemptOutcome,
    Channel,
    ContactAttempt,
    ContactTask,
    Message,
    MessageChannel,
    MessageStatus,
    OneTimeCode,
    OtpPurpose,
    OtpStatus,
    TaskStatus,
    masked,
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

# The one-time codes' counters and resend holds in the shared cache (core.ratelimit).
OTP_LIMITS = "sanbao:otp"


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


# --- SMS ------------------------------------------------------------------------------


def sms_phone(raw: str) -> str:
    """``raw`` as a stored number (``core.phones``), or the field error on ``phone``."""
    phone = normalise_phone(raw)
    if not PHONE_RE.match(phone):
        raise ERRORS.invalid("notifications.sms_phone_invalid", "phone")
    return phone


def sms_send(
    *, phone: str, template: str, params: dict, key: str = "", sealed: dict | None = None
) -> Message | None:
    """Write an SMS of the declared ``template`` (``notifications.sms.TEMPLATES``) to
    ``phone`` with its values; a background task sends it once the transaction
    commits (``sms_deliver``). Values in ``sealed`` (a one-time code) are stored
    encrypted for the worker alone and erased once sent or given up. With ``key``,
    once only: None when an SMS with that key exists already."""
    phone = sms_phone(phone)
    kind = sms.template(template)
    sealed = {k: str(v) for k, v in (sealed or {}).items()}
    params = {k: str(v) for k, v in params.items()}
    if set(params) | set(sealed) != set(kind.params):
        raise ValueError(f"the SMS {template!r} takes {kind.params}, given {[*params, *sealed]}")
    shown = kind.render({**params, **{name: "*" * len(v) for name, v in sealed.items()}})
    message, created = Message.objects.get_or_create(
        key=(key or f"sms:{uuid.uuid4().hex}")[:120],
        defaults={
            "channel": MessageChannel.SMS,
            "phone": phone,
            "template": template,
            "params": params,
            "sealed": sms.seal(sealed) if sealed else "",
            "subject": template,
            "body": shown,
        },
    )
    if not created:
        return None
    audit.record(
        actor=None,
        action="sms.written",
        target=message,
        data={"phone": masked(phone), "template": template, "key": message.key},
    )
    from sanbao.notifications import tasks

    background.enqueue(tasks.sms_message, message.pk)
    return message


def sms_deliver(message_id: int, *, attempt: int = 1) -> str:
    """In the worker: hand a pending SMS to the backend of ``SANBAO_SMS_BACKEND`` and
    record the provider's answer on the message. A refusal that a retry may fix (a
    throttle, a network failure) is tried again later, up to ``SANBAO_SMS_ATTEMPTS``
    times in all; one that it cannot (an invalid number) fails at once. A one-time
    code that expired or was replaced meanwhile is not sent."""
    message = (
        Message.objects.filter(pk=message_id, channel=MessageChannel.SMS)
        .select_related("one_time_code")
        .first()
    )
    if message is None or message.status != MessageStatus.PENDING:
        return "gone" if message is None else message.status
    kind = sms.template(message.template)
    values = dict(message.params)
    error = ""
    if message.sealed:
        hidden = sms.unseal(message.sealed)
        if hidden is None:
            error = "the sealed values cannot be read (the secret key changed)"
        values.update(hidden or {})
    code = getattr(message, "one_time_code", None)
    if code is not None and (code.status != OtpStatus.ACTIVE or code.expires_at <= timezone.now()):
        error = "the one-time code expired or was replaced before it could be sent"
    if error:
        Message.objects.filter(pk=message.pk).update(
            status=MessageStatus.FAILED, error=error, sealed=""
        )
        return MessageStatus.FAILED
    outgoing = sms.OutgoingSms(
        phone=message.phone,
        template=kind,
        params=values,
        text=kind.render(values),
        reference=str(message.pk),
    )
    try:
        result = sms.backend().send(outgoing)
    except Exception as exc:  # a backend must not raise; if one does, it is an outcome
        result = sms.SmsResult(ok=False, error=f"{type(exc).__name__}: {exc}"[:500])
    update = {"answer": result.answer}
    if result.ok:
        update |= {
            "status": MessageStatus.SENT,
            "sent_at": timezone.now(),
            "error": "",
            "sealed": "",
        }
    elif result.retry and attempt < settings.SANBAO_SMS_ATTEMPTS:
        from sanbao.notifications import tasks

        update["error"] = result.error
        delay = dt.timedelta(seconds=settings.SANBAO_SMS_RETRY_SECONDS * 2 ** (attempt - 1))
        background.enqueue_later(tasks.sms_message, delay, message_id, attempt=attempt + 1)
    else:
        update |= {"status": MessageStatus.FAILED, "error": result.error, "sealed": ""}
    Message.objects.filter(pk=message.pk).update(**update)
    return update.get("status", "retry")


# --- One-time codes ---------------------------------------------------------------------

CODE_RE = re.compile(r"^[0-9]{6}$")
# Codes sent an hour: the setting of each counter.
SEND_LIMITS = {
    "send-from-client": "SANBAO_OTP_SENDS_PER_CLIENT_PER_HOUR",
    "send-to-phone": "SANBAO_OTP_SENDS_PER_PHONE_PER_HOUR",
}


def _digest(row: OneTimeCode, code: str) -> str:
    """The keyed hash stored instead of the code: HMAC-SHA256 with the site's secret
    key over the row's salt, number, purpose and the code."""
    value = f"{row.salt}|{row.phone}|{row.purpose}|{code}"
    return salted_hmac("sanbao.notifications.otp", value, algorithm="sha256").hexdigest()


def _purpose(purpose: str) -> str:
    if purpose not in OtpPurpose.values:
        raise ValueError(f"no one-time code purpose {purpose!r}; declared: {OtpPurpose.values}")
    return purpose


def otp_send(phone: str, purpose: str, *, client: str) -> OneTimeCode:
    """Send a new six-digit code (``secrets``) to ``phone`` by SMS for ``purpose``;
    ``client`` is the asking client's address (``core.clients.client_address``).

    Refused with a 429 (``TooManyRequests``, with ``retry_after``): within
    ``SANBAO_OTP_RESEND_SECONDS`` of the last code to that number; past
    ``SANBAO_OTP_SENDS_PER_CLIENT_PER_HOUR`` codes from the client, or
    ``SANBAO_OTP_SENDS_PER_PHONE_PER_HOUR`` to the number. The counts are in the
    shared cache. A new code replaces the number's earlier ones; only its keyed hash
    is stored, and the SMS carries it sealed until sent."""
    phone, purpose = sms_phone(phone), _purpose(purpose)
    cooldown = ("resend", f"{purpose}|{phone}", settings.SANBAO_OTP_RESEND_SECONDS)
    _refuse_resend(ratelimit.held(OTP_LIMITS, *cooldown))  # a refused resend counts nowhere
    # The client first: a client over its limit does not count against the number.
    counters = (
        ("send-from-client", ratelimit.bucket_of(client), "notifications.otp_client_limit"),
        ("send-to-phone", phone, "notifications.otp_phone_limit"),
    )
    for kind, value, error in counters:
        count, retry_after = ratelimit.window_count(OTP_LIMITS, kind, value)
        if count > getattr(settings, SEND_LIMITS[kind]):
            minutes = math.ceil(retry_after / 60)
            raise too_many(error, field="phone", retry_after=retry_after, minutes=minutes)
    _refuse_resend(ratelimit.hold(OTP_LIMITS, *cooldown))  # taken now: one of two at once wins
    code = f"{secrets.randbelow(10**6):06d}"
    now = timezone.now()
    ttl = settings.SANBAO_OTP_TTL_SECONDS
    row = OneTimeCode(
        phone=phone,
        purpose=purpose,
        salt=secrets.token_hex(16),
        created_at=now,
        expires_at=now + dt.timedelta(seconds=ttl),
    )
    row.digest = _digest(row, code)
    with transaction.atomic():
        OneTimeCode.objects.filter(phone=phone, purpose=purpose, status=OtpStatus.ACTIVE).update(
            status=OtpStatus.REPLACED
        )
        row.message = sms_send(
            phone=phone,
            template="otp_code",
            params={"minutes": math.ceil(ttl / 60)},
            sealed={"code": code},
            key=f"otp:{uuid.uuid4().hex}",
        )
        row.save()
        audit.record(
            actor=None,
            action="otp.sent",
            target=row,
            data={"phone": masked(phone), "purpose": purpose},
        )
    return row


def _refuse_resend(wait: int | None) -> None:
    if wait is not None:
        raise too_many(
            "notifications.otp_resend_wait", field="phone", retry_after=wait, seconds=wait
        )


def otp_verify(phone: str, purpose: str, code: str, *, client: str) -> OneTimeCode:
    """Check ``code`` against the latest code sent to ``phone`` for ``purpose``; the
    code, now used, when right. Call it outside any transaction of the caller's: a
    wrong try is committed here before the refusal is raised.

    Refused (400, on the field ``code``): not six digits (not counted as a try); no
    live code (expired, used, none sent); a wrong code, counted on the code, which
    is burnt at the ``SANBAO_OTP_MAX_ATTEMPTS``-th wrong try, after which even the
    right code is refused until a new one is sent. The hash is compared in constant
    time. Past ``SANBAO_OTP_TRIES_PER_CLIENT_PER_HOUR`` tries from the client: 429."""
    phone, purpose = sms_phone(phone), _purpose(purpose)
    code = re.sub(r"\s", "", code or "")
    if not CODE_RE.match(code):
        raise ERRORS.invalid("notifications.otp_code_invalid", "code")
    count, retry_after = ratelimit.window_count(
        OTP_LIMITS, "try-from-client", ratelimit.bucket_of(client)
    )
    if count > settings.SANBAO_OTP_TRIES_PER_CLIENT_PER_HOUR:
        raise too_many(
            "notifications.otp_tries_limit",
            field="code",
            retry_after=retry_after,
            minutes=math.ceil(retry_after / 60),
        )
    now = timezone.now()
    row = (
        OneTimeCode.objects.filter(phone=phone, purpose=purpose)
        .order_by("-created_at", "-id")
        .first()
    )
    if row is None:
        raise ERRORS.invalid("notifications.otp_code_expired", "code")
    if row.status == OtpStatus.BURNT:
        raise ERRORS.invalid("notifications.otp_code_burnt", "code")
    if row.status != OtpStatus.ACTIVE or row.expires_at <= now:
        raise ERRORS.invalid("notifications.otp_code_expired", "code")
    live = OneTimeCode.objects.filter(
        pk=row.pk,
        status=OtpStatus.ACTIVE,
        wrong_tries__lt=settings.SANBAO_OTP_MAX_ATTEMPTS,
        expires_at__gt=now,
    )
    if hmac.compare_digest(row.digest, _digest(row, code)):
        with transaction.atomic():
            # Conditional: a concurrent try that burnt it, or a new code, wins.
            if live.update(status=OtpStatus.USED, used_at=now):
                row.status, row.used_at = OtpStatus.USED, now
                audit.record(
                    actor=None,
                    action="otp.verified",
                    target=row,
                    data={"phone": masked(phone), "purpose": purpose},
                )
                return row
        row.refresh_from_db(fields=["status"])
        if row.status == OtpStatus.BURNT:
            raise ERRORS.invalid("notifications.otp_code_burnt", "code")
        raise ERRORS.invalid("notifications.otp_code_expired", "code")
    with transaction.atomic():
        # Counted with a conditional increment: tries at once never count past the limit.
        counted = live.update(wrong_tries=F("wrong_tries") + 1)
        row.refresh_from_db(fields=["status", "wrong_tries"])
        burnt = row.wrong_tries >= settings.SANBAO_OTP_MAX_ATTEMPTS
        if (
            counted
            and burnt
            and OneTimeCode.objects.filter(pk=row.pk, status=OtpStatus.ACTIVE).update(
                status=OtpStatus.BURNT
            )
        ):
            audit.record(
                actor=None,
                action="otp.burnt",
                target=row,
                data={"phone": masked(phone), "purpose": purpose, "wrong_tries": row.wrong_tries},
            )
    if burnt or row.status == OtpStatus.BURNT:
        raise ERRORS.invalid("notifications.otp_code_burnt", "code")
    if not counted:
        raise ERRORS.invalid("notifications.otp_code_expired", "code")
    raise ERRORS.invalid(
        "notifications.otp_code_wrong",
        "code",
        tries_left=settings.SANBAO_OTP_MAX_ATTEMPTS - row.wrong_tries,
    )


def otp_codes_purge(now: dt.datetime | None = None) -> int:
    """The daily job: delete the one-time codes past their expiry, and their SMS
    (the numbers they were sent to); how many codes. A code is useless once expired,
    and its events stay in the audit trail (masked number, never the code)."""
    expired = OneTimeCode.objects.filter(expires_at__lt=now or timezone.now())
    with transaction.atomic():
        messages = list(expired.exclude(message=None).values_list("message_id", flat=True))
        deleted, _ = expired.delete()
        # A code's SMS still waiting for a retry goes too: the worker finds it gone.
        Message.objects.filter(pk__in=messages, channel=MessageChannel.SMS).delete()
        if deleted:
            audit.record_many(
                actor=None,
                action="otp.purged",
                target_model=OneTimeCode,
                count=deleted,
                data={"codes": deleted},
            )
    return deleted
