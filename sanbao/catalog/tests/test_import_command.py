"""``manage.py import_units``: the command line around ``unit_import``."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.core.management import call_command

from sanbao.accounts.models import Organisation
from sanbao.catalog.importing import COLUMNS
from sanbao.catalog.models import Category, ProductModel, Unit

HEADER = list(COLUMNS)
REGIONS = ["mainland"] * 17 + ["hong_kong", "macau", "taiwan"]


@pytest.fixture
def catalog(db):
    """One category, two models and the two organisations units are sold through."""
    category = Category.objects.create(
        code="power-bank",
        name_en="Power banks",
        name_zh="移动电源",
        required_accessories=["data cable"],
    )
    for code, mah in (("PB10K", 10000), ("PB20K", 20000)):
        ProductModel.objects.create(
            code=code,
            name_en=f"Power Bank {mah} mAh",
            name_zh=f"充电宝 {mah}毫安",
            category=category,
            capacity_mah=mah,
        )
    Organisation.objects.create(code="AG-SZ01", kind="agent", name_en="SZ", name_zh="深圳")
    Organisation.objects.create(code="EN-HZ01", kind="enterprise", name_en="HZ", name_zh="杭州")


def write_units_csv(path, count: int, *, start: int = 0) -> None:
    first_day = dt.date(2025, 1, 1)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        for i in range(start, start + count):
            writer.writerow(
                [
                    f"SBT{i:08d}",
                    "PB10K" if i % 3 else "PB20K",
                    (first_day + dt.timedelta(days=i % 365)).isoformat(),
                    REGIONS[i % len(REGIONS)],
                    "no" if i % 50 == 0 else "yes",
                    ("AG-SZ01", "EN-HZ01", "")[i % 3],
                    f"WC{i:09d}",
                ]
            )


def run_import(*args) -> tuple[int, str, str]:
    """Run the command; return its exit status, standard output and standard error."""
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("import_units", *args, stdout=out, stderr=err)
    except SystemExit as exc:
        return int(exc.code or 0), out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()


@pytest.mark.slow
def test_imports_a_file_of_100000_valid_units(catalog, tmp_path):
    source = tmp_path / "units.csv"
    write_units_csv(source, 100_000)

    status, out, err = run_import(str(source))

    assert status == 0, out + err
    assert Unit.objects.count() == 100_000
    assert "Created:   100000" in out
    assert "Bad:       0" in out
    assert "writing" in err  # the progress bar went to standard error
    unit = Unit.objects.select_related("model", "channel_org").get(serial="SBT00000001")
    assert (unit.model.code, unit.channel_org.code, unit.sale_date) == (
        "PB10K",
        "EN-HZ01",
        dt.date(2025, 1, 2),
    )


def test_reimporting_the_same_file_changes_nothing(catalog, tmp_path):
    source = tmp_path / "units.csv"
    write_units_csv(source, 30)
    assert run_import(str(source))[0] == 0

    status, out, _err = run_import(str(source))

    assert status == 0
    assert "Created:   0" in out
    assert "Unchanged: 30" in out
    assert Unit.objects.count() == 30


def test_a_file_with_bad_rows_writes_nothing_and_reports_every_row(catalog, tmp_path):
    source = tmp_path / "units.csv"
    write_units_csv(source, 120)
    with source.open("a", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        # Rows 122-181: 60 unknown models, more than the 50 errors printed.
        for i in range(60):
            writer.writerow([f"SBBAD{i:04d}", "NOPE", "2025-01-01", "mainland", "", "", ""])
        writer.writerow(["SBT00000005", "PB10K", "2025-01-06", "mars", "", "", ""])  # row 182
    report = tmp_path / "report.csv"

    status, out, _err = run_import(str(source), "--report", str(report))

    assert status == 1
    assert Unit.objects.count() == 0
    assert "Written:   no" in out
    assert "first 50 shown" in out
    with report.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert list(rows[0]) == ["row", "column", "code", "message"]
    assert len(rows) == 62
    named = [(r["row"], r["column"], r["code"]) for r in rows]
    assert named[0] == ("122", "model_code", "catalog.model_unknown")
    assert ("182", "serial", "catalog.serial_repeated") in named
    assert ("182", "region", "catalog.region_unknown") in named
    assert all(r["message"] for r in rows)


def test_valid_only_writes_the_good_rows_and_exits_zero(catalog, tmp_path):
    source = tmp_path / "units.csv"
    write_units_csv(source, 10)
    with source.open("a", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerow(["SBBAD0001", "NOPE", "2025-01-01", "mainland", "", "", ""])
    report = tmp_path / "report.csv"

    status, out, _err = run_import(str(source), "--mode", "valid_only", "--report", str(report))

    assert status == 0
    assert Unit.objects.count() == 10
    assert "Bad:       1" in out
    assert "catalog.model_unknown" in report.read_text(encoding="utf-8-sig")


def test_an_unreadable_file_exits_one_with_its_error_code_and_no_traceback(catalog, tmp_path):
    source = tmp_path / "units.csv"
    source.write_text("name,colour\nx,red\n", encoding="utf-8")

    status, out, err = run_import(str(source))

    assert status == 1
    assert "catalog.columns_missing" in err
    assert "Traceback" not in out + err


def test_a_missing_file_exits_one(catalog, tmp_path):
    status, _out, err = run_import(str(tmp_path / "absent.csv"))

    assert status == 1
    assert "absent.csv" in err
