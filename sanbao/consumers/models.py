"""A consumer's registration of a purchase (issue 16 item 2; II.2): the unit, the
mobile number confirmed by a one-time code, the delivery date and a photo of the
proof of purchase, with the consent the consumer gave (``consent.VERSION``).

One registration per unit (a constraint): the number recorded is the one that
unlocks the unit's page and its claims for that consumer. Once the unit's
warranty ended more than ``SANBAO_RETENTION_REGISTRATION_DAYS`` ago the purge
deletes the photo and blanks the number (``consumers.retention``, IV.8)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from sanbao.catalog.models import Unit
from sanbao.core.modelfields import reference
from sanbao.core.uploads import private_name


def _proof_to(instance, filename: str) -> str:
    """An unguessable name (the phone's file name is not kept): the photo is served
    only through a view that checks who may see the unit."""
    return private_name("consumers/proofs", filename)


class Registration(models.Model):
    unit = reference(Unit, _("unit"), related_name="registrations")
    # The unit's serial: what a legal hold names the registration by (accounts.holds
    # finds records by ``number``); one registration a unit, so it is unique too.
    number = models.CharField(_("serial number"), max_length=40, unique=True)
    phone = models.CharField(
        _("mobile number"),
        max_length=21,
        help_text=_("Confirmed by a one-time code."),
    )
    delivered_on = models.DateField(_("delivery date"))
    proof_photo = models.FileField(_("proof of purchase photo"), upload_to=_proof_to, blank=True)
    consent_version = models.CharField(_("consent version"), max_length=20)
    consented_at = models.DateTimeField(_("consented at"))
    created_at = models.DateTimeField(_("registered at"), auto_now_add=True)
    # IV.8: set by the retention purge (the photo deleted, the number blanked).
    anonymised_at = models.DateTimeField(_("anonymised at"), null=True, blank=True)

    class Meta:
        verbose_name = _("purchase registration")
        verbose_name_plural = _("purchase registrations")
        constraints = [
            models.UniqueConstraint(fields=["unit"], name="registration_one_per_unit"),
            models.CheckConstraint(condition=~Q(phone=""), name="registration_phone_required"),
            models.CheckConstraint(
                condition=~Q(consent_version=""), name="registration_consent_required"
            ),
        ]

    def __str__(self) -> str:
        # Never the number: this is what audit events and admin lists show.
        return self.number
