#!/usr/bin/env python3
"""The benchmark suite (issue 14, `make bench`): Sanbao served as in production,
each scenario beside a floor measured in the same run.

For each size in --rows it creates a scratch PostgreSQL database on the server
DATABASE_URL names (a random name, dropped at the end, also on Ctrl-C), migrates
it, fills it with bench/generate.py, and starts gunicorn (2 sync workers,
config.settings_production, a random secret, 127.0.0.1 only). Then each HTTP
scenario runs from separate client processes, with 1 and 8 clients, bounded by
--seconds and --max-requests per client; its floor runs the same way with
psycopg. Import and documents are timed in a Django process of their own.

Printed per scenario: operations/s, p50/p95/p99 latency, the gunicorn workers' own
CPU milliseconds per operation (/proc/<pid>/stat), SQL statements per request
(X-Sanbao-Queries, SANBAO_QUERY_COUNT_HEADER on) and the ratio to the floor. A
JSON file (--json, default var/bench/<timestamp>.json) keeps everything. Nothing
else is written; bench/README.md describes the scenarios and their floors.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres python bench/suite.py

Environment: SANBAO_BENCH_PORTS=FIRST-LAST takes the server's port from that
range (default: any free port); SANBAO_BENCH_DB_PREFIX names the scratch
databases (default sanbao_bench)."""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import json
import multiprocessing
import os
import platform
import signal
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
for path in (str(ROOT), str(ROOT / "bench")):
    if path not in sys.path:
        sys.path.insert(0, path)

from ops.prod_check import (  # noqa: E402
    CannotStart,
    Stack,
    manage,
    postgres_url,
    production_env,
    scratch_stack,
)

PYTHON = sys.executable
HOST = "127.0.0.1"  # every request loop targets this address and no other
CLK_TCK = os.sysconf("SC_CLK_TCK")
BATCH_LINES = 20
SCAN_REPEAT_EVERY = 5
# Before the measured runs every scenario runs briefly from two clients, so that no
# figure includes a worker's first requests (imports, caches, connections).
WARM, WARM_CLIENTS, WARM_REQUESTS = (
    "warm",
    2,
    10,
)  # every fifth scan repeats the label scanned three before it

HTTP_SCENARIOS = ["intake", "batch", "scan", "queue", "claims_list", "lookup"]
# Issue 15: the pages people open every morning, read in a browser's session (no
# floor: the target is an answer within 300 ms at the 95th percentile).
PAGES = {
    # scenario -> (path, whose session)
    "home_staff": ("/", "staff"),
    "home_agent": ("/", "agent"),
    "home_outlet": ("/", "outlet"),
    "home_commissioner": ("/", "commissioner"),
    "queue_page": ("/returns/queue/", "staff"),
    "batches_page": ("/returns/", "staff"),
    "claims_page": ("/claims/", "staff"),
    "outlet_claims_page": ("/claims/?status=to_judge", "outlet"),
    "agent_batches_page": ("/returns/", "agent"),
    "anomalies_page": ("/returns/anomalies/", "staff"),
    "to_follow_page": ("/returns/to-follow/", "staff"),
    "shipments_page": ("/returns/shipments/", "staff"),
    "declarations_page": ("/deliveries/declarations/", "commissioner"),
    "deliveries_page": ("/deliveries/", "staff"),
    "units_page": ("/catalog/units/", "staff"),
    "audit_page": ("/audit/", "admin"),
    "dashboard": ("/dashboard/", "staff"),
}
READS = {
    # scenario -> (path, which token)
    "queue": ("/api/v1/turnaround-queue", "staff"),
    "claims_list": ("/api/v1/claims?status=submitted&page_size=50", "staff"),
    "lookup": ("/api/v1/units/{serial}", "staff"),
}


# --- Client processes ------------------------------------------------------------------


def _percentile(values: list[float], share: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


class HttpClient:
    """One client's connection to the server; gunicorn's sync workers close it
    after each answer, so it reconnects as a browser would."""

    def __init__(self, port: int, token: str | None = None, cookie: str | None = None):
        self.port = port
        self.headers = {"Host": HOST, "X-Forwarded-Proto": "https"}
        if token:
            self.headers |= {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
        if cookie:
            self.headers["Cookie"] = cookie
        self.conn = None

    def request(self, method: str, path: str, body=None) -> tuple[int, bytes, int]:
        data = json.dumps(body).encode() if body is not None else None
        for attempt in (1, 2):
            if self.conn is None:
                self.conn = http.client.HTTPConnection(HOST, self.port, timeout=60)
            try:
                self.conn.request(method, path, body=data, headers=self.headers)
                response = self.conn.getresponse()
                payload = response.read()
            except (ConnectionError, http.client.HTTPException):
                self.conn.close()
                self.conn = None
                if attempt == 2:
                    raise
                continue
            queries = int(response.getheader("X-Sanbao-Queries") or -1)
            if response.getheader("Connection", "").lower() == "close" or response.will_close:
                self.conn.close()
                self.conn = None
            return response.status, payload, queries
        raise AssertionError("unreachable")


def scan_sequence(codes: list[str], count: int) -> list[str]:
    """``count`` scans of ``codes``: new labels in order, every fifth scan a repeat
    of the one three before it (a label that slid back under the scanner)."""
    out, fresh = [], iter(codes)
    for i in range(count):
        if i % SCAN_REPEAT_EVERY == SCAN_REPEAT_EVERY - 1 and len(out) >= 3:
            out.append(out[-3])
        else:
            code = next(fresh, None)
            if code is None:
                break
            out.append(code)
    return out


def _http_op(scenario: str, spec: dict, client: int, i: int, http: HttpClient):
    """One operation; returns (ok, statements, detail)."""
    if scenario == "intake":
        serial = spec["serials"][client * spec["max_requests"] + i]
        status, body, q = http.request(
            "POST",
            "/api/v1/claims",
            {
                "serial": serial,
                "consumer_name": "Bench consumer",
                "consumer_phone": f"138{client:02d}{i:06d}",
                "fault_kind": "no_sound",
                "fault_description": "No sound from the left earbud.",
                "proof_of_purchase_no": f"INV-{client}-{i}",
            },
        )
        return status == 201, q, None if status == 201 else f"{status} {body[:200]!r}"
    if scenario == "batch":
        lines = [
            {"model_code": "HPT1", "quantity": 1, "fault": "No sound", "box_no": 1 + n % 2}
            for n in range(BATCH_LINES)
        ]
        status, body, q = http.request(
            "POST",
            "/api/v1/batches",
            {
                "declared_units": BATCH_LINES,
                "declared_boxes": 2,
                "packed_on": dt.date.today().isoformat(),
                "contact_person": "Bench",
                "contact_phone": "13800000000",
                "lines": lines,
            },
        )
        if status != 201:
            return False, q, f"create {status} {body[:200]!r}"
        number = json.loads(body)["number"]
        status2, body2, q2 = http.request("POST", f"/api/v1/batches/{number}/submit")
        return (
            status2 == 200,
            q + q2,
            None if status2 == 200 else f"submit {status2} {body2[:200]!r}",
        )
    if scenario == "scan":
        code = spec["sequences"][client][i]
        status, body, q = http.request(
            "POST", f"/api/v1/batches/{spec['batches'][client]}/scans", {"code": code}
        )
        return status in (200, 201), q, status
    if scenario in PAGES:
        status, body, q = http.request("GET", PAGES[scenario][0])
        return status == 200, q, None if status == 200 else f"{status} {body[:200]!r}"
    path, _who = READS[scenario]
    if "{serial}" in path:
        serials = spec["serials"]
        path = path.format(serial=serials[(client * 7919 + i * 31) % len(serials)])
    status, body, q = http.request("GET", path)
    return status == 200, q, None if status == 200 else f"{status} {body[:200]!r}"


def _floor_op(scenario: str, spec: dict, client: int, i: int, conn):
    """The floor's operation on a psycopg connection in autocommit."""
    if scenario == "intake":
        row = dict(spec["claim_row"], number=f"F{client:02d}{i:07d}")
        conn.execute(spec["claim_sql"], list(row.values()))
    elif scenario == "batch":
        with conn.transaction():
            row = dict(spec["batch_row"], number=f"F{client:02d}{i:07d}")
            batch_id = conn.execute(spec["batch_sql"], list(row.values())).fetchone()[0]
            with conn.cursor() as cur:
                cur.executemany(
                    spec["line_sql"],
                    [
                        list(dict(spec["line_row"], batch_id=batch_id, line_no=n + 1).values())
                        for n in range(BATCH_LINES)
                    ],
                )
    elif scenario == "scan":
        code = spec["sequences"][client][i]
        row = dict(spec["scan_row"], batch_id=spec["batch_ids"][client], code=code)
        conn.execute(spec["scan_sql"], list(row.values()))
    else:
        for sql in spec["statements"][scenario]:
            cur = conn.execute(sql)
            if cur.description is not None:
                cur.fetchall()
    return True, None, None


def _client(kind, scenario, spec, client, deadline_s, max_requests, start, results):
    import psycopg
    from psycopg.types.json import Jsonb

    latencies, statements, errors, details = [], [], [], {}
    limit = max_requests
    if scenario == "scan":
        limit = min(limit, len(spec["sequences"][client]))
    if kind == "http" and scenario in PAGES:
        worker = HttpClient(spec["port"], cookie=spec["cookies"][PAGES[scenario][1]])
    elif kind == "http":
        token = spec["tokens"][client]
        worker = HttpClient(spec["port"], token)
    else:
        worker = psycopg.connect(spec["url"], autocommit=True)
        for key in ("claim_row", "batch_row", "line_row", "scan_row"):
            if key in spec:
                spec[key] = {
                    k: Jsonb(v) if isinstance(v, dict | list) else v for k, v in spec[key].items()
                }
    start.wait()
    began = time.monotonic()
    deadline = began + deadline_s
    done = 0
    for i in range(limit):
        if time.monotonic() >= deadline:
            break
        t = time.perf_counter()
        try:
            if kind == "http":
                ok, q, detail = _http_op(scenario, spec, client, i, worker)
            else:
                ok, q, detail = _floor_op(scenario, spec, client, i, worker)
        except Exception as exc:  # reported, and the client goes on
            ok, q, detail = False, None, f"{type(exc).__name__}: {exc}"
        latencies.append((time.perf_counter() - t) * 1000)
        done += 1
        if q is not None and q >= 0:
            statements.append(q)
        if not ok:
            errors.append(str(detail)[:300])
        elif scenario == "scan" and kind == "http":
            details[str(detail)] = details.get(str(detail), 0) + 1
    ended = time.monotonic()
    if kind != "http":
        worker.close()
    results.put(
        {
            "client": client,
            "began": began,
            "ended": ended,
            "ops": done,
            "latencies": latencies,
            "statements": statements,
            "errors": errors[:5],
            "error_count": len(errors),
            "statuses": details,
        }
    )


def run_clients(kind: str, scenario: str, spec: dict, clients: int, seconds, max_requests):
    """``clients`` processes doing ``scenario`` together; their figures combined."""
    ctx = multiprocessing.get_context("fork")
    start, results = ctx.Event(), ctx.Queue()
    procs = [
        ctx.Process(
            target=_client,
            args=(kind, scenario, spec, c, seconds, max_requests, start, results),
            daemon=True,
        )
        for c in range(clients)
    ]
    for p in procs:
        p.start()
    time.sleep(0.3)
    start.set()
    parts = [results.get(timeout=seconds + 300) for _ in procs]
    for p in procs:
        p.join(timeout=30)
    latencies = [x for part in parts for x in part["latencies"]]
    statements = [x for part in parts for x in part["statements"]]
    ops = sum(part["ops"] for part in parts)
    failed = sum(part["error_count"] for part in parts)
    wall = max(p["ended"] for p in parts) - min(p["began"] for p in parts)
    statuses: dict[str, int] = {}
    for part in parts:
        for k, v in part["statuses"].items():
            statuses[k] = statuses.get(k, 0) + v
    return {
        "clients": clients,
        "ops": ops,
        "failed": failed,
        "errors": [e for part in parts for e in part["errors"]][:5],
        "seconds": round(wall, 3),
        "per_s": round((ops - failed) / wall, 1) if wall > 0 else None,
        "p50_ms": _round(_percentile(latencies, 0.50)),
        "p95_ms": _round(_percentile(latencies, 0.95)),
        "p99_ms": _round(_percentile(latencies, 0.99)),
        "statements": round(statistics.mean(statements), 1) if statements else None,
        "per_client_ops": [p["ops"] for p in sorted(parts, key=lambda p: p["client"])],
        "statuses": statuses,
    }


def _round(value):
    return None if value is None else round(value, 2)


# --- The server ------------------------------------------------------------------------


def worker_pids(master: int) -> list[int]:
    pids = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2 :].split()
        if int(fields[1]) == master:
            pids.append(int(entry.name))
    return pids


def cpu_ms(pids: list[int]) -> float:
    """utime + stime of ``pids`` in milliseconds (their own, not their children's)."""
    total = 0
    for pid in pids:
        try:
            stat = Path(f"/proc/{pid}/stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2 :].split()
        total += int(fields[11]) + int(fields[12])
    return total * 1000 / CLK_TCK


def start_server(stack: Stack, env: dict, name: str) -> tuple[int, int]:
    port = stack.free_port()
    process = stack.start(
        name,
        [
            PYTHON,
            "-m",
            "gunicorn",
            "config.wsgi:application",
            "--bind",
            f"{HOST}:{port}",
            "--workers",
            "2",
            "--worker-class",
            "sync",
            "--timeout",
            "120",
            "--name",
            "sanbao-bench",
        ],
        env=env,
    )
    stack.wait_for_port(name, process, port, timeout=90)
    deadline = time.monotonic() + 30
    while len(worker_pids(process.pid)) < 2 and time.monotonic() < deadline:
        time.sleep(0.1)
    return port, process.pid


def stop_server(stack: Stack, name: str) -> None:
    for label, process in stack.processes:
        if label == name and process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=30)


# --- Django work in a process of its own (one database per size) ---------------------


def django_phase(env: dict, phase: str, out: Path, args: list[str]) -> dict:
    result = subprocess.run(
        [PYTHON, str(Path(__file__).resolve()), "--phase", phase, "--out", str(out), *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=3600,
    )
    if result.stdout.strip():
        print(result.stdout.rstrip(), flush=True)
    if result.returncode != 0:
        raise CannotStart(f"phase {phase} failed:\n{result.stderr[-4000:]}")
    return json.loads(out.read_text())


def phase_prepare(
    out: Path, rows: int, clients: list[int], max_requests: int, scans: int, documents: int
):
    """Generate the data; capture each read scenario's SQL; the floors' rows."""
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from bench.generate import generate

    runs = {f"c{k}": k for k in clients}
    runs[WARM] = WARM_CLIENTS
    started = time.monotonic()
    gen = generate(
        rows,
        clients=max(clients),
        runs=runs,
        intake_per_client=max_requests,
        scans_per_client={name: max(1, scans // k) for name, k in runs.items()},
        document_lines=documents,
    )
    print(f"  generated {gen.counts} [{time.monotonic() - started:.1f}s]", flush=True)
    http = Client(HTTP_HOST=HOST, headers={"X-Forwarded-Proto": "https"})
    statements = {}
    for scenario, (path, _who) in READS.items():
        path = path.format(serial=gen.serials[len(gen.serials) // 2])
        headers = {"Authorization": f"Bearer {gen.staff_tokens[0]}"}
        http.get(path, headers=headers)  # a first request warms what a first one does
        with CaptureQueriesContext(connection) as captured:
            answer = http.get(path, headers=headers)
        if answer.status_code != 200:
            raise SystemExit(f"{scenario}: {answer.status_code} {answer.content[:300]!r}")
        statements[scenario] = [
            q["sql"]
            for q in captured.captured_queries
            if not q["sql"].upper().startswith(("SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK"))
        ]
    from django.conf import settings
    from django.contrib.auth import get_user_model

    # The pages' sessions: one signed-in browser each, made the way a login makes it.
    cookies = {}
    signed_in = {
        "staff": "staff",
        "agent": "agent_sz",
        "outlet": "outlet",
        "commissioner": "service",
        "admin": "admin",
    }
    for who, username in signed_in.items():
        browser = Client(HTTP_HOST=HOST)
        browser.force_login(get_user_model().objects.get(username=username))
        cookie = browser.cookies[settings.SESSION_COOKIE_NAME]
        cookies[who] = f"{settings.SESSION_COOKIE_NAME}={cookie.value}"
    from bench.generate import as_json

    out.write_text(
        json.dumps(
            {
                "generated": json.loads(as_json(gen)),
                "statements": statements,
                "cookies": cookies,
            }
        )
    )


def phase_inprocess(out: Path, rows: int, documents_batch: str, labels_batch: str):
    """The unit import (the service against COPY of the same CSV) and the documents
    (the renderers, and bare ReportLab drawing the labels' calls)."""
    import django

    django.setup()
    import bench_import
    from django.conf import settings
    from django.db import connection

    from sanbao.catalog.importing import rows_csv

    result = {}
    settings.SANBAO_IMPORT_MAX_ROWS = max(settings.SANBAO_IMPORT_MAX_ROWS, rows)
    bench_import.seed_catalog()
    data = rows_csv(bench_import.make_rows(rows))
    header = data.split(b"\n", 1)[0].decode().strip().split(",")
    types = {"sale_date": "date"}
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE bench_floor_units (id bigserial PRIMARY KEY, "
            + ", ".join(f"{c} {types.get(c, 'text')}" for c in header)
            + ")"
        )
    started = time.perf_counter()
    with connection.cursor() as cursor:
        sql = f"COPY bench_floor_units ({', '.join(header)}) FROM STDIN (FORMAT csv, HEADER true)"
        with cursor.cursor.copy(sql) as copy:
            copy.write(data)
    copy_s = time.perf_counter() - started
    service_s, phases = bench_import.run_service(data, rows)
    result["import"] = {
        "rows": rows,
        "service_s": round(service_s, 3),
        "floor_s": round(copy_s, 3),
        "ratio": round(service_s / copy_s, 1),
        **{k: round(v, 3) for k, v in phases.items()},
    }
    print(f"  import {result['import']}", flush=True)

    from sanbao.returns.documents import labels_of, labels_pdf, packing_list_pdf
    from sanbao.returns.models import ReturnBatch

    batch = ReturnBatch.objects.get(number=labels_batch)
    started = time.perf_counter()
    pdf = labels_pdf(batch)
    labels_s = time.perf_counter() - started
    labels = labels_of(batch)
    floor_s = bare_labels([label.code for label in labels], [label.fault for label in labels])
    batch = ReturnBatch.objects.get(number=documents_batch)
    lines = batch.lines.count()
    started = time.perf_counter()
    packing = packing_list_pdf(batch)
    packing_s = time.perf_counter() - started
    result["documents"] = {
        "labels": len(labels),
        "labels_s": round(labels_s, 3),
        "labels_bytes": len(pdf),
        "labels_floor_s": round(floor_s, 3),
        "labels_ratio": round(labels_s / floor_s, 2),
        "packing_lines": lines,
        "packing_list_s": round(packing_s, 3),
        "packing_list_bytes": len(packing),
    }
    print(f"  documents {result['documents']}", flush=True)
    out.write_text(json.dumps(result))


def bare_labels(codes: list[str], faults: list[str]) -> float:
    """The labels' marks in bare ReportLab: a 60 × 40 mm page each with five lines of
    text in a built-in font, the same Code 128 and QR code objects the labels use
    (reportlab.graphics.barcode), drawn at fixed places: no font fitting, no
    paragraph, no embedded CJK font. What drawing the same marks costs at least."""
    import io

    from reportlab.graphics.barcode.code128 import Code128
    from reportlab.graphics.barcode.qr import QrCode
    from reportlab.lib.units import mm
    from reportlab.pdfgen import canvas

    started = time.perf_counter()
    buffer = io.BytesIO()
    c = canvas.Canvas(buffer, pagesize=(60 * mm, 40 * mm))
    for code, fault in zip(codes, faults, strict=True):
        c.setFont("Helvetica-Bold", 8.5)
        c.drawString(2 * mm, 36 * mm, code.rsplit("-", 2)[0])
        c.setFont("Helvetica", 7)
        c.drawString(2 * mm, 33 * mm, "HPT1")
        c.drawString(2 * mm, 30 * mm, code)
        c.drawString(2 * mm, 20 * mm, fault[:30])
        bar = Code128(code, barHeight=6.5 * mm, barWidth=0.25 * mm, humanReadable=False)
        bar.drawOn(c, 2 * mm, 4 * mm)
        qr = QrCode(code, width=17 * mm, height=17 * mm, qrLevel="M", qrBorder=4)
        qr.drawOn(c, 41 * mm, 11 * mm)
        c.drawCentredString(30 * mm, 1 * mm, code)
        c.showPage()
    c.save()
    return time.perf_counter() - started


# --- Floors' tables and rows -----------------------------------------------------------


def floor_spec(url: str, gen: dict, statements: dict) -> dict:
    """Plain tables with the same columns as the ones each write scenario fills (no
    index but the key, no constraint, no trigger), and a row of each to insert."""
    import psycopg
    from psycopg.rows import dict_row

    spec = {"url": url, "statements": statements}
    with psycopg.connect(url, autocommit=True, row_factory=dict_row) as conn:
        for name, table, where in (
            ("claim", "claims_claim", "number LIKE 'C0001-%%'"),
            ("batch", "returns_returnbatch", "number LIKE 'R0001-%%'"),
            ("line", "returns_batchline", "true"),
            ("scan", "returns_receiptscan", "true"),
        ):
            floor = f"bench_floor_{name}"
            conn.execute(
                f"CREATE TABLE {floor} (LIKE {table} INCLUDING DEFAULTS INCLUDING IDENTITY)"
            )
            conn.execute(f"ALTER TABLE {floor} ADD PRIMARY KEY (id)")
            row = conn.execute(f"SELECT * FROM {table} WHERE {where} LIMIT 1").fetchone()
            row.pop("id")
            marks = ", ".join(["%s"] * len(row))
            sql = f"INSERT INTO {floor} ({', '.join(row)}) VALUES ({marks})"
            if name == "batch":
                sql += " RETURNING id"
            if name == "scan":
                conn.execute(f"ALTER TABLE {floor} ADD UNIQUE (batch_id, code)")
                sql += " ON CONFLICT (batch_id, code) DO NOTHING"
            spec[f"{name}_row"] = row
            spec[f"{name}_sql"] = sql
    return spec


# --- The run ---------------------------------------------------------------------------


def server_env(stack: Stack, database: str) -> dict:
    return {
        **production_env(stack, database),
        "SANBAO_ALLOWED_HOSTS": HOST,
        # Requests come straight to gunicorn on loopback, marked as HTTPS as nginx does.
        "SANBAO_SSL_REDIRECT": "0",
        "SANBAO_QUERY_COUNT_HEADER": "1",
        "SANBAO_LOG_LEVEL": "WARNING",
        # Generous API limits: the benchmark is one client address sending thousands.
        "SANBAO_IMPORT_MAX_ROWS": "2000000",
    }


def run_size(stack: Stack, rows: int, args) -> dict:
    database = stack.create_database()
    env = server_env(stack, database)
    url = env["DATABASE_URL"]
    t0 = time.monotonic()
    manage(env, "migrate", "--no-input", "-v0", timeout=900)
    manage(env, "createcachetable")
    manage(env, "collectstatic", "--no-input", "-v0")
    print(f"rows {rows:,}: database {database} migrated [{time.monotonic() - t0:.1f}s]", flush=True)
    prepared = django_phase(
        env,
        "prepare",
        stack.tmp / f"prepare-{rows}.json",
        [
            "--rows",
            str(rows),
            "--clients",
            ",".join(map(str, args.clients)),
            "--max-requests",
            str(args.max_requests),
            "--scans",
            str(args.scans),
            "--documents",
            str(args.documents),
        ],
    )
    gen = prepared["generated"]
    spec_floor = floor_spec(url, gen, prepared["statements"])
    port, master = start_server(stack, env, f"gunicorn-{rows}")
    workers = worker_pids(master)
    result = {
        "rows": rows,
        "database_counts": gen["counts"],
        "read_statements": prepared["statements"],
        "scenarios": {},
    }

    def spec_for(scenario, run, k):
        spec = {"port": port, "max_requests": args.max_requests}
        if scenario == "intake":
            spec["tokens"], spec["serials"] = gen["staff_tokens"], gen["intake_serials"][run]
        elif scenario == "batch":
            spec["tokens"] = gen["agent_tokens"]
        elif scenario == "scan":
            per_client = max(1, args.scans // k)
            spec["tokens"] = gen["staff_tokens"]
            spec["batches"] = gen["scan_batches"][run]
            spec["sequences"] = [
                scan_sequence(codes, per_client) for codes in gen["scan_labels"][run]
            ]
        elif scenario in PAGES:
            spec["cookies"] = prepared["cookies"]
        else:
            spec["tokens"], spec["serials"] = gen["staff_tokens"], gen["serials"]
        return spec

    http_scenarios = [*HTTP_SCENARIOS, *PAGES]

    try:
        for scenario in [s for s in http_scenarios if s in args.scenarios]:
            warm = run_clients(
                "http",
                scenario,
                spec_for(scenario, WARM, WARM_CLIENTS),
                WARM_CLIENTS,
                5,
                WARM_REQUESTS,
            )
            if warm["failed"]:
                print(f"  warm-up {scenario}: {warm['failed']} failed {warm['errors']}")
        for scenario in args.scenarios:
            if scenario not in http_scenarios:
                continue
            result["scenarios"][scenario] = []
            for k in args.clients:
                spec = spec_for(scenario, f"c{k}", k)
                seconds = args.scan_seconds if scenario == "scan" else args.seconds
                max_requests = args.max_requests if scenario != "scan" else args.scans
                if scenario in PAGES:
                    # The page target is a p95 over a count of requests, all clients.
                    seconds, max_requests = args.page_seconds, -(-args.page_requests // k)
                workers = worker_pids(master) or workers
                cpu_before = cpu_ms(workers)
                figures = run_clients("http", scenario, spec, k, seconds, max_requests)
                cpu = cpu_ms(workers) - cpu_before
                figures["load_average_1m"] = round(os.getloadavg()[0], 2)
                ok_ops = figures["ops"] - figures["failed"]
                figures["server_cpu_ms_per_op"] = round(cpu / ok_ops, 2) if ok_ops else None
                if scenario == "scan":
                    figures["exact"] = check_scans(url, spec, figures)
                if scenario in PAGES:
                    figures["floor"] = None
                    result["scenarios"][scenario].append(figures)
                    print(line_of(scenario, figures), flush=True)
                    continue
                fspec = dict(spec_floor)
                if scenario == "scan":
                    fspec["sequences"] = spec["sequences"]
                    fspec["batch_ids"] = [-(n + 1) - 100 * k for n in range(k)]
                floor = run_clients("floor", scenario, fspec, k, seconds, max_requests)
                figures["floor"] = {
                    key: floor[key]
                    for key in ("ops", "failed", "errors", "per_s", "p50_ms", "p95_ms", "p99_ms")
                }
                if figures["per_s"] and floor["per_s"]:
                    figures["floor_over_rate"] = round(floor["per_s"] / figures["per_s"], 1)
                if figures["p95_ms"] and floor["p95_ms"]:
                    figures["p95_over_floor"] = round(figures["p95_ms"] / floor["p95_ms"], 1)
                result["scenarios"][scenario].append(figures)
                print(line_of(scenario, figures), flush=True)
    finally:
        stop_server(stack, f"gunicorn-{rows}")
    if {"import", "documents"} & set(args.scenarios):
        result.update(
            django_phase(
                env,
                "inprocess",
                stack.tmp / f"inprocess-{rows}.json",
                [
                    "--rows",
                    str(rows),
                    "--documents-batch",
                    gen["documents_batch"],
                    "--labels-batch",
                    gen["labels_batch"],
                ],
            )
        )
    return result


def check_scans(url: str, spec: dict, figures: dict) -> dict:
    """Every label counted exactly once: the rows of each batch are the distinct
    labels its scanner sent (as far as it got), and the 201 answers are as many."""
    import psycopg

    sent = figures["per_client_ops"]
    expected = sum(len(set(seq[:n])) for seq, n in zip(spec["sequences"], sent, strict=True))
    with psycopg.connect(url, autocommit=True) as conn:
        rows = conn.execute(
            "SELECT count(*) FROM returns_receiptscan s JOIN returns_returnbatch b "
            "ON b.id = s.batch_id WHERE b.number = ANY(%s)",
            [spec["batches"]],
        ).fetchone()[0]
    created = figures["statuses"].get("201", 0)
    return {
        "rows": rows,
        "distinct_sent": expected,
        "created_answers": created,
        "ok": rows == expected == created and figures["failed"] == 0,
    }


def line_of(scenario: str, f: dict) -> str:
    floor = f.get("floor") or {}
    extra = ""
    if "exact" in f:
        extra = f"  exact={'yes' if f['exact']['ok'] else 'NO'} ({f['exact']['rows']} rows)"
    return (
        f"  {scenario:<12} {f['clients']:>2} cl  {f['ops']:>6} ops ({f['failed']} failed)  "
        f"{_fmt(f['per_s']):>8}/s  p50 {_fmt(f['p50_ms'])} p95 {_fmt(f['p95_ms'])} "
        f"p99 {_fmt(f['p99_ms'])} ms  cpu {_fmt(f['server_cpu_ms_per_op'])} ms/op  "
        f"sql {_fmt(f['statements'])}  floor {_fmt(floor.get('per_s'))}/s "
        f"p95 {_fmt(floor.get('p95_ms'))} ms  rate×{_fmt(f.get('floor_over_rate'))} "
        f"p95×{_fmt(f.get('p95_over_floor'))}{extra}"
    )


def _fmt(value) -> str:
    if value is None:
        return "-"
    if isinstance(value, float) and value >= 100:
        return f"{value:,.0f}"
    return f"{value}"


def table(results: list[dict]) -> str:
    head = (
        "| rows | scenario | clients | ops/s | p50 ms | p95 ms | p99 ms | server CPU ms/op "
        "| SQL/req | floor ops/s | floor p95 ms | floor ÷ rate | p95 ÷ floor p95 |"
    )
    out = [head, "|" + " --- |" * 13]
    for size in results:
        for scenario, runs in size["scenarios"].items():
            for f in runs:
                floor = f["floor"] or {}
                name = scenario + (
                    "" if "exact" not in f else (" (exact)" if f["exact"]["ok"] else " (NOT EXACT)")
                )
                out.append(
                    f"| {size['rows']:,} | {name} | {f['clients']} | {_fmt(f['per_s'])} | "
                    f"{_fmt(f['p50_ms'])} | {_fmt(f['p95_ms'])} | {_fmt(f['p99_ms'])} | "
                    f"{_fmt(f['server_cpu_ms_per_op'])} | {_fmt(f['statements'])} | "
                    f"{_fmt(floor.get('per_s'))} | {_fmt(floor.get('p95_ms'))} | "
                    f"{_fmt(f.get('floor_over_rate'))} | {_fmt(f.get('p95_over_floor'))} |"
                )
    lines = ["\n".join(out)]
    for size in results:
        if "import" in size:
            i = size["import"]
            lines.append(
                f"import {i['rows']:,} units: service {i['service_s']} s, COPY floor "
                f"{i['floor_s']} s, ratio {i['ratio']}"
            )
        if "documents" in size:
            d = size["documents"]
            lines.append(
                f"documents: {d['labels']} fault labels {d['labels_s']} s (bare ReportLab "
                f"{d['labels_floor_s']} s, ×{d['labels_ratio']}); packing list of "
                f"{d['packing_lines']} lines {d['packing_list_s']} s"
            )
    return "\n".join(lines)


def machine() -> dict:
    import psycopg

    info = {
        "nproc": os.cpu_count(),
        "platform": platform.platform(),
        "python": platform.python_version(),
    }
    try:
        with psycopg.connect(os.environ["DATABASE_URL"], autocommit=True) as conn:
            info["postgresql"] = conn.execute("SHOW server_version").fetchone()[0]
    except Exception:  # the scratch databases are made through the server's own db
        pass
    return info


def parse_args(argv):
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        epilog=__doc__.split("\n\n", 1)[1],
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    ints = lambda s: [int(x) for x in s.split(",") if x]  # noqa: E731
    parser.add_argument("--rows", type=ints, default=[10_000, 100_000])
    parser.add_argument("--clients", type=ints, default=[1, 8])
    parser.add_argument("--seconds", type=float, default=10, help="per scenario and run")
    parser.add_argument("--max-requests", type=int, default=1000, help="per client")
    parser.add_argument("--scans", type=int, default=10_000, help="scans per run, all clients")
    parser.add_argument("--scan-seconds", type=float, default=60)
    parser.add_argument(
        "--documents", type=int, default=1000, help="fault labels, and packing-list lines"
    )
    parser.add_argument(
        "--scenarios",
        type=lambda s: s.split(","),
        default=[*HTTP_SCENARIOS, *PAGES, "import", "documents"],
    )
    parser.add_argument(
        "--page-requests", type=int, default=200, help="requests per page run, all clients"
    )
    parser.add_argument("--page-seconds", type=float, default=60, help="per page run at most")
    parser.add_argument("--json", type=Path, default=None, help="default var/bench/<time>.json")
    # Internal: the Django phases run in a child process with the scratch database.
    parser.add_argument("--phase", choices=["prepare", "inprocess"], help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--documents-batch", help=argparse.SUPPRESS)
    parser.add_argument("--labels-batch", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.documents < 1:
        # The generator makes the packing list and the labels batch from it.
        parser.error("--documents: at least 1 (fault labels and packing-list lines)")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.phase == "prepare":
        phase_prepare(
            args.out, args.rows[0], args.clients, args.max_requests, args.scans, args.documents
        )
        return 0
    if args.phase == "inprocess":
        phase_inprocess(args.out, args.rows[0], args.documents_batch, args.labels_batch)
        return 0

    url = postgres_url("bench/suite.py")
    if url is None:
        return 2
    stack = scratch_stack(url, "SANBAO_BENCH", "sanbao_bench")
    started = dt.datetime.now(dt.UTC)
    load_before = os.getloadavg()
    results = []
    try:
        for rows in args.rows:
            results.append(run_size(stack, rows, args))
    except CannotStart as exc:
        print(f"bench: cannot run: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("bench: interrupted; stopping the server and dropping the database", flush=True)
        return 130
    finally:
        stack.cleanup()
    report = {
        "started": started.isoformat(timespec="seconds"),
        "finished": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": machine(),
        "load_average_before": [round(x, 2) for x in load_before],
        "load_average_after": [round(x, 2) for x in os.getloadavg()],
        "arguments": {
            "rows": args.rows,
            "clients": args.clients,
            "seconds": args.seconds,
            "max_requests": args.max_requests,
            "scans": args.scans,
            "scan_seconds": args.scan_seconds,
            "documents": args.documents,
        },
        "results": results,
    }
    path = args.json or ROOT / "var" / "bench" / f"{started:%Y%m%dT%H%M%SZ}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(report, indent=1))
    print()
    print(table(results))
    print(
        f"\nmachine {report['machine']}; load average {report['load_average_before']} before, "
        f"{report['load_average_after']} after; JSON: {path}"
    )
    inexact = [
        f for size in results for f in size["scenarios"].get("scan", []) if not f["exact"]["ok"]
    ]
    return 1 if inexact else 0


if __name__ == "__main__":
    sys.exit(main())
