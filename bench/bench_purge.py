"""Benchmark: the IV.8 purge against floors measured in the same run.

    .venv/bin/python bench/bench_purge.py [--rows 20000] [--batch-size 500] [--json]

N expired warranty claims with personal data (a consumer's name and telephone,
the fault description, notes) are bulk-inserted, closed more than half a year
ago. What is timed is ``sanbao.core.retention.purge_expired`` for the claims
kind: batches of ``--batch-size`` ids, each its own transaction (select the ids
after the last one done, one ``UPDATE … WHERE id IN (…)`` per table, the verdicts'
JSON rewritten, one audit event). Every statement is timed through
``connection.execute_wrapper``; the longest is reported with its first words.

The floors, each on the same N rows freshly inserted: a plain bulk ``DELETE`` of
the expired rows, and a single ``UPDATE`` blanking the same fields of all of them
in one statement. Both are one statement holding the rows for its whole length,
which is what the batches avoid. While the purge runs, a second connection
reads the newest 50 claims every 50 ms, as the list page does; its slowest
answer says whether pages keep answering.

The database is a throwaway one, as in bench_import.py: a SQLite file in a
temporary folder, or, when ``DATABASE_URL`` is set, a scratch database
``sanbao_bench_<pid>`` on the same server, dropped at the end. No files are
uploaded: the file deletion happens after each batch commits and is not a
database cost. See bench/README.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=20_000, help="expired claims (default 20000)")
    parser.add_argument("--batch-size", type=int, default=500, help="records a transaction")
    parser.add_argument(
        "--no-reader", action="store_true", help="no concurrent reads while the purge runs"
    )
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    return parser.parse_args(argv)


def setup_django(tmpdir: str) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings_test")
    os.environ["SANBAO_VAR_DIR"] = tmpdir
    import django

    django.setup()


def seed() -> dict:
    from sanbao.accounts.models import Organisation, User
    from sanbao.catalog.models import Category, ProductModel

    category = Category.objects.create(code="bench", name_en="Bench", name_zh="基准")
    model = ProductModel.objects.create(
        code="BM01", name_en="BM01", name_zh="BM01", category=category, capacity_mah=10000
    )
    platform = Organisation.objects.create(
        code="SB-BENCH", kind="platform", name_en="Bench", name_zh="基准"
    )
    user = User.objects.create(username="bench", organisation=platform, role="aftersales_staff")
    return {"model": model.pk, "org": platform.pk, "user": user.pk}


def insert_claims(count: int, ids: dict, closed) -> None:
    from django.db import transaction

    from sanbao.claims.models import Claim

    day = closed.date() - dt.timedelta(days=30)
    results = [{"rule": "III.6", "outcome": "fail", "evidence": {"note": "Wet; Li Na's son"}}]
    with transaction.atomic():
        for start in range(0, count, 5_000):
            Claim.objects.bulk_create(
                [
                    Claim(
                        number=f"CB{i:09d}",
                        status="closed",
                        handling_org_id=ids["org"],
                        claimant_kind="consumer",
                        consumer_name="Li Na",
                        consumer_phone=f"138{i:08d}",
                        model_id=ids["model"],
                        serial_reported=f"SBB{i:09d}",
                        delivered_on=day,
                        claimed_on=day,
                        handed_in_on=day,
                        region="mainland",
                        fault_kind="not_charging",
                        fault_description="Does not charge; call Li Na at home after six.",
                        verdict="not_covered",
                        verdict_results=results,
                        policy_version="bench",
                        terms={},
                        judgement_note="Told Li Na by phone",
                        created_by_id=ids["user"],
                        closed_at=closed,
                    )
                    for i in range(start, min(count, start + 5_000))
                ],
                batch_size=5_000,
            )


def snapshot() -> None:
    """Keep a copy of the inserted claims, so that each floor starts from the same rows
    without inserting them again from Python."""
    from django.db import connection, transaction

    from sanbao.claims.models import Claim

    quote = connection.ops.quote_name
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"CREATE TABLE bench_claims AS SELECT * FROM {quote(Claim._meta.db_table)}")


def restore() -> None:
    """The claims as inserted, in a flushed table."""
    from django.db import connection, transaction

    from sanbao.claims.models import Claim

    flush()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {connection.ops.quote_name(Claim._meta.db_table)} "
            "SELECT * FROM bench_claims"
        )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")


def flush() -> None:
    from django.core.management.color import no_style
    from django.db import connection, transaction

    from sanbao.claims.models import Claim, InspectionFinding
    from sanbao.core.models import AuditEvent

    tables = [Claim._meta.db_table, InspectionFinding._meta.db_table, AuditEvent._meta.db_table]
    statements = connection.ops.sql_flush(no_style(), tables, allow_cascade=True)
    with transaction.atomic(), connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


class StatementTimer:
    """``connection.execute_wrapper``: every statement's time, the longest kept."""

    def __init__(self):
        self.count = 0
        self.longest = 0.0
        self.longest_sql = ""

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            spent = time.perf_counter() - started
            self.count += 1
            if spent > self.longest:
                self.longest, self.longest_sql = spent, " ".join(sql.split()[:6])


class Reader(threading.Thread):
    """A page's read on its own connection every 50 ms; the slowest answer kept."""

    def __init__(self):
        super().__init__(daemon=True)
        self.stop = threading.Event()
        self.slowest = 0.0
        self.reads = 0

    def run(self):
        from django.db import connection

        from sanbao.claims.models import Claim

        try:
            while not self.stop.is_set():
                started = time.perf_counter()
                list(Claim.objects.order_by("-id").values_list("number", "status")[:50])
                self.slowest = max(self.slowest, time.perf_counter() - started)
                self.reads += 1
                time.sleep(0.05)
        finally:
            connection.close()


def run_purge(now, batch_size: int, rows: int, *, read: bool = True) -> dict:
    from django.db import connection

    from sanbao.claims.models import Claim
    from sanbao.core.retention import purge_expired

    timer, reader = StatementTimer(), Reader()
    if read:
        reader.start()
    started = time.perf_counter()
    with connection.execute_wrapper(timer):
        (report,) = purge_expired(now=now, batch_size=batch_size, kinds=["claims"])
    elapsed = time.perf_counter() - started
    reader.stop.set()
    if read:
        reader.join()
    left = Claim.objects.filter(anonymised_at__isnull=True).count()
    if report.anonymised != rows or left:
        raise SystemExit(f"the purge anonymised {report.anonymised} of {rows}, {left} left")
    return {
        "purge_s": elapsed,
        "batches": report.batches,
        "statements": timer.count,
        "longest_statement_s": timer.longest,
        "longest_statement": timer.longest_sql,
        "reader_reads": reader.reads,
        "reader_slowest_s": reader.slowest,
    }


def run_floor(sql: str, params) -> float:
    from django.db import connection, transaction

    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)
    return time.perf_counter() - started


def main(argv=None) -> int:
    args = parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="sanbao-bench-") as tmpdir:
        setup_django(tmpdir)
        from django.db import connection
        from django.test.utils import setup_databases, teardown_databases
        from django.utils import timezone

        from sanbao.claims.models import Claim

        test_settings = connection.settings_dict.setdefault("TEST", {})
        if connection.vendor == "sqlite":
            test_settings["NAME"] = str(Path(tmpdir) / "bench.sqlite3")
        else:
            test_settings["NAME"] = f"sanbao_bench_{os.getpid()}"
        old_config = setup_databases(verbosity=0, interactive=False)
        try:
            ids = seed()
            now = timezone.now()
            closed = now - dt.timedelta(days=400)
            table = connection.ops.quote_name(Claim._meta.db_table)
            where = "WHERE status = %s AND closed_at < %s"
            params = ["closed", now - dt.timedelta(days=183)]

            insert_claims(args.rows, ids, closed)
            snapshot()
            restore()
            purge = run_purge(now, args.batch_size, args.rows, read=not args.no_reader)

            restore()
            update_s = run_floor(
                f"UPDATE {table} SET consumer_name = '', consumer_phone = '—', "
                f"fault_description = '', judgement_note = '', resolution_note = '', "
                f"anonymised_at = %s {where}",
                [now, *params],
            )

            restore()
            delete_s = run_floor(f"DELETE FROM {table} {where}", params)
        finally:
            teardown_databases(old_config, verbosity=0)

    result = {
        "database": connection.vendor,
        "rows": args.rows,
        "batch_size": args.batch_size,
        "delete_floor_s": round(delete_s, 3),
        "update_floor_s": round(update_s, 3),
        **{k: round(v, 3) if isinstance(v, float) else v for k, v in purge.items()},
        "purge_over_delete_time": round(purge["purge_s"] / delete_s, 2),
        "purge_over_update_time": round(purge["purge_s"] / update_s, 2),
    }
    if args.json:
        print(json.dumps(result))
        return 0
    print(
        f"purge benchmark: {args.rows} expired claims on {connection.vendor}, "
        f"batches of {args.batch_size}"
    )
    print(f"  floor, one bulk DELETE:         {delete_s:8.2f} s")
    print(f"  floor, one UPDATE of all rows:  {update_s:8.2f} s")
    print(
        f"  purge (purge_expired):          {purge['purge_s']:8.2f} s  "
        f"{purge['batches']} batches, {purge['statements']} statements"
    )
    print(
        f"  longest purge statement:        {purge['longest_statement_s']:8.3f} s  "
        f"({purge['longest_statement']} …)"
    )
    print(
        f"  a page's read meanwhile:        {purge['reader_slowest_s']:8.3f} s at worst "
        f"({purge['reader_reads']} reads)"
    )
    print(f"  purge/DELETE time ratio:        {result['purge_over_delete_time']:8.2f}")
    print(f"  purge/UPDATE time ratio:        {result['purge_over_update_time']:8.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
