"""Delays (IV.6) and shipments with their delivery lists (IV.7): a unit or a whole
batch held back for shortage or force majeure; the rest goes back on time; the
delayed units follow as a backorder released into a later shipment that carries
the return unit's order number; a shipment gathers ready units of one return
unit from one or several batches."""

from __future__ import annotations

import datetime as dt

import pytest

from sanbao.core import numbers
from sanbao.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from sanbao.returns import selectors, services
from sanbao.returns.models import BatchStatus, ReturnedUnit, ShipmentStatus
from sanbao.returns.services.turnaround import turnaround
from sanbao.returns.tests.conftest import (
    events,
    pb_lines,
    received,
    reload,
    settle_all,
    shipped,
    under_test,
)


def units(batch):
    return list(batch.units.order_by("seq"))


def _ready_batch(agent, staff, count=3):
    batch = under_test(agent, staff, pb_lines(count))
    return settle_all(batch, staff)


@pytest.mark.clause("IV.6")
def test_a_batch_with_one_unit_delayed_for_parts_ships_the_rest_on_time_and_the_unit_follows_with_an_order(  # noqa: E501
    clock, agent_a_clerk, platform_staff, pb10k
):
    clock.set("2026-09-30")
    batch = under_test(agent_a_clerk, platform_staff, pb_lines(3))
    first, second, late = units(batch)
    services.unit_delay(
        unit=late, actor=platform_staff, reason="parts_shortage", note="Cells on order"
    )
    settle_all(batch, platform_staff, units=[first, second])
    assert reload(batch).status == BatchStatus.READY  # the delayed unit does not hold it up

    # The delayed unit is not offered until it is dealt with, and then only with an order.
    to_ship = selectors.units_to_ship(actor=platform_staff, return_org="AG-A")
    assert [u.code for u in to_ship] == [first.code, second.code]
    clock.set("2026-10-09")
    one = shipped(batch, platform_staff)
    batch = reload(batch)
    assert batch.status == BatchStatus.DELAYED
    assert (batch.working_days_late, batch.on_time) == (0, True)  # on time, due 10 October

    late.refresh_from_db()
    services.unit_test(unit=late, actor=platform_staff, result="fault_confirmed")
    services.unit_dispose(
        unit=late,
        actor=platform_staff,
        disposition="repaired",
        parts_used=["Battery cell"],
        retained_location="Shelf B-3",
    )
    with pytest.raises(ValidationFailed) as refused:
        services.shipment_create(actor=platform_staff, return_org_code="AG-A", unit_ids=[late.pk])
    assert list(refused.value.fields) == ["order_no"]
    clock.set("2026-10-20")
    two = shipped(batch, platform_staff, units=[late], order_no="PO-2026-1017")
    batch = reload(batch)
    assert batch.status == BatchStatus.SHIPPED
    assert (batch.working_days_late, batch.on_time) == (0, True)  # the delay is excused
    assert (one.order_no, two.order_no) == ("", "PO-2026-1017")
    assert [u.code for u in two.units.all()] == [late.code]
    assert events(batch)[-2:] == ["return_batch.shipped_in_part", "return_batch.shipped"]


@pytest.mark.clause("IV.6")
def test_a_whole_batch_is_delayed_for_force_majeure_and_goes_back_with_an_order(
    clock, agent_a_clerk, platform_staff, pb10k
):
    batch = under_test(agent_a_clerk, platform_staff, pb_lines(2))
    services.batch_delay(
        batch=batch, actor=platform_staff, reason="force_majeure", note="Typhoon closed the port"
    )
    # Nothing can go back yet: the batch waits for its units, and is not overdue.
    batch = reload(batch)
    assert batch.status == BatchStatus.DELAYED
    assert all(u.delay_reason == "force_majeure" for u in units(batch))
    late = turnaround(batch, today=batch.due_on + dt.timedelta(days=30))
    assert (late.overdue, late.delayed) == (False, True)
    assert batch.number in [b.number for b in selectors.turnaround_queue(actor=platform_staff)]
    settle_all(batch, platform_staff)
    shipped(batch, platform_staff, order_no="PO-77")
    batch = reload(batch)
    assert batch.status == BatchStatus.SHIPPED
    assert batch.shipped_at is not None and batch.working_days_late is None
    assert "return_batch.delayed" in events(batch)


@pytest.mark.clause("IV.6")
def test_a_delay_needs_one_of_the_policys_reasons_and_a_shipped_unit_cannot_be_delayed(
    agent_a_clerk, platform_staff, pb10k
):
    batch = _ready_batch(agent_a_clerk, platform_staff, 1)
    unit = units(batch)[0]
    with pytest.raises(ValidationFailed) as refused:
        services.unit_delay(unit=unit, actor=platform_staff, reason="holiday")
    assert list(refused.value.fields) == ["reason"]
    shipped(batch, platform_staff)
    with pytest.raises(Conflict):
        services.unit_delay(unit=unit, actor=platform_staff, reason="parts_shortage")


@pytest.mark.clause("IV.7")
def test_a_shipment_gathers_ready_units_of_one_return_unit_from_several_batches(
    agent_a_clerk, platform_staff, pb10k
):
    one = _ready_batch(agent_a_clerk, platform_staff, 2)
    two = _ready_batch(agent_a_clerk, platform_staff, 1)
    shipment = shipped(one, platform_staff)
    assert shipment.status == ShipmentStatus.SHIPPED
    assert [b.number for b in selectors.shipment_batches(shipment)] == sorted(
        [one.number, two.number]
    )
    assert shipment.units.count() == 3
    assert (reload(one).status, reload(two).status) == (BatchStatus.SHIPPED,) * 2
    assert "shipment.shipped" in events(shipment)


@pytest.mark.clause("IV.7")
def test_a_shipment_goes_to_one_return_unit_and_takes_only_units_dealt_with(
    agent_a_clerk, agent_b_clerk, platform_staff, pb10k
):
    of_a = _ready_batch(agent_a_clerk, platform_staff, 1)
    of_b = _ready_batch(agent_b_clerk, platform_staff, 1)
    still = under_test(agent_a_clerk, platform_staff, pb_lines(1))
    ids = [units(of_a)[0].pk, units(of_b)[0].pk, units(still)[0].pk]
    with pytest.raises(ValidationFailed) as refused:
        services.shipment_create(actor=platform_staff, return_org_code="AG-A", unit_ids=ids)
    assert refused.value.code == "returns.shipment_invalid"
    assert len(refused.value.fields["unit_ids"]) == 2  # agent B's unit; the untested one
    with pytest.raises(ValidationFailed) as refused:
        services.shipment_create(actor=platform_staff, return_org_code="AG-A", unit_ids=[])
    assert list(refused.value.fields) == ["unit_ids"]


@pytest.mark.clause("IV.7")
def test_a_unit_travels_in_one_shipment_and_a_cancelled_one_frees_it(
    agent_a_clerk, platform_staff, pb10k
):
    unit = units(_ready_batch(agent_a_clerk, platform_staff, 1))[0]
    first = services.shipment_create(
        actor=platform_staff, return_org_code="AG-A", unit_ids=[unit.pk]
    )
    with pytest.raises(ValidationFailed) as refused:
        services.shipment_create(actor=platform_staff, return_org_code="AG-A", unit_ids=[unit.pk])
    assert first.number in refused.value.fields["unit_ids"][0]
    services.shipment_cancel(shipment=first, actor=platform_staff)
    with pytest.raises(Conflict):
        services.shipment_dispatch(shipment=first, actor=platform_staff, waybill_no="SF1")
    second = services.shipment_create(
        actor=platform_staff, return_org_code="AG-A", unit_ids=[unit.pk]
    )
    assert second.units.get() == unit


@pytest.mark.clause("IV.7")
def test_a_shipment_leaves_only_with_its_waybill(agent_a_clerk, platform_staff, pb10k):
    unit = units(_ready_batch(agent_a_clerk, platform_staff, 1))[0]
    shipment = services.shipment_create(
        actor=platform_staff, return_org_code="AG-A", unit_ids=[unit.pk], carrier="SF Express"
    )
    with pytest.raises(ValidationFailed) as refused:
        services.shipment_dispatch(shipment=shipment, actor=platform_staff)
    assert list(refused.value.fields) == ["waybill_no"]
    services.shipment_dispatch(shipment=shipment, actor=platform_staff, waybill_no="SF12345")
    with pytest.raises(Conflict):
        services.shipment_dispatch(shipment=shipment, actor=platform_staff, waybill_no="SF12345")


def test_only_after_sales_staff_prepare_shipments_and_return_units_see_their_own(
    agent_a_clerk, agent_b_clerk, platform_staff, pb10k
):
    batch = _ready_batch(agent_a_clerk, platform_staff, 1)
    with pytest.raises(PermissionDenied):
        services.shipment_create(
            actor=agent_a_clerk, return_org_code="AG-A", unit_ids=[units(batch)[0].pk]
        )
    shipment = shipped(batch, platform_staff)
    assert selectors.shipment_get(actor=agent_a_clerk, number=shipment.number) == shipment
    with pytest.raises(NotFound):
        selectors.shipment_get(actor=agent_b_clerk, number=shipment.number)
    assert list(selectors.shipment_list(actor=agent_b_clerk)) == []


def test_a_shipped_batch_is_closed_and_nothing_more_happens_to_it(
    agent_a_clerk, platform_staff, pb10k
):
    batch = _ready_batch(agent_a_clerk, platform_staff, 1)
    with pytest.raises(Conflict):
        services.batch_close(batch=batch, actor=platform_staff)
    shipped(batch, platform_staff)
    batch = services.batch_close(batch=reload(batch), actor=platform_staff)
    assert reload(batch).status == BatchStatus.CLOSED
    with pytest.raises(Conflict):
        services.batch_delay(batch=reload(batch), actor=platform_staff, reason="force_majeure")


def test_a_batch_waits_for_testing_before_anything_ships(agent_a_clerk, platform_staff, pb10k):
    batch = received(agent_a_clerk, platform_staff, pb_lines(1))
    assert list(selectors.units_to_ship(actor=platform_staff, return_org="AG-A")) == []
    assert batch.due_on > dt.date(2000, 1, 1)


@pytest.mark.clause("IV.6")
def test_a_unit_delayed_while_a_shipment_without_an_order_is_prepared_stays_behind(
    agent_a_clerk, platform_staff, pb10k, monkeypatch
):
    batch = settle_all(under_test(agent_a_clerk, platform_staff, pb_lines(2)), platform_staff)
    first, second = batch.units.order_by("seq")
    numbering = numbers.new_number

    def delayed_meanwhile(prefix):
        if not ReturnedUnit.objects.get(pk=second.pk).delay_reason:
            services.unit_delay(
                unit=ReturnedUnit.objects.get(pk=second.pk),
                actor=platform_staff,
                reason="parts_shortage",
            )
        return numbering(prefix)

    # The delay lands between the shipment's checks and its write (while its
    # number is drawn), as a concurrent request's would.
    monkeypatch.setattr(numbers, "new_number", delayed_meanwhile)
    with pytest.raises(Conflict):
        services.shipment_create(
            actor=platform_staff, return_org_code="AG-A", unit_ids=[first.pk, second.pk]
        )
    assert not ReturnedUnit.objects.filter(shipment__isnull=False).exists()


@pytest.mark.parametrize("value", [10**30, -5, 0, "²", "12a", ""])
def test_a_unit_id_that_is_no_unit_number_is_refused_by_its_field(
    agent_a_clerk, platform_staff, pb10k, value
):
    batch = settle_all(under_test(agent_a_clerk, platform_staff, pb_lines(1)), platform_staff)
    unit = batch.units.get()
    with pytest.raises(ValidationFailed) as refused:
        services.shipment_create(
            actor=platform_staff, return_org_code="AG-A", unit_ids=[unit.pk, value]
        )
    assert list(refused.value.fields) == ["unit_ids"]
    assert not ReturnedUnit.objects.filter(shipment__isnull=False).exists()
