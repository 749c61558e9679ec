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
from tests.e2e.people import PASSWORD, agent_with_power_banks, person, platform

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}

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


def _phone(browser):
    context = browser.new_context(viewport=PHONE, locale="en-GB", has_touch=True, is_mobile=True)
    context.set_default_timeout(10_000)
    return context


def _log_in(page, base_url: str, user) -> None:
    """Log in; at phone width the user menu is folded into the menu button."""
    page.goto(f"{base_url}/accounts/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.locator("main button[type=submit]").click()
    expect(page.get_by_test_id("user-menu")).to_be_attached()


# Parts of the page that scroll sideways inside themselves (a wide table in a
# ``table-responsive``): the page fits, but the phone's user still has to scroll.
SCROLLING_INSIDE = """() => [...document.querySelectorAll("main *")].filter(e => {
    const x = getComputedStyle(e).overflowX;
    return (x === "auto" || x === "scroll") && e.scrollWidth > e.clientWidth + 1;
}).map(e => e.dataset.testid || e.id || e.className)"""


def _fits(page) -> None:
    """The page is no wider than the phone, and no part of it scrolls sideways.

    Called only once the page shows what the step expects: measuring while a
    navigation is under way finds no document (a flaky failure in CI).
    """
    page.wait_for_load_state()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} is {width} px wide at {PHONE['width']} px"
    assert page.evaluate(SCROLLING_INSIDE) == [], f"{page.url} scrolls sideways inside"


def _enter_the_delivery(browser, url: str, staff, agent, screenshot, language) -> Delivery:
    """After-sales staff enter the delivery note on the entry page, from a phone."""
    context = _phone(browser)
    page = context.new_page()
    _log_in(page, url, staff)
    page.goto(f"{url}/deliveries/")
    page.get_by_test_id("delivery-new").click()
    expect(page.get_by_test_id("delivery-form")).to_be_visible()
    _fits(page)
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
    _fits(page)
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

    context = _phone(browser)
    page = context.new_page()
    _log_in(page, url, clerk)
    page.goto(f"{url}/deliveries/{delivery.number}/")
    _fits(page)
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
    _fits(page)
    screenshot(page, f"1-arrival-refused-{language}")

    page.locator("#b1-opened_inspected").check()
    page.fill("textarea[name='b1-inside_note']", "Corner crushed; two units dented.")
    page.get_by_test_id("arrival-submit").click()
    expect(page.get_by_test_id("delivery-body")).to_have_attribute("data-status", "arrived")
    expect(page.get_by_test_id("delivery-weight-gap")).to_be_visible()
    expect(page.get_by_test_id("inspection")).to_be_visible()
    _fits(page)
    screenshot(page, f"2-arrived-{language}")

    page.get_by_test_id("declare").click()
    expect(page.get_by_test_id("damaged-quantity")).to_be_visible()
    _fits(page)
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
    _fits(page)
    screenshot(page, f"3-declaration-{language}")
    page.select_option("#department", "after_sales")
    page.get_by_test_id("submit-declaration").click()
    expect(page.get_by_test_id("declaration-body")).to_have_attribute("data-status", "submitted")
    number = Declaration.objects.get().number
    context.close()

    context = _phone(browser)
    page = context.new_page()
    _log_in(page, url, commissioner)
    page.goto(f"{url}/deliveries/declarations/{number}/")
    expect(page.get_by_test_id("evidence-file")).to_have_count(3)
    expect(page.get_by_test_id("inspection")).to_be_visible()
    _fits(page)
    screenshot(page, f"4-review-{language}")
    page.get_by_test_id("decide").click()
    expect(page.get_by_test_id("declaration-body")).to_have_attribute("data-status", "accepted")
    screenshot(page, f"5-accepted-{language}")
    context.close()

    declaration = Declaration.objects.get()
    assert declaration.outcome == "replaced"
    assert Delivery.objects.get(pk=declaration.replacement_id).agent_id == delivery.agent_id
