"""``year_schedule``: a year's holidays and make-up working days with their names
and sources, and the year's status (IV.5)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import translation

from sanbao.core.errors import PermissionDenied, ValidationFailed
from sanbao.workdays import selectors, services
from sanbao.workdays.tests.test_policy import MAKE_UP_DAYS_2026

D = dt.date


def by_day(schedule) -> dict:
    return {d.day: d for d in schedule.days}


def test_a_year_the_library_knows_lists_its_holidays_and_make_up_days(platform_staff):
    schedule = selectors.year_schedule(actor=platform_staff, year=2026)
    assert (schedule.year, schedule.status, schedule.library_knows) == (2026, "library", True)
    assert [d.day for d in schedule.workdays] == MAKE_UP_DAYS_2026
    days = by_day(schedule)
    assert days[D(2026, 10, 1)].kind == "holiday"
    assert days[D(2026, 10, 1)].name == "National Day"
    assert "2026-10-07" in days[D(2026, 10, 10)].name  # the day off it makes up for
    assert {d.source for d in schedule.days} == {"library"}
    assert all(d.day.year == 2026 for d in schedule.days)
    assert schedule.working_days == 248


def test_the_librarys_names_follow_the_language(platform_staff):
    with translation.override("zh-hans"):
        schedule = selectors.year_schedule(actor=platform_staff, year=2026)
    assert by_day(schedule)[D(2026, 10, 1)].name == "国庆节"


def test_an_override_shows_as_such_with_what_the_library_says(administrator, platform_staff):
    services.day_set(actor=administrator, day=D(2026, 10, 10), kind="holiday", name="补休")
    services.day_set(actor=administrator, day=D(2026, 10, 1), kind="holiday")
    services.day_set(actor=administrator, day=D(2026, 3, 7), kind="workday")
    days = by_day(selectors.year_schedule(actor=platform_staff, year=2026))
    changed = days[D(2026, 10, 10)]
    assert (changed.kind, changed.name, changed.source) == ("holiday", "补休", "override")
    assert changed.library_kind == "workday"
    assert changed.override.created_by == administrator
    # an override without a name keeps the library's name of the same kind
    assert days[D(2026, 10, 1)].name == "National Day"
    assert days[D(2026, 10, 1)].source == "override"
    assert days[D(2026, 3, 7)].library_kind is None


@pytest.mark.clause("IV.5")
def test_a_year_the_library_does_not_know_is_unknown_until_entered(administrator, platform_staff):
    schedule = selectors.year_schedule(actor=platform_staff, year=2027)
    assert (schedule.status, schedule.library_knows, schedule.entry) == ("unknown", False, None)
    assert schedule.workdays == []  # the library has no make-up days for 2027
    assert D(2027, 10, 1) in by_day(schedule)  # but it has the fixed holidays
    services.year_mark_entered(actor=administrator, year=2027, note="State Council notice")
    schedule = selectors.year_schedule(actor=platform_staff, year=2027)
    assert schedule.status == "entered"
    assert schedule.entry.entered_by == administrator
    assert schedule.entry.note == "State Council notice"


def test_the_schedule_takes_a_fixed_number_of_queries(
    administrator, platform_staff, django_assert_max_num_queries
):
    for day in (1, 2, 3):
        services.day_set(actor=administrator, day=D(2027, 5, day), kind="holiday")
    services.library_year(2027)
    with django_assert_max_num_queries(4):
        selectors.year_schedule(actor=platform_staff, year=2027)


@pytest.mark.parametrize("who", ["agent_a_clerk", "enterprise_clerk", "outlet_tech"])
def test_only_platform_users_read_the_calendar(cast, who):
    with pytest.raises(PermissionDenied):
        selectors.year_schedule(actor=getattr(cast, who), year=2026)


@pytest.mark.parametrize("year", [1999, 2101])
def test_a_year_outside_the_calendar_is_refused(platform_staff, year):
    with pytest.raises(ValidationFailed):
        selectors.year_schedule(actor=platform_staff, year=year)
