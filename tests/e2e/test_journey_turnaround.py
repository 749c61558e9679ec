"""Journey: from receipt to delivery list (SPEC IV.5, IV.6, IV.7, IV.P2, II.4).

An agent has sent three power banks back. In Chinese, an after-sales clerk scans
the three labels and closes the receipt: the batch is due back by the end of the
third working day after today, and the page says how many working days are left.
She starts testing: the first unit has a confirmed fault and is repaired with a
new port (kept as a retained part); the second shows liquid damage, is excluded
under III.6 with a photo and charged a test fee; the third needs a battery cell
that is out of stock and is delayed for parts. The batch is ready; she prepares a
shipment of the two units that can go, dispatches it with its waybill and opens
its delivery list, which says the third unit is still to follow. When the cell
arrives the third unit is repaired and goes back with the agent's order: the
second delivery list names the order. In English, the agent follows its batch and
downloads both delivery lists.
"""

from __future__ import annotations

import subprocess

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from sanbao.catalog.models import RetainedPart
from sanbao.returns import policy
from sanbao.returns.models import ReturnBatch, Shipment
from sanbao.testkit.uploads import png_bytes
from sanbao.workdays import services as workdays
from tests.e2e.people import (
    agent_with_power_banks,
    log_in,
    log_out,
    person,
    platform,
    power_banks_in_receipt,
)

pytestmark = pytest.mark.browser

PNG = png_bytes()


@pytest.fixture
def people(transactional_db) -> dict:
    agent = agent_with_power_banks(address="Futian District, Shenzhen")
    clerk = person(
        agent, "agent_clerk", "agent_clerk", first_name="Fang", last_name="Wang", language="en"
    )
    staff = person(
        platform(),
        "workshop_clerk",
        "aftersales_staff",
        first_name="Min",
        last_name="Zhao",
        language="zh-hans",
    )
    return {"clerk": clerk, "staff": staff}


@pytest.fixture
def batch_in_transit(people) -> ReturnBatch:
    """Three power banks with their cables, submitted by the agent and opened for
    receipt by the platform (the journey of part 1 shows those steps)."""
    return power_banks_in_receipt(people["clerk"], people["staff"])


def pdf_text(pdf: bytes, tmp_path, name: str) -> str:
    source = tmp_path / f"{name}.pdf"
    source.write_bytes(pdf)
    done = subprocess.run(
        ["pdftotext", str(source), "-"], check=True, capture_output=True, timeout=60
    )
    # Cells wrap over lines: compare with the white space folded.
    return " ".join(done.stdout.decode("utf-8").split())


def open_unit(page, base: str, batch: ReturnBatch, seq: int) -> None:
    page.goto(f"{base}/returns/{batch.number}/units/{seq}/")
    expect(page.get_by_test_id("unit-body")).to_be_visible()


def record_test(page, result: str, *, rule: str = "", evidence: str = "", photo: bool = False):
    form = page.get_by_test_id("action-test")
    form.get_by_test_id(f"result-{result}").check()
    if rule:
        form.locator("select[name=excluded_rule]").select_option(rule)
    if evidence:
        form.locator("textarea[name=evidence]").fill(evidence)
    if photo:
        form.get_by_test_id("test-photo").set_input_files(
            files=[{"name": "liquid-marks.png", "mimeType": "image/png", "buffer": PNG}]
        )
    form.get_by_test_id("test-submit").click()
    expect(page.get_by_test_id("unit-body")).to_have_attribute("data-result", result)


def dispose(page, disposition: str, **fields) -> None:
    form = page.get_by_test_id("action-dispose")
    form.get_by_test_id(f"disposition-{disposition}").check()
    for name, value in fields.items():
        form.locator(f"[name={name}]").fill(value)
    form.get_by_test_id("dispose-submit").click()
    # The page moves on to the next unit to deal with, or back to the batch.
    expect(page.get_by_test_id("action-dispose")).to_have_count(0)


def prepare_and_dispatch(page, base: str, *, order_no: str = "", waybill: str) -> Shipment:
    page.goto(f"{base}/returns/shipments/new/?return_org=AG-SZ01")
    form = page.get_by_test_id("shipment-form")
    expect(form).to_be_visible()
    checks = form.get_by_test_id("ship-unit-check")
    for i in range(checks.count()):
        checks.nth(i).check()
    form.locator("[name=carrier]").fill("SF Express")
    if order_no:
        form.locator("[name=order_no]").fill(order_no)
    form.get_by_test_id("shipment-submit").click()
    expect(page.get_by_test_id("shipment-body")).to_have_attribute("data-status", "prepared")
    dispatch = page.get_by_test_id("action-dispatch")
    dispatch.locator("[name=waybill_no]").fill(waybill)
    dispatch.get_by_test_id("dispatch-submit").click()
    expect(page.get_by_test_id("shipment-body")).to_have_attribute("data-status", "shipped")
    return Shipment.objects.get(waybill_no=waybill)


@pytest.mark.clause("IV.5")
@pytest.mark.clause("IV.6")
@pytest.mark.clause("IV.7")
@pytest.mark.clause("IV.P2")
def test_three_units_are_received_tested_dealt_with_and_sent_back_with_their_delivery_lists(
    live_server, page, people, batch_in_transit, screenshot, tmp_path
):
    base = live_server.url
    batch = batch_in_transit
    due = workdays.due_date(timezone.localdate(), 3)

    # In Chinese, the after-sales clerk scans the three labels and closes the receipt.
    log_in(page, base, people["staff"])
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    page.goto(f"{base}/returns/{batch.number}/receipt/")
    scan_field = page.get_by_test_id("scan-input")
    expect(page.get_by_test_id("scan-form")).to_have_attribute("data-ready", "true")
    for seq in range(1, 4):
        scan_field.press_sequentially(policy.label_code(batch.number, seq, 1))
        scan_field.press("Enter")
        expect(scan_field).to_have_value("")
    expect(page.get_by_test_id("receipt-counts")).to_have_attribute("data-total", "3")
    page.get_by_test_id("close-boxes").fill("1")
    page.get_by_test_id("close-submit").click()
    body = page.get_by_test_id("batch-body")
    expect(body).to_have_attribute("data-status", "received")

    # IV.5: due back by the end of the third working day after today.
    turnaround = page.get_by_test_id("turnaround")
    expect(page.get_by_test_id("turnaround-due")).to_contain_text(due.day.isoformat())
    expect(page.get_by_test_id("turnaround-left")).to_be_visible()
    screenshot(page, "received-zh-hans")
    assert turnaround.count() == 1

    page.get_by_test_id("start-testing").click()
    expect(body).to_have_attribute("data-status", "testing")
    expect(page.get_by_test_id("unit-row")).to_have_count(3)

    # Unit 1: a confirmed fault, repaired with a new port; the old one is kept (II.4).
    open_unit(page, base, batch, 1)
    record_test(page, "fault_confirmed")
    dispose(page, "repaired", parts_used="USB-C port", retained_location="Shelf B-3")

    # Unit 2: liquid damage (III.6) with a photo, charged a test fee (IV.P2).
    open_unit(page, base, batch, 2)
    record_test(page, "excluded", rule="III.6", evidence="Liquid marks on the board", photo=True)
    expect(page.get_by_test_id("unit-photo-link")).to_be_visible()
    screenshot(page, "unit-excluded-zh-hans")
    dispose(page, "charged", charge_amount="30", charge_reason="Liquid damage: test fee (IV.P2)")

    # Unit 3: the battery cell it needs is out of stock (IV.6).
    open_unit(page, base, batch, 3)
    delay = page.get_by_test_id("action-delay")
    if not delay.is_visible():
        page.locator("summary", has=page.get_by_text("IV.6")).first.click()
    delay.locator("select[name=reason]").select_option("parts_shortage")
    delay.locator("[name=note]").fill("Battery cells on order")
    delay.get_by_test_id("delay-submit").click()
    expect(page.get_by_test_id("unit-body")).to_have_attribute("data-delayed", "true")

    page.goto(f"{base}/returns/{batch.number}/")
    expect(body).to_have_attribute("data-status", "ready")
    expect(page.get_by_test_id("unit-delayed")).to_have_count(1)
    screenshot(page, "ready-zh-hans")

    # The queue lists the batch with its due date.
    page.goto(f"{base}/returns/queue/")
    expect(page.locator(f"[data-testid=queue-row][data-number='{batch.number}']")).to_be_visible()
    screenshot(page, "queue-zh-hans")

    # The first shipment: the two units dealt with; the delayed one is not offered.
    first = prepare_and_dispatch(page, base, waybill="SF5550001")
    expect(page.get_by_test_id("shipment-unit")).to_have_count(2)
    screenshot(page, "first-shipment-zh-hans")
    batch.refresh_from_db()
    assert (batch.status, batch.on_time) == ("delayed", True)
    listing = page.context.request.get(
        base + f"/returns/shipments/{first.number}/delivery-list.pdf"
    )
    assert listing.ok and listing.headers["content-type"] == "application/pdf"
    text = pdf_text(listing.body(), tmp_path, "first")
    assert policy.label_code(batch.number, 1, 1) in text
    assert "PB10K-00003" in text and "Battery cells on order" in text  # still to follow
    assert "30.00" in text and "Liquid damage: test fee" in text  # the charge and its reason

    # The cell arrives: unit 3 is repaired and goes back with the agent's order.
    open_unit(page, base, batch, 3)
    record_test(page, "fault_confirmed")
    dispose(page, "repaired", parts_used="Battery cell", retained_location="Shelf B-3")
    second = prepare_and_dispatch(page, base, order_no="PO-2026-1201", waybill="SF5550002")
    batch.refresh_from_db()
    assert batch.status == "shipped"
    assert second.order_no == "PO-2026-1201"
    listing = page.context.request.get(
        base + f"/returns/shipments/{second.number}/delivery-list.pdf"
    )
    text = pdf_text(listing.body(), tmp_path, "second")
    assert "PO-2026-1201" in text and "PB10K-00003" in text
    assert set(RetainedPart.objects.values_list("description", flat=True)) == {
        "USB-C port",
        "Battery cell",
    }
    page.goto(f"{base}/returns/{batch.number}/")
    expect(body).to_have_attribute("data-status", "shipped")
    expect(page.get_by_test_id("turnaround-on-time")).to_be_visible()
    screenshot(page, "shipped-zh-hans")
    page.get_by_test_id("lang-en").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    screenshot(page, "shipped-en")

    # In English, the agent follows its batch and downloads both delivery lists.
    log_out(page)
    log_in(page, base, people["clerk"])
    page.goto(f"{base}/returns/{batch.number}/")
    expect(body).to_have_attribute("data-status", "shipped")
    expect(page.get_by_test_id("start-testing")).to_have_count(0)
    expect(page.get_by_test_id("unit-row")).to_have_count(3)
    screenshot(page, "agent-batch-en")
    page.goto(f"{base}/returns/shipments/")
    for shipment in (first, second):
        page.goto(f"{base}/returns/shipments/{shipment.number}/")
        expect(page.get_by_test_id("action-dispatch")).to_have_count(0)
        href = page.get_by_test_id("delivery-list-pdf").get_attribute("href")
        assert page.context.request.get(base + href).ok
    screenshot(page, "agent-shipment-en")
