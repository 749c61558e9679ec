"""Receipt under concurrent scanners (IV.1, IV.3), with real threads and real
database connections; nothing here mocks the database.

Eight clients scan the 500 labels of one batch, each label sent twice, and end with
exactly 500 units counted. Each client is a ``django.test.Client`` authenticated by
a real API token, so every scan runs the whole stack (middleware, token auth, the
router, ``receipt_scan``) on its thread's own connection. This is the one 500-label
run of the suite: it is the slowest test, and the service-level assertions ride on
it rather than on a second run.

SQLite. The test database is a file (config/settings_test.py), as in production:
writers wait for each other on the busy timeout with ``BEGIN IMMEDIATE``
transactions, so this tests the application, not an artefact of the in-memory
shared-cache database (whose table locks fail at once). On PostgreSQL the writers
queue on the batch's row.
"""

from __future__ import annotations

import random
import threading
from collections import Counter

import pytest
from django.db import connections

from sanbao.core.errors import Conflict
from sanbao.returns import services
from sanbao.returns.models import BatchStatus, ReceiptScan, ReturnBatch
from sanbao.returns.services import LineIn
from sanbao.returns.tests.conftest import draft, labels, reload
from sanbao.testkit.cast import api_client_for

SCANNERS = 8
LINES, PER_LINE = 50, 10  # 500 labels in two boxes of 250


def five_hundred_units():
    return [
        LineIn(
            model_code="PB10K",
            quantity=PER_LINE,
            fault="No output",
            box_no=1 + (n - 1) // 25,
            accessories=["data cable"],
        )
        for n in range(1, LINES + 1)
    ]


def receiving_batch(agent, staff):
    batch = draft(agent, five_hundred_units())
    services.batch_submit(batch=batch, actor=agent)
    return services.receipt_open(batch=batch, actor=staff)


def run_together(work: list) -> list[BaseException]:
    """Run each callable in its own thread, all released at once; each thread
    closes its database connections when done. Returns what escaped them."""
    escaped: list[BaseException] = []
    start = threading.Barrier(len(work))

    def run(fn):
        try:
            start.wait(timeout=30)
            fn()
        except BaseException as exc:  # collected and asserted by the test
            escaped.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(fn,)) for fn in work]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(t.is_alive() for t in threads), "a scanner hung"
    return escaped


@pytest.mark.django_db(transaction=True)
def test_threads_share_the_test_database(agent_a_clerk, pb10k):
    batch = draft(agent_a_clerk, [LineIn("PB10K", 1, "No output", 1, accessories=["data cable"])])
    seen = []

    def look():
        seen.append(ReturnBatch.objects.get(pk=batch.pk).number)
        seen.append(ReturnBatch.objects.filter(number=batch.number).exists())
        seen.append(ReceiptScan.objects.filter(batch__number=batch.number).count())

    escaped = run_together([look])
    assert escaped == [] and seen == [batch.number, True, 0]


@pytest.mark.clause("IV.1")
@pytest.mark.clause("IV.3")
@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_eight_clients_scanning_each_of_500_labels_twice_count_each_label_once(
    agent_a_clerk, platform_staff, pb10k
):
    batch = receiving_batch(agent_a_clerk, platform_staff)
    codes = labels(batch)
    sends = codes * 2
    random.Random(4).shuffle(sends)
    clients = [api_client_for(platform_staff) for _ in range(SCANNERS)]
    url = f"/api/v1/batches/{batch.number}/scans"
    answers: list[list[tuple[str, int, bool | None]]] = [[] for _ in range(SCANNERS)]

    def scanner(index: int):
        def scan_share():
            client, mine = clients[index], answers[index]
            for code in sends[index::SCANNERS]:
                response = client.post(url, data={"code": code}, content_type="application/json")
                created = response.json().get("created") if response.status_code < 300 else None
                mine.append((code, response.status_code, created))

        return scan_share

    escaped = run_together([scanner(i) for i in range(SCANNERS)])

    assert escaped == []
    every = [answer for mine in answers for answer in mine]
    assert len(every) == 2 * len(codes)
    statuses = Counter(status for _code, status, _created in every)
    assert not [s for s in statuses if s >= 500], statuses
    assert statuses == {201: 500, 200: 500}, statuses
    created_by_code = Counter(code for code, status, _created in every if status == 201)
    assert set(created_by_code) == set(codes)
    assert set(created_by_code.values()) == {1}
    assert all(created is (status == 201) for _code, status, created in every)
    created = [created for _code, _status, created in every]
    assert (created.count(True), created.count(False)) == (500, 500)

    assert ReceiptScan.objects.filter(batch=batch).count() == 500
    assert len(set(ReceiptScan.objects.values_list("code", flat=True))) == 500
    assert services.receipt_counts(reload(batch))["total"] == 500
    counts = api_client_for(platform_staff).get(f"/api/v1/batches/{batch.number}/counts")
    assert counts.status_code == 200
    body = counts.json()
    assert (body["total"], body["declared"]) == (500, 500)
    assert all(line["scanned"] == PER_LINE for line in body["lines"])
    assert {b["box_no"]: b["counted"] for b in body["boxes"]} == {1: 250, 2: 250}


@pytest.mark.clause("IV.1")
@pytest.mark.django_db(transaction=True)
def test_closing_the_receipt_while_scanners_work_leaves_no_scan_outside_the_count(
    agent_a_clerk, platform_staff, pb10k
):
    batch = receiving_batch(agent_a_clerk, platform_staff)
    codes = labels(batch)
    refused: list[str] = []
    counted: list[bool] = []
    hundred_counted = threading.Event()

    def scanner(share):
        def scan_share():
            for code in share:
                try:
                    services.receipt_scan(batch=batch, actor=platform_staff, code=code)
                except Conflict as exc:  # the receipt closed meanwhile
                    refused.append(exc.code)
                else:
                    counted.append(True)
                    if len(counted) >= 100:
                        hundred_counted.set()

        return scan_share

    def closer():
        assert hundred_counted.wait(timeout=60)
        services.receipt_close(
            batch=batch, actor=platform_staff, received_boxes=batch.declared_boxes
        )

    work = [scanner(codes[i::4]) for i in range(4)] + [closer]
    escaped = run_together(work)

    assert escaped == []
    batch = reload(batch)
    scans = ReceiptScan.objects.filter(batch=batch).count()
    assert 100 <= scans <= 500
    assert batch.status == (BatchStatus.ON_HOLD if scans < 500 else BatchStatus.RECEIVED)
    assert batch.received_units == scans
    assert sum(batch.lines.values_list("received_quantity", flat=True)) == scans
    assert set(refused) <= {"returns.changed_meanwhile", "returns.move_not_allowed"}
    assert (len(counted), len(refused)) == (scans, 500 - scans)
