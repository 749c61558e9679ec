"""The working-day calendar API (SPEC IV.5): a year's holidays and make-up working
days with its status, the administrator's overrides and year marks, and due
dates counted in working days."""

from __future__ import annotations

from ninja import Query, Router, Status

from sanbao.accounts.roles import require
from sanbao.core.api import COMMON_ERRORS, WRITE_ERRORS, Day, ErrorOut
from sanbao.workdays import selectors, services
from sanbao.workdays.schemas import (
    CalendarDayIn,
    CalendarDayOut,
    CalendarYearEnteredIn,
    CalendarYearOut,
    WorkingDaysFilters,
    WorkingDaysOut,
)

router = Router(tags=["calendar"])

READ_ERRORS = {400: ErrorOut, **COMMON_ERRORS}


# Declared before /calendar/{year}, which would otherwise take "working-days" for a year.
@router.get("/calendar/working-days", response={200: WorkingDaysOut, **READ_ERRORS})
def compute_due_date(request, filters: Query[WorkingDaysFilters]):
    """IV.5: the ``n``-th working day after ``start`` (``start`` never counts), and
    whether it is provisional: a year from ``start`` to the due day has no known
    official schedule, so its make-up working days may be missing."""
    require(request.auth, "calendar.view")
    due = services.due_date(filters.start, filters.n)
    return {"start": filters.start, "n": filters.n, "due": due.day, "provisional": due.provisional}


@router.get("/calendar/{year}", response={200: CalendarYearOut, **READ_ERRORS})
def get_calendar(request, year: int):
    """A year's holidays and make-up working days, each from the library or an
    override, and whether the year's official schedule is known."""
    return selectors.year_schedule(actor=request.auth, year=year)


@router.put("/calendar/days/{day}", response={200: CalendarDayOut, **WRITE_ERRORS})
def set_calendar_day(request, day: Day, payload: CalendarDayIn):
    """Make ``day`` a holiday or a make-up working day, whatever the library says
    (administrator only). Setting a day again changes its override."""
    row = services.day_set(actor=request.auth, day=day, kind=payload.kind, name=payload.name)
    schedule = selectors.year_schedule(actor=request.auth, year=row.day.year)
    return next(d for d in schedule.days if d.day == row.day)


@router.delete("/calendar/days/{day}", response={204: None, **WRITE_ERRORS})
def delete_calendar_day(request, day: Day):
    """Remove the override of ``day``: the library's word holds again (administrator only)."""
    services.day_delete(actor=request.auth, day=day)
    return Status(204, None)


@router.post("/calendar/years/{year}/entered", response={200: CalendarYearOut, **WRITE_ERRORS})
def mark_calendar_year_entered(request, year: int, payload: CalendarYearEnteredIn | None = None):
    """State that the official schedule of a year the library does not know has
    been entered as overrides: due dates in it are no longer provisional
    (administrator only)."""
    note = payload.note if payload is not None else ""
    services.year_mark_entered(actor=request.auth, year=year, note=note)
    return selectors.year_schedule(actor=request.auth, year=year)


@router.delete("/calendar/years/{year}/entered", response={204: None, **WRITE_ERRORS})
def unmark_calendar_year_entered(request, year: int):
    """Undo the mark: the year is unknown again unless the library knows it
    (administrator only)."""
    services.year_unmark(actor=request.auth, year=year)
    return Status(204, None)
