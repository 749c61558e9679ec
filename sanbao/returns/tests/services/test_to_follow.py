"""IV.6: delayed units stay visible until they ship: a "still to follow" list per
return unit, and their batch stays in the turnaround queue after the rest of it
has gone back."""

from __future__ import annotations

import pytest

from sanbao.returns import selectors, services
from sanbao.returns.models import BatchStatus
from sanbao.returns.tests.conftest import (
    pb_lines,
    reload,
    settle_all,
    shipped,
    under_test,
)


def _queue(staff) -> list[str]:
    return [b.number for b in selectors.turnaround_queue(actor=staff)]


@pytest.mark.clause("IV.6")
def test_a_delayed_unit_stays_in_the_queue_and_on_its_return_units_list_until_it_ships(
    clock, agent_a_clerk, agent_b_clerk, platform_staff, pb10k
):
    clock.set("2026-03-02")
    batch = under_test(agent_a_clerk, platform_staff, pb_lines(3))
    first, second, late = batch.units.order_by("seq")
    clock.set("2026-03-03")  # by the due date: the delay is excused
    services.unit_delay(unit=late, actor=platform_staff, reason="parts_shortage")
    settle_all(batch, platform_staff, units=[first, second])
    shipped(batch, platform_staff, units=[first, second])
    batch = reload(batch)
    assert batch.status == BatchStatus.DELAYED

    # The batch is still in the queue, after every batch whose clock runs.
    assert batch.number in _queue(platform_staff)
    to_follow = selectors.units_to_follow(actor=platform_staff, return_org="AG-A")
    assert [u.code for u in to_follow] == [late.code]
    assert [u.code for u in selectors.units_to_follow(actor=agent_a_clerk)] == [late.code]
    assert list(selectors.units_to_follow(actor=agent_b_clerk)) == []
    assert list(selectors.units_to_follow(actor=platform_staff, return_org="AG-B")) == []

    late.refresh_from_db()
    services.unit_test(unit=late, actor=platform_staff, result="no_fault_found", evidence="OK")
    services.unit_dispose(unit=late, actor=platform_staff, disposition="returned_as_is")
    # Ready and even in a prepared shipment, it is still to follow until that leaves.
    shipment = services.shipment_create(
        actor=platform_staff, return_org_code="AG-A", unit_ids=[late.pk], order_no="PO-1"
    )
    assert [u.code for u in selectors.units_to_follow(actor=platform_staff)] == [late.code]
    services.shipment_dispatch(shipment=shipment, actor=platform_staff, waybill_no="SF1")
    assert list(selectors.units_to_follow(actor=platform_staff)) == []
    assert batch.number not in _queue(platform_staff)


@pytest.mark.clause("IV.6")
def test_the_queue_lists_batches_with_units_to_follow_after_those_whose_clock_runs(
    clock, agent_a_clerk, platform_staff, pb10k
):
    clock.set("2026-03-02")
    delayed = under_test(agent_a_clerk, platform_staff, pb_lines(1))
    services.batch_delay(batch=delayed, actor=platform_staff, reason="force_majeure")
    clock.set("2026-03-04")
    running = under_test(agent_a_clerk, platform_staff, pb_lines(1))
    assert _queue(platform_staff) == [running.number, delayed.number]
