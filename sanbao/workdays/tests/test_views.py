"""The calendar page: who may open and change what, a year's table and status, the
administrator's overrides and year marks with their errors by the field, the
working-day count, htmx fragments, the menu entry and the interface language."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from sanbao.accounts.roles import PERMISSIONS
from sanbao.core.models import AuditEvent
from sanbao.testkit.cast import login_client_for
from sanbao.testkit.matrix import Case, check, matrix
from sanbao.testkit.responses import HTMX, error_code, field_errors, html
from sanbao.workdays import services
from sanbao.workdays.models import CalendarDay, CalendarYear
from sanbao.workdays.tests.conftest import MAKE_UP_DAYS_2026

VIEW = set(PERMISSIONS["calendar.view"])
MANAGE = set(PERMISSIONS["calendar.manage"])
D = dt.date


def rows(response) -> dict[str, tuple[str, str]]:
    """day -> (kind, source) of every row of the calendar table (of a response or
    its text)."""
    found = re.findall(
        r'data-testid="calendar-day" data-day="([^"]+)" data-kind="([^"]+)" '
        r'data-source="([^"]+)"',
        html(response),
    )
    return {day: (kind, source) for day, kind, source in found}


def year_status(response) -> str | None:
    found = re.search(r'data-testid="year-status" data-status="([^"]+)"', html(response))
    return found.group(1) if found else None


def url(name: str, *args) -> str:
    return reverse(f"workdays:{name}", args=list(args))


# --- The permission matrix -------------------------------------------------------------------


def _with_override(cast) -> str:
    services.day_set(actor=cast.administrator, day=D(2027, 5, 8), kind="workday")
    return url("day_delete", "2027-05-08")


def _with_entered_year(cast) -> str:
    services.year_mark_entered(actor=cast.administrator, year=2027)
    return url("year_unmark", 2027)


CASES = [
    Case("calendar_this_year", "GET", url("calendar"), VIEW),
    Case("calendar_of_a_year", "GET", url("calendar", 2027), VIEW),
    Case("due", "GET", url("due") + "?start=2026-09-30&n=3", VIEW),
    Case("day_set", "POST", url("day_set"), MANAGE, expect_ok=302,
         body={"day": "2027-10-08", "kind": "holiday", "name": "国庆节", "year": "2027"}),
    Case("day_delete", "POST", _with_override, MANAGE, expect_ok=302),
    Case("year_mark", "POST", url("year_mark", 2027), MANAGE, expect_ok=302,
         body={"note": "State Council notice"}),
    Case("year_unmark", "POST", _with_entered_year, MANAGE, expect_ok=302),
]  # fmt: skip


@pytest.mark.parametrize("row", matrix(CASES))
def test_each_page_answers_each_member_of_the_cast_as_declared(cast, row):
    check(cast, row)


# --- Reading ---------------------------------------------------------------------------------


def test_the_calendar_opens_on_this_year(staff_page):
    response = staff_page.get(url("calendar"))
    assert response.status_code == 200
    assert f'data-year="{timezone.localdate().year}"' in html(response)


def test_a_known_year_shows_its_holidays_and_make_up_days_from_the_library(staff_page):
    response = staff_page.get(url("calendar", 2026))
    assert year_status(response) == "library"
    days = rows(response)
    assert days["2026-10-01"] == ("holiday", "library")
    assert days["2026-10-10"] == ("workday", "library")
    assert [d for d, (kind, _s) in days.items() if kind == "workday"] == MAKE_UP_DAYS_2026
    assert 'href="/calendar/2025/"' in html(response)
    assert 'href="/calendar/2027/"' in html(response)


def test_an_unknown_year_says_its_due_dates_are_provisional(staff_page):
    response = staff_page.get(url("calendar", 2027))
    assert year_status(response) == "unknown"
    assert 'data-testid="year-unknown"' in html(response)


def test_platform_users_see_no_administrators_forms(staff_page, administrator):
    services.day_set(actor=administrator, day=D(2027, 5, 8), kind="workday")
    page = html(staff_page.get(url("calendar", 2027)))
    assert rows(page)["2027-05-08"] == ("workday", "override")
    for testid in ("day-form", "day-delete", "year-mark", "year-unmark"):
        assert f'data-testid="{testid}"' not in page


def test_the_administrator_sees_the_forms(admin_page, administrator):
    services.day_set(actor=administrator, day=D(2027, 5, 8), kind="workday")
    page = html(admin_page.get(url("calendar", 2027)))
    for testid in ("day-form", "day-delete", "year-mark"):
        assert f'data-testid="{testid}"' in page


def test_a_year_the_library_knows_offers_no_mark(admin_page):
    page = html(admin_page.get(url("calendar", 2026)))
    assert 'data-testid="year-mark"' not in page


def test_a_year_outside_the_calendar_is_a_400_page(staff_page):
    response = staff_page.get(url("calendar", 1999))
    assert response.status_code == 400
    assert error_code(response) == "workdays.year_out_of_range"


def test_the_menu_offers_the_calendar_to_platform_users_only(staff_page, agent_a_clerk):
    assert url("calendar") in html(staff_page.get(reverse("home")))
    agent_home = login_client_for(agent_a_clerk).get(reverse("home"))
    assert url("calendar") not in html(agent_home)


def test_the_page_speaks_chinese(platform_staff):
    client = login_client_for(platform_staff, language="zh-hans")
    response = client.get(url("calendar", 2026))
    assert response.status_code == 200
    assert "国庆节" in html(response)


# --- Overrides -------------------------------------------------------------------------------


def test_the_administrator_sets_a_day_and_lands_on_its_year(admin_page):
    response = admin_page.post(
        url("day_set"), {"day": "2027-02-20", "kind": "workday", "name": "春节调休", "year": "2026"}
    )
    assert response.status_code == 302
    assert response.url == url("calendar", 2027)
    assert CalendarDay.objects.get().kind == "workday"
    page = admin_page.get(response.url)
    assert rows(page)["2027-02-20"] == ("workday", "override")
    assert "春节调休" in html(page)


def test_setting_a_day_with_htmx_answers_the_fragment_of_its_year(admin_page):
    response = admin_page.post(
        url("day_set"), {"day": "2027-02-20", "kind": "workday", "year": "2026"}, headers=HTMX
    )
    assert response.status_code == 200
    assert response["HX-Push-Url"] == url("calendar", 2027)
    page = html(response)
    assert "<html" not in page
    assert 'data-testid="calendar-done"' in page
    assert rows(response)["2027-02-20"] == ("workday", "override")


@pytest.mark.parametrize(
    ("data", "fields"),
    [
        ({"day": "2027-02-30", "kind": "holiday"}, {"day"}),
        ({"day": "someday", "kind": "holiday"}, {"day"}),
        ({"day": "", "kind": "holiday"}, {"day"}),
        ({"day": "1999-10-01", "kind": "holiday"}, {"day"}),
        ({"day": "2027-10-01", "kind": "weekend"}, {"kind"}),
        ({"day": "2027-10-01"}, {"kind"}),
        ({"day": "2027-10-01", "kind": "holiday", "name": "x" * 61}, {"name"}),
    ],
)
def test_a_bad_day_shows_the_message_by_its_field_with_400(admin_page, data, fields):
    for headers in ({}, HTMX):
        response = admin_page.post(url("day_set"), {**data, "year": "2027"}, headers=headers)
        assert response.status_code == 400
        assert field_errors(response) == fields
        assert 'data-testid="calendar-error"' in html(response)
    assert not CalendarDay.objects.exists()


def test_the_administrator_removes_an_override(admin_page, administrator):
    services.day_set(actor=administrator, day=D(2026, 10, 10), kind="holiday")
    response = admin_page.post(url("day_delete", "2026-10-10"))
    assert response.status_code == 302 and response.url == url("calendar", 2026)
    assert not CalendarDay.objects.exists()
    assert AuditEvent.objects.filter(action="calendar_day.deleted").count() == 1
    assert rows(admin_page.get(response.url))["2026-10-10"] == ("workday", "library")


def test_removing_a_day_without_override_is_a_404(admin_page):
    assert admin_page.post(url("day_delete", "2026-10-10")).status_code == 404
    assert admin_page.post(url("day_delete", "not-a-day")).status_code == 404


# --- Years -----------------------------------------------------------------------------------


def test_the_administrator_marks_a_year_as_entered_and_undoes_it(admin_page):
    response = admin_page.post(url("year_mark", 2027), {"note": "国办发明电〔2026〕"})
    assert response.status_code == 302 and response.url == url("calendar", 2027)
    page = admin_page.get(response.url)
    assert year_status(page) == "entered"
    assert "国办发明电〔2026〕" in html(page)
    assert 'data-testid="year-unmark"' in html(page)
    response = admin_page.post(url("year_unmark", 2027), headers=HTMX)
    assert response.status_code == 200
    assert year_status(response) == "unknown"
    assert not CalendarYear.objects.exists()


def test_marking_a_known_year_shows_the_refusal(admin_page):
    response = admin_page.post(url("year_mark", 2026), {"note": ""})
    assert response.status_code == 400
    assert error_code(response) == "workdays.year_known_to_library"


def test_marking_a_year_twice_shows_the_conflict(admin_page, administrator):
    services.year_mark_entered(actor=administrator, year=2027)
    response = admin_page.post(url("year_mark", 2027), {"note": ""}, headers=HTMX)
    assert response.status_code == 409
    assert error_code(response) == "workdays.year_entered_already"


def test_a_note_too_long_shows_by_its_field(admin_page):
    response = admin_page.post(url("year_mark", 2027), {"note": "x" * 501})
    assert response.status_code == 400
    assert field_errors(response) == {"note"}


# --- Counting working days -------------------------------------------------------------------


@pytest.mark.clause("IV.5")
def test_the_page_counts_three_working_days_after_30_september_2026(staff_page):
    response = staff_page.get(url("due"), {"start": "2026-09-30", "n": "3"})
    assert response.status_code == 200
    assert 'data-due="2026-10-10" data-provisional="false"' in html(response)
    assert 'data-testid="calendar-body"' in html(response)  # the whole page without htmx


def test_the_count_without_javascript_stays_on_the_year_it_was_asked_from(staff_page):
    response = staff_page.get(url("due"), {"start": "2026-09-30", "n": "3", "year": "2027"})
    assert 'data-year="2027"' in html(response)
    assert 'data-due="2026-10-10"' in html(response)


def test_the_count_answers_htmx_with_its_result_only(staff_page):
    response = staff_page.get(url("due"), {"start": "2026-12-30", "n": "3"}, headers=HTMX)
    page = html(response)
    assert 'data-due="2027-01-05" data-provisional="true"' in page
    assert 'data-testid="calendar-body"' not in page


@pytest.mark.parametrize(
    ("query", "fields"),
    [
        ({"start": "2026-09-31", "n": "3"}, {"start"}),
        ({"start": "", "n": "3"}, {"start"}),
        ({"start": "2026-09-30", "n": "0"}, {"n"}),
        ({"start": "1999-09-30", "n": "3"}, {"start"}),
    ],
)
def test_a_bad_count_shows_the_message_by_its_field_with_400(staff_page, query, fields):
    response = staff_page.get(url("due"), query, headers=HTMX)
    assert response.status_code == 400
    assert field_errors(response) == fields
