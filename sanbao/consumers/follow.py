"""Reads for the consumer following their claims (issue 16 item 4): the claims
whose consumer telephone is the number confirmed in the session
(``notifications.consumer.confirmed_phone``), and one of them as its page shows it.

A claim is the consumer's when it is a consumer's claim (not an agent's or an
enterprise's, even with a telephone noted on it), not anonymised by the retention
purge (IV.8), and its telephone is the confirmed number. Anything else is None:
the page answers it with the one not-found page, whatever was wrong.

What the page shows of a claim is the status page's projection
(``claims.public.public_status``): the same steps, verdict, reasons and next
steps as the claim-number-and-telephone page, plus where the unit is.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import QuerySet

from sanbao.catalog.models import Unit
from sanbao.claims.models import Claim, ClaimantKind
from sanbao.claims.public import PublicStatus, masked, public_status
from sanbao.core.phones import normalise_phone
from sanbao.core.tenancy import typed_number

# A consumer has few claims; the list shows the newest this many.
LIST_LIMIT = 50


def _consumer_claims(phone: str) -> QuerySet[Claim]:
    phone = normalise_phone(phone or "")
    if not phone:
        return Claim.objects.none()
    return Claim.objects.filter(
        consumer_phone=phone, claimant_kind=ClaimantKind.CONSUMER, anonymised_at__isnull=True
    )


@dataclass(frozen=True)
class ClaimLine:
    """One claim in the consumer's list: nothing the claim page would not show."""

    number: str
    model_code: str
    model_name: str
    serial_masked: str
    status: str
    status_label: str
    submitted_at: dt.datetime


def _line(claim: Claim) -> ClaimLine:
    return ClaimLine(
        number=claim.number,
        model_code=claim.model.code,
        model_name=claim.model.name,
        serial_masked=masked(claim.serial),
        status=claim.status,
        status_label=str(claim.get_status_display()),
        submitted_at=claim.created_at,
    )


def claims_for_phone(phone: str) -> list[ClaimLine]:
    """The claims of the confirmed number ``phone``, newest first."""
    claims = _consumer_claims(phone).select_related("model", "unit").order_by("-created_at", "-id")
    return [_line(claim) for claim in claims[:LIST_LIMIT]]


def unit_claims_for_phone(unit: Unit | str, phone: str) -> list[ClaimLine]:
    """The claims on ``unit`` (a unit, or its serial as the card page has it) of
    the confirmed number ``phone``, newest first."""
    on_unit = {"unit": unit} if isinstance(unit, Unit) else {"unit__serial": str(unit or "")}
    claims = (
        _consumer_claims(phone)
        .filter(**on_unit)
        .select_related("model", "unit")
        .order_by("-created_at", "-id")
    )
    return [_line(claim) for claim in claims[:LIST_LIMIT]]


def claim_for_phone(number: str, phone: str) -> PublicStatus | None:
    """The page's projection of claim ``number`` when it is a claim of the
    confirmed number ``phone``; None otherwise (unknown number, another
    consumer's claim, an organisation's claim, an anonymised claim, no number)."""
    number = typed_number(number or "")
    if not number:
        return None
    claim = (
        _consumer_claims(phone)
        .filter(number=number)
        .select_related("model", "unit", "handling_org")
        .first()
    )
    return public_status(claim) if claim is not None else None
