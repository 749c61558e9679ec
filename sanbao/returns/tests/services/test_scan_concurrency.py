"""Receipt under concurrent scanners (IV.1, IV.3), through the service layer with
real threads and real database connections.

On SQLite the test database is a file (config/settings_test.py): writers wait for
each other on the busy timeout, as in production. On PostgreSQL the writers queue
on the batch's row.
"""

from __future__ import annotations

import random
import threading

import pytest
from django.db import connections

from sanbao.core.errors import Conflict
from sanbao.returns import services
from sanbao.returns.models import BatchStatus, ReceiptScan, ReturnBatch
from sanbao.returns.services import LineIn
from sanbao.returns.tests.conftest import draft, labels, reload

SCANNERS = 8
LINES, PER_LINE = 5, 100  # 500 labels


def five_hundred_units():
    return [
        LineIn(
            model_code="PB10K",
            quantity=PER_LINE,
            fault="No output",
            box_no=n,
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
            start.wait()
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
    batch = draft(agent_a_clerk, five_hundred_units())
    seen = []
    escaped = run_together([lambda: seen.append(ReturnBatch.objects.get(pk=batch.pk).number)])
    assert escaped == [] and seen == [batch.number]


@pytest.mark.clause("IV.1")
@pytest.mark.clause("IV.3")
@pytest.mark.django_db(transaction=True)
def test_eight_scanners_sending_each_of_500_labels_twice_count_exactly_500(
    agent_a_clerk, platform_staff, pb10k
):
    batch = receiving_batch(agent_a_clerk, platform_staff)
    codes = labels(batch) * 2
    random.Random(4).shuffle(codes)
    created: list[bool] = []

    def scanner(share):
        def scan_share():
            for code in share:
                result = services.receipt_scan(batch=batch, actor=platform_staff, code=code)
                created.append(result.created)

        return scan_share

    escaped = run_together([scanner(codes[i::SCANNERS]) for i in range(SCANNERS)])

    assert escaped == []
    assert ReceiptScan.objects.filter(batch=batch).count() == 500
    assert len(set(ReceiptScan.objects.values_list("code", flat=True))) == 500
    assert (created.count(True), created.count(False)) == (500, 500)
    assert services.receipt_counts(reload(batch))["total"] == 500


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
        services.receipt_close(batch=batch, actor=platform_staff, received_boxes=LINES)

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
