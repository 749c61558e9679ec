"""Benchmark: the unit import service against a floor measured in the same run.

    .venv/bin/python bench/bench_import.py [--rows 50000] [--repeat 1] [--json]

The floor is the fastest way to put the same rows in the same table on the same
database: one ``cursor.executemany`` INSERT in one transaction, with no parsing,
no validation and no duplicate check. The service is
``sanbao.catalog.services.unit_import`` given the same rows as a CSV file in
memory (reading, validating, looking up existing serials, ``bulk_create`` in
batches, one audit event). The figure that matters is the ratio of the two
times; absolute rows/s depend on the machine.

The database is a throwaway one: a SQLite file in a temporary folder, or, when
``DATABASE_URL`` is set, a scratch database created beside it on the same
server and dropped at the end (Django's test-database machinery). See
bench/README.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

MODEL_CODES = [f"BM{i:02d}" for i in range(20)]
ORG_CODES = ["AG-BENCH1", "AG-BENCH2", "EN-BENCH1"]
REGIONS = ["mainland"] * 16 + ["hong_kong", "macau", "taiwan", "overseas"]


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=50_000, help="rows per run (default 50000)")
    parser.add_argument(
        "--repeat", type=int, default=1, help="runs of each side; the best time counts"
    )
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    return parser.parse_args(argv)


def setup_django(tmpdir: str) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings_test")
    # Keep the SQLite file and uploads of this run out of var/.
    os.environ["SANBAO_VAR_DIR"] = tmpdir
    import django

    django.setup()


def make_rows(count: int) -> list[dict[str, str]]:
    first_day = dt.date(2024, 1, 1)
    return [
        {
            "serial": f"SBBENCH{i:09d}",
            "model_code": MODEL_CODES[i % len(MODEL_CODES)],
            "sale_date": (first_day + dt.timedelta(days=i % 540)).isoformat(),
            "region": REGIONS[i % len(REGIONS)],
            "authorised_channel": "no" if i % 40 == 0 else "yes",
            "channel_org_code": ORG_CODES[i % len(ORG_CODES)] if i % 40 else "",
            "warranty_card_no": f"WC{i:09d}",
        }
        for i in range(count)
    ]


def seed_catalog() -> tuple[dict[str, int], dict[str, int]]:
    from sanbao.accounts.models import Organisation
    from sanbao.catalog.models import Category, ProductModel

    category = Category.objects.create(code="bench", name_en="Bench", name_zh="基准")
    models = {
        code: ProductModel.objects.create(
            code=code, name_en=code, name_zh=code, category=category, capacity_mah=10000
        ).pk
        for code in MODEL_CODES
    }
    orgs = {
        code: Organisation.objects.create(
            code=code,
            kind="enterprise" if code.startswith("EN") else "agent",
            name_en=code,
            name_zh=code,
        ).pk
        for code in ORG_CODES
    }
    return models, orgs


def clear_units() -> None:
    from django.db import connection, transaction

    from sanbao.catalog.models import Unit

    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {connection.ops.quote_name(Unit._meta.db_table)}")


def run_floor(rows, models, orgs) -> float:
    """One executemany INSERT of the rows, already converted, in one transaction."""
    from django.db import connection, transaction
    from django.utils import timezone

    from sanbao.catalog.models import Unit

    now = timezone.now()
    params = [
        (
            r["serial"],
            models[r["model_code"]],
            r["authorised_channel"] == "yes",
            orgs.get(r["channel_org_code"]),
            dt.date.fromisoformat(r["sale_date"]),
            r["region"],
            r["warranty_card_no"],
            now,
        )
        for r in rows
    ]
    quote = connection.ops.quote_name
    columns = [
        "serial",
        "model_id",
        "authorised_channel",
        "channel_org_id",
        "sale_date",
        "region",
        "warranty_card_no",
        "created_at",
    ]
    sql = "INSERT INTO {} ({}) VALUES ({})".format(
        quote(Unit._meta.db_table),
        ", ".join(quote(c) for c in columns),
        ", ".join(["%s"] * len(columns)),
    )
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.executemany(sql, params)
    return time.perf_counter() - started


def run_service(data: bytes, expected: int) -> tuple[float, dict[str, float]]:
    from sanbao.catalog.services import ImportMode, unit_import

    marks: dict[str, float] = {}

    def progress(phase, done, total):
        marks.setdefault(f"{phase}_first", time.perf_counter())
        marks[f"{phase}_last"] = time.perf_counter()

    started = time.perf_counter()
    report = unit_import(
        actor=None,
        data=data,
        filename="bench.csv",
        mode=ImportMode.ALL_OR_NOTHING,
        progress=progress,
    )
    elapsed = time.perf_counter() - started
    if report.errors or report.created != expected:
        first = report.errors[0].as_dict() if report.errors else None
        raise SystemExit(f"service import did not create every row: {report.created}, {first}")
    phases = {}
    if "validate_last" in marks:
        # Validation reports every 1,000 rows, so its last report is within 1,000
        # rows of its end; the rest is the lookup of existing serials and the writes.
        phases["read_validate_s"] = marks["validate_last"] - started
        phases["lookup_write_s"] = started + elapsed - marks["validate_last"]
    return elapsed, phases


def main(argv=None) -> int:
    args = parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="sanbao-bench-") as tmpdir:
        setup_django(tmpdir)
        from django.conf import settings
        from django.db import connection
        from django.test.utils import setup_databases, teardown_databases

        from sanbao.catalog.importing import rows_csv

        settings.SANBAO_IMPORT_MAX_ROWS = max(settings.SANBAO_IMPORT_MAX_ROWS, args.rows)
        test_settings = connection.settings_dict.setdefault("TEST", {})
        if connection.vendor == "sqlite":
            test_settings["NAME"] = str(Path(tmpdir) / "bench.sqlite3")
        else:
            test_settings["NAME"] = f"sanbao_bench_{os.getpid()}"
        old_config = setup_databases(verbosity=0, interactive=False)
        try:
            models, orgs = seed_catalog()
            rows = make_rows(args.rows)
            data = rows_csv(rows)
            floor_times, service_times, phases = [], [], {}
            for _ in range(max(1, args.repeat)):
                clear_units()
                floor_times.append(run_floor(rows, models, orgs))
                clear_units()
                elapsed, run_phases = run_service(data, args.rows)
                service_times.append(elapsed)
                if elapsed == min(service_times):
                    phases = run_phases
        finally:
            teardown_databases(old_config, verbosity=0)

    floor, service = min(floor_times), min(service_times)
    result = {
        "database": connection.vendor,
        "rows": args.rows,
        "floor_s": round(floor, 3),
        "service_s": round(service, 3),
        "floor_rows_per_s": round(args.rows / floor),
        "service_rows_per_s": round(args.rows / service),
        "service_over_floor_time": round(service / floor, 2),
        **{k: round(v, 3) for k, v in phases.items()},
    }
    if args.json:
        print(json.dumps(result))
        return 0
    print(f"unit import benchmark: {args.rows} rows on {connection.vendor}, best of {args.repeat}")
    floor_rate, service_rate = result["floor_rows_per_s"], result["service_rows_per_s"]
    print(f"  floor (executemany INSERT): {floor:8.2f} s  {floor_rate:>9} rows/s")
    print(f"  service (unit_import):      {service:8.2f} s  {service_rate:>9} rows/s")
    if phases:
        print(
            f"    of which read+validate ~{phases['read_validate_s']:.2f} s, "
            f"lookup+write ~{phases['lookup_write_s']:.2f} s"
        )
    print(f"  service/floor time ratio:   {result['service_over_floor_time']:8.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
