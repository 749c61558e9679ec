"""I.2: the warranty a claim is judged under: its terms, the repair days that
extend it, and the remedies the windows open on the claim date."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone

from sanbao.catalog.models import Unit

# The ledger is catalog's; the claims pages and API dispose of its parts through this name.
from sanbao.catalog.services import retained_part_dispose as retained_part_dispose
from sanbao.claims import policy
from sanbao.claims.models import (
    Claim,
    Outcome,
    Remedy,
    calendar_days,
)


def terms_of(category, *, warranty_start, days_in_repair_before, registry_sale_date) -> dict:
    """II.1: the warranty terms the claim is judged under, stored with it."""
    return {
        "policy_version": settings.SANBAO_POLICY_VERSION,
        "category": {
            "code": category.code,
            "warranty_months": category.warranty_months,
            "return_window_days": category.return_window_days,
            "exchange_window_days": category.exchange_window_days,
            "repair_attempts_limit": category.repair_attempts_limit,
            "repair_days_limit": category.repair_days_limit,
            "new_warranty_on_replacement": category.new_warranty_on_replacement,
        },
        "warranty_start": warranty_start.isoformat() if warranty_start else None,
        "days_in_repair_before": days_in_repair_before,
        "registry_sale_date": registry_sale_date.isoformat() if registry_sale_date else None,
    }


def days_in_repair_before(unit: Unit | None, exclude_pk=None, _seen=()) -> int:
    """I.2: days the unit already spent in warranty repair (they extend the warranty).

    A replacement that continues the original's warranty (the category's
    restart-on-replacement turned off) keeps the original's extension too."""
    if unit is None or unit.pk in _seen:
        return 0
    total = 0
    done = Claim.objects.filter(unit=unit, outcome=Outcome.REPAIRED, in_service_at__isnull=False)
    for started, ended in done.exclude(pk=exclude_pk).values_list("in_service_at", "resolved_at"):
        if ended:
            total += calendar_days(started, ended)
    replaced_by = (
        Claim.objects.filter(replacement_unit=unit, outcome=Outcome.REPLACED)
        .select_related("unit")
        .first()
    )
    if replaced_by is not None and not replaced_by.terms["category"]["new_warranty_on_replacement"]:
        total += days_in_repair_before(replaced_by.unit, _seen=(*_seen, unit.pk))
    return total


def unit_warranty_end(
    unit: Unit, *, delivered_on: dt.date | None = None
) -> tuple[dt.date | None, int]:
    """I.2: the unit's current last day covered, and the days in warranty repair
    that extend it (the unit page shows both).

    The warranty starts on the unit's own start (a replacement's) or else on the
    consumer's delivery as the latest claim recorded it, or as recorded otherwise
    (``delivered_on``: the purchase the consumer registered with its proof), else on
    the registry's sale date; every finished warranty repair adds its days."""
    latest = Claim.objects.filter(unit=unit).order_by("-created_at", "-pk").first()
    start = (
        unit.warranty_starts_on
        or (latest.delivered_on if latest else None)
        or delivered_on
        or unit.sale_date
    )
    days = days_in_repair_before(unit)
    return policy.warranty_end(start, unit.model.category.warranty_months, days), days


# Set on a claim just taken in for a unit that no claim has been repaired on: its
# remedies need no count of same-fault repairs (issue 14, ``note_never_repaired``).
_NEVER_REPAIRED = "_unit_never_repaired"


def note_never_repaired(claim: Claim) -> None:
    """The intake read, in its own transaction, that no claim of ``claim``'s unit
    ended in a repair: ``remedy_window`` then counts no same-fault repairs instead
    of asking the database again (the 201 answer lists the open remedies)."""
    claim.__dict__[_NEVER_REPAIRED] = True


def remedy_window(
    claim: Claim, on: dt.date | None = None, *, repair_impossible: bool | None = None
) -> policy.RemedyWindow:
    """I.2: the facts that decide which remedies are open, under the terms stored
    with the claim (II.1). Every window (return, exchange, warranty) is counted on
    the day the claim was made; ``on`` (today by default) is the day looked from."""
    terms = claim.terms["category"]
    same_fault = 0
    if claim.unit_id and not claim.__dict__.get(_NEVER_REPAIRED):
        same_fault = (
            Claim.objects.filter(
                unit_id=claim.unit_id, fault_kind=claim.fault_kind, outcome=Outcome.REPAIRED
            )
            .exclude(pk=claim.pk)
            .count()
        )
    return policy.RemedyWindow(
        delivered_on=claim.delivered_on,
        on=on or timezone.localdate(),
        return_days=terms["return_window_days"],
        exchange_days=terms["exchange_window_days"],
        warranty_end=claim.warranty_end,
        same_fault_repairs=same_fault,
        repair_attempts_limit=terms["repair_attempts_limit"],
        # I.2: counted from the day the unit was handed in, not the start of service.
        days_in_repair=claim.days_in_repair if claim.handed_in_on else 0,
        repair_days_limit=terms["repair_days_limit"],
        repair_impossible=claim.repair_impossible
        if repair_impossible is None
        else bool(repair_impossible),
        claimed_on=claim.claimed_on,
    )


def claim_open_remedies(claim: Claim) -> list[str]:
    """I.2: the remedies open to ``claim``, as stable codes, before and after
    judgement. Judged: those recorded at judgement (none for a rejected claim).
    Not yet judged: those the windows open on the claim date, none when the claim
    is not covered. (A replacement that whoever judges opens by finding repair
    impossible is not counted before that finding.)"""
    if claim.judged_at is not None:
        return list(claim.open_remedies or [])
    if claim.verdict == policy.NOT_COVERED:
        return []
    return list(policy.open_remedies(remedy_window(claim)))


def remedy_labels(remedies) -> str:
    return ", ".join(str(Remedy(r).label) for r in remedies) or "—"
