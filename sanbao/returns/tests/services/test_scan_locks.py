"""What the scan's write waits for on PostgreSQL (IV.1, IV.3, issue 14): it locks
its batch's row shared, so scans of one batch do not wait for each other, while the
receipt's close (which holds the row exclusively) and a scan wait for each other;
a scan that waited re-checks the batch, and a label counted meanwhile by another
scanner is answered as counted. Each case is staged with two real connections: the
test's own, inside a transaction it keeps open, and a scanner's or closer's thread;
the test lets go only once PostgreSQL shows the other one waiting for a lock."""

from __future__ import annotations

import threading
import time

import pytest
from django.db import connection, connections, transaction

from sanbao.core.errors import Conflict
from sanbao.returns import services
from sanbao.returns.models import BatchStatus, ReceiptScan
from sanbao.returns.tests.conftest import labels, reload

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="row locks: SQLite has one write lock"
    ),
    pytest.mark.django_db(transaction=True),
]


def in_thread(work) -> tuple[threading.Thread, list]:
    """Run ``work`` on a thread of its own (its own connection); what it returned,
    or the code of the domain error it raised, lands in the list."""
    outcome: list = []

    def run():
        try:
            outcome.append(work())
        except Conflict as exc:
            outcome.append(exc.code)
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    return thread, outcome


def wait_until_someone_waits_for_a_lock(timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute("SELECT count(*) FROM pg_locks WHERE NOT granted")
            if cursor.fetchone()[0]:
                return
            time.sleep(0.02)
    pytest.fail("nobody waited for a lock")


def test_a_scan_waiting_for_the_close_is_refused_once_the_receipt_is_closed(
    platform_staff, receiving_of_agent_a
):
    batch, code = receiving_of_agent_a, labels(receiving_of_agent_a)[0]
    with transaction.atomic():
        services.receipt_close(batch=batch, actor=platform_staff, received_boxes=1)
        scanner, outcome = in_thread(
            lambda: services.receipt_scan(batch=batch.number, actor=platform_staff, code=code)
        )
        wait_until_someone_waits_for_a_lock()
    scanner.join(timeout=30)
    assert outcome == ["returns.changed_meanwhile"]
    assert not ReceiptScan.objects.filter(batch=batch).exists()
    assert reload(batch).received_units == 0


def test_the_close_waits_for_a_scan_under_way_and_counts_it(platform_staff, receiving_of_agent_a):
    batch, code = receiving_of_agent_a, labels(receiving_of_agent_a)[0]
    with transaction.atomic():
        scanned = services.receipt_scan(batch=batch.number, actor=platform_staff, code=code)
        closer, outcome = in_thread(
            lambda: services.receipt_close(
                batch=reload(batch), actor=platform_staff, received_boxes=1
            )
        )
        wait_until_someone_waits_for_a_lock()
    closer.join(timeout=30)
    assert scanned.created and len(outcome) == 1
    closed = reload(batch)
    assert closed.status == BatchStatus.ON_HOLD  # two of the three units never came
    assert closed.received_units == 1


def test_a_label_counted_meanwhile_by_another_scanner_is_answered_as_counted(
    platform_staff, receiving_of_agent_a
):
    batch, code = receiving_of_agent_a, labels(receiving_of_agent_a)[0]
    with transaction.atomic():
        first = services.receipt_scan(batch=batch.number, actor=platform_staff, code=code, box_no=3)
        # The other scanner reads before this one commits, so its write is the
        # one that finds the label there.
        scanner, outcome = in_thread(
            lambda: services.receipt_scan(batch=batch.number, actor=platform_staff, code=code)
        )
        wait_until_someone_waits_for_a_lock()
    scanner.join(timeout=30)
    (second,) = outcome
    assert first.created and not second.created
    assert (second.id, second.box_no, second.scanned_at) == (
        first.id,
        3,
        first.scanned_at,
    )
    assert (second.line_no, second.model) == (first.line_no, first.model) == (1, "PB10K")
    assert ReceiptScan.objects.filter(batch=batch).count() == 1


def test_scans_of_one_batch_do_not_wait_for_each_other(platform_staff, receiving_of_agent_a):
    batch = receiving_of_agent_a
    first_code, second_code = labels(batch)[:2]
    with transaction.atomic():
        services.receipt_scan(batch=batch.number, actor=platform_staff, code=first_code)
        scanner, outcome = in_thread(
            lambda: services.receipt_scan(
                batch=batch.number, actor=platform_staff, code=second_code
            )
        )
        scanner.join(timeout=30)
        waited = scanner.is_alive()  # still waiting for this transaction
    scanner.join(timeout=30)
    assert not waited
    assert [result.created for result in outcome] == [True]
    assert ReceiptScan.objects.filter(batch=batch).count() == 2
