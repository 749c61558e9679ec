"""IV.7 → VI: a returns shipment dispatched to a return unit is a delivery that
unit receives and inspects like any other."""

from __future__ import annotations

import pytest

from sanbao.deliveries.models import Delivery, DeliverySource, DeliveryStatus
from sanbao.deliveries.tests.conftest import fine_box
from sanbao.returns.tests.conftest import pb_lines, settle_all, shipped, under_test

pytestmark = pytest.mark.django_db


def test_a_dispatched_returns_shipment_becomes_a_delivery_for_its_return_unit_to_inspect(
    agent_a_clerk, agent_b_clerk, platform_staff, pb10k
):
    batch = settle_all(under_test(agent_a_clerk, platform_staff, pb_lines(2)), platform_staff)
    shipment = shipped(batch, platform_staff, units=list(batch.units.all()))

    delivery = Delivery.objects.get(shipment=shipment)
    assert delivery.source == DeliverySource.RETURNS
    assert delivery.agent_id == batch.return_org_id
    assert (delivery.note_no, delivery.waybill_no) == (shipment.number, "SF9000000001")
    assert list(delivery.items.values_list("model__code", "quantity")) == [("PB10K", 2)]
    assert Delivery.objects.visible_to(agent_a_clerk).filter(pk=delivery.pk).exists()
    assert not Delivery.objects.visible_to(agent_b_clerk).filter(pk=delivery.pk).exists()

    # The return unit inspects it like any delivery: one box, its weight unknown.
    from sanbao.deliveries.services import deliveries

    deliveries.arrival_record(
        actor=agent_a_clerk,
        delivery=delivery,
        received_at=delivery.shipped_at,
        courier_name="Li Na",
        courier_work_no="SF-77",
        courier_phone="13900139000",
        boxes=[fine_box(1, 1200)],
    )
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.ARRIVED
    assert delivery.weight_gap is False


def test_a_prepared_shipment_not_yet_dispatched_is_no_delivery(
    agent_a_clerk, platform_staff, pb10k
):
    from sanbao.returns import services

    batch = settle_all(under_test(agent_a_clerk, platform_staff, pb_lines(1)), platform_staff)
    services.shipment_create(
        actor=platform_staff,
        return_org_code=batch.return_org.code,
        unit_ids=[u.pk for u in batch.units.all()],
    )
    assert not Delivery.objects.exists()
