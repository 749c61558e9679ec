"""Arrival and inspection of a delivery (VI.1–VI.3), through the services and the
real database."""

from __future__ import annotations

import pytest
from django.utils import translation

from sanbao.core.errors import ValidationFailed
from sanbao.core.models import AuditEvent
from sanbao.deliveries.models import Delivery, DeliveryBox, DeliveryStatus
from sanbao.deliveries.tests.conftest import arrive, at, fine_box, new_delivery

pytestmark = pytest.mark.django_db


def test_a_delivery_entered_by_the_platform_has_its_boxes_and_products(shipped_delivery):
    delivery = Delivery.objects.get(pk=shipped_delivery.pk)
    assert delivery.number.startswith("D2609-")
    assert delivery.status == DeliveryStatus.SHIPPED
    assert list(delivery.boxes.values_list("box_no", "expected_weight_g")) == [
        (1, 5000),
        (2, 3000),
    ]
    assert sorted(delivery.items.values_list("box__box_no", "quantity")) == [(1, 6), (2, 4)]


def test_a_delivery_with_an_unknown_model_and_no_boxes_reports_both(
    clock, platform_staff, agent_a, pb10k
):
    with pytest.raises(ValidationFailed) as caught:
        new_delivery(platform_staff, boxes=[], items=[{"model_code": "NOPE", "quantity": 1}])
    assert {"boxes", "items.0.model_code"} <= set(caught.value.fields)
    assert not Delivery.objects.exists()


def test_an_agent_clerk_cannot_enter_a_delivery(clock, agent_a_clerk, agent_a, pb10k):
    from sanbao.core.errors import PermissionDenied

    with pytest.raises(PermissionDenied):
        new_delivery(agent_a_clerk)


@pytest.mark.clause("VI.1", "VI.2", "VI.3")
def test_an_arrival_with_every_box_fine_completes_the_delivery(
    clock, shipped_delivery, agent_a_clerk
):
    clock.set("2026-09-02 10:00")
    arrive(shipped_delivery, agent_a_clerk)
    delivery = Delivery.objects.get(pk=shipped_delivery.pk)
    assert delivery.status == DeliveryStatus.ARRIVED
    assert delivery.received_at == at("2026-09-02 09:30")
    assert (delivery.courier_name, delivery.courier_work_no, delivery.courier_phone) == (
        "Wang Wei",
        "SF-0427",
        "13800138000",
    )
    assert not delivery.weight_gap
    assert AuditEvent.objects.filter(action="delivery.arrived", target_id=str(delivery.pk)).exists()


@pytest.mark.clause("VI.1")
def test_broken_tamper_evident_labels_are_recorded_on_the_box_and_in_the_audit(
    clock, shipped_delivery, agent_a_clerk
):
    clock.set("2026-09-02 10:00")
    broken = fine_box(1, 5000) | {"labels_intact": False, "courier_labels_intact": False}
    arrive(shipped_delivery, agent_a_clerk, boxes=[broken, fine_box(2, 3000)])
    box = DeliveryBox.objects.get(delivery=shipped_delivery, box_no=1)
    assert box.labels_intact is False
    assert box.courier_labels_intact is False
    event = AuditEvent.objects.get(action="delivery.arrived")
    assert event.data["labels_broken"] == [1]


@pytest.mark.clause("VI.1", "VI.3")
def test_each_label_answer_is_required(clock, shipped_delivery, agent_a_clerk):
    clock.set("2026-09-02 10:00")
    box = fine_box(1, 5000)
    del box["labels_intact"]
    with pytest.raises(ValidationFailed) as caught:
        arrive(shipped_delivery, agent_a_clerk, boxes=[box, fine_box(2, 3000)])
    assert "boxes.0.labels_intact" in caught.value.fields


@pytest.mark.clause("VI.2")
def test_a_damaged_box_must_be_opened_and_inspected_before_the_arrival_is_complete(
    clock, shipped_delivery, agent_a_clerk
):
    clock.set("2026-09-02 10:00")
    dented = fine_box(1, 5000) | {"outside_undamaged": False, "courier_box_undamaged": False}
    with pytest.raises(ValidationFailed) as caught:
        arrive(shipped_delivery, agent_a_clerk, boxes=[dented, fine_box(2, 3000)])
    assert caught.value.code == "deliveries.arrival_invalid"
    with translation.override("en"):
        assert "open it" in caught.value.field_messages()["boxes.0.inside_note"][0]
    with translation.override("zh-hans"):
        assert "VI.2" in caught.value.field_messages()["boxes.0.inside_note"][0]
    assert Delivery.objects.get(pk=shipped_delivery.pk).status == DeliveryStatus.SHIPPED

    opened = dented | {"opened_inspected": True, "inside_note": "Two units crushed."}
    arrive(shipped_delivery, agent_a_clerk, boxes=[opened, fine_box(2, 3000)])
    box = DeliveryBox.objects.get(delivery=shipped_delivery, box_no=1)
    assert (box.outside_undamaged, box.opened_inspected, box.inside_note) == (
        False,
        True,
        "Two units crushed.",
    )


@pytest.mark.clause("VI.2")
def test_the_database_refuses_a_damaged_box_not_opened(clock, shipped_delivery):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        DeliveryBox.objects.filter(delivery=shipped_delivery, box_no=1).update(
            outside_undamaged=False, opened_inspected=False
        )


@pytest.mark.clause("VI.3")
def test_the_courier_annotation_is_required(clock, shipped_delivery, agent_a_clerk):
    clock.set("2026-09-02 10:00")
    with pytest.raises(ValidationFailed) as caught:
        arrive(shipped_delivery, agent_a_clerk, courier_work_no="")
    assert "courier" in caught.value.fields


@pytest.mark.clause("VI.3")
@pytest.mark.parametrize(
    ("actual", "gap"),
    [(5000, False), (5100, False), (4900, False), (5101, True), (4500, True)],
)
def test_a_weight_off_by_more_than_the_tolerance_flags_the_box_and_the_delivery(
    clock, shipped_delivery, agent_a_clerk, settings, actual, gap
):
    # The tolerance is the larger of 50 g and 2 % (100 g of 5000 g).
    settings.SANBAO_WEIGHT_TOLERANCE_G = 50
    settings.SANBAO_WEIGHT_TOLERANCE_PERCENT = 2
    clock.set("2026-09-02 10:00")
    arrive(shipped_delivery, agent_a_clerk, boxes=[fine_box(1, actual), fine_box(2, 3000)])
    assert DeliveryBox.objects.get(delivery=shipped_delivery, box_no=1).weight_gap is gap
    assert Delivery.objects.get(pk=shipped_delivery.pk).weight_gap is gap


@pytest.mark.clause("VI.3")
def test_the_time_received_is_never_in_the_future_nor_before_shipping(
    clock, shipped_delivery, agent_a_clerk
):
    clock.set("2026-09-02 10:00")
    with pytest.raises(ValidationFailed) as future:
        arrive(shipped_delivery, agent_a_clerk, "2026-09-02 10:01")
    assert future.value.fields["received_at"]
    with pytest.raises(ValidationFailed) as early:
        arrive(shipped_delivery, agent_a_clerk, "2026-09-01 07:59")
    with translation.override("en"):
        assert "before the delivery was shipped" in early.value.field_messages()["received_at"][0]
    assert Delivery.objects.get(pk=shipped_delivery.pk).received_at is None


def test_another_agent_cannot_record_the_arrival(clock, shipped_delivery, agent_b_clerk):
    from sanbao.core.errors import NotFound

    clock.set("2026-09-02 10:00")
    with pytest.raises(NotFound):
        arrive(shipped_delivery, agent_b_clerk)
