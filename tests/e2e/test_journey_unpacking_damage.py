"""Journey: a delivery arrives with a dented box, at phone width (V, VI).

The brand ships two boxes of power banks to the Shenzhen agent: after-sales staff
enter the delivery note on the entry page (a product's quantity forgotten at
first, so the page marks that row). The agent's clerk,
phone in hand in the warehouse, records the arrival: the first box is dented, so
the page asks her to open it and say what she found before the arrival is
complete; its weight is off too, and the delivery is flagged. She declares two
damaged power banks, takes the photo with the phone's camera, uploads the stamped
application form and the delivery note signed by the courier, and submits to the
after-sales department. The customer-service commissioner sees the evidence beside
the inspection and accepts with a replacement. Every page fits a phone 390 px wide
without scrolling sideways. In English and in Chinese; the screenshots of one run
are kept in ``docs/screenshots/``.
"""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.utils import timezone
from PIL import Image
from playwright.sync_api import expect
from pypdf import PdfWriter

from sanbao.deliveries.models import Declaration, Delivery
from tests.e2e.people import agent_with_power_banks, person, platform
from tests.e2e.screens import PHONE, context_at, fits, log_in_at

pytestmark = pytest.mark.browser


TOLD = {"en": "open it and record what was found inside", "zh-hans": "须开箱检查并登记箱内情况"}


def _jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (640, 480), (180, 60, 40)).save(out, "JPEG")
    return out.getvalue()


def _pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@pytest.fixture
def cast(transactional_db, request):
    language = request.param
    agent = agent_with_power_banks()
    centre = platform()
    clerk = person(agent, "warehouse", "agent_clerk", first_name="Fang", language=language)
    staff = person(centre, "shipping", "aftersales_staff", language=language)
    commissioner = person(centre, "cs", "cs_commissioner", first_name="Lei", language=language)
    return language, agent, staff, clerk, commissioner


def _enter_the_delivery(browser, url: str, staff, agent, screenshot, language) -> Delivery:
    """After-sales staff enter the delivery note on the entry page, from a phone."""
    context = context_at(browser, PHONE)
    page = context.new_page()
    log_in_at(page, url, staff)
    page.goto(f"{url}/deliveries/")
    page.get_by_test_id("delivery-new").click()
    expect(page.get_by_test_id("delivery-form")).to_be_visible()
    fits(page, PHONE)
    page.select_option("#id_agent_code", agent.code)
    page.fill("#id_note_no", "DN-2026-0917")
    page.fill("#id_carrier", "SF Express")
    page.fill("#id_waybill_no", "SF1300000917")
    shipped = timezone.localtime(timezone.now() - dt.timedelta(hours=20))
    page.fill("#id_shipped_at", shipped.strftime("%Y-%m-%dT%H:%M"))
    page.fill("#id_boxes-0-expected_weight_g", "5000")
    page.fill("#id_boxes-1-expected_weight_g", "3000")
    for row, box in ((0, "1"), (1, "2")):
        page.select_option(f"#id_items-{row}-model_code", "PB-10K")
        page.fill(f"#id_items-{row}-box_no", box)
    page.fill("#id_items-0-quantity", "6")
    # One more product row (htmx swaps the rows only): what was typed stays.
    page.get_by_test_id("item-add").click()
    expect(page.get_by_test_id("item-row")).to_have_count(5)
    expect(page.locator("#id_items-0-quantity")).to_have_value("6")

    # The second product's quantity forgotten: the page marks that row, saves nothing.
    page.get_by_test_id("delivery-save").click()
    expect(page.get_by_test_id("delivery-error")).to_be_visible()
    expect(page.locator("[data-field-error='items.1.quantity']")).to_be_visible()
    assert not Delivery.objects.exists()
    fits(page, PHONE)
    screenshot(page, f"0-entry-refused-{language}")

    page.fill("#id_items-1-quantity", "4")
    page.get_by_test_id("delivery-save").click()
    expect(page.get_by_test_id("delivery-body")).to_have_attribute("data-status", "shipped")
    context.close()
    return Delivery.objects.get(note_no="DN-2026-0917")


def _answer(page, box: int, question: str, value: str) -> None:
    page.locator(f"label[for='b{box}-{question}-{value}']").click()


@pytest.mark.clause("VI.2", "V.2")
@pytest.mark.parametrize("cast", ["en", "zh-hans"], indirect=True)
def test_a_dented_box_is_inspected_declared_and_replaced_from_a_phone(
    browser, live_server, cast, screenshot
):
    language, agent, staff, clerk, commissioner = cast
    url = live_server.url
    delivery = _enter_the_delivery(browser, url, staff, agent, screenshot, language)
    assert delivery.agent_id == agent.pk
    assert list(delivery.boxes.values_list("box_no", "expected_weight_g")) == [
        (1, 5000),
        (2, 3000),
    ]

    context = context_at(browser, PHONE)
    page = context.new_page()
    log_in_at(page, url, clerk)
    page.goto(f"{url}/deliveries/{delivery.number}/")
    fits(page, PHONE)
    received = timezone.localtime(timezone.now() - dt.timedelta(minutes=30))
    page.get_by_test_id("received-at").fill(received.strftime("%Y-%m-%dT%H:%M"))
    page.fill("#courier_name", "Wang Wei")
    page.fill("#courier_work_no", "SF-0427")
    page.fill("#courier_phone", "138 0013 8000")
    for box, weight in ((1, "4600"), (2, "3000")):
        for question in ("labels_intact", "courier_labels_intact"):
            _answer(page, box, question, "yes")
        dented = "no" if box == 1 else "yes"
        _answer(page, box, "outside_undamaged", dented)
        _answer(page, box, "courier_box_undamaged", dented)
        page.fill(f"#b{box}-actual_weight_g", weight)

    # A dented box not opened: the arrival is not complete.
    page.get_by_test_id("arrival-submit").click()
    expect(page.get_by_test_id("refusal")).to_be_visible()
    expect(page.locator("[data-field-error='box-1']")).to_contain_text(TOLD[language])
    fits(page, PHONE)
    screenshot(page, f"1-arrival-refused-{language}")

    page.locator("#b1-opened_inspected").check()
    page.fill("textarea[name='b1-inside_note']", "Corner crushed; two units dented.")
    page.get_by_test_id("arrival-submit").click()
    expect(page.get_by_test_id("delivery-body")).to_have_attribute("data-status", "arrived")
    expect(page.get_by_test_id("delivery-weight-gap")).to_be_visible()
    expect(page.get_by_test_id("inspection")).to_be_visible()
    fits(page, PHONE)
    screenshot(page, f"2-arrived-{language}")

    page.get_by_test_id("declare").click()
    expect(page.get_by_test_id("damaged-quantity")).to_be_visible()
    fits(page, PHONE)
    page.get_by_test_id("damaged-quantity").fill("2")
    page.get_by_test_id("description").fill("Two power banks dented at the crushed corner.")
    page.get_by_test_id("declaration-submit").click()
    expect(page.get_by_test_id("declaration-body")).to_have_attribute("data-status", "draft")
    photo = page.get_by_test_id("upload-photo").locator("input[type=file]")
    expect(photo).to_have_attribute("accept", "image/*")
    expect(photo).to_have_attribute("capture", "environment")
    photo.set_input_files([{"name": "dent.jpg", "mimeType": "image/jpeg", "buffer": _jpeg()}])
    page.get_by_test_id("upload-photo").locator("button").click()
    expect(page.get_by_test_id("evidence-file")).to_have_count(1)
    form = page.get_by_test_id("upload-form").locator("input[type=file]")
    form.set_input_files([{"name": "form.pdf", "mimeType": "application/pdf", "buffer": _pdf()}])
    page.get_by_test_id("upload-form").locator("button").click()
    expect(page.get_by_test_id("evidence-file")).to_have_count(2)

    # Without the courier-signed delivery note it cannot be submitted.
    page.select_option("#department", "after_sales")
    page.get_by_test_id("submit-declaration").click()
    expect(page.get_by_test_id("refusal")).to_have_attribute(
        "data-code", "deliveries.evidence_missing"
    )
    note = page.get_by_test_id("upload-note").locator("input[type=file]")
    note.set_input_files([{"name": "note.jpg", "mimeType": "image/jpeg", "buffer": _jpeg()}])
    page.get_by_test_id("upload-note").locator("button").click()
    expect(page.get_by_test_id("evidence-file")).to_have_count(3)
    fits(page, PHONE)
    screenshot(page, f"3-declaration-{language}")
    page.select_option("#department", "after_sales")
    page.get_by_test_id("submit-declaration").click()
    expect(page.get_by_test_id("declaration-body")).to_have_attribute("data-status", "submitted")
    number = Declaration.objects.get().number
    context.close()

    context = context_at(browser, PHONE)
    page = context.new_page()
    log_in_at(page, url, commissioner)
    page.goto(f"{url}/deliveries/declarations/{number}/")
    expect(page.get_by_test_id("evidence-file")).to_have_count(3)
    expect(page.get_by_test_id("inspection")).to_be_visible()
    fits(page, PHONE)
    screenshot(page, f"4-review-{language}")
    page.get_by_test_id("decide").click()
    expect(page.get_by_test_id("declaration-body")).to_have_attribute("data-status", "accepted")
    screenshot(page, f"5-accepted-{language}")
    context.close()

    declaration = Declaration.objects.get()
    assert declaration.outcome == "replaced"
    assert Delivery.objects.get(pk=declaration.replacement_id).agent_id == delivery.agent_id
