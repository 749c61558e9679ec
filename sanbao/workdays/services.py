"""The working-day calendar other apps count on, and the administrator's writes on
its overrides (SPEC IV.5).

``calendar()`` is the ``holidays`` package's mainland Chinese calendar (public
holidays, and the make-up working days 调休 of the years whose official schedule it
knows) with the administrator's overrides from the database applied on top.
``due_date()`` counts working days on it.

Who depends on whom: the returns app keeps due dates computed on this calendar, so
they must be recomputed when the calendar changes. Calling the returns app from
here would point a dependency upwards (``workdays`` sits below ``returns``), so the
direction is inverted: an app above registers a callback with
``on_calendar_changed`` (in its ``AppConfig.ready``), and every committed change of
the calendar calls the registered callbacks after the commit.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache, lru_cache

import holidays
from django.db import IntegrityError, transaction
from holidays.countries.china import ChinaStaticHolidays

from sanbao.accounts.roles import require
from sanbao.core import audit
from sanbao.core.prepared import Prepared
from sanbao.workdays import policy
from sanbao.workdays.errors import ERRORS
from sanbao.workdays.models import (
    MAX_YEAR,
    MIN_YEAR,
    NAME_MAX_LENGTH,
    NOTE_MAX_LENGTH,
    CalendarDay,
    CalendarYear,
    DayKind,
)

# The longest count of working days asked for at once (about a year and a half).
MAX_WORKING_DAYS = 365

# The years whose official schedule (holidays and make-up working days) the
# package knows: those of its table of the State Council's notices.
LIBRARY_YEARS: frozenset[int] = frozenset(ChinaStaticHolidays.special_public_holidays)


# --- The package's calendar -------------------------------------------------------------


@dataclass(frozen=True)
class LibraryYear:
    """What the ``holidays`` package says of one year."""

    year: int
    # (day, English name, Chinese name) of every public holiday, day off in lieu included
    holidays: tuple[tuple[dt.date, str, str], ...]
    # (make-up working day, the day off it makes up for) of the days dated in the year
    workdays: tuple[tuple[dt.date, dt.date], ...]


def _schedule_entries(year: int) -> tuple:
    entries = ChinaStaticHolidays.special_public_holidays.get(year, ())
    # A year with a single entry may be written as that entry rather than a tuple of them.
    if entries and not isinstance(entries[0], tuple):
        entries = (entries,)
    return entries


def _makeup_days(schedule_year: int) -> list[tuple[dt.date, dt.date]]:
    """(make-up working day, day off) pairs of one year's official schedule.

    An entry ``(to_month, to_day, from_month, from_day)`` is a day off on "to"
    worked on "from"; ``(…, from_year)`` puts the working day in another year
    (2001-12-29 for New Year 2002); ``(month, day, name)`` is a holiday with no
    make-up working day.
    """
    pairs = []
    for entry in _schedule_entries(schedule_year):
        if len(entry) not in (4, 5) or not all(isinstance(x, int) for x in entry):
            continue
        to_month, to_day, from_month, from_day = entry[:4]
        from_year = entry[4] if len(entry) == 5 else schedule_year
        pairs.append(
            (dt.date(from_year, from_month, from_day), dt.date(schedule_year, to_month, to_day))
        )
    return pairs


@cache
def library_year(year: int) -> LibraryYear:
    """The package's public holidays of ``year`` and the make-up working days dated
    in it, which the schedule of the next year may also hold. Computed once per year."""
    chinese = holidays.China(years=year, language="zh_CN")
    english = holidays.China(years=year, language="en_US")
    days = tuple(sorted((day, english.get(day, name), name) for day, name in chinese.items()))
    workdays = sorted(
        pair
        for schedule_year in (year - 1, year, year + 1)
        for pair in _makeup_days(schedule_year)
        if pair[0].year == year
    )
    return LibraryYear(year=year, holidays=days, workdays=tuple(workdays))


@lru_cache(maxsize=4)
def _library_span(first: int, last: int) -> tuple[frozenset[dt.date], frozenset[dt.date]]:
    years = [library_year(year) for year in range(first, last + 1)]
    return (
        frozenset(day for y in years for day, *_names in y.holidays),
        frozenset(day for y in years for day, _off in y.workdays),
    )


# Read for every due date and every page of the work queue: compiled once a process
# (core.prepared); the calendar built from them is kept for as long as they read the same.
_OVERRIDES = Prepared(lambda p: CalendarDay.objects.values_list("day", "kind"))
_ENTERED = Prepared(lambda p: CalendarYear.objects.values_list("year", flat=True))


def calendar() -> policy.Calendar:
    """IV.5: the working-day calendar of the years ``MIN_YEAR`` to ``MAX_YEAR``.

    The package's holidays and make-up working days, with the administrator's
    overrides applied: a ``holiday`` override takes the date out of the make-up
    working days and into the holidays, a ``workday`` override the reverse. The
    known years are those of the package and those the administrator marked as
    entered. Two queries, every time (another server may have changed them); the
    package's part is computed once per process, and the whole calendar again only
    when the overrides read differ.
    """
    return _calendar(tuple(_OVERRIDES()), frozenset(_ENTERED()))


@lru_cache(maxsize=8)
def _calendar(overrides: tuple, entered: frozenset[int]) -> policy.Calendar:
    library_holidays, library_workdays = _library_span(MIN_YEAR, MAX_YEAR)
    days_off, days_worked = set(library_holidays), set(library_workdays)
    for day, kind in overrides:
        if kind == DayKind.HOLIDAY:
            days_worked.discard(day)
            days_off.add(day)
        else:
            days_off.discard(day)
            days_worked.add(day)
    return policy.Calendar(
        holidays=frozenset(days_off),
        workdays=frozenset(days_worked),
        known_years=LIBRARY_YEARS | entered,
    )


def due_date(start: dt.date, working_days: int) -> policy.Due:
    """IV.5: the day ``working_days`` working days after ``start`` (the start day
    never counts) and whether it is provisional (a year in between has no known
    official schedule)."""
    if not MIN_YEAR <= start.year <= MAX_YEAR:
        raise ERRORS.invalid(
            "workdays.date_out_of_range",
            "start",
            low=dt.date(MIN_YEAR, 1, 1).isoformat(),
            high=dt.date(MAX_YEAR, 12, 31).isoformat(),
        )
    if not 1 <= working_days <= MAX_WORKING_DAYS:
        raise ERRORS.invalid(
            "workdays.working_days_invalid", "working_days", low=1, high=MAX_WORKING_DAYS
        )
    return calendar().due(start, working_days)


# --- Listeners --------------------------------------------------------------------------

_listeners: list[Callable[[], None]] = []


def on_calendar_changed(callback: Callable[[], None]) -> Callable[[], None]:
    """Call ``callback()`` after every committed change of the calendar (an override
    set or deleted, a year marked as entered or unmarked). Registering the same
    callback twice registers it once; returns it, so it can decorate."""
    if callback not in _listeners:
        _listeners.append(callback)
    return callback


def _changed() -> None:
    """Inside the write's transaction: call the listeners once it commits. A
    listener that fails is logged; the calendar's change stays committed."""
    for callback in list(_listeners):
        transaction.on_commit(callback, robust=True)


# --- Validation -------------------------------------------------------------------------


def clean_year(year, *, field: str = "year") -> int:
    """``year`` as a number from MIN_YEAR to MAX_YEAR, or a 400 on ``field``."""
    try:
        number = int(year)
    except (TypeError, ValueError):
        number = None
    if number is None or not MIN_YEAR <= number <= MAX_YEAR:
        raise ERRORS.invalid("workdays.year_out_of_range", field, low=MIN_YEAR, high=MAX_YEAR)
    return number


def _clean_day(day, errors) -> dt.date | None:
    if isinstance(day, dt.datetime):
        day = day.date()
    if isinstance(day, str):
        try:
            day = dt.date.fromisoformat(day.strip())
        except ValueError:
            day = None
    if not isinstance(day, dt.date):
        errors.add("day", "workdays.date_invalid")
        return None
    if not MIN_YEAR <= day.year <= MAX_YEAR:
        errors.add(
            "day",
            "workdays.date_out_of_range",
            low=dt.date(MIN_YEAR, 1, 1).isoformat(),
            high=dt.date(MAX_YEAR, 12, 31).isoformat(),
        )
        return None
    return day


# --- Writes -----------------------------------------------------------------------------


def day_set(*, actor, day: dt.date, kind: str, name: str = "") -> CalendarDay:
    """IV.5: make ``day`` a holiday or a make-up working day, whatever the package
    says of it; an override already on that day is changed. Only the administrator."""
    require(actor, "calendar.manage")
    errors = ERRORS.collect()
    day = _clean_day(day, errors)
    if kind not in DayKind.values:
        errors.add("kind", "workdays.kind_invalid")
    name = (name or "").strip()
    if len(name) > NAME_MAX_LENGTH:
        errors.add("name", "workdays.value_too_long", limit=NAME_MAX_LENGTH)
    errors.raise_if_any("workdays.day_invalid")
    with transaction.atomic():
        row = CalendarDay.objects.filter(day=day).first()
        previous = None
        if row is None:
            try:
                with transaction.atomic():
                    row = CalendarDay.objects.create(
                        day=day, kind=kind, name=name, created_by=actor
                    )
            except IntegrityError:
                raise _changed_meanwhile() from None
        else:
            previous = {"kind": row.kind, "name": row.name}
            # Conditional: zero rows means someone changed or deleted it meanwhile.
            updated = CalendarDay.objects.filter(pk=row.pk, kind=row.kind, name=row.name).update(
                kind=kind, name=name
            )
            if not updated:
                raise _changed_meanwhile()
            row.kind, row.name = kind, name
        audit.record(
            actor=actor,
            action="calendar_day.set",
            target=row,
            data={"day": day.isoformat(), "kind": kind, "name": name, "previous": previous},
        )
        _changed()
    return row


def day_delete(*, actor, day: dt.date) -> None:
    """Remove the override of ``day``: the package's word holds again. Only the
    administrator; 404 when the day has no override."""
    require(actor, "calendar.manage")
    with transaction.atomic():
        row = CalendarDay.objects.filter(day=day).first() if isinstance(day, dt.date) else None
        if row is None:
            raise _day_not_found(day)
        audit.record(
            actor=actor,
            action="calendar_day.deleted",
            target=row,
            data={"day": row.day.isoformat(), "kind": row.kind, "name": row.name},
        )
        deleted, _rows = CalendarDay.objects.filter(pk=row.pk).delete()
        if not deleted:
            raise _day_not_found(day)
        _changed()


def year_mark_entered(*, actor, year: int, note: str = "") -> CalendarYear:
    """IV.5: state that the official schedule of ``year`` is entered as overrides,
    so the year is known and due dates in it are no longer provisional. A year
    the package knows needs no mark (400); a year marked already is a 409."""
    require(actor, "calendar.manage")
    year = clean_year(year)
    note = (note or "").strip()
    if len(note) > NOTE_MAX_LENGTH:
        raise ERRORS.invalid("workdays.value_too_long", "note", limit=NOTE_MAX_LENGTH)
    if year in LIBRARY_YEARS:
        raise ERRORS.refused("workdays.year_known_to_library", year=year)
    with transaction.atomic():
        try:
            with transaction.atomic():
                row = CalendarYear.objects.create(year=year, entered_by=actor, note=note)
        except IntegrityError:
            raise ERRORS.conflict("workdays.year_entered_already", year=year) from None
        audit.record(actor=actor, action="calendar_year.entered", target=row, data={"note": note})
        _changed()
    return row


def year_unmark(*, actor, year: int) -> None:
    """Undo ``year_mark_entered``: the year is unknown again (unless the package
    knows it). 404 when it is not marked."""
    require(actor, "calendar.manage")
    year = clean_year(year)
    with transaction.atomic():
        row = CalendarYear.objects.filter(year=year).first()
        if row is None:
            raise _year_not_entered(year)
        audit.record(actor=actor, action="calendar_year.unmarked", target=row)
        deleted, _rows = CalendarYear.objects.filter(pk=row.pk).delete()
        if not deleted:
            raise _year_not_entered(year)
        _changed()


def _changed_meanwhile():
    return ERRORS.conflict("workdays.changed_meanwhile")


def _day_not_found(day):
    return ERRORS.not_found("workdays.day_not_found", day=day)


def _year_not_entered(year: int):
    return ERRORS.not_found("workdays.year_entry_not_found", year=year)
