"""The audit trail: who did what, when, to which record. Append-only."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AppendOnlyError(RuntimeError):
    pass


class AuditQuerySet(models.QuerySet):
    """Rows are only added. Every way the ORM changes or removes rows in bulk is
    refused here; on PostgreSQL a trigger refuses the SQL itself (migration 0002)."""

    def update(self, **kwargs):
        raise AppendOnlyError("audit events are append-only")

    def bulk_update(self, objs, fields, batch_size=None):
        raise AppendOnlyError("audit events are append-only")

    def delete(self):
        raise AppendOnlyError("audit events are append-only")

    def _raw_delete(self, using):
        raise AppendOnlyError("audit events are append-only")

    def for_target(self, obj):
        return self.filter(target_type=obj._meta.label_lower, target_id=str(obj.pk))


class AuditEvent(models.Model):
    at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_label = models.CharField(_("actor name"), max_length=200, blank=True)
    organisation_id_snapshot = models.BigIntegerField(
        _("actor organisation"), null=True, blank=True
    )
    action = models.CharField(_("action"), max_length=80, db_index=True)
    target_type = models.CharField(_("record type"), max_length=80)
    target_id = models.CharField(_("record id"), max_length=64)
    target_repr = models.CharField(_("record"), max_length=200, blank=True)
    data = models.JSONField(_("details"), default=dict, blank=True)

    objects = AuditQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["target_type", "target_id"]),
            # The trail's page by time, either way (audit_trail's EVENT_SORTS).
            models.Index(fields=["at", "id"], name="audit_event_at"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.target_repr}"

    def save(self, *args, **kwargs):
        # Append-only is an invariant of the row itself, so it is guarded here.
        if self.pk is not None:
            raise AppendOnlyError("audit events are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("audit events are append-only")


# The record type of a hold on a whole organisation (a return unit: agent or
# enterprise). A label string, so core imports no app.
ORGANISATION_MODEL = "accounts.Organisation"
ORGANISATION_LABEL = ORGANISATION_MODEL.lower()


class LegalHoldQuerySet(models.QuerySet):
    def active(self):
        return self.filter(released_at__isnull=True)

    def held_ids(self, label: str) -> set[str]:
        """The ids (as stored, strings) of the records of type ``label`` on hold."""
        return set(self.active().filter(target_type=label).values_list("target_id", flat=True))


class LegalHold(models.Model):
    """IV.8: a record, or every record of one organisation, that the purge of
    expired personal data must leave alone (a dispute, an authority's request).
    Set and released by a platform manager or an administrator, with the reason."""

    target_type = models.CharField(_("record type"), max_length=80)
    target_id = models.CharField(_("record id"), max_length=64)
    target_repr = models.CharField(_("record"), max_length=200, blank=True)
    reason = models.TextField(_("reason"), max_length=1000)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("set by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    set_at = models.DateTimeField(_("set"))
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("released by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    released_at = models.DateTimeField(_("released"), null=True, blank=True)

    objects = LegalHoldQuerySet.as_manager()

    class Meta:
        verbose_name = _("legal hold")
        verbose_name_plural = _("legal holds")
        ordering = ["-set_at", "-id"]
        indexes = [models.Index(fields=["target_type", "target_id"])]
        constraints = [
            models.CheckConstraint(condition=~models.Q(reason=""), name="legal_hold_has_reason"),
            models.UniqueConstraint(
                fields=["target_type", "target_id"],
                condition=models.Q(released_at__isnull=True),
                name="legal_hold_one_active_per_record",
            ),
            models.CheckConstraint(
                condition=models.Q(released_at__isnull=True) | models.Q(released_by__isnull=False),
                name="legal_hold_released_by_someone",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.target_type} {self.target_repr or self.target_id}"

    @property
    def is_active(self) -> bool:
        return self.released_at is None


class IdempotencyKey(models.Model):
    """A creating API call made with an ``Idempotency-Key`` (issue 13): who sent it,
    what it asked (method, path, the body's SHA-256) and what it was answered, so a
    retry with the same key gets that answer instead of a second write. A row with
    no ``status_code`` is a request still running (or one a crash cut short, taken
    over after ``SANBAO_IDEMPOTENCY_STALE_SECONDS``). Kept ``SANBAO_IDEMPOTENCY_HOURS``
    (``core.idempotency``)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    key = models.CharField(_("idempotency key"), max_length=255)
    method = models.CharField(_("method"), max_length=10)
    path = models.TextField(_("path"))
    body_hash = models.CharField(_("body hash"), max_length=64)
    status_code = models.PositiveSmallIntegerField(_("status"), null=True, blank=True)
    content_type = models.CharField(_("content type"), max_length=200, blank=True)
    response_body = models.BinaryField(_("response"), default=b"", blank=True)
    created_at = models.DateTimeField(_("created"), db_index=True)

    class Meta:
        verbose_name = _("idempotency key")
        verbose_name_plural = _("idempotency keys")
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="idempotency_key_once_per_user"),
        ]

    def __str__(self) -> str:
        return f"{self.method} {self.path} ({self.key})"

    @property
    def is_done(self) -> bool:
        return self.status_code is not None
