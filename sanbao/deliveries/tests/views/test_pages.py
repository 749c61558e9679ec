"""The deliveries pages: the arrival with a damaged box, the declaration, the
evidence taken from the phone's camera, the commissioner's decision; the window in
both languages; and another agent answered 404 on every page, file and PDF."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from sanbao.deliveries.models import Declaration, Delivery, DeliveryBox, Evidence
from sanbao.deliveries.tests.conftest import at, jpeg, pdf, png
from sanbao.testkit.cast import login_client_for
from sanbao.testkit.pdf import pdf_text

pytestmark = pytest.mark.django_db

RECEIVED = at("2026-09-02 09:30")


def _arrival_form(delivery, **box1):
    data = {
        "received_at": "2026-09-02T09:30",
        "courier_name": "Wang Wei",
        "courier_work_no": "SF-0427",
        "courier_phone": "13800138000",
    }
    for box in delivery.boxes.all():
        prefix = f"b{box.box_no}-"
        data |= {
            prefix + "labels_intact": "yes",
            prefix + "outside_undamaged": "yes",
            prefix + "courier_labels_intact": "yes",
            prefix + "courier_box_undamaged": "yes",
            prefix + "actual_weight_g": str(box.expected_weight_g),
        }
    data |= {f"b1-{name}": value for name, value in box1.items()}
    return data


def _client(user, language):
    """A logged-in client of ``user`` reading ``language`` (their saved choice)."""
    user.language = language
    user.save(update_fields=["language"])
    return login_client_for(user, language=language)


def _detail(delivery):
    return reverse("deliveries:delivery_detail", args=[delivery.number])


@pytest.mark.clause("VI.2")
@pytest.mark.parametrize(
    ("language", "fragment"), [("en", "open it and record"), ("zh-hans", "须开箱检查")]
)
def test_the_arrival_page_asks_for_the_inspection_of_a_damaged_box(
    clock, shipped_delivery, agent_a_clerk, language, fragment
):
    clock.set("2026-09-02 10:00")
    client = _client(agent_a_clerk, language)
    page = client.get(_detail(shipped_delivery))
    assert page.status_code == 200
    assert 'data-testid="arrival-form"' in page.content.decode()

    refused = client.post(
        _detail(shipped_delivery), _arrival_form(shipped_delivery, outside_undamaged="no")
    )
    assert refused.status_code == 400
    assert fragment in refused.content.decode()
    assert Delivery.objects.get(pk=shipped_delivery.pk).status == "shipped"

    done = client.post(
        _detail(shipped_delivery),
        _arrival_form(
            shipped_delivery,
            outside_undamaged="no",
            courier_box_undamaged="no",
            opened_inspected="on",
            inside_note="Corner crushed.",
            actual_weight_g="4600",
        ),
    )
    assert done.status_code == 302
    delivery = Delivery.objects.get(pk=shipped_delivery.pk)
    assert delivery.status == "arrived"
    assert delivery.weight_gap is True
    assert DeliveryBox.objects.get(delivery=delivery, box_no=1).inside_note == "Corner crushed."


@pytest.mark.clause("V.1")
@pytest.mark.parametrize(
    ("language", "fragment"),
    [
        ("en", "closed on Sept. 3, 2026, 9:30 a.m. (Asia/Shanghai)"),
        ("zh-hans", "已于 2026年9月3日 09:30 (Asia/Shanghai) 截止"),
    ],
)
def test_the_declaration_page_accepts_23_59_59_and_refuses_24_00_01_in_the_users_language(
    clock, arrived_delivery, agent_a_clerk, language, fragment
):
    client = _client(agent_a_clerk, language)
    url = reverse("deliveries:declaration_create", args=[arrived_delivery.number])
    form = {"qty-PB10K": "2", "description": "Dented."}
    clock.set(RECEIVED + dt.timedelta(hours=24, seconds=1))
    refused = client.post(url, form)
    assert refused.status_code == 400
    assert fragment in refused.content.decode()
    clock.set(RECEIVED + dt.timedelta(hours=23, minutes=59, seconds=59))
    accepted = client.post(url, form)
    assert accepted.status_code == 302
    assert Declaration.objects.count() == 1


@pytest.mark.clause("V.2")
def test_the_evidence_inputs_take_photos_from_the_camera(declared, agent_a_clerk):
    page = login_client_for(agent_a_clerk).get(
        reverse("deliveries:declaration_detail", args=[declared.number])
    )
    html = page.content.decode()
    assert 'accept="image/*" capture="environment"' in html
    assert html.count('type="file"') == 3


@pytest.mark.clause("V.2")
def test_the_page_refuses_to_submit_without_the_stamped_form_and_the_signed_note(
    declared, agent_a_clerk
):
    client = login_client_for(agent_a_clerk)
    upload = reverse("deliveries:declaration_upload", args=[declared.number])
    assert client.post(upload, {"kind": "photo", "file": png()}).status_code == 302
    submit = reverse("deliveries:declaration_submit", args=[declared.number])
    refused = client.post(submit, {"department": "after_sales"})
    assert refused.status_code == 400
    assert "deliveries.evidence_missing" in refused.content.decode()
    fake = client.post(upload, {"kind": "form", "file": _fake_jpeg()})
    assert fake.status_code == 400
    assert Evidence.objects.count() == 1
    client.post(upload, {"kind": "form", "file": pdf()})
    client.post(upload, {"kind": "note", "file": jpeg()})
    assert client.post(submit, {"department": "after_sales"}).status_code == 302
    assert Declaration.objects.get(pk=declared.pk).status == "submitted"


def _fake_jpeg():
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(
        "scan.jpg", b"\xff\xd8\xff\xe0" + b"x" * 300, content_type="image/jpeg"
    )


@pytest.mark.clause("V.2")
def test_the_commissioner_accepts_from_the_page_with_the_evidence_beside_the_inspection(
    submitted, cs_commissioner
):
    client = login_client_for(cs_commissioner)
    url = reverse("deliveries:declaration_detail", args=[submitted.number])
    html = client.get(url).content.decode()
    assert 'data-testid="inspection"' in html
    assert 'data-testid="courier-annotation"' in html
    assert html.count('data-testid="evidence-file"') == 3
    decide = reverse("deliveries:declaration_decide", args=[submitted.number])
    done = client.post(decide, {"decision": "accept", "outcome": "credited", "settled-PB10K": "2"})
    assert done.status_code == 302
    assert Declaration.objects.get(pk=submitted.pk).status == "accepted"


@pytest.mark.clause("V.2", "VI.3")
def test_the_application_pdf_is_pre_filled_with_the_receipt_products_inspection_and_courier(
    declared, agent_a_clerk
):
    response = login_client_for(agent_a_clerk).get(
        reverse("deliveries:application_pdf", args=[declared.number])
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    for expected in (
        declared.number,
        "2026-09-0209:30",
        "PB10K",
        "WangWei",
        "SF-0427",
        "13800138000",
    ):
        assert expected in text
    assert "开箱损坏申请表" in text or "Applicationforunpackingdamage" in text


@pytest.mark.clause("V.2")
def test_another_agent_gets_404_for_the_pages_the_files_and_the_pdf(
    complete, agent_a_clerk, agent_b_clerk
):
    evidence = Evidence.objects.filter(declaration=complete).first()
    number = complete.number
    urls = [
        reverse("deliveries:delivery_detail", args=[complete.delivery.number]),
        reverse("deliveries:declaration_create", args=[complete.delivery.number]),
        reverse("deliveries:declaration_detail", args=[number]),
        reverse("deliveries:application_pdf", args=[number]),
        reverse("deliveries:evidence_file", args=[number, evidence.pk]),
    ]
    own = login_client_for(agent_a_clerk)
    assert [own.get(url).status_code for url in urls] == [200, 200, 200, 200, 200]
    other = login_client_for(agent_b_clerk)
    assert [other.get(url).status_code for url in urls] == [404] * len(urls)
    posts = [
        reverse("deliveries:declaration_upload", args=[number]),
        reverse("deliveries:declaration_submit", args=[number]),
    ]
    assert [other.post(url, {"kind": "photo", "file": png()}).status_code for url in posts] == [
        404,
        404,
    ]
    assert own.get(urls[-1])["Content-Disposition"].startswith("attachment")


def test_the_list_shows_an_agent_only_its_deliveries(
    clock, shipped_delivery, agent_b_clerk, agent_a_clerk
):
    url = reverse("deliveries:delivery_list")
    assert shipped_delivery.number in login_client_for(agent_a_clerk).get(url).content.decode()
    assert shipped_delivery.number not in login_client_for(agent_b_clerk).get(url).content.decode()
