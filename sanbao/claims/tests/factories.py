"""Claims in a given state, made through the services (never written as rows).

``intake`` (in ``conftest.py``) takes a claim in; the helpers here carry it on:
``judged`` approves it with a remedy, ``in_service`` and ``resolved`` go further.
History that the services can only write "now" (a repair that took 40 days, a
claim made last year) is set afterwards with a queryset update: that is test
setup, not a mock; the services read the rows as they would read real history.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from sanbao.claims import services
from sanbao.claims.models import Claim
from sanbao.claims.tests.conftest import intake

SHELF = "Shenzhen returns shelf A3"

# The audit trail of a covered claim judged, served, resolved and closed.
WHOLE_LIFE = [
    "claim.submitted",
    "claim.judgement_started",
    "claim.approved",
    "claim.service_started",
    "claim.resolved",
    "claim.closed",
]


def days_ago(days: int) -> dt.date:
    return timezone.localdate() - dt.timedelta(days=days)


def reload(claim: Claim) -> Claim:
    return Claim.objects.select_related("model", "unit").get(pk=claim.pk)


def judged(claim: Claim, actor, remedy: str = "repair", **kwargs) -> Claim:
    """``claim`` taken into judgement and approved with ``remedy``."""
    services.claim_start_judgement(claim=claim, actor=actor)
    return services.claim_judge(
        claim=claim, actor=actor, failure_confirmed=True, remedy=remedy, **kwargs
    )


def in_service(claim: Claim, actor, remedy: str = "repair", **kwargs) -> Claim:
    judged(claim, actor, remedy, **kwargs)
    return services.claim_start_service(claim=claim, actor=actor)


def set_days_in_service(claim: Claim, days: int) -> Claim:
    """The claim went into service ``days`` days ago (history, set as test setup):
    the same clock time ``days`` Shanghai calendar days back, whatever the hour, so
    the days in repair are exactly ``days`` (an extra hour made them one more just
    after midnight in Shanghai, and the test of the 30-day limit failed then).
    The unit was handed in on the day the service started (I.2: the repair-day
    limit counts from then), so the claim was made, and the unit delivered, as
    many days earlier than recorded."""
    back = dt.timedelta(days=days)
    Claim.objects.filter(pk=claim.pk).update(
        in_service_at=timezone.now() - back,
        handed_in_on=timezone.localdate() - back,
        claimed_on=claim.claimed_on - back,
        delivered_on=claim.delivered_on - back,
    )
    return reload(claim)


def repaired_in_the_past(
    actor,
    unit,
    *,
    delivered_on: dt.date,
    days_in_repair: int = 3,
    fault_kind: str = "not_charging",
) -> Claim:
    """An earlier warranty claim on ``unit`` that ended in a repair which took
    ``days_in_repair`` days, finished a week ago."""
    claim = intake(actor, unit, delivered_on=delivered_on, fault_kind=fault_kind)
    in_service(claim, actor, "repair")
    services.claim_resolve(claim=claim, actor=actor, outcome="repaired")
    resolved_at = timezone.now() - dt.timedelta(days=7)
    Claim.objects.filter(pk=claim.pk).update(
        resolved_at=resolved_at,
        in_service_at=resolved_at - dt.timedelta(days=days_in_repair),
    )
    return reload(claim)


def actions_of(obj) -> list[str]:
    """The audit actions recorded on ``obj``, oldest first."""
    from sanbao.core.models import AuditEvent

    timeline = AuditEvent.objects.for_target(obj).order_by("at", "id")
    return list(timeline.values_list("action", flat=True))


def another_unit(unit, serial: str | None = None):
    """Another registered unit of ``unit``'s model, sold through the same channel on
    the same day (its own serial and card). A unit has at most one live claim (SPEC
    I.2), so a test that needs several open claims at once takes them on several units."""
    from sanbao.catalog.models import Unit
    from sanbao.catalog.tests.factories import UnitFactory

    if serial is None:
        prefix = unit.serial[:3]
        taken = Unit.objects.filter(serial__startswith=prefix).count()
        serial = f"{prefix}{taken + 100000:06d}"
    return UnitFactory(
        serial=serial,
        model=unit.model,
        channel_org=unit.channel_org,
        authorised_channel=unit.authorised_channel,
        sale_date=unit.sale_date,
        region=unit.region,
        warranty_card_no=f"WC{serial}",
    )
