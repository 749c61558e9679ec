"""IV.8 and PIPL: a consumer's registration of a purchase is kept while it can
serve a claim, then purged (``sanbao.core.retention`` lists it by dotted path).

Its clock starts when the unit's warranty ends (I.2: the later of the registry's
start and the delivery date registered, plus the days in warranty repair): a
registration serves claims until then, and IV.8 keeps repair data half a year
after it is done with, so the purge comes ``SANBAO_RETENTION_REGISTRATION_DAYS``
(by default ``SANBAO_RETENTION_REPAIR_DAYS``) after the warranty's last day.
Kept: the unit, the delivery date, the consent's version and time, the dates.
Gone: the mobile number (its digits) and the photo of the proof of purchase."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q

from sanbao.catalog.models import Category
from sanbao.claims import policy
from sanbao.claims.warranty import unit_warranty_end
from sanbao.consumers.models import Registration
from sanbao.core.retention import REDACTED, PurgeKind, Scrub

RETENTION = "SANBAO_RETENTION_REGISTRATION_DAYS"
# A month has at least this many days: a warranty of m months ends at least 28·m days
# after its start, which lets the database rule out most registrations at once.
SHORTEST_MONTH_DAYS = 28
ONE_DAY = dt.timedelta(days=1)


def registration_warranty_end(registration: Registration) -> dt.date | None:
    """I.2: the last day the registration can serve a claim: the unit's warranty
    end, or the one counted from the registered delivery date if later."""
    unit = registration.unit
    end, days = unit_warranty_end(unit)
    months = unit.model.category.warranty_months
    from_delivery = policy.warranty_end(registration.delivered_on, months, days)
    ends = [d for d in (end, from_delivery) if d is not None]
    return max(ends) if ends else None


def expired_registrations(cutoff: dt.datetime):
    """Registrations whose warranty ended before ``cutoff``'s day. The database
    keeps only those delivered at least the category's months (at 28 days each)
    before it; each of those is then counted exactly (repair days extend it)."""
    day = cutoff.date()
    near = Q(pk__in=[])
    for months in Category.objects.values_list("warranty_months", flat=True).distinct():
        latest = day - dt.timedelta(days=SHORTEST_MONTH_DAYS * months)
        near |= Q(unit__model__category__warranty_months=months, delivered_on__lt=latest)
    candidates = Registration.objects.filter(near, anonymised_at__isnull=True).select_related(
        "unit__model__category"
    )
    ids = [
        r.pk
        for r in candidates.iterator()
        # The clock starts the day after the last day covered; that day is kept.
        if (end := registration_warranty_end(r)) is not None and end + ONE_DAY < day
    ]
    return Registration.objects.filter(pk__in=ids)


REGISTRATIONS = PurgeKind(
    name="registrations",
    model=Registration,
    expired=expired_registrations,
    organisation="unit__channel_org_id",
    retention=RETENTION,
    scrubs=(Scrub(Registration, "pk", {"phone": REDACTED}, files=("proof_photo",)),),
)
