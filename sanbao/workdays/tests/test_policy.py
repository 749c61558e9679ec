"""Working days on the mainland Chinese calendar (IV.5): the arithmetic, proved
over generated calendars, and the library's 2026 schedule pinned day by day."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sanbao.workdays import services
from sanbao.workdays.policy import Calendar, Due

D = dt.date

# --- Generated calendars -------------------------------------------------------------------

days_2025_2027 = st.dates(min_value=D(2025, 1, 1), max_value=D(2027, 12, 31))
calendars = st.builds(
    Calendar,
    holidays=st.frozensets(days_2025_2027, max_size=120),
    workdays=st.frozensets(days_2025_2027, max_size=30),
    known_years=st.frozensets(st.integers(2024, 2029), max_size=6),
)
starts = st.dates(min_value=D(2025, 1, 1), max_value=D(2026, 12, 31))
counts = st.integers(min_value=1, max_value=40)


def brute_count(calendar: Calendar, after: dt.date, up_to: dt.date) -> int:
    """Working days x with after < x <= up_to, one day at a time."""
    n, day = 0, after
    while day < up_to:
        day += dt.timedelta(days=1)
        n += calendar.is_working_day(day)
    return n


@pytest.mark.clause("IV.5")
@given(calendar=calendars, start=starts, n=counts)
def test_the_nth_working_day_after_a_day_is_a_working_day_after_it_with_n_working_days_between(
    calendar, start, n
):
    due = calendar.add_working_days(start, n)
    assert due > start
    assert calendar.is_working_day(due)
    assert brute_count(calendar, start, due) == n
    # and it is the first such day: one day earlier, one working day fewer
    assert brute_count(calendar, start, due - dt.timedelta(days=1)) == n - 1


@pytest.mark.clause("IV.5")
@given(calendar=calendars, start=starts, n=counts)
def test_counting_the_working_days_up_to_the_nth_gives_n(calendar, start, n):
    assert calendar.working_days_between(start, calendar.add_working_days(start, n)) == n


@pytest.mark.clause("IV.5")
@given(calendar=calendars, after=starts, up_to=starts)
def test_working_days_between_counts_the_days_after_the_first_up_to_the_last(
    calendar, after, up_to
):
    assert calendar.working_days_between(after, up_to) == brute_count(calendar, after, up_to)


@given(calendar=calendars, day=days_2025_2027)
def test_a_day_works_when_it_is_a_make_up_day_or_a_weekday_that_is_no_holiday(calendar, day):
    expected = day in calendar.workdays or (day.weekday() < 5 and day not in calendar.holidays)
    assert calendar.is_working_day(day) is expected


@pytest.mark.clause("IV.5")
@given(calendar=calendars, start=starts, n=counts)
def test_a_due_day_is_provisional_exactly_when_a_year_up_to_it_is_unknown(calendar, start, n):
    due = calendar.due(start, n)
    assert due.day == calendar.add_working_days(start, n)
    years = range(start.year, due.day.year + 1)
    assert due.provisional is any(not calendar.is_known(y) for y in years)


def test_the_start_day_never_counts_whatever_it_is():
    plain = Calendar()
    assert plain.add_working_days(D(2024, 3, 4), 1) == D(2024, 3, 5)  # Monday -> Tuesday
    assert plain.add_working_days(D(2024, 3, 8), 1) == D(2024, 3, 11)  # Friday -> Monday
    assert plain.add_working_days(D(2024, 3, 9), 1) == D(2024, 3, 11)  # Saturday -> Monday


def test_zero_working_days_is_refused():
    with pytest.raises(ValueError):
        Calendar().add_working_days(D(2024, 3, 4), 0)


def test_no_working_days_lie_between_a_day_and_one_not_after_it():
    plain = Calendar()
    assert plain.working_days_between(D(2024, 3, 4), D(2024, 3, 4)) == 0
    assert plain.working_days_between(D(2024, 3, 8), D(2024, 3, 1)) == 0


def test_a_make_up_day_wins_over_a_holiday_on_the_same_date():
    both = D(2024, 3, 9)  # a Saturday in both sets
    calendar = Calendar(holidays=frozenset({both}), workdays=frozenset({both}))
    assert calendar.is_working_day(both)
    assert calendar.working_days_between(D(2024, 3, 8), D(2024, 3, 10)) == 1


# --- The library's 2026 schedule ----------------------------------------------------------


def _span(first: dt.date, last: dt.date) -> list[dt.date]:
    return [first + dt.timedelta(days=i) for i in range((last - first).days + 1)]


HOLIDAYS_2026 = [
    *_span(D(2026, 1, 1), D(2026, 1, 3)),  # New Year's Day
    *_span(D(2026, 2, 15), D(2026, 2, 23)),  # Spring Festival
    *_span(D(2026, 4, 4), D(2026, 4, 6)),  # Tomb-Sweeping Day
    *_span(D(2026, 5, 1), D(2026, 5, 5)),  # Labour Day
    *_span(D(2026, 6, 19), D(2026, 6, 21)),  # Dragon Boat Festival
    *_span(D(2026, 9, 25), D(2026, 9, 27)),  # Mid-Autumn Festival
    *_span(D(2026, 10, 1), D(2026, 10, 7)),  # National Day
]
MAKE_UP_DAYS_2026 = [
    D(2026, 1, 4),  # Sunday
    D(2026, 2, 14),  # Saturday
    D(2026, 2, 28),  # Saturday
    D(2026, 5, 9),  # Saturday
    D(2026, 9, 20),  # Sunday
    D(2026, 10, 10),  # Saturday
]


@pytest.fixture(scope="module")
def library() -> Calendar:
    """The library's calendar of 2025–2027 as ``services.calendar()`` builds it,
    without the database (no overrides, no entered years)."""
    years = [services.library_year(y) for y in (2025, 2026, 2027)]
    return Calendar(
        holidays=frozenset(d for y in years for d, *_names in y.holidays),
        workdays=frozenset(d for y in years for d, _off in y.workdays),
        known_years=services.LIBRARY_YEARS,
    )


@pytest.mark.clause("IV.5")
@pytest.mark.parametrize("day", HOLIDAYS_2026, ids=str)
def test_every_day_of_the_2026_holidays_is_a_day_off(library, day):
    assert not library.is_working_day(day)


@pytest.mark.clause("IV.5")
@pytest.mark.parametrize("day", MAKE_UP_DAYS_2026, ids=str)
def test_every_2026_make_up_day_is_a_weekend_day_that_is_worked(library, day):
    assert day.weekday() >= 5
    assert library.is_working_day(day)


@pytest.mark.clause("IV.5")
def test_the_library_lists_exactly_the_six_2026_make_up_days():
    assert [d for d, _off in services.library_year(2026).workdays] == MAKE_UP_DAYS_2026


@pytest.mark.clause("IV.5")
def test_three_working_days_after_30_september_2026_is_saturday_10_october(library):
    assert library.add_working_days(D(2026, 9, 30), 3) == D(2026, 10, 10)
    assert library.due(D(2026, 9, 30), 3) == Due(D(2026, 10, 10), provisional=False)


def test_2026_has_248_working_days(library):
    # 261 weekdays, 19 of them holidays, 6 make-up weekend days
    assert library.working_days_between(D(2025, 12, 31), D(2026, 12, 31)) == 248


def test_the_days_around_the_2026_holidays_are_ordinary(library):
    for day in (D(2025, 12, 31), D(2026, 1, 5), D(2026, 2, 13), D(2026, 2, 24), D(2026, 10, 8)):
        assert library.is_working_day(day), day


@pytest.mark.clause("IV.5")
def test_a_year_the_library_does_not_know_is_flagged_and_known_once_entered(library):
    assert library.is_known(2026)
    assert not library.is_known(2027)
    # 2026-12-30 + 3 working days falls in 2027: provisional
    assert library.due(D(2026, 12, 30), 3) == Due(D(2027, 1, 5), provisional=True)
    # the library's fixed 2027 holidays still count (New Year's Day, Friday 1 January)
    assert not library.is_working_day(D(2027, 1, 1))
    entered = Calendar(library.holidays, library.workdays, library.known_years | {2027})
    assert entered.due(D(2026, 12, 30), 3) == Due(D(2027, 1, 5), provisional=False)


def test_the_library_puts_a_make_up_day_in_the_year_before_its_schedule():
    # The 2002 schedule worked Saturday 29 and Sunday 30 December 2001 for New Year.
    assert (D(2001, 12, 29), D(2002, 1, 2)) in services.library_year(2001).workdays
    assert all(d.year == 2002 for d, _off in services.library_year(2002).workdays)


def test_the_library_knows_the_schedules_up_to_2026_and_not_2027():
    assert {2001, 2025, 2026} <= services.LIBRARY_YEARS
    assert 2027 not in services.LIBRARY_YEARS
    assert 2000 not in services.LIBRARY_YEARS
