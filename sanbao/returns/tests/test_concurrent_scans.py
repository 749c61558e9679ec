"""Scans are idempotent under concurrency (IV.1, IV.3; the issue's "Done when"):
8 clients scanning the 500 labels of one batch, each label sent twice, end with
exactly 500 units counted.

Each thread has its own ``django.test.Client`` authenticated by a real API token,
so every request runs the whole stack (middleware, token auth, the router, the
service) on its own database connection. All threads start together at a
barrier. Nothing here mocks the database.

SQLite. The test settings put the test database in a file (config/settings_test.py),
as in production: writers wait for each other on the busy timeout with ``BEGIN
IMMEDIATE`` transactions, so this tests the application, not an artefact of the
in-memory shared-cache database (whose table locks fail at once).
"""

from __future__ import annotations

import random
import threading
from collections import Counter

import pytest
from django.db import connection

from sanbao.returns import policy, services
from sanbao.returns.models import ReceiptScan
from sanbao.returns.services import LineIn
from sanbao.returns.tests.conftest import draft

THREADS = 8
LINES, PER_LINE = 50, 10  # 500 labels


def _in_thread(fn):
    """Run ``fn`` on a new thread (a new database connection) and return its result."""
    out = {}

    def run():
        try:
            out["value"] = fn()
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(timeout=30)
    return out.get("value")


@pytest.fixture
def batch_being_received(transactional_db, agent_a_clerk, platform_staff, pb10k):
    lines = [
        LineIn(
            model_code="PB10K",
            quantity=PER_LINE,
            fault="No output",
            box_no=1 + (n - 1) // 25,
            accessories=["data cable"],
        )
        for n in range(1, LINES + 1)
    ]
    batch = draft(agent_a_clerk, lines)
    services.batch_submit(batch=batch, actor=agent_a_clerk)
    services.receipt_open(batch=batch, actor=platform_staff)
    return batch


@pytest.mark.django_db(transaction=True)
def test_threads_share_the_test_database(agent_a_clerk, platform_staff, pb10k):
    batch = draft(agent_a_clerk, [LineIn("PB10K", 1, "No output", 1, accessories=["data cable"])])
    number = batch.number
    assert _in_thread(lambda: ReceiptScan.objects.filter(batch__number=number).count()) == 0
    from sanbao.returns.models import ReturnBatch

    assert _in_thread(lambda: ReturnBatch.objects.filter(number=number).exists()) is True


@pytest.mark.clause("IV.1")
@pytest.mark.clause("IV.3")
@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_eight_clients_scanning_every_label_twice_count_each_label_once(
    batch_being_received, platform_staff
):
    from sanbao.testkit.cast import api_client_for

    batch = batch_being_received
    codes = [
        policy.label_code(batch.number, line, seq)
        for line in range(1, LINES + 1)
        for seq in range(1, PER_LINE + 1)
    ]
    sends = codes * 2
    random.Random(4).shuffle(sends)
    shares = [sends[i::THREADS] for i in range(THREADS)]
    clients = [api_client_for(platform_staff) for _ in range(THREADS)]
    url = f"/api/v1/batches/{batch.number}/scans"
    barrier = threading.Barrier(THREADS)
    answers: list[list[tuple[str, int, bool | None]]] = [[] for _ in range(THREADS)]
    failures: list[BaseException] = []

    def scanner(index: int) -> None:
        client, mine = clients[index], answers[index]
        try:
            barrier.wait(timeout=30)
            for code in shares[index]:
                response = client.post(url, data={"code": code}, content_type="application/json")
                created = response.json().get("created") if response.status_code < 300 else None
                mine.append((code, response.status_code, created))
        except BaseException as exc:  # reported below, not swallowed
            failures.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=scanner, args=(i,)) for i in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not failures, failures
    assert not any(thread.is_alive() for thread in threads)

    every = [answer for mine in answers for answer in mine]
    assert len(every) == 2 * len(codes)
    statuses = Counter(status for _code, status, _created in every)
    assert not [s for s in statuses if s >= 500], statuses
    assert statuses == {201: 500, 200: 500}, statuses
    created_by_code = Counter(code for code, status, _created in every if status == 201)
    assert set(created_by_code) == set(codes)
    assert set(created_by_code.values()) == {1}
    assert all(created is (status == 201) for _code, status, created in every)

    assert ReceiptScan.objects.filter(batch=batch).count() == 500
    counts = api_client_for(platform_staff).get(f"/api/v1/batches/{batch.number}/counts")
    assert counts.status_code == 200
    body = counts.json()
    assert (body["total"], body["declared"]) == (500, 500)
    assert all(line["scanned"] == PER_LINE for line in body["lines"])
    assert {b["box_no"]: b["counted"] for b in body["boxes"]} == {1: 250, 2: 250}
