"""bench/suite.py: it refuses to run without PostgreSQL, and on PostgreSQL a tiny
run goes through every scenario (figures reported, never asserted)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
SUITE = ROOT / "bench" / "suite.py"


def run_suite(*args: str, env: dict, timeout: int = 240) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(SUITE), *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


@pytest.mark.parametrize("url", ["", "sqlite:///var/bench.sqlite3"])
def test_it_refuses_to_run_without_postgresql(url):
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    if url:
        env["DATABASE_URL"] = url
    done = run_suite("--rows", "10", env=env, timeout=60)
    assert done.returncode == 2
    assert "needs DATABASE_URL pointing at PostgreSQL" in done.stderr
    assert not done.stdout


def test_no_documents_is_refused_before_anything_is_made():
    """``--documents 0`` got as far as generating the data and then failed making an
    empty packing list; the generator needs at least one line."""
    done = run_suite("--rows", "10", "--documents", "0", env=dict(os.environ), timeout=60)
    assert done.returncode == 2
    assert "--documents: at least 1" in done.stderr
    assert not done.stdout


@pytest.mark.slow
@pytest.mark.django_db
def test_a_tiny_run_goes_through_every_scenario_and_leaves_no_database(tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("the benchmark runs on PostgreSQL only")
    settings = connection.settings_dict
    url = f"postgres://{settings['USER']}@{settings['HOST']}:{settings['PORT']}/postgres"
    prefix = f"hbnsmoke{os.getpid()}"
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("SANBAO_", "DJANGO_"))},
        "DATABASE_URL": url,
        "SANBAO_BENCH_DB_PREFIX": prefix,
    }
    out = tmp_path / "bench.json"
    done = run_suite(
        "--rows", "100", "--clients", "1,2", "--seconds", "1", "--max-requests", "5",
        "--scans", "20", "--scan-seconds", "2", "--documents", "50", "--json", str(out),
        "--page-requests", "4", "--page-seconds", "5",
        env=env,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    report = json.loads(out.read_text())
    (size,) = report["results"]
    assert size["database_counts"]["units"] == 100
    for scenario in ("intake", "batch", "scan", "queue", "claims_list", "lookup"):
        runs = size["scenarios"][scenario]
        assert [r["clients"] for r in runs] == [1, 2]
        for r in runs:
            assert r["ops"] > 0 and r["failed"] == 0, (scenario, r["errors"])
            assert r["statements"] >= 1 and r["floor"]["ops"] > 0
    assert all(r["exact"]["ok"] for r in size["scenarios"]["scan"])
    # The pages, read in a signed-in browser's session: each answered, none redirected
    # to the login page (a 302 counts as failed), within its count of requests.
    from bench.suite import PAGES

    for page in (p for p in PAGES if p != "dashboard"):
        runs = size["scenarios"][page]
        assert [r["clients"] for r in runs] == [1, 2]
        for r in runs:
            assert r["ops"] == 4 and r["failed"] == 0, (page, r["errors"])
            assert r["statements"] >= 1 and r["floor"] is None
    assert size["scenarios"]["dashboard"][0]["failed"] == 0
    assert size["import"]["rows"] == 100 and size["documents"]["labels"] == 50
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_database WHERE datname LIKE %s", [prefix + "%"])
        assert cursor.fetchone()[0] == 0
