"""Quality signals (issue 15 item 4) as arithmetic on plain values: which model-months
rise well above their own history or their category. No ORM: ``quality.py`` reads
the counts with GROUP BY queries and hands them here.

A model-month's fault rate is its faulty units (a fault confirmed by a claim's
judgement or by the return workshop's test) per unit of that model sold that month.
It is flagged when it has at least ``min_faults`` faulty units and either

* history: its rate is at least ``rise_percent`` % of the model's own pooled rate
  over the ``history_months`` sale months before it (faulty over sold, those months
  together; months without sales add nothing), when those months sold any unit; or
* category: its rate is at least ``category_percent`` % of the pooled rate of the
  other models of its category sold the same month, when they sold any unit.

A rate that rises from nothing (no fault in the history, or none in the rest of the
category) is "well above" once it has the minimum count of faulty units.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal

HISTORY = "history"
CATEGORY = "category"


@dataclasses.dataclass(frozen=True)
class Thresholds:
    min_faults: int
    history_months: int
    rise_percent: int
    category_percent: int


@dataclasses.dataclass(frozen=True)
class ModelMonth:
    """The counts of one product model's units sold in one month (its first day)."""

    model_id: int
    category_id: int
    month: dt.date
    sold: int
    faulty: int
    first_serial: str = ""  # of the units sold that month
    last_serial: str = ""
    first_faulty: str = ""  # of the faulty ones among them
    last_faulty: str = ""

    @property
    def rate(self) -> Decimal:
        return rate(self.faulty, self.sold)


@dataclasses.dataclass(frozen=True)
class Flag:
    """A model-month whose fault rate rose well above its history or its category."""

    counts: ModelMonth
    history_rate: Decimal | None  # None: no sales in the months before
    category_rate: Decimal | None  # None: no other model of the category sold that month
    reasons: tuple[str, ...]

    @property
    def model_id(self) -> int:
        return self.counts.model_id

    @property
    def month(self) -> dt.date:
        return self.counts.month

    @property
    def key(self) -> str:
        """The model-month, as the managers are told of it once."""
        return f"{self.counts.model_id}:{self.counts.month:%Y-%m}"


def rate(faulty: int, sold: int) -> Decimal:
    """Faulty per sold as a percentage with two decimals (0 when nothing sold)."""
    if not sold:
        return Decimal("0.00")
    return (Decimal(faulty) * 100 / Decimal(sold)).quantize(Decimal("0.01"), ROUND_HALF_UP)


def months_before(month: dt.date, n: int) -> dt.date:
    """The first day of the month ``n`` months before ``month``'s."""
    index = month.year * 12 + month.month - 1 - n
    return dt.date(index // 12, index % 12 + 1, 1)


def _well_above(faulty: int, sold: int, base_faulty: int, base_sold: int, percent: int) -> bool:
    """faulty/sold >= percent % of base_faulty/base_sold, in integers (no rounding)."""
    return faulty * base_sold * 100 >= percent * base_faulty * sold


def flags(rows: Iterable[ModelMonth], thresholds: Thresholds) -> list[Flag]:
    """The model-months flagged, by month then model."""
    rows = list(rows)
    by_model: dict[int, dict[dt.date, ModelMonth]] = defaultdict(dict)
    by_category: dict[tuple[int, dt.date], list[int]] = defaultdict(lambda: [0, 0])
    for row in rows:
        by_model[row.model_id][row.month] = row
        totals = by_category[(row.category_id, row.month)]
        totals[0] += row.faulty
        totals[1] += row.sold
    found = []
    for row in sorted(rows, key=lambda r: (r.month, r.model_id)):
        if row.faulty < thresholds.min_faults or not row.sold:
            continue
        reasons = []
        history = [
            by_model[row.model_id].get(months_before(row.month, n))
            for n in range(1, thresholds.history_months + 1)
        ]
        h_faulty = sum(r.faulty for r in history if r)
        h_sold = sum(r.sold for r in history if r)
        if h_sold and _well_above(row.faulty, row.sold, h_faulty, h_sold, thresholds.rise_percent):
            reasons.append(HISTORY)
        c_faulty, c_sold = by_category[(row.category_id, row.month)]
        c_faulty, c_sold = c_faulty - row.faulty, c_sold - row.sold  # the other models
        if c_sold and _well_above(
            row.faulty, row.sold, c_faulty, c_sold, thresholds.category_percent
        ):
            reasons.append(CATEGORY)
        if reasons:
            found.append(
                Flag(
                    counts=row,
                    history_rate=rate(h_faulty, h_sold) if h_sold else None,
                    category_rate=rate(c_faulty, c_sold) if c_sold else None,
                    reasons=tuple(reasons),
                )
            )
    return found
