"""Quality signals (issue 15 item 4): the fault rate of each product model by the
month its units were sold, and the model-months flagged (``policy.flags``).

Four queries at most, whatever the number of units: the units sold per model and
sale month, the faulty units among them per model and sale month (with the first
and last serial of each), then, for the model-months flagged only, the first and
last serial sold and the models' names. (The serials of every model-month sold
would triple the cost of the first count: text compared over every unit.)

A unit is faulty when a claim on it was judged covered with its performance
failure confirmed (II.3), or when the return workshop's test confirmed its fault
(a returned unit's ``serial_in`` is a serial of the registry); a unit found faulty
by both counts once. A claim or a
returned unit whose serial is not in the registry has no sale month: it is not
counted (nor is a unit without a sale date)."""

from __future__ import annotations

import dataclasses

from django.conf import settings
from django.db.models import Count, Max, Min, Q
from django.db.models.functions import TruncMonth

from sanbao.catalog.models import ProductModel, Unit
from sanbao.claims.models import Claim, Verdict
from sanbao.insights import policy
from sanbao.returns.models import ReturnedUnit, TestResult


def thresholds() -> policy.Thresholds:
    """The thresholds of the settings (``SANBAO_QUALITY_*``)."""
    return policy.Thresholds(
        min_faults=settings.SANBAO_QUALITY_MIN_FAULTS,
        history_months=settings.SANBAO_QUALITY_HISTORY_MONTHS,
        rise_percent=settings.SANBAO_QUALITY_RISE_PERCENT,
        category_percent=settings.SANBAO_QUALITY_CATEGORY_PERCENT,
    )


def faulty_units() -> Q:
    """The units with a fault confirmed, by a claim's judgement or a workshop test."""
    confirmed_claims = Claim.objects.filter(
        verdict=Verdict.COVERED, failure_confirmed=True, unit__isnull=False
    ).values("unit_id")
    confirmed_returns = (
        ReturnedUnit.objects.filter(result=TestResult.FAULT_CONFIRMED)
        .exclude(serial_in="")
        .values("serial_in")
    )
    return Q(pk__in=confirmed_claims) | Q(serial__in=confirmed_returns)


def model_months() -> list[policy.ModelMonth]:
    """Every model-month with units sold: sold, faulty and the faulty serials' range
    (the range of the serials sold is left empty: ``serials_sold`` fills it)."""
    sold_units = Unit.objects.filter(sale_date__isnull=False).annotate(
        month=TruncMonth("sale_date")
    )
    sold = (
        sold_units.values("model_id", "model__category_id", "month")
        .annotate(sold=Count("pk"))
        .order_by()
    )
    faulty = {
        (row["model_id"], row["month"]): row
        for row in sold_units.filter(faulty_units())
        .values("model_id", "month")
        .annotate(faulty=Count("pk"), first=Min("serial"), last=Max("serial"))
        .order_by()
    }
    rows = []
    for row in sold:
        found = faulty.get((row["model_id"], row["month"]), {})
        rows.append(
            policy.ModelMonth(
                model_id=row["model_id"],
                category_id=row["model__category_id"],
                month=row["month"],
                sold=row["sold"],
                faulty=found.get("faulty", 0),
                first_faulty=found.get("first", ""),
                last_faulty=found.get("last", ""),
            )
        )
    return sorted(rows, key=lambda r: (r.model_id, r.month))


@dataclasses.dataclass(frozen=True)
class Signals:
    rows: list[policy.ModelMonth]
    flags: list[policy.Flag]
    models: dict[int, ProductModel]  # with their categories

    def model(self, flag_or_row) -> ProductModel:
        return self.models[flag_or_row.model_id]


def serials_sold(found: list[policy.Flag]) -> list[policy.Flag]:
    """``found`` with the first and last serial sold in each flagged model-month (one
    query, on the index of model and sale date)."""
    if not found:
        return found
    months = Q()
    for flag in found:
        months |= Q(
            model_id=flag.model_id,
            sale_date__gte=flag.month,
            sale_date__lt=policy.months_before(flag.month, -1),
        )
    ranges = {
        (row["model_id"], row["month"]): (row["first"], row["last"])
        for row in Unit.objects.filter(months)
        .annotate(month=TruncMonth("sale_date"))
        .values("model_id", "month")
        .annotate(first=Min("serial"), last=Max("serial"))
        .order_by()
    }
    return [
        dataclasses.replace(
            flag,
            counts=dataclasses.replace(
                flag.counts,
                first_serial=ranges[(flag.model_id, flag.month)][0],
                last_serial=ranges[(flag.model_id, flag.month)][1],
            ),
        )
        for flag in found
    ]


def signals() -> Signals:
    """The model-months and those flagged, with their serials and the models they name
    (four queries; two when nothing is flagged)."""
    rows = model_months()
    found = serials_sold(policy.flags(rows, thresholds()))
    ids = {flag.model_id for flag in found}
    models = (
        {m.pk: m for m in ProductModel.objects.filter(pk__in=ids).select_related("category")}
        if ids
        else {}
    )
    return Signals(rows=rows, flags=found, models=models)
