"""Working days on the mainland Chinese calendar (SPEC IV.5: a batch goes back
within three working days of receipt).

Pure arithmetic on plain values, no ORM: ``services.calendar()`` builds the
:class:`Calendar` from the ``holidays`` package and the administrator's overrides.
"""

from __future__ import annotations

import bisect
import datetime as dt
from dataclasses import dataclass, field

ONE_DAY = dt.timedelta(days=1)


def _weekdays_up_to(day: dt.date) -> int:
    """Mondays to Fridays from 0001-01-01 (a Monday) to ``day``, inclusive."""
    ordinal = day.toordinal()
    return 5 * (ordinal // 7) + min(ordinal % 7, 5)


def _count_in(days: tuple[dt.date, ...], after: dt.date, up_to: dt.date) -> int:
    """How many of the sorted ``days`` lie in (after, up_to]."""
    return bisect.bisect_right(days, up_to) - bisect.bisect_right(days, after)


@dataclass(frozen=True)
class Due:
    """A due day and whether it may still move (IV.5): it is provisional while a
    year it depends on has no known official schedule."""

    day: dt.date
    provisional: bool


@dataclass(frozen=True)
class Calendar:
    """The working-day calendar of IV.5.

    ``holidays`` are days off, ``workdays`` the make-up working days (调休, often a
    Saturday or Sunday) and ``known_years`` the years whose official schedule is
    known. A day is a working day when it is a make-up working day, or a Monday to
    Friday that is not a holiday; should a date be in both sets, the make-up
    working day wins.
    """

    holidays: frozenset[dt.date] = frozenset()
    workdays: frozenset[dt.date] = frozenset()
    known_years: frozenset[int] = frozenset()
    # Weekdays that are off and weekend days that are worked, sorted, so that
    # counting over a range is two binary searches.
    _off_weekdays: tuple[dt.date, ...] = field(init=False, repr=False, compare=False)
    _worked_weekends: tuple[dt.date, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "holidays", frozenset(self.holidays))
        object.__setattr__(self, "workdays", frozenset(self.workdays))
        object.__setattr__(self, "known_years", frozenset(self.known_years))
        off = sorted(d for d in self.holidays if d.weekday() < 5 and d not in self.workdays)
        worked = sorted(d for d in self.workdays if d.weekday() >= 5)
        object.__setattr__(self, "_off_weekdays", tuple(off))
        object.__setattr__(self, "_worked_weekends", tuple(worked))

    def is_working_day(self, day: dt.date) -> bool:
        """IV.5: a make-up working day, or a Monday to Friday that is not a holiday."""
        if day in self.workdays:
            return True
        return day.weekday() < 5 and day not in self.holidays

    def add_working_days(self, start: dt.date, n: int) -> dt.date:
        """IV.5: the ``n``-th working day after ``start`` (``start`` itself never
        counts, whatever it is). ``n`` is at least 1."""
        if n < 1:
            raise ValueError("n must be at least 1")
        day = start
        while n:
            day += ONE_DAY
            if self.is_working_day(day):
                n -= 1
        return day

    def working_days_between(self, after: dt.date, up_to: dt.date) -> int:
        """IV.5: the number of working days ``x`` with ``after < x <= up_to``; 0 when
        ``up_to`` is not after ``after``."""
        if up_to <= after:
            return 0
        return (
            _weekdays_up_to(up_to)
            - _weekdays_up_to(after)
            - _count_in(self._off_weekdays, after, up_to)
            + _count_in(self._worked_weekends, after, up_to)
        )

    def is_known(self, year: int) -> bool:
        """IV.5: is the official schedule of ``year`` known (from the package, or
        entered by the administrator)? Without it, the holidays of that year are
        the fixed ones only and its make-up working days are missing."""
        return year in self.known_years

    def unknown_years(self, first: int, last: int) -> list[int]:
        """The years from ``first`` to ``last`` (inclusive) whose schedule is not known."""
        return [year for year in range(first, last + 1) if not self.is_known(year)]

    def due(self, start: dt.date, n: int) -> Due:
        """IV.5: the day ``n`` working days after ``start``; provisional when any
        year from ``start``'s to the due day's has no known official schedule."""
        day = self.add_working_days(start, n)
        return Due(day=day, provisional=bool(self.unknown_years(start.year, day.year)))
