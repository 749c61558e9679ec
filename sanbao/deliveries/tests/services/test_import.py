"""Deliveries imported from the brand's shipping system (CSV or XLSX): all or
nothing, every bad row reported."""

from __future__ import annotations

import io

import pytest
from openpyxl import Workbook

from sanbao.core.errors import PermissionDenied, ValidationFailed
from sanbao.deliveries.models import Delivery, DeliverySource
from sanbao.deliveries.services import deliveries
from sanbao.testkit.cast import api_client_for

pytestmark = pytest.mark.django_db

HEADER = "delivery_note,agent,carrier,waybill,shipped_at,box,expected_weight_g,model_code,quantity"
GOOD = [
    "DN-1,AG-A,SF Express,SF1,2026-09-01 08:00,1,5000,PB10K,6",
    "DN-1,AG-A,SF Express,SF1,2026-09-01 08:00,2,3000,PB10K,4",
    "DN-2,AG-B,ZTO,ZT9,2026-09-01 09:00,1,,AD65,10",
]


def _csv(*rows: str) -> bytes:
    return "\n".join([HEADER, *rows]).encode()


@pytest.fixture
def world(clock, agent_a, agent_b, pb10k, ad65):
    clock.set("2026-09-01 12:00")


def test_a_file_makes_one_delivery_per_note_with_its_boxes_and_lines(world, platform_staff):
    result = deliveries.delivery_import(actor=platform_staff, data=_csv(*GOOD), filename="d.csv")
    assert not result.errors
    assert len(result.deliveries) == 2
    first = Delivery.objects.get(note_no="DN-1")
    assert first.source == DeliverySource.IMPORT
    assert list(first.boxes.values_list("box_no", "expected_weight_g")) == [(1, 5000), (2, 3000)]
    assert sorted(first.items.values_list("box__box_no", "quantity")) == [(1, 6), (2, 4)]
    assert Delivery.objects.get(note_no="DN-2").agent.code == "AG-B"


def test_one_bad_row_imports_nothing_and_every_bad_row_is_named(world, platform_staff):
    rows = [
        *GOOD,
        "DN-3,AG-X,SF,1,2026-09-01 08:00,1,100,NOPE,0",
        "DN-4,AG-A,SF,2,soon,1,1,PB10K,1",
    ]
    result = deliveries.delivery_import(actor=platform_staff, data=_csv(*rows), filename="d.csv")
    assert not Delivery.objects.exists()
    found = {(e.row, e.column) for e in result.errors}
    assert found == {(5, "agent"), (5, "model_code"), (5, "quantity"), (6, "shipped_at")}
    assert result.bad_rows == 2


def test_rows_of_one_note_must_agree_and_a_note_is_imported_once(world, platform_staff):
    rows = [GOOD[0], "DN-1,AG-A,SF Express,SF-OTHER,2026-09-01 08:00,2,3000,PB10K,4"]
    result = deliveries.delivery_import(actor=platform_staff, data=_csv(*rows), filename="d.csv")
    assert [(e.row, e.column, e.code) for e in result.errors] == [
        (3, "waybill", "deliveries.import_rows_disagree")
    ]
    deliveries.delivery_import(actor=platform_staff, data=_csv(GOOD[0]), filename="d.csv")
    again = deliveries.delivery_import(actor=platform_staff, data=_csv(GOOD[0]), filename="d.csv")
    assert [e.code for e in again.errors] == ["deliveries.import_note_exists"]
    assert Delivery.objects.count() == 1


def test_an_xlsx_workbook_with_chinese_headers_is_read(world, platform_staff):
    book = Workbook()
    sheet = book.active
    sheet.append(
        ["送货单号", "代理商", "承运商", "运单号", "发货时间", "箱号", "预计重量", "型号", "数量"]
    )
    sheet.append(["DN-9", "AG-A", "顺丰", "SF9", "2026-09-01 07:00", 1, 2000, "PB10K", 3])
    out = io.BytesIO()
    book.save(out)
    result = deliveries.delivery_import(
        actor=platform_staff, data=out.getvalue(), filename="d.xlsx"
    )
    assert not result.errors
    assert Delivery.objects.get().carrier == "顺丰"


def test_a_file_without_the_required_columns_is_refused(world, platform_staff):
    with pytest.raises(ValidationFailed) as caught:
        deliveries.delivery_import(
            actor=platform_staff, data=b"agent,box\nAG-A,1", filename="d.csv"
        )
    assert caught.value.code == "deliveries.import_columns_missing"


def test_an_agent_cannot_import(world, agent_a_clerk):
    with pytest.raises(PermissionDenied):
        deliveries.delivery_import(actor=agent_a_clerk, data=_csv(*GOOD), filename="d.csv")


def test_the_api_answers_the_numbers_or_the_per_row_report(world, platform_staff):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = api_client_for(platform_staff)
    bad = client.post(
        "/api/v1/deliveries/import",
        {"file": SimpleUploadedFile("d.csv", _csv(GOOD[0], "DN-5,AG-A,SF,1,x,1,1,PB10K,1"))},
    )
    assert bad.status_code == 400
    body = bad.json()
    assert body["code"] == "deliveries.import_rejected"
    assert [e["row"] for e in body["report"]["errors"]] == [3]
    assert not Delivery.objects.exists()
    good = client.post(
        "/api/v1/deliveries/import", {"file": SimpleUploadedFile("d.csv", _csv(*GOOD))}
    )
    assert good.status_code == 201
    assert sorted(good.json()) == sorted(Delivery.objects.values_list("number", flat=True))
