"""Pure catalog rules, on plain values (no ORM)."""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

# The performance specifications compared for II.3, each "higher is better".
SPEC_FIELDS: tuple[str, ...] = ("capacity_mah", "rated_output_w", "port_count", "battery_life_h")

MAINLAND = "mainland"


@dataclass(frozen=True)
class ModelSpecs:
    code: str
    category: str
    capacity_mah: int | None = None
    rated_output_w: Decimal | None = None
    port_count: int | None = None
    battery_life_h: Decimal | None = None

    @classmethod
    def of(cls, product_model) -> ModelSpecs:
        return cls(
            code=product_model.code,
            category=product_model.category.code,
            **{name: getattr(product_model, name) for name in SPEC_FIELDS},
        )


@dataclass(frozen=True)
class NotLowerVerdict:
    ok: bool
    # "same_model", "not_lower", "other_category", "lower_spec", "no_specs"
    reason: str = ""
    shortfalls: tuple[str, ...] = field(default_factory=tuple)


def is_not_lower(original: ModelSpecs, candidate: ModelSpecs) -> NotLowerVerdict:
    """II.3: a replacement must be the same model or a model whose performance
    specifications are not lower than the original's.

    Not lower means: the same category, and for every specification the original
    states, the candidate states it too with a value at least as high. A
    specification the original does not state is not compared. An original that
    states none cannot be compared at all: only the same model is not lower
    (``no_specs``; a manager may still decide otherwise, with a reason).
    """
    if candidate.code == original.code:
        return NotLowerVerdict(True, "same_model")
    if candidate.category != original.category:
        return NotLowerVerdict(False, "other_category")
    if all(getattr(original, name) is None for name in SPEC_FIELDS):
        return NotLowerVerdict(False, "no_specs")
    shortfalls = []
    for name in SPEC_FIELDS:
        want = getattr(original, name)
        if want is None:
            continue
        have = getattr(candidate, name)
        if have is None or Decimal(str(have)) < Decimal(str(want)):
            shortfalls.append(name)
    if shortfalls:
        return NotLowerVerdict(False, "lower_spec", tuple(shortfalls))
    return NotLowerVerdict(True, "not_lower")


def region_in_scope(region: str) -> bool:
    """I.1: the policy covers products sold in mainland China; Hong Kong, Macau,
    Taiwan and overseas sales are out of scope."""
    return region == MAINLAND


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later, or the month's last day when it is shorter
    (31 January + 1 month is 28 or 29 February)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def warranty_last_day(sale_date: dt.date | None, months: int) -> dt.date | None:
    """I.2: the warranty runs for the category's ``months`` from the sale date,
    counted as the PRC Civil Code counts periods (art. 201-202): the sale day
    itself does not count, and the period ends on the corresponding day of the last
    month, or that month's last day when it has no such day. Sold 2024-03-15 with
    12 months: covered up to and including 2025-03-15; sold 2024-01-31 with one
    month: up to 2024-02-29. The return and exchange windows count the same way
    (delivery is day 0)."""
    if sale_date is None:
        return None
    return add_months(sale_date, months)
