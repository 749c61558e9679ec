"""Reads of the working-day calendar (SPEC IV.5): one year's schedule as the
package gives it with the administrator's overrides, and the year's status."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from sanbao.accounts.roles import require
from sanbao.workdays import services
from sanbao.workdays.models import CalendarDay, CalendarYear, DayKind


class Source:
    LIBRARY = "library"
    OVERRIDE = "override"


class YearStatus:
    LIBRARY = "library"  # the package knows the year's official schedule
    ENTERED = "entered"  # the administrator marked it as entered
    UNKNOWN = "unknown"  # neither: due dates in it are provisional


MAKEUP_NAME = _("Make-up working day for the day off on %(date)s")


@dataclass(frozen=True)
class ScheduleDay:
    day: dt.date
    kind: str  # DayKind
    name: str
    source: str  # Source
    # What the package says of the date, when an override is on it.
    library_kind: str | None = None
    library_name: str = ""
    override: CalendarDay | None = field(default=None, compare=False)


@dataclass(frozen=True)
class YearSchedule:
    year: int
    status: str  # YearStatus
    library_knows: bool
    entry: CalendarYear | None
    days: list[ScheduleDay]
    # Working days of the year on the calendar as it stands (overrides included).
    working_days: int

    @property
    def holidays(self) -> list[ScheduleDay]:
        return [d for d in self.days if d.kind == DayKind.HOLIDAY]

    @property
    def workdays(self) -> list[ScheduleDay]:
        return [d for d in self.days if d.kind == DayKind.WORKDAY]

    @property
    def overrides(self) -> list[ScheduleDay]:
        return [d for d in self.days if d.source == Source.OVERRIDE]


def _chinese() -> bool:
    return (get_language() or "en").lower().startswith("zh")


def _library_days(year: int) -> dict[dt.date, ScheduleDay]:
    library = services.library_year(year)
    chinese = _chinese()
    days: dict[dt.date, ScheduleDay] = {}
    for day, english_name, chinese_name in library.holidays:
        if day.year == year:
            name = chinese_name if chinese else english_name
            days[day] = ScheduleDay(day, DayKind.HOLIDAY, name, Source.LIBRARY)
    for day, day_off in library.workdays:
        name = str(MAKEUP_NAME) % {"date": day_off.isoformat()}
        days[day] = ScheduleDay(day, DayKind.WORKDAY, name, Source.LIBRARY)
    return days


def year_schedule(*, actor, year: int) -> YearSchedule:
    """IV.5: every holiday and make-up working day of ``year``, each with its name
    and where it comes from (the package, or an override, which wins), and the
    year's status: known from the package, entered by the administrator, or
    unknown (due dates in it are provisional)."""
    require(actor, "calendar.view")
    year = services.clean_year(year)
    days = _library_days(year)
    overrides = (
        CalendarDay.objects.visible_to(actor)
        .filter(day__gte=dt.date(year, 1, 1), day__lte=dt.date(year, 12, 31))
        .select_related("created_by")
    )
    for row in overrides:
        library = days.get(row.day)
        name = row.name
        if not name and library is not None and library.kind == row.kind:
            name = library.name
        days[row.day] = ScheduleDay(
            row.day,
            row.kind,
            name,
            Source.OVERRIDE,
            library_kind=library.kind if library else None,
            library_name=library.name if library else "",
            override=row,
        )
    entry = (
        CalendarYear.objects.visible_to(actor)
        .filter(year=year)
        .select_related("entered_by")
        .first()
    )
    library_knows = year in services.LIBRARY_YEARS
    if library_knows:
        status = YearStatus.LIBRARY
    elif entry is not None:
        status = YearStatus.ENTERED
    else:
        status = YearStatus.UNKNOWN
    calendar = services.calendar()
    return YearSchedule(
        year=year,
        status=status,
        library_knows=library_knows,
        entry=entry,
        days=[days[day] for day in sorted(days)],
        working_days=calendar.working_days_between(
            dt.date(year - 1, 12, 31), dt.date(year, 12, 31)
        ),
    )
