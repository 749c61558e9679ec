"""The administrator's writes on the calendar: overrides set, changed and deleted,
years marked as entered and unmarked; who may, what is refused, the audit trail,
and the listeners called once the change commits."""

from __future__ import annotations

import datetime as dt

import pytest

from sanbao.core.errors import Conflict, NotFound, PermissionDenied, PolicyRefused, ValidationFailed
from sanbao.workdays import services
from sanbao.workdays.models import CalendarDay, CalendarYear
from sanbao.workdays.tests.conftest import events

D = dt.date

NOT_ADMINISTRATORS = [
    "platform_staff",
    "platform_manager",
    "commercial_commissioner",
    "cs_commissioner",
    "agent_a_clerk",
    "enterprise_clerk",
    "outlet_tech",
]


# --- Overrides -----------------------------------------------------------------------------


def test_setting_a_day_writes_the_override_and_its_audit_event(administrator):
    row = services.day_set(
        actor=administrator, day=D(2027, 10, 1), kind="holiday", name="  国庆节  "
    )
    assert (row.day, row.kind, row.name, row.created_by) == (
        D(2027, 10, 1),
        "holiday",
        "国庆节",
        administrator,
    )
    (event,) = events("calendar_day.set")
    assert event.actor == administrator
    assert event.target_id == str(row.pk)
    assert event.data == {
        "day": "2027-10-01",
        "kind": "holiday",
        "name": "国庆节",
        "previous": None,
    }


def test_setting_a_day_again_changes_its_override(administrator):
    services.day_set(actor=administrator, day=D(2027, 10, 9), kind="holiday")
    services.day_set(actor=administrator, day=D(2027, 10, 9), kind="workday", name="调休")
    row = CalendarDay.objects.get()
    assert (row.kind, row.name) == ("workday", "调休")
    second = events("calendar_day.set")[1]
    assert second.data["previous"] == {"kind": "holiday", "name": ""}


def test_deleting_a_day_removes_the_override_and_is_audited(administrator):
    row = services.day_set(actor=administrator, day=D(2027, 10, 9), kind="workday")
    services.day_delete(actor=administrator, day=D(2027, 10, 9))
    assert not CalendarDay.objects.exists()
    (event,) = events("calendar_day.deleted")
    assert event.target_id == str(row.pk)
    assert event.data == {"day": "2027-10-09", "kind": "workday", "name": ""}


def test_deleting_a_day_without_override_is_not_found(administrator):
    with pytest.raises(NotFound) as missing:
        services.day_delete(actor=administrator, day=D(2027, 10, 9))
    assert missing.value.code == "workdays.day_not_found"
    assert not events("calendar_day.deleted")


@pytest.mark.parametrize(
    ("day", "kind", "name", "fields"),
    [
        (D(1999, 12, 31), "holiday", "", {"day"}),
        (D(2101, 1, 1), "holiday", "", {"day"}),
        (None, "holiday", "", {"day"}),
        ("2027-02-30", "holiday", "", {"day"}),
        (D(2027, 10, 1), "weekend", "", {"kind"}),
        (D(2027, 10, 1), "", "", {"kind"}),
        (D(2027, 10, 1), "holiday", "x" * 61, {"name"}),
        (None, "", "x" * 61, {"day", "kind", "name"}),
    ],
)
def test_a_day_that_is_not_valid_is_refused_field_by_field(administrator, day, kind, name, fields):
    with pytest.raises(ValidationFailed) as refused:
        services.day_set(actor=administrator, day=day, kind=kind, name=name)
    assert refused.value.code == "workdays.day_invalid"
    assert set(refused.value.fields) == fields
    assert not CalendarDay.objects.exists()
    assert not events("calendar_day.set")


def test_a_name_of_sixty_characters_and_the_ends_of_the_range_are_accepted(administrator):
    services.day_set(actor=administrator, day=D(2000, 1, 1), kind="holiday", name="x" * 60)
    services.day_set(actor=administrator, day="2100-12-31", kind="workday")
    assert CalendarDay.objects.count() == 2


# --- Years ----------------------------------------------------------------------------------


def test_marking_a_year_as_entered_writes_it_and_its_audit_event(administrator):
    row = services.year_mark_entered(actor=administrator, year=2027, note=" 国办发明电〔2026〕 ")
    assert (row.year, row.entered_by, row.note) == (2027, administrator, "国办发明电〔2026〕")
    (event,) = events("calendar_year.entered")
    assert event.target_id == str(row.pk)


def test_unmarking_a_year_removes_the_mark_and_is_audited(administrator):
    services.year_mark_entered(actor=administrator, year=2027)
    services.year_unmark(actor=administrator, year=2027)
    assert not CalendarYear.objects.exists()
    assert len(events("calendar_year.unmarked")) == 1


def test_a_year_marked_already_is_a_conflict(administrator):
    services.year_mark_entered(actor=administrator, year=2027)
    with pytest.raises(Conflict) as conflict:
        services.year_mark_entered(actor=administrator, year=2027)
    assert conflict.value.code == "workdays.year_entered_already"
    assert len(events("calendar_year.entered")) == 1


def test_a_year_the_library_knows_needs_no_mark(administrator):
    with pytest.raises(PolicyRefused) as refused:
        services.year_mark_entered(actor=administrator, year=2026)
    assert refused.value.code == "workdays.year_known_to_library"
    assert refused.value.status == 400


@pytest.mark.parametrize("year", [1999, 2101, "soon"])
def test_a_year_outside_the_calendar_is_refused(administrator, year):
    with pytest.raises(ValidationFailed) as refused:
        services.year_mark_entered(actor=administrator, year=year)
    assert refused.value.code == "workdays.year_out_of_range"
    assert set(refused.value.fields) == {"year"}


def test_a_note_over_500_characters_is_refused(administrator):
    with pytest.raises(ValidationFailed) as refused:
        services.year_mark_entered(actor=administrator, year=2027, note="x" * 501)
    assert set(refused.value.fields) == {"note"}


def test_unmarking_a_year_not_marked_is_not_found(administrator):
    with pytest.raises(NotFound) as missing:
        services.year_unmark(actor=administrator, year=2027)
    assert missing.value.code == "workdays.year_entry_not_found"


# --- Who may --------------------------------------------------------------------------------


@pytest.mark.parametrize("who", NOT_ADMINISTRATORS)
def test_only_the_administrator_changes_the_calendar(cast, administrator, who):
    user = getattr(cast, who)
    services.day_set(actor=administrator, day=D(2027, 5, 8), kind="workday")
    services.year_mark_entered(actor=administrator, year=2027)
    writes = [
        lambda: services.day_set(actor=user, day=D(2027, 10, 1), kind="holiday"),
        lambda: services.day_delete(actor=user, day=D(2027, 5, 8)),
        lambda: services.year_mark_entered(actor=user, year=2028),
        lambda: services.year_unmark(actor=user, year=2027),
    ]
    for write in writes:
        with pytest.raises(PermissionDenied):
            write()
    assert CalendarDay.objects.count() == 1 and CalendarYear.objects.count() == 1


# --- Listeners ------------------------------------------------------------------------------


def test_every_committed_change_calls_the_listeners_after_the_commit(
    administrator, calls, django_capture_on_commit_callbacks
):
    writes = [
        lambda: services.day_set(actor=administrator, day=D(2027, 5, 8), kind="workday"),
        lambda: services.day_set(actor=administrator, day=D(2027, 5, 8), kind="holiday"),
        lambda: services.day_delete(actor=administrator, day=D(2027, 5, 8)),
        lambda: services.year_mark_entered(actor=administrator, year=2027),
        lambda: services.year_unmark(actor=administrator, year=2027),
    ]
    for done, write in enumerate(writes, start=1):
        with django_capture_on_commit_callbacks(execute=False) as pending:
            write()
            assert len(calls) == done - 1  # not before the commit
        for callback in pending:
            callback()
        assert len(calls) == done


def test_a_refused_change_calls_no_listener(
    administrator, platform_staff, calls, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        for write in (
            lambda: services.day_set(actor=administrator, day=None, kind="holiday"),
            lambda: services.day_set(actor=platform_staff, day=D(2027, 5, 8), kind="holiday"),
            lambda: services.day_delete(actor=administrator, day=D(2027, 5, 8)),
            lambda: services.year_mark_entered(actor=administrator, year=2026),
            lambda: services.year_unmark(actor=administrator, year=2027),
        ):
            with pytest.raises((ValidationFailed, PermissionDenied, NotFound, PolicyRefused)):
                write()
    assert calls == []


def test_a_listener_registered_twice_is_called_once(
    administrator, calls, django_capture_on_commit_callbacks
):
    services.on_calendar_changed(services._listeners[-1])
    with django_capture_on_commit_callbacks(execute=True):
        services.year_mark_entered(actor=administrator, year=2027)
    assert calls == ["changed"]
