"""Messages and contact tasks (telephone, fax, e-mail) with every attempt's outcome."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from sanbao.accounts.models import Organisation, OrgScopedQuerySet
from sanbao.core.modelfields import choice_constraint, reference, user_reference


class Channel(models.TextChoices):
    TELEPHONE = "telephone", _("Telephone")
    FAX = "fax", _("Fax")
    EMAIL = "email", _("E-mail")


class TaskStatus(models.TextChoices):
    OPEN = "open", _("Open")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


class AttemptOutcome(models.TextChoices):
    REACHED = "reached", _("Reached the contact")
    NO_ANSWER = "no_answer", _("No answer")
    WRONG_NUMBER = "wrong_number", _("Wrong number")
    FAX_SENT = "fax_sent", _("Fax sent")
    FAX_FAILED = "fax_failed", _("Fax failed")
    EMAIL_SENT = "email_sent", _("E-mail sent")
    EMAIL_FAILED = "email_failed", _("E-mail failed")


class TaskQuerySet(OrgScopedQuerySet):
    def scope_field(self, role):
        """Contact tasks are the platform's work; the organisation contacted sees the
        tasks about it (what was sent and when), not who is assigned."""
        return "recipient_id"


class ContactTask(models.Model):
    """Something a person must tell an organisation (IV.4: a receipt anomaly), by
    telephone, fax or e-mail; done when an attempt reaches them."""

    recipient = reference(Organisation, _("organisation contacted"), related_name="contact_tasks")
    subject = models.CharField(_("subject"), max_length=200)
    # The subject's English message and its values, so each reader sees it in
    # their own language (issue 10, item 18); ``subject`` keeps the text as written.
    subject_msgid = models.CharField(_("subject message"), max_length=200, blank=True)
    subject_params = models.JSONField(_("subject values"), default=dict, blank=True)
    body = models.TextField(_("message"), max_length=5000)
    channel = models.CharField(
        _("first channel"), max_length=10, choices=Channel.choices, default=Channel.TELEPHONE
    )
    status = models.CharField(
        _("status"), max_length=10, choices=TaskStatus.choices, default=TaskStatus.OPEN
    )
    target_type = models.CharField(_("about record type"), max_length=80)
    target_id = models.CharField(_("about record id"), max_length=64)
    target_repr = models.CharField(_("about"), max_length=200)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    done_at = models.DateTimeField(_("done"), null=True, blank=True)

    objects = TaskQuerySet.as_manager()

    class Meta:
        verbose_name = _("contact task")
        verbose_name_plural = _("contact tasks")
        ordering = ["status", "-created_at", "-id"]
        indexes = [models.Index(fields=["target_type", "target_id"])]
        constraints = [choice_constraint("status", TaskStatus, "contact_task_status_valid")]

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        """The subject in the reader's language where it was opened from a message."""
        if not self.subject_msgid:
            return self.subject
        try:
            return gettext(self.subject_msgid) % self.subject_params
        except (KeyError, TypeError, ValueError):
            return self.subject


class ContactAttempt(models.Model):
    """IV.4: who contacted whom, when, how and with what outcome."""

    task = models.ForeignKey(
        ContactTask, verbose_name=_("task"), on_delete=models.CASCADE, related_name="attempts"
    )
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    contacted_by = user_reference(_("contacted by"), optional=True)
    contact_person = models.CharField(_("person contacted"), max_length=100, blank=True)
    number_or_address = models.CharField(_("number or address"), max_length=254, blank=True)
    at = models.DateTimeField(_("when"))
    outcome = models.CharField(_("outcome"), max_length=14, choices=AttemptOutcome.choices)
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("contact attempt")
        verbose_name_plural = _("contact attempts")
        ordering = ["task", "at", "id"]

    def __str__(self) -> str:
        return f"{self.task_id} {self.channel} {self.outcome}"


class MessageStatus(models.TextChoices):
    PENDING = "pending", _("Waiting to be sent")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")
    NO_ADDRESS = "no_address", _("No e-mail address")


class MessageChannel(models.TextChoices):
    EMAIL = "email", _("E-mail")
    SMS = "sms", _("SMS")


class Message(models.Model):
    """A message to one user (a reminder from a daily job), sent by e-mail, or an SMS
    to a telephone number (a consumer's one-time code, a claim's step: issue 16).
    ``key`` makes it once only: a job run twice on one day writes nothing new."""

    channel = models.CharField(
        _("channel"), max_length=10, choices=MessageChannel.choices, default=MessageChannel.EMAIL
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="messages",
        null=True,
        blank=True,
    )
    # An SMS: the number (normalised, core.phones), the template (notifications.sms)
    # and its values. A value that must never be stored readable (a one-time code) is
    # in ``sealed``, encrypted, and erased once the SMS is sent or given up.
    phone = models.CharField(_("telephone"), max_length=21, blank=True)
    template = models.CharField(_("template"), max_length=40, blank=True)
    params = models.JSONField(_("values"), default=dict, blank=True)
    sealed = models.TextField(_("sealed values"), blank=True)
    # What the SMS provider answered the last time it was asked (its code, message,
    # request and delivery ids), or why it could not be asked.
    answer = models.JSONField(_("provider's answer"), default=dict, blank=True)
    key = models.CharField(_("key"), max_length=120, unique=True)
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("message"), max_length=20000)
    status = models.CharField(
        _("status"), max_length=10, choices=MessageStatus.choices, default=MessageStatus.PENDING
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    error = models.CharField(_("error"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["-created_at", "-id"]
        constraints = [
            choice_constraint("channel", MessageChannel, "message_channel_valid"),
            # An e-mail goes to a user, an SMS to a number.
            models.CheckConstraint(
                condition=(Q(channel=MessageChannel.EMAIL) & Q(recipient__isnull=False))
                | (Q(channel=MessageChannel.SMS) & ~Q(phone="")),
                name="message_has_an_address",
            ),
        ]

    def __str__(self) -> str:
        return self.subject


class OtpPurpose(models.TextChoices):
    """What a one-time code proves: add one per use (codes of one purpose never
    confirm another)."""

    CONSUMER_PHONE = "consumer_phone", _("A consumer confirms their mobile number")


class OtpStatus(models.TextChoices):
    ACTIVE = "active", _("Waiting to be entered")
    USED = "used", _("Entered")
    BURNT = "burnt", _("Too many wrong tries")
    REPLACED = "replaced", _("Replaced by a newer code")


class OneTimeCode(models.Model):
    """A six-digit code sent by SMS to prove a telephone number. The code itself is
    never stored: only its keyed hash (HMAC-SHA256 with the site's secret key and the
    row's own salt). Expired codes are deleted by a daily job."""

    phone = models.CharField(_("telephone"), max_length=21)
    purpose = models.CharField(_("purpose"), max_length=40, choices=OtpPurpose.choices)
    salt = models.CharField(_("salt"), max_length=32)
    digest = models.CharField(_("keyed hash of the code"), max_length=64)
    status = models.CharField(
        _("status"), max_length=10, choices=OtpStatus.choices, default=OtpStatus.ACTIVE
    )
    wrong_tries = models.PositiveSmallIntegerField(_("wrong tries"), default=0)
    created_at = models.DateTimeField(_("sent"))
    expires_at = models.DateTimeField(_("expires"))
    used_at = models.DateTimeField(_("entered"), null=True, blank=True)
    message = models.OneToOneField(
        Message,
        verbose_name=_("SMS"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="one_time_code",
    )

    class Meta:
        verbose_name = _("one-time code")
        verbose_name_plural = _("one-time codes")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["phone", "purpose", "-created_at"])]
        constraints = [
            choice_constraint("status", OtpStatus, "one_time_code_status_valid"),
            choice_constraint("purpose", OtpPurpose, "one_time_code_purpose_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.purpose} {masked(self.phone)}"


def masked(phone: str) -> str:
    """A number as the audit trail and the logs show it: 138****8000."""
    if len(phone) <= 7:
        return "*" * len(phone)
    return f"{phone[:3]}{'*' * (len(phone) - 7)}{phone[-4:]}"
