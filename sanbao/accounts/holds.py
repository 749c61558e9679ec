"""IV.8: legal holds. A platform manager or an administrator puts a record (a
return batch, shipment, claim, delivery or declaration, by its number) or a whole
return unit (by its code) on hold, with the reason, so that the purge of expired
personal data leaves it alone; and releases it. The hold row is
``core.models.LegalHold``; the kinds a hold may name are the purge's own
(``core.retention.purge_kinds``), so this module names no workflow."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sanbao.accounts.errors import ERRORS
from sanbao.accounts.models import Organisation
from sanbao.accounts.roles import OrgKind, require
from sanbao.core import audit
from sanbao.core.models import ORGANISATION_LABEL, LegalHold
from sanbao.core.retention import purge_kinds

ORGANISATION = "organisation"
# A hold on a whole organisation is on a return unit: an agent or an enterprise.
RETURN_UNIT_KINDS = (OrgKind.AGENT, OrgKind.ENTERPRISE)
REASON_MAX = LegalHold._meta.get_field("reason").max_length


@dataclass(frozen=True)
class HoldTarget:
    """What a hold may name: a kind of record (or a return unit) and its model."""

    key: str
    label: str  # the model's label, the hold's target_type
    verbose_name: str
    model: type


def hold_targets() -> list[HoldTarget]:
    """A whole return unit first, then each purgeable kind of record."""
    whole = _("Return unit (all its records)")
    targets = [HoldTarget(ORGANISATION, ORGANISATION_LABEL, whole, Organisation)]
    for kind in purge_kinds():
        name = kind.model._meta.verbose_name
        targets.append(HoldTarget(kind.name, kind.label, name, kind.model))
    return targets


def hold_list(*, actor):
    """Every hold, the active ones first."""
    require(actor, "holds.manage")
    holds = LegalHold.objects.select_related("set_by", "released_by")
    return holds.order_by(F("released_at").desc(nulls_first=True), "-set_at", "-id")


def hold_set(*, actor, kind: str, reference: str, reason: str) -> LegalHold:
    """Put the record of ``kind`` numbered ``reference`` (or the return unit coded
    ``reference``) on hold for ``reason``. One active hold a record."""
    require(actor, "holds.manage")
    errors = ERRORS.collect()
    targets = {t.key: t for t in hold_targets()}
    target = targets.get(kind)
    reference = (reference or "").strip()
    reason = (reason or "").strip()
    if target is None:
        errors.add("kind", "accounts.hold_kind_unknown", kind=kind)
    if not reference:
        errors.add("reference", "accounts.hold_value_required")
    if not reason:
        errors.add("reason", "accounts.hold_value_required")
    elif len(reason) > REASON_MAX:
        errors.add("reason", "accounts.hold_reason_too_long", limit=REASON_MAX)
    errors.raise_if_any("accounts.hold_invalid")
    record = _find(target, reference)
    with transaction.atomic():
        try:
            with transaction.atomic():
                hold = LegalHold.objects.create(
                    target_type=target.label,
                    target_id=str(record.pk),
                    target_repr=str(record)[:200],
                    reason=reason,
                    set_by=actor,
                    set_at=timezone.now(),
                )
        except IntegrityError:
            raise ERRORS.invalid("accounts.hold_exists", "reference", record=str(record)) from None
        audit.record(actor=actor, action="legal_hold.set", target=record, data={"hold": hold.pk})
    return hold


def hold_release(*, actor, hold: LegalHold) -> LegalHold:
    """End the hold: the record is purged in the next run if it has expired."""
    require(actor, "holds.manage")
    now = timezone.now()
    with transaction.atomic():
        released = LegalHold.objects.filter(pk=hold.pk, released_at__isnull=True).update(
            released_at=now, released_by=actor
        )
        if not released:
            raise ERRORS.conflict("accounts.hold_released_already")
        hold.refresh_from_db()
        audit.record(
            actor=actor,
            action="legal_hold.released",
            target=_record_of(hold) or hold,
            data={"hold": hold.pk},
        )
    return hold


def _record_of(hold: LegalHold):
    """The record a hold names, so that the release shows on its timeline."""
    target = next((t for t in hold_targets() if t.label == hold.target_type), None)
    return target.model._base_manager.filter(pk=hold.target_id).first() if target else None


def _find(target: HoldTarget, reference: str):
    if target.key == ORGANISATION:
        found = Organisation.objects.filter(code__iexact=reference, kind__in=RETURN_UNIT_KINDS)
    else:
        found = target.model._base_manager.filter(number__iexact=reference)
    record = found.first()
    if record is None:
        raise ERRORS.invalid("accounts.hold_record_not_found", "reference", reference=reference)
    return record
