"""The deliveries API: the whole journey, the declaration window in both
languages, and another agent answered 404 on every URL of a delivery and a
declaration."""

from __future__ import annotations

import datetime as dt

import pytest

from sanbao.deliveries.models import Declaration, Evidence
from sanbao.deliveries.tests.conftest import SHIPPED, at, fine_box, jpeg, pdf, png
from sanbao.testkit.cast import api_client_for

pytestmark = pytest.mark.django_db

RECEIVED = at("2026-09-02 09:30")


def _delivery_body(agent_code="AG-A"):
    return {
        "agent_code": agent_code,
        "note_no": "DN-77",
        "carrier": "SF Express",
        "waybill_no": "SF77",
        "shipped_at": at(SHIPPED).isoformat(),
        "boxes": [{"box_no": 1, "expected_weight_g": 5000}],
        "items": [{"model_code": "PB10K", "quantity": 5, "box_no": 1}],
    }


def _arrival_body(**box_changes):
    return {
        "received_at": RECEIVED.isoformat(),
        "courier_name": "Wang Wei",
        "courier_work_no": "SF-0427",
        "courier_phone": "138 0013 8000",
        "boxes": [fine_box(1, 5000) | box_changes],
    }


@pytest.fixture
def api_delivery(clock, platform_staff, agent_a, pb10k):
    response = api_client_for(platform_staff).post(
        "/api/v1/deliveries", _delivery_body(), content_type="application/json"
    )
    assert response.status_code == 201, response.content
    return response.json()["number"]


@pytest.fixture
def api_arrived(clock, api_delivery, agent_a_clerk):
    clock.set("2026-09-02 10:00")
    body = _arrival_body(
        outside_undamaged=False,
        courier_box_undamaged=False,
        opened_inspected=True,
        inside_note="Corner crushed, two units dented.",
        actual_weight_g=4700,
    )
    response = api_client_for(agent_a_clerk).post(
        f"/api/v1/deliveries/{api_delivery}/arrival", body, content_type="application/json"
    )
    assert response.status_code == 200, response.content
    return api_delivery


def _open(client, number):
    return client.post(
        f"/api/v1/deliveries/{number}/declarations",
        {"description": "Two dented units.", "lines": [{"model_code": "PB10K", "quantity": 2}]},
        content_type="application/json",
    )


@pytest.mark.clause("VI.2", "VI.3")
def test_an_arrival_through_the_api_flags_the_weight_gap_and_keeps_the_inspection(
    api_arrived, agent_a_clerk
):
    data = api_client_for(agent_a_clerk).get(f"/api/v1/deliveries/{api_arrived}").json()
    assert data["status"] == "arrived"
    assert data["weight_gap"] is True
    assert data["courier_phone"] == "13800138000"
    assert data["boxes"][0]["opened_inspected"] is True
    assert data["boxes"][0]["weight_gap"] is True


@pytest.mark.clause("VI.2")
def test_a_damaged_box_not_opened_is_refused_through_the_api(clock, api_delivery, agent_a_clerk):
    clock.set("2026-09-02 10:00")
    response = api_client_for(agent_a_clerk, language="zh-hans").post(
        f"/api/v1/deliveries/{api_delivery}/arrival",
        _arrival_body(outside_undamaged=False),
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "boxes.0.inside_note" in response.json()["fields"]


@pytest.mark.clause("V.1")
@pytest.mark.parametrize(
    ("language", "fragment"),
    [
        ("en", "closed on Sept. 3, 2026, 9:30 a.m. (Asia/Shanghai)"),
        ("zh-hans", "2026年9月3日 09:30 (Asia/Shanghai)"),
    ],
)
def test_the_window_through_the_api_accepts_23_59_59_and_refuses_24_00_01(
    clock, api_arrived, agent_a_clerk, language, fragment
):
    client = api_client_for(agent_a_clerk, language=language)
    clock.set(RECEIVED + dt.timedelta(hours=24, seconds=1))
    refused = _open(client, api_arrived)
    assert refused.status_code == 400
    assert refused.json()["code"] == "deliveries.window_closed"
    assert fragment in refused.json()["message"]
    clock.set(RECEIVED + dt.timedelta(hours=23, minutes=59, seconds=59))
    accepted = _open(client, api_arrived)
    assert accepted.status_code == 201, accepted.content
    assert accepted.json()["missing_evidence"] == ["photo", "form", "note"]


@pytest.mark.clause("V.2")
def test_the_whole_application_through_the_api(clock, api_arrived, agent_a_clerk, cs_commissioner):
    clock.set("2026-09-02 11:00")
    client = api_client_for(agent_a_clerk)
    number = _open(client, api_arrived).json()["number"]
    for kind, upload in (("photo", png()), ("form", pdf())):
        response = client.post(
            f"/api/v1/declarations/{number}/evidence", {"kind": kind, "file": upload}
        )
        assert response.status_code == 201, response.content
    refused = client.post(
        f"/api/v1/declarations/{number}/submit",
        {"department": "after_sales"},
        content_type="application/json",
    )
    assert refused.status_code == 400
    assert refused.json()["code"] == "deliveries.evidence_missing"
    client.post(f"/api/v1/declarations/{number}/evidence", {"kind": "note", "file": jpeg()})
    submitted = client.post(
        f"/api/v1/declarations/{number}/submit",
        {"department": "after_sales"},
        content_type="application/json",
    )
    assert submitted.status_code == 200, submitted.content
    decided = api_client_for(cs_commissioner).post(
        f"/api/v1/declarations/{number}/decision",
        {"accept": True, "outcome": "replaced"},
        content_type="application/json",
    )
    assert decided.status_code == 200, decided.content
    assert decided.json()["status"] == "accepted"
    assert decided.json()["replacement"].startswith("D")


@pytest.mark.clause("V.2")
def test_a_fake_jpeg_is_refused_through_the_api(clock, api_arrived, agent_a_clerk):
    from django.core.files.uploadedfile import SimpleUploadedFile

    clock.set("2026-09-02 11:00")
    client = api_client_for(agent_a_clerk)
    number = _open(client, api_arrived).json()["number"]
    fake = SimpleUploadedFile("p.jpg", b"\xff\xd8\xff\xe0" + b"x" * 200, content_type="image/jpeg")
    response = client.post(
        f"/api/v1/declarations/{number}/evidence", {"kind": "photo", "file": fake}
    )
    assert response.status_code == 400
    assert response.json()["code"] == "deliveries.file_not_accepted"


@pytest.mark.clause("V.2")
def test_another_agent_gets_404_on_every_url_of_the_delivery_and_its_declaration(
    clock, api_arrived, agent_a_clerk, agent_b_clerk
):
    clock.set("2026-09-02 11:00")
    own = api_client_for(agent_a_clerk)
    number = _open(own, api_arrived).json()["number"]
    own.post(f"/api/v1/declarations/{number}/evidence", {"kind": "photo", "file": png()})
    evidence = Evidence.objects.get()
    file_url = f"/api/v1/declarations/{number}/evidence/{evidence.pk}"
    pdf_answer = own.get(f"/api/v1/declarations/{number}/application.pdf")
    assert pdf_answer.status_code == 200
    assert pdf_answer["Content-Type"] == "application/pdf"
    mine = own.get(file_url)
    assert mine.status_code == 200
    assert mine["Content-Disposition"].startswith("attachment")

    other = api_client_for(agent_b_clerk)
    json = {"content_type": "application/json"}
    answers = {
        "delivery": other.get(f"/api/v1/deliveries/{api_arrived}"),
        "arrival": other.post(f"/api/v1/deliveries/{api_arrived}/arrival", _arrival_body(), **json),
        "declare": _open(other, api_arrived),
        "declaration": other.get(f"/api/v1/declarations/{number}"),
        "upload": other.post(
            f"/api/v1/declarations/{number}/evidence", {"kind": "photo", "file": png()}
        ),
        "file": other.get(file_url),
        "pdf": other.get(f"/api/v1/declarations/{number}/application.pdf"),
        "submit": other.post(
            f"/api/v1/declarations/{number}/submit", {"department": "after_sales"}, **json
        ),
    }
    assert {name: r.status_code for name, r in answers.items()} == dict.fromkeys(answers, 404)
    assert other.get("/api/v1/declarations").json()["count"] == 0
    assert other.get("/api/v1/deliveries").json()["count"] == 0
    assert Declaration.objects.count() == 1
    assert Evidence.objects.count() == 1
