"""Tenant-scoped reads of claims, the retained-parts ledger as the claims pages
show it, and the public status look-up."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import F, QuerySet
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from sanbao.accounts.roles import require
from sanbao.catalog import selectors as catalog_selectors
from sanbao.claims.models import Claim, ClaimantKind, ClaimStatus, LedgerPart
from sanbao.claims.states import MOVES
from sanbao.core.cache import bounded_count
from sanbao.core.filters import filter_given
from sanbao.core.models import AuditEvent
from sanbao.core.sorting import Sorting, SortKey
from sanbao.core.tenancy import get_numbered, typed_number

# The claim's fields its list (page and export) never reads.
LIST_DEFERRED = ("verdict_results", "terms", "open_remedies")

# The claim list's orders (issue 15): 500,000 claims, so only what an index
# serves: ``claim_newest`` (created_at, id) and the number's unique index.
CLAIM_SORTS = Sorting(
    SortKey("submitted", _("Submitted"), "created_at"),
    SortKey("number", _("Claim"), "number", unique=True),
    default="-submitted",
)


def claim_list(
    *,
    actor,
    status: str | None = None,
    verdict: str | None = None,
    model: str | None = None,
    outlet: str | None = None,
    serial: str | None = None,
    submitted_from: dt.date | None = None,
    submitted_to: dt.date | None = None,
    sort: str | None = None,
    channel: str | None = None,
) -> QuerySet[Claim]:
    require(actor, "claims.view")
    # What the list and its export show: not the rule results and terms applied, nor
    # the model's category's terms (JSON, decoded for every row: half of a page's time).
    qs = (
        Claim.objects.visible_to(actor)
        .select_related("model", "handling_org", "claimant_org", "unit")
        .defer(*LIST_DEFERRED)
    )
    if status in STATUS_GROUPS:
        qs, status = qs.filter(status__in=STATUS_GROUPS[status]), None
    qs = filter_given(
        qs,
        status=status,
        verdict=verdict,
        model__code=model,
        handling_org__code=outlet,
        serial_reported__istartswith=(serial or "").strip(),
        created_at__date__gte=submitted_from,
        created_at__date__lte=submitted_to,
        channel=channel,
    )
    return CLAIM_SORTS.apply(qs, sort)


# A status filter may name a group of states: "to_judge", the claims waiting for a
# judgement (submitted or under judgement: where the judge move starts, II.3).
TO_JUDGE = "to_judge"
STATUS_GROUPS = {TO_JUDGE: MOVES["judge"].sources}


@dataclass(frozen=True)
class ClaimsWork:
    """What a home page counts of the claims the actor sees (``claims_work``)."""

    to_judge: int
    approved: int
    in_service: int


def claims_work(*, actor) -> ClaimsWork:
    """The home page's counts of the claims the actor sees (an outlet's own, every
    claim for the platform): waiting for a judgement, approved and not yet in
    service, in service. A count each, read from the (handling organisation,
    status) index and exact up to ``SANBAO_LIST_EXACT_COUNT`` (``bounded_count``):
    one aggregate over an outlet's 375,000 claims took half a second."""
    require(actor, "claims.view")
    claims = Claim.objects.visible_to(actor)
    return ClaimsWork(
        to_judge=bounded_count(claims.filter(status__in=STATUS_GROUPS[TO_JUDGE])),
        approved=bounded_count(claims.filter(status=ClaimStatus.APPROVED)),
        in_service=bounded_count(claims.filter(status=ClaimStatus.IN_SERVICE)),
    )


def claim_summaries(claims: QuerySet[Claim]) -> QuerySet[dict]:
    """``claims`` (from ``claim_list``) as the API's list shows them
    (``ClaimSummaryOut``): only the columns it shows, as dicts. Issue 14: a page of
    50 built no model instances of each claim and its four joined rows, read whole,
    to show 15 fields."""
    return claims.values(
        "number",
        "status",
        "verdict",
        "verdict_results",
        "region",
        "claimant_kind",
        "remedy",
        "outcome",
        "warranty_end",
        "created_at",
        "updated_at",
        # Claim.serial: the registered unit's serial, else the serial as read.
        serial_shown=Coalesce("unit__serial", "serial_reported"),
        model_code=F("model__code"),
        claimant_org_code=F("claimant_org__code"),
        handling_org_code=F("handling_org__code"),
    )


def claim_get(*, actor, number: str) -> Claim:
    require(actor, "claims.view")
    return get_numbered(
        Claim.objects.select_related(
            "model",
            "model__category",
            "handling_org",
            "claimant_org",
            "unit",
            "replacement_model",
            "replacement_unit",
            "judged_by",
            "created_by",
        ).prefetch_related("findings"),
        actor,
        number,
        error_code="claims.claim_not_found",
    )


def claim_timeline(*, claim: Claim) -> QuerySet[AuditEvent]:
    """Every audit event of the claim, oldest first (the claim is already visible)."""
    return AuditEvent.objects.for_target(claim).order_by("at", "id")


# What the public status page may show: the state, never personal data.
PUBLIC_STATES = [s.value for s in ClaimStatus]


def claim_public_status(*, number: str, phone: str) -> Claim | None:
    """The claim whose number AND consumer telephone both match, or None. The
    caller answers a miss the same way whichever of the two was wrong."""
    from sanbao.core.phones import normalise_phone

    number = typed_number(number)
    phone = normalise_phone(phone)
    if not number or not phone:
        return None
    return (
        Claim.objects.select_related("model", "unit", "handling_org")
        .filter(number=number, consumer_phone=phone, claimant_kind=ClaimantKind.CONSUMER)
        .first()
    )


def retained_part_list(
    *, actor, open_only: bool = False, sort: str | None = None
) -> QuerySet[LedgerPart]:
    """The whole ledger (the claims app serves it at /retained-parts), each row
    able to name the claim it came from."""
    return catalog_selectors.retained_part_list(
        actor=actor, open_only=open_only, sort=sort, model=LedgerPart
    )


def retained_part_get(*, actor, pk: int) -> LedgerPart:
    return catalog_selectors.retained_part_get(actor=actor, pk=pk, model=LedgerPart)
