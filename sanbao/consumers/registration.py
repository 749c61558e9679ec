"""Registering a purchase (issue 16 item 2; II.2): the service that records it and
the reads of registrations, for the consumer's pages and the staff's unit page.

A registration is made by a consumer whose mobile number a one-time code has
confirmed (the view passes ``notifications.consumer.confirmed_phone``); the
number is then the key to the unit's registration and claims on the consumer's
pages. A unit is registered once (a constraint): another number is refused
without learning the number on record, the same number is told it is registered
and nothing changes."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from sanbao.accounts.roles import PLATFORM_ROLES
from sanbao.catalog import selectors as catalog_selectors
from sanbao.catalog.models import Unit
from sanbao.claims.evidence import files_undone_on_failure
from sanbao.consumers.errors import ERRORS
from sanbao.consumers.models import Registration
from sanbao.core import audit
from sanbao.core.phones import PHONE_RE, normalise_phone
from sanbao.core.uploads import UploadRefused, check_upload

CREATED_ACTION = "registration.created"


def masked_phone(phone: str) -> str:
    """A number as pages and audit events show it: 138****8000."""
    return f"{phone[:3]}****{phone[-4:]}" if len(phone) >= 7 else "****"


def _check_date(unit: Unit, delivered_on, errors) -> None:
    """The delivery date is on the proof of purchase: not in the future, not before
    the sale the registry records (when it records one), not absurdly early."""
    if delivered_on is None:
        errors.add("delivered_on", "consumers.delivery_date_required")
        return
    earliest = dt.date(settings.SANBAO_EARLIEST_YEAR, 1, 1)
    if delivered_on > timezone.localdate():
        errors.add("delivered_on", "consumers.delivery_date_in_future")
    elif unit.sale_date and delivered_on < unit.sale_date:
        errors.add(
            "delivered_on",
            "consumers.delivery_before_sale",
            sale_date=unit.sale_date.isoformat(),
        )
    elif delivered_on < earliest:
        errors.add("delivered_on", "consumers.delivery_date_too_early", earliest=earliest)


def _check_photo(proof_photo, errors) -> None:
    """II.2: the proof of purchase, a JPEG or PNG photo by its content
    (``core.uploads.check_upload``: the check every upload passes)."""
    if proof_photo is None:
        errors.add("proof_photo", "consumers.proof_photo_required")
        return
    try:
        check_upload(proof_photo, photo=True)
    except UploadRefused as refused:
        if refused.too_large:
            errors.add("proof_photo", "consumers.proof_photo_too_large", limit=f"{refused.limit:,}")
        else:
            errors.add(
                "proof_photo",
                "consumers.proof_photo_invalid",
                limit_mb=settings.SANBAO_UPLOAD_MAX_MB,
            )


def _refuse_registered(registered: Registration, phone: str):
    """The unit is registered already: to this number (nothing to do, say so) or
    to another (refused; the other number is not revealed)."""
    if registered.phone == phone:
        return ERRORS.conflict("consumers.registered_to_you")
    return ERRORS.conflict("consumers.unit_already_registered")


def registration_create(
    *,
    unit: Unit,
    phone: str | None,
    delivered_on: dt.date | None,
    proof_photo,
    consent_version: str,
) -> Registration:
    """II.2: record the consumer's purchase of ``unit``: ``phone`` (confirmed by a
    one-time code; None: 400, ``consumers.phone_not_confirmed``), the delivery date
    on the proof of purchase and its photo, and the consent given
    (``consent_version``, its time now). Refused on their fields (400): no consent,
    a delivery date in the future or before the registry's sale date, a missing
    photo or one that is not a JPEG or PNG image. A unit already registered: 409
    (``consumers.registered_to_you`` for the same number, which changes nothing;
    ``consumers.unit_already_registered`` for another). Nothing of a refused
    registration stays: the row and the photo are written together or not at all.
    """
    phone = normalise_phone(phone or "")
    if not phone or not PHONE_RE.match(phone):
        raise ERRORS.refused("consumers.phone_not_confirmed", "phone")
    registered = Registration.objects.filter(unit=unit).first()
    if registered is not None:
        raise _refuse_registered(registered, phone)
    errors = ERRORS.collect()
    if not consent_version:
        errors.add("consent", "consumers.consent_required")
    _check_date(unit, delivered_on, errors)
    _check_photo(proof_photo, errors)
    errors.raise_if_any("consumers.registration_invalid")

    now = timezone.now()
    try:
        with files_undone_on_failure() as saved, transaction.atomic():
            registration = Registration(
                unit=unit,
                number=unit.serial,
                phone=phone,
                delivered_on=delivered_on,
                consent_version=consent_version,
                consented_at=now,
            )
            registration.save()  # the unique constraint decides a race between two numbers
            registration.proof_photo.save(proof_photo.name, proof_photo, save=True)
            saved.append((registration.proof_photo.storage, registration.proof_photo.name))
            audit.record(
                actor=None,
                action=CREATED_ACTION,
                target=registration,
                data={
                    "serial": unit.serial,
                    "phone": masked_phone(phone),
                    "delivered_on": delivered_on.isoformat(),
                    "consent_version": consent_version,
                },
            )
    except IntegrityError:
        # Another registration of the unit committed between the check and the write.
        registered = Registration.objects.filter(unit=unit).first()
        if registered is None:
            raise
        raise _refuse_registered(registered, phone) from None
    return registration


# --- Reads -------------------------------------------------------------------------------


def registration_of(unit: Unit) -> Registration | None:
    """The unit's registration, or None."""
    return Registration.objects.filter(unit=unit).first()


@dataclass(frozen=True)
class CardRegistration:
    """What the card page may show of the unit's registration to the session.

    ``registered``: the unit has one (anyone holding the card may know that much).
    ``mine``: the session's confirmed number is the one on record; only then are
    ``delivered_on`` and ``proof_on_file`` given."""

    registered: bool
    mine: bool = False
    delivered_on: dt.date | None = None
    proof_on_file: bool = False
    registered_at: dt.datetime | None = None


def card_registration(unit: Unit, phone: str | None) -> CardRegistration:
    """The card page's view of ``unit``'s registration for the number ``phone``
    confirmed in the session (None: no number confirmed)."""
    registration = registration_of(unit)
    if registration is None:
        return CardRegistration(registered=False)
    if not phone or registration.anonymised_at or registration.phone != normalise_phone(phone):
        return CardRegistration(registered=True)
    return CardRegistration(
        registered=True,
        mine=True,
        delivered_on=registration.delivered_on,
        proof_on_file=bool(registration.proof_photo),
        registered_at=registration.created_at,
    )


def sees_registrations(actor) -> bool:
    """Whether ``actor`` sees who registered a unit and the proof of purchase: the
    after-sales department (the platform's roles) only. The consent the consumer
    gave (``consent.POINTS``) names the after-sales department and the outlet
    handling their claim, nobody else: not the agent that sold the unit, not an
    outlet looking a serial up (the claim carries its own scans to its outlet)."""
    return getattr(actor, "role", None) in PLATFORM_ROLES


def registration_get(*, actor, serial: str) -> Registration:
    """The registration of the unit ``serial`` for the after-sales department
    (:func:`sees_registrations`) when it may see the unit
    (``catalog.selectors.unit_get``); 404 otherwise, and when it has none."""
    unit = catalog_selectors.unit_get(actor=actor, serial=serial)
    registration = registration_of(unit) if sees_registrations(actor) else None
    if registration is None:
        raise ERRORS.not_found("consumers.registration_not_found")
    return registration
