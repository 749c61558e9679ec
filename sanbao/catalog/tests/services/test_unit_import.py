"""unit_import: validate everything, then write all, the good rows, or nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import override_settings

from sanbao.catalog.models import Unit
from sanbao.catalog.services import ImportMode, unit_import
from sanbao.catalog.tests.test_importing import HEADER, csv_bytes
from sanbao.core.errors import PermissionDenied, ValidationFailed
from sanbao.core.models import AuditEvent


def row(serial, model="PB10K", date="2025-03-01", region="mainland", auth="yes", org="AG-A"):
    return [serial, model, date, region, auth, org, f"WC{serial}"]


GOOD_ROWS = [row("SB0000001"), row("SB0000002", org="EN-C"), row("SB0000003", region="香港")]
BAD_ROW = row("SB0000004", model="PB99K")


@pytest.fixture
def registry(pb10k, pb20k, agent_a, agent_b, enterprise_c, outlet_d):
    """The catalog and the organisations a file refers to."""


def imports():
    return AuditEvent.objects.filter(action="unit.imported")


def run(actor, rows, mode=ImportMode.ALL_OR_NOTHING, **kwargs):
    return unit_import(actor=actor, data=csv_bytes(rows), filename="units.csv", mode=mode, **kwargs)


def test_a_valid_file_registers_every_unit_with_its_data(platform_staff, registry, agent_a):
    report = run(platform_staff, GOOD_ROWS)
    assert (report.total_rows, report.valid_rows, report.created, report.unchanged) == (3, 3, 3, 0)
    assert report.written and report.errors == []
    unit = Unit.objects.get(serial="SB0000001")
    assert (unit.model.code, unit.channel_org, unit.sale_date, unit.region) == (
        "PB10K",
        agent_a,
        dt.date(2025, 3, 1),
        "mainland",
    )
    assert Unit.objects.get(serial="SB0000003").region == "hong_kong"


def test_an_import_writes_one_audit_event_naming_the_file_and_counts(platform_staff, registry):
    run(platform_staff, GOOD_ROWS)
    event = imports().get()
    assert event.actor == platform_staff
    assert event.target_type == "catalog.unit"
    assert event.data == {
        "filename": "units.csv",
        "mode": "all_or_nothing",
        "created": 3,
        "unchanged": 0,
        "bad_rows": 0,
    }


@override_settings(SANBAO_IMPORT_BATCH_SIZE=2)
def test_a_file_written_in_several_batches_is_still_one_audit_event(platform_staff, registry):
    calls = []
    rows = [row(f"SB{i:07d}") for i in range(5)]
    report = run(platform_staff, rows, progress=lambda *args: calls.append(args))
    assert report.created == 5 and Unit.objects.count() == 5
    assert imports().count() == 1
    assert [c for c in calls if c[0] == "write"] == [
        ("write", 2, 5),
        ("write", 4, 5),
        ("write", 5, 5),
    ]


def test_all_or_nothing_writes_nothing_when_one_row_is_bad(platform_staff, registry):
    report = run(platform_staff, [*GOOD_ROWS, BAD_ROW])
    assert not report.written
    assert (report.total_rows, report.valid_rows, report.bad_rows, report.created) == (4, 3, 1, 0)
    assert [(e.row, e.code) for e in report.errors] == [(5, "catalog.model_unknown")]
    assert not Unit.objects.exists()
    assert not imports().exists()


def test_valid_only_writes_the_good_rows_and_reports_the_bad_ones(platform_staff, registry):
    report = run(platform_staff, [BAD_ROW, *GOOD_ROWS], mode=ImportMode.VALID_ONLY)
    assert report.written
    assert (report.created, report.bad_rows) == (3, 1)
    assert [(e.row, e.code) for e in report.errors] == [(2, "catalog.model_unknown")]
    assert set(Unit.objects.values_list("serial", flat=True)) == {r[0] for r in GOOD_ROWS}
    assert imports().get().data["bad_rows"] == 1


def test_an_unknown_mode_is_treated_as_all_or_nothing(platform_staff, registry):
    report = run(platform_staff, [*GOOD_ROWS, BAD_ROW], mode="whatever")
    assert report.mode == ImportMode.ALL_OR_NOTHING
    assert not Unit.objects.exists()


def test_reimporting_the_same_file_changes_nothing(platform_staff, registry):
    run(platform_staff, GOOD_ROWS)
    before = list(Unit.objects.order_by("serial").values())
    report = run(platform_staff, GOOD_ROWS)
    assert (report.created, report.unchanged, report.errors) == (0, 3, [])
    assert list(Unit.objects.order_by("serial").values()) == before
    assert imports().count() == 1


def test_a_serial_registered_with_different_data_is_a_row_error_never_an_overwrite(
    platform_staff, registry
):
    run(platform_staff, GOOD_ROWS)
    changed = row("SB0000001", date="2025-04-01", org="AG-B")
    report = run(platform_staff, [changed, row("SB0000009")])
    [error] = report.errors
    assert (error.row, error.column, error.code) == (
        2,
        "serial",
        "catalog.serial_registered_differently",
    )
    assert error.params == {"value": "SB0000001", "columns": "sale_date, channel_org"}
    unit = Unit.objects.get(serial="SB0000001")
    assert (unit.sale_date, unit.channel_org.code) == (dt.date(2025, 3, 1), "AG-A")
    assert not Unit.objects.filter(serial="SB0000009").exists()


def test_valid_only_does_not_overwrite_a_serial_registered_differently(platform_staff, registry):
    run(platform_staff, GOOD_ROWS)
    changed = row("SB0000001", model="PB20K")
    report = run(platform_staff, [changed, row("SB0000009")], mode=ImportMode.VALID_ONLY)
    assert report.created == 1 and report.bad_rows == 1
    assert Unit.objects.get(serial="SB0000001").model.code == "PB10K"


def test_a_unit_may_only_be_sold_through_an_agent_or_an_enterprise(platform_staff, registry):
    report = run(
        platform_staff, [row("SB0000001", org="SO-D"), row("SB0000002", org="SB-PLATFORM")]
    )
    assert [e.code for e in report.errors] == ["catalog.organisation_unknown"] * 2


def test_errors_are_reported_in_row_then_column_order(platform_staff, registry):
    run(platform_staff, [row("SB0000001")])
    rows = [row("SB0000001", date="2025-05-05"), ["", "PB99K", "2025-01-01", "mars"]]
    report = run(platform_staff, rows)
    assert [(e.row, e.column) for e in report.errors] == [
        (2, "serial"),
        (3, "serial"),
        (3, "model_code"),
        (3, "region"),
    ]


def test_an_unreadable_file_is_refused_whole_and_writes_nothing(platform_staff, registry):
    with pytest.raises(ValidationFailed) as caught:
        unit_import(actor=platform_staff, data=b"\x00\x00", filename="units.csv")
    assert caught.value.code == "catalog.file_unreadable"
    assert not Unit.objects.exists() and not imports().exists()


@pytest.mark.parametrize("who", ["platform_staff", "platform_manager", "administrator"])
def test_platform_staff_managers_and_administrators_may_import(cast, registry, who):
    assert run(getattr(cast, who), GOOD_ROWS).created == 3


@pytest.mark.parametrize(
    "who",
    [
        "agent_a_clerk",
        "enterprise_clerk",
        "outlet_tech",
        "commercial_commissioner",
        "cs_commissioner",
    ],
)
def test_other_roles_may_not_import_units(cast, registry, who):
    with pytest.raises(PermissionDenied) as caught:
        run(getattr(cast, who), GOOD_ROWS)
    assert caught.value.status == 403
    assert not Unit.objects.exists() and not imports().exists()


def test_a_system_job_imports_without_an_actor_and_is_audited_as_system(registry):
    run(None, GOOD_ROWS)
    assert imports().get().actor_label == "system"


def test_the_report_as_dict_carries_counts_and_row_errors(platform_staff, registry):
    report = run(platform_staff, [*GOOD_ROWS, BAD_ROW]).as_dict()
    assert {k: v for k, v in report.items() if k != "errors"} == {
        "filename": "units.csv",
        "mode": "all_or_nothing",
        "total_rows": 4,
        "valid_rows": 3,
        "bad_rows": 1,
        "created": 0,
        "unchanged": 0,
        "written": False,
    }
    assert report["errors"][0]["code"] == "catalog.model_unknown"
    assert set(report["errors"][0]) == {"row", "column", "code", "message"}
    assert HEADER[1] == report["errors"][0]["column"]


def test_a_serial_registered_by_a_concurrent_import_is_a_409_and_writes_nothing(
    platform_staff, registry
):
    """Between the existence check and the insert another import registers one of the
    serials; the insert fails on the unique serial and the whole import rolls back.

    The other import really runs, on the real database, at the one moment that makes
    the race: right after this import's existence check has read the unit table and
    before its next statement (Django's query hook ``execute_wrapper`` marks that
    moment; nothing stands in for the database)."""
    from django.db import connection

    from sanbao.core.errors import Conflict

    table = connection.ops.quote_name(Unit._meta.db_table)
    race = {"checked": False, "run": False}

    def other_import_right_after_the_check(execute, sql, params, many, context):
        if race["checked"] and not race["run"]:
            race["run"] = True
            run(platform_staff, [GOOD_ROWS[1]])
        result = execute(sql, params, many, context)
        # The existence check: the only read of the unit table (an IN list of
        # serials on SQLite, a join with an array of them on PostgreSQL).
        if sql.startswith("SELECT") and f"FROM {table}" in sql:
            race["checked"] = True
        return result

    with (
        connection.execute_wrapper(other_import_right_after_the_check),
        pytest.raises(Conflict) as caught,
    ):
        run(platform_staff, GOOD_ROWS)
    assert race["run"], "the other import ran between the check and the insert"
    assert caught.value.code == "catalog.import_conflict"
    assert list(Unit.objects.values_list("serial", flat=True)) == ["SB0000002"]
    assert imports().count() == 1


def test_on_postgresql_an_import_reads_the_registry_once_and_copies_its_new_rows(
    platform_staff, registry
):
    """Issue 14: the existence check is one statement (a join with the serials as one
    array) and the new rows go in with one COPY, whatever the file's size; the
    report is the same as the batched path's. SQLite reads in chunks of 900."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    if connection.vendor != "postgresql":
        pytest.skip("the COPY path is PostgreSQL's")
    run(platform_staff, [row(f"SB{i:07d}") for i in range(0, 2000, 2)])  # every other one
    table = connection.ops.quote_name(Unit._meta.db_table)
    rows = [row(f"SB{i:07d}") for i in range(2000)]
    rows[10] = row("SB0000010", region="macau")  # registered differently
    with CaptureQueriesContext(connection) as queries:
        report = run(platform_staff, rows, mode=ImportMode.VALID_ONLY)
    reads = [q["sql"] for q in queries if q["sql"].startswith("SELECT") and table in q["sql"]]
    inserts = [q["sql"] for q in queries if q["sql"].startswith("INSERT") and table in q["sql"]]
    assert len(reads) == 1 and inserts == []
    assert (report.created, report.unchanged, report.bad_rows) == (1000, 999, 1)
    assert [e.code for e in report.errors] == ["catalog.serial_registered_differently"]
    assert report.errors[0].params == {"value": "SB0000010", "columns": "region"}
    assert Unit.objects.count() == 2000
    assert Unit.objects.get(serial="SB0000010").region == "mainland"
    assert Unit.objects.get(serial="SB0001999").created_at is not None


def test_the_production_lot_is_written_and_a_changed_lot_is_registered_differently(
    platform_staff, registry
):
    """Issue 16: the lot the unit's warranty cards print in, on the batched path and
    on PostgreSQL's COPY alike; re-importing another lot never overwrites it."""
    run(platform_staff, [[*row("SB0000001"), "L2612-A"], [*row("SB0000002"), ""]])
    lots = dict(Unit.objects.values_list("serial", "production_lot"))
    assert lots == {"SB0000001": "L2612-A", "SB0000002": ""}
    report = run(platform_staff, [[*row("SB0000001"), "L2612-B"]])
    assert report.errors[0].params == {"value": "SB0000001", "columns": "production_lot"}
    assert Unit.objects.get(serial="SB0000001").production_lot == "L2612-A"
