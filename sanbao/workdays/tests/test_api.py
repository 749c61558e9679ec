"""The calendar API: who may call what, a year's schedule and status, overrides and
year marks, and due dates counted in working days (IV.5)."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from sanbao.accounts.roles import PERMISSIONS
from sanbao.core.models import AuditEvent
from sanbao.testkit.cast import api_client_for
from sanbao.testkit.matrix import (
    Case,
    assert_envelope,
    assert_every_operation_has_a_case,
    check,
    matrix,
)
from sanbao.workdays import services
from sanbao.workdays.models import CalendarDay, CalendarYear
from sanbao.workdays.tests.conftest import MAKE_UP_DAYS_2026

VIEW = PERMISSIONS["calendar.view"]
MANAGE = PERMISSIONS["calendar.manage"]
D = dt.date


# --- The permission matrix -------------------------------------------------------------------


def _with_override(cast) -> str:
    services.day_set(actor=cast.administrator, day=D(2027, 5, 8), kind="workday")
    return "/api/v1/calendar/days/2027-05-08"


def _with_entered_year(cast) -> str:
    services.year_mark_entered(actor=cast.administrator, year=2027)
    return "/api/v1/calendar/years/2027/entered"


def _status_is(status: str):
    def on_ok(response, cast):
        assert response.json()["status"] == status

    return on_ok


def _override_written(response, cast):
    assert response.json()["source"] == "override"
    assert CalendarDay.objects.filter(day=D(2027, 10, 8), kind="holiday").exists()


def _day_deleted(response, cast):
    assert not CalendarDay.objects.exists()


def _year_unmarked(response, cast):
    assert not CalendarYear.objects.exists()


CASES = [
    Case("get_calendar", "GET", "/api/v1/calendar/2026", VIEW, on_ok=_status_is("library")),
    Case("compute_due_date", "GET", "/api/v1/calendar/working-days?start=2026-09-30&n=3", VIEW),
    Case("set_calendar_day", "PUT", "/api/v1/calendar/days/2027-10-08", MANAGE,
         body={"kind": "holiday", "name": "国庆节"}, on_ok=_override_written),
    Case("delete_calendar_day", "DELETE", _with_override, MANAGE, expect_ok=204,
         on_ok=_day_deleted),
    Case("mark_calendar_year_entered", "POST", "/api/v1/calendar/years/2027/entered", MANAGE,
         body={"note": "State Council notice"}, on_ok=_status_is("entered")),
    Case("unmark_calendar_year_entered", "DELETE", _with_entered_year, MANAGE, expect_ok=204,
         on_ok=_year_unmarked),
]  # fmt: skip


@pytest.mark.parametrize("row", matrix(CASES))
def test_each_endpoint_answers_each_member_of_the_cast_as_declared(cast, row):
    check(cast, row)


def test_every_calendar_operation_has_a_permission_matrix_case(cast):
    assert_every_operation_has_a_case(CASES, cast, tags=["calendar"])


# --- Helpers ---------------------------------------------------------------------------------


def put(client, url, body):
    return client.put(url, data=json.dumps(body), content_type="application/json")


def post(client, url, body=None):
    return client.post(url, data=json.dumps(body or {}), content_type="application/json")


# --- A year's schedule -----------------------------------------------------------------------


def test_a_years_schedule_lists_its_days_and_status(staff_api):
    body = staff_api.get("/api/v1/calendar/2026").json()
    assert (body["year"], body["status"], body["library_knows"]) == (2026, "library", True)
    assert body["entered"] is None
    assert body["working_days"] == 248
    workdays = [d["day"] for d in body["days"] if d["kind"] == "workday"]
    assert workdays == MAKE_UP_DAYS_2026
    national_day = next(d for d in body["days"] if d["day"] == "2026-10-01")
    assert national_day == {
        "day": "2026-10-01",
        "kind": "holiday",
        "name": "National Day",
        "source": "library",
        "library_kind": None,
        "library_name": "",
    }


def test_a_years_schedule_names_the_days_in_the_requests_language(platform_staff):
    client = api_client_for(platform_staff, language="zh-hans")
    body = client.get("/api/v1/calendar/2026").json()
    assert next(d for d in body["days"] if d["day"] == "2026-10-01")["name"] == "国庆节"


def test_an_unknown_year_answers_unknown_until_marked_entered(admin_api):
    assert admin_api.get("/api/v1/calendar/2027").json()["status"] == "unknown"
    response = post(admin_api, "/api/v1/calendar/years/2027/entered", {"note": "国办发明电"})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "entered"
    assert body["entered"]["entered_by"] == "administrator"
    assert body["entered"]["note"] == "国办发明电"
    response = admin_api.delete("/api/v1/calendar/years/2027/entered")
    assert response.status_code == 204
    assert admin_api.get("/api/v1/calendar/2027").json()["status"] == "unknown"


@pytest.mark.parametrize("year", ["1999", "2101"])
def test_a_year_outside_the_calendar_is_a_400(staff_api, year):
    body = assert_envelope(
        staff_api.get(f"/api/v1/calendar/{year}"), 400, "workdays.year_out_of_range"
    )
    assert set(body["fields"]) == {"year"}


def test_a_year_that_is_not_a_number_is_a_422(staff_api):
    assert_envelope(staff_api.get("/api/v1/calendar/next"), 422, "core.request_invalid")


# --- Overrides -------------------------------------------------------------------------------


def test_setting_a_day_answers_it_as_an_override_and_counts_on_it(admin_api):
    response = put(admin_api, "/api/v1/calendar/days/2026-10-10", {"kind": "holiday"})
    assert response.status_code == 200, response.content
    assert response.json() == {
        "day": "2026-10-10",
        "kind": "holiday",
        "name": "",
        "source": "override",
        "library_kind": "workday",
        "library_name": "Make-up working day for the day off on 2026-10-07",
    }
    due = admin_api.get("/api/v1/calendar/working-days?start=2026-09-30&n=3").json()
    assert due["due"] == "2026-10-12"
    assert AuditEvent.objects.filter(action="calendar_day.set").count() == 1


def test_setting_a_day_again_changes_it(admin_api):
    put(admin_api, "/api/v1/calendar/days/2027-10-08", {"kind": "holiday"})
    response = put(admin_api, "/api/v1/calendar/days/2027-10-08", {"kind": "workday", "name": "x"})
    assert (response.json()["kind"], response.json()["name"]) == ("workday", "x")
    assert CalendarDay.objects.get().kind == "workday"


@pytest.mark.parametrize(
    ("url", "body", "fields"),
    [
        ("/api/v1/calendar/days/2027-10-08", {"kind": "weekend"}, {"kind"}),
        ("/api/v1/calendar/days/2027-10-08", {"kind": "holiday", "name": "x" * 61}, {"name"}),
        ("/api/v1/calendar/days/1999-10-01", {"kind": "holiday"}, {"day"}),
    ],
)
def test_a_day_that_is_not_valid_is_a_400_naming_its_fields(admin_api, url, body, fields, settings):
    # The API reads no date before SANBAO_EARLIEST_YEAR (422, core.api.Day); below
    # it, the calendar's own range (from MIN_YEAR) is the service's 400.
    settings.SANBAO_EARLIEST_YEAR = 1990
    answer = assert_envelope(put(admin_api, url, body), 400, "workdays.day_invalid")
    assert set(answer["fields"]) == fields
    assert not CalendarDay.objects.exists()


def test_a_date_that_does_not_parse_is_a_422(admin_api):
    assert_envelope(put(admin_api, "/api/v1/calendar/days/2027-02-30", {"kind": "holiday"}), 422)
    assert_envelope(put(admin_api, "/api/v1/calendar/days/2027-10-08", {}), 422)


def test_deleting_a_day_without_override_is_a_404(admin_api):
    assert_envelope(
        admin_api.delete("/api/v1/calendar/days/2027-10-08"), 404, "workdays.day_not_found"
    )


# --- Years -----------------------------------------------------------------------------------


def test_marking_a_year_twice_is_a_409(admin_api):
    assert post(admin_api, "/api/v1/calendar/years/2027/entered").status_code == 200
    assert_envelope(
        post(admin_api, "/api/v1/calendar/years/2027/entered"),
        409,
        "workdays.year_entered_already",
    )


def test_marking_a_year_without_a_body_is_accepted(admin_api):
    response = admin_api.generic("POST", "/api/v1/calendar/years/2027/entered")
    assert response.status_code == 200, response.content


def test_marking_a_year_the_library_knows_is_a_400(admin_api):
    assert_envelope(
        post(admin_api, "/api/v1/calendar/years/2026/entered"),
        400,
        "workdays.year_known_to_library",
    )


def test_unmarking_a_year_not_marked_is_a_404(admin_api):
    assert_envelope(
        admin_api.delete("/api/v1/calendar/years/2027/entered"),
        404,
        "workdays.year_entry_not_found",
    )


# --- Working days ----------------------------------------------------------------------------


@pytest.mark.clause("IV.5")
def test_three_working_days_after_30_september_2026_are_due_on_10_october(staff_api):
    response = staff_api.get("/api/v1/calendar/working-days?start=2026-09-30&n=3")
    assert response.json() == {
        "start": "2026-09-30",
        "n": 3,
        "due": "2026-10-10",
        "provisional": False,
    }


@pytest.mark.clause("IV.5")
def test_a_count_into_an_unknown_year_is_provisional(staff_api):
    body = staff_api.get("/api/v1/calendar/working-days?start=2026-12-30&n=3").json()
    assert (body["due"], body["provisional"]) == ("2027-01-05", True)


def test_the_count_defaults_to_the_turnaround(staff_api, settings):
    body = staff_api.get("/api/v1/calendar/working-days?start=2026-09-30").json()
    assert body["n"] == settings.SANBAO_TURNAROUND_WORKING_DAYS


@pytest.mark.parametrize("query", ["start=2026-09-30&n=0", "start=2026-09-31&n=3", "n=3"])
def test_a_count_that_is_not_well_formed_is_a_422(staff_api, query):
    assert_envelope(staff_api.get(f"/api/v1/calendar/working-days?{query}"), 422)


def test_a_count_from_outside_the_calendar_is_a_400(staff_api, settings):
    settings.SANBAO_EARLIEST_YEAR = 1990  # past the API's own bound (core.api.Day)
    body = assert_envelope(
        staff_api.get("/api/v1/calendar/working-days?start=1999-12-31&n=3"),
        400,
        "workdays.date_out_of_range",
    )
    assert set(body["fields"]) == {"start"}


def test_a_day_before_the_earliest_year_is_refused_by_the_api_naming_it(admin_api):
    response = put(admin_api, "/api/v1/calendar/days/1999-10-01", {"kind": "holiday"})
    assert set(assert_envelope(response, 422, "core.request_invalid")["fields"]) == {"day"}
    assert not CalendarDay.objects.exists()
