"""``calendar()`` and ``due_date()``: the library's calendar with the administrator's
overrides on top, and the years known (IV.5)."""

from __future__ import annotations

import datetime as dt

import pytest

from sanbao.core.errors import ValidationFailed
from sanbao.workdays import services
from sanbao.workdays.policy import Due

D = dt.date


def test_without_overrides_the_calendar_is_the_librarys(db):
    calendar = services.calendar()
    assert not calendar.is_working_day(D(2026, 10, 1))
    assert calendar.is_working_day(D(2026, 10, 10))  # make-up Saturday
    assert calendar.is_known(2026) and not calendar.is_known(2027)
    assert services.due_date(D(2026, 9, 30), 3) == Due(D(2026, 10, 10), provisional=False)


@pytest.mark.clause("IV.5")
def test_a_holiday_override_makes_a_library_make_up_day_a_day_off(administrator):
    services.day_set(actor=administrator, day=D(2026, 10, 10), kind="holiday")
    calendar = services.calendar()
    assert not calendar.is_working_day(D(2026, 10, 10))
    assert D(2026, 10, 10) not in calendar.workdays
    assert services.due_date(D(2026, 9, 30), 3).day == D(2026, 10, 12)


@pytest.mark.clause("IV.5")
def test_a_workday_override_makes_a_library_holiday_a_working_day(administrator):
    services.day_set(actor=administrator, day=D(2026, 10, 7), kind="workday")
    calendar = services.calendar()
    assert calendar.is_working_day(D(2026, 10, 7))
    assert D(2026, 10, 7) not in calendar.holidays
    assert services.due_date(D(2026, 9, 30), 3).day == D(2026, 10, 9)


def test_overrides_enter_an_unknown_years_make_up_day_and_extra_holiday(administrator):
    saturday, friday = D(2027, 2, 20), D(2027, 2, 12)
    calendar = services.calendar()
    assert not calendar.is_working_day(saturday) and calendar.is_working_day(friday)
    services.day_set(actor=administrator, day=saturday, kind="workday", name="春节调休")
    services.day_set(actor=administrator, day=friday, kind="holiday", name="春节")
    calendar = services.calendar()
    assert calendar.is_working_day(saturday) and not calendar.is_working_day(friday)


def test_a_deleted_override_gives_the_day_back_to_the_library(administrator):
    services.day_set(actor=administrator, day=D(2026, 10, 10), kind="holiday")
    services.day_delete(actor=administrator, day=D(2026, 10, 10))
    assert services.calendar().is_working_day(D(2026, 10, 10))


@pytest.mark.clause("IV.5")
def test_a_year_marked_as_entered_is_known_and_its_due_dates_final(administrator):
    assert services.due_date(D(2026, 12, 30), 3) == Due(D(2027, 1, 5), provisional=True)
    services.year_mark_entered(actor=administrator, year=2027)
    assert services.calendar().is_known(2027)
    assert services.due_date(D(2026, 12, 30), 3) == Due(D(2027, 1, 5), provisional=False)
    services.year_unmark(actor=administrator, year=2027)
    assert services.due_date(D(2026, 12, 30), 3).provisional


def test_the_library_is_computed_once_per_year(db):
    services.library_year(2026)
    hits = services.library_year.cache_info().hits
    services.calendar()
    services.calendar()
    assert services.library_year(2026) is services.library_year(2026)
    assert services.library_year.cache_info().hits > hits


@pytest.mark.parametrize(
    ("start", "working_days", "field"),
    [
        (D(1999, 12, 31), 3, "start"),
        (D(2101, 1, 1), 3, "start"),
        (D(2026, 9, 30), 0, "working_days"),
        (D(2026, 9, 30), services.MAX_WORKING_DAYS + 1, "working_days"),
    ],
)
def test_a_count_outside_the_calendar_is_refused_on_its_field(db, start, working_days, field):
    with pytest.raises(ValidationFailed) as refused:
        services.due_date(start, working_days)
    assert set(refused.value.fields) == {field}


def test_an_override_written_elsewhere_counts_at_the_next_read(administrator):
    # Another app server's write: this process's calendar is not told, it reads it.
    from sanbao.workdays.models import CalendarDay, CalendarYear

    before = services.calendar()
    assert services.calendar() is before  # the same rows read: built once
    CalendarDay.objects.create(
        day=D(2026, 10, 12), kind="holiday", name="typhoon", created_by=administrator
    )
    assert not services.calendar().is_working_day(D(2026, 10, 12))
    CalendarYear.objects.create(year=2027, entered_by=administrator)
    assert services.calendar().is_known(2027)
    CalendarDay.objects.all().delete()
    CalendarYear.objects.all().delete()
    assert services.calendar() == before
