"""Messages and contact tasks (telephone, fax, e-mail) with every attempt's outcome."""

from __future__ import annotations

from django.conf import settings
from django.db import models
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


class Message(models.Model):
    """A message to one user (a reminder from a daily job), sent by e-mail. ``key``
    makes it once only: a job run twice on one day writes nothing new."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="messages",
    )
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

    def __str__(self) -> str:
        return self.subject
