"""Issue 16's whole journey, on a phone 390 px wide, in Chinese: the platform prints
a production lot's sheet of warranty cards; the QR code of one card, read back with
zxing-cpp from the printed PDF, is the URL the consumer's phone opens. The consumer
sees the warranty (in warranty, its last day), confirms their mobile number from
the card's link by the code the SMS brings, asks for service from the card with
photos of the fault, the card and the proof, chooses a repair (the remedy open
today) and an outlet, and reads the verdict with its reasons at once. The outlet's
technician, on a laptop, finds the claim among those to judge, records the
inspection and approves a repair. The consumer then reads the verdict and the
steps with their times, and has been told by SMS. Every consumer page fits the
phone; the screenshots go to docs/screenshots/consumer-journey-*.png."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone, translation
from playwright.sync_api import expect

from sanbao.catalog.models import Unit
from sanbao.catalog.policy import warranty_last_day
from sanbao.claims.models import Claim
from sanbao.claims.policy import CHECKLIST_RULES
from sanbao.claims.reasons import VERDICTS
from sanbao.notifications import sms
from sanbao.testkit.background import run_queued_tasks
from sanbao.testkit.uploads import jpeg_bytes
from tests.e2e.consumer import (
    confirm_number,
    fill_service_request,
    guangzhou_outlet,
    in_docs,
    printed_card_urls,
)
from tests.e2e.people import person, platform, power_bank, power_banks
from tests.e2e.screens import LAPTOP, PHONE, context_at, fits, log_in_at

pytestmark = pytest.mark.browser

PHONE_NUMBER = "13800138000"
SERIAL = "SBJ000002"
LOT = "L2612-J"
SOLD_DAYS_AGO = 40  # past the return (7 days) and exchange (15 days) windows: repair only
A_TIME = re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$")


def shot(n: int, step: str) -> str:
    return f"consumer-journey-{n}-{step}-zh-hans"


@pytest.fixture
def lot(transactional_db, settings, live_server, tmp_path):
    """Lot L2612-J of power banks sold 40 days ago in mainland China through an
    authorised channel, the after-sales centre with the staff who prints the lot's
    cards, and the Guangzhou outlet with its technician."""
    settings.SANBAO_PUBLIC_BASE_URL = live_server.url
    settings.MEDIA_ROOT = tmp_path / "media"
    centre = platform()
    centre.address = "深圳市南山区科技南一路1号三宝科技园B座8楼"
    centre.save()
    printer = person(centre, "card_printer", "aftersales_staff", language="zh-hans")
    technician = person(guangzhou_outlet(), "gz_tech", "outlet_technician", language="zh-hans")
    model = power_bank(power_banks(packing_zh="锂电池：只能陆运。", packing_en="Ground only."))
    for n in range(1, 4):
        Unit.objects.create(
            serial=f"SBJ{n:06d}",
            model=model,
            production_lot=LOT,
            sale_date=timezone.localdate() - dt.timedelta(days=SOLD_DAYS_AGO),
            region="mainland",
            authorised_channel=True,
            warranty_card_no=f"WC2612J{n:04d}",
        )
    return printer, technician


def photos(folder) -> dict:
    """Photos as a phone's camera gives them: two of the fault, the card, the proof."""
    made = {}
    for name, size in (
        ("fault-1", (64, 48)),
        ("fault-2", (48, 64)),
        ("card", (80, 50)),
        ("proof", (50, 80)),
    ):
        path = folder / f"{name}.jpg"
        path.write_bytes(jpeg_bytes(size))
        made[name] = path
    return made


def test_a_consumer_scans_the_printed_card_asks_for_service_and_follows_the_outlets_verdict(
    browser, live_server, lot, screenshot, tmp_path
):
    printer, technician = lot
    unit = Unit.objects.get(serial=SERIAL)
    shots = photos(tmp_path)

    # 1. The printed sheet: the phone opens the URL in this unit's QR code.
    urls = [url for url in printed_card_urls(printer, LOT, tmp_path) if f"/w/{SERIAL}/" in url]
    assert len(urls) == 1
    phone = context_at(browser, PHONE, locale="zh-CN").new_page()
    phone.goto(urls[0])

    # 2. The warranty on the card: in warranty, and its last day.
    expect(phone.locator("html")).to_have_attribute("lang", "zh-hans")
    expect(phone.get_by_test_id("card-serial")).to_have_text(SERIAL)
    expect(phone.get_by_test_id("card-warranty-status")).to_have_text("在保修期内")
    last_day = warranty_last_day(unit.sale_date, unit.model.category.warranty_months)
    expect(phone.get_by_test_id("card-warranty-end")).to_have_text(f"{last_day:%Y-%m-%d}")
    fits(phone, PHONE)
    in_docs(screenshot, phone, shot(1, "card"))

    # 3. The number confirmed from the card's link, and back on the card.
    phone.get_by_test_id("unit-claims-confirm").click()
    expect(phone).to_have_url(re.compile(r"/service/phone/\?next="))
    confirm_number(phone, PHONE_NUMBER, each_page=lambda page, step: fits(page, PHONE))
    expect(phone.get_by_test_id("card-unit")).to_be_visible()
    assert phone.url == urls[0]
    expect(phone.get_by_test_id("unit-claims-none")).to_contain_text("138****8000")
    fits(phone, PHONE)
    in_docs(screenshot, phone, shot(2, "phone-confirmed"))

    # 4. Asking for service from the card: repair is open today, return is not.
    phone.get_by_test_id("card-ask-service").click()
    expect(phone.get_by_test_id("service-form")).to_be_visible()
    remedies = phone.get_by_test_id("service-remedies")
    expect(remedies.locator('[data-remedy="return"]')).to_have_attribute("data-open", "false")
    expect(remedies.locator('[data-remedy="repair"]')).to_have_attribute("data-open", "true")
    expect(phone.locator('input[name="remedy_requested"][value="return"]')).to_have_count(0)
    expect(phone.get_by_test_id("outlet")).to_contain_text("周一至周六 10:00–19:00")
    fill_service_request(
        phone,
        fault_files=[shots["fault-1"], shots["fault-2"]],
        card_photo=shots["card"],
        proof_photo=shots["proof"],
        remedy="repair",
        route="SO-GZ01",
    )
    fits(phone, PHONE)
    in_docs(screenshot, phone, shot(3, "service-form"))
    phone.get_by_test_id("service-submit").click()

    # The verdict at once, with its reasons: the documents pass, the inspection is to come.
    expect(phone.get_by_test_id("service-submitted")).to_be_visible()
    number = phone.get_by_test_id("claim-number").inner_text()
    claim = Claim.objects.get(number=number)
    assert (claim.unit, claim.channel, claim.remedy_requested) == (unit, "consumer", "repair")
    assert claim.fault_files.count() == 2
    assert claim.warranty_card_scan and claim.proof_of_purchase_scan
    verdict = phone.get_by_test_id("consumer-verdict")
    expect(verdict).to_have_attribute("data-verdict", claim.verdict)
    with translation.override("zh-hans"):
        label = str(VERDICTS[claim.verdict])
    expect(phone.get_by_test_id("consumer-verdict-label")).to_have_text(label)
    rows = verdict.get_by_test_id("verdict-row")
    expect(rows).to_have_count(len(claim.verdict_results))
    for rule in ("I.1", "II.2", "III.1", "III.3"):
        row = verdict.locator(f'[data-rule="{rule}"]')
        expect(row).to_have_attribute("data-outcome", "pass")
        expect(row.get_by_test_id("verdict-reason")).not_to_be_empty()
    expect(verdict.locator('[data-rule="III.4"]')).to_have_attribute("data-outcome", "unknown")
    expect(phone.get_by_test_id("outlet-address")).to_contain_text("天河路101号")
    fits(phone, PHONE)
    in_docs(screenshot, phone, shot(4, "submitted"))

    # 5. The outlet's technician, on a laptop: to judge, inspected, a repair approved.
    outlet = context_at(browser, LAPTOP, locale="zh-CN").new_page()
    log_in_at(outlet, live_server.url, technician)
    outlet.goto(f"{live_server.url}/claims/?status=to_judge")
    outlet.locator(f'[data-number="{number}"] a').first.click()
    body = outlet.get_by_test_id("claim-body")
    expect(body).to_have_attribute("data-status", "submitted")
    expect(outlet.get_by_test_id("claim-made-by-consumer")).to_be_visible()
    outlet.get_by_test_id("action-start_judgement").get_by_role("button").click()
    expect(body).to_have_attribute("data-status", "under_judgement")
    for rule in CHECKLIST_RULES:
        outlet.locator(f"[data-testid='finding-{rule}-not_found'] + label").click()
        expect(outlet.get_by_test_id(f"finding-{rule}-not_found")).to_be_checked()
    outlet.get_by_test_id("findings-submit").click()
    expect(body).to_have_attribute("data-verdict", "covered")
    outlet.get_by_test_id("judge-failure-yes").check()
    outlet.get_by_test_id("judge-remedy-repair").check()
    expect(outlet.get_by_test_id("judge-remedy-requested")).to_be_visible()
    fits(outlet, LAPTOP)
    in_docs(screenshot, outlet, shot(5, "outlet-judging"))
    outlet.get_by_test_id("judge-submit").click()
    expect(body).to_have_attribute("data-status", "approved")
    expect(outlet.get_by_test_id("claim-remedy")).to_have_attribute("data-remedy", "repair")

    # 6. The consumer's page of the claim: approved, a repair, the steps with their times.
    phone.get_by_test_id("follow-link").click()
    page = phone.get_by_test_id("follow-claim-page")
    expect(page).to_have_attribute("data-status", "approved")
    expect(page).to_have_attribute("data-verdict", "covered")
    expect(phone.get_by_test_id("follow-claim-number")).to_have_text(number)
    expect(phone.get_by_test_id("follow-remedy")).to_have_text("维修")
    for step, state in (("received", "done"), ("judgement", "done"), ("approved", "current")):
        line = phone.locator(f'[data-step="{step}"]')
        expect(line).to_have_attribute("data-state", state)
        expect(line.get_by_test_id("follow-step-time")).to_have_text(A_TIME)
    expect(phone.locator('[data-step="approved"]')).to_contain_text("已批准 · 维修")
    expect(phone.locator('[data-step="service"]')).to_have_attribute("data-state", "to_come")
    expect(phone.get_by_test_id("follow-place-name")).to_have_text("广州天河授权服务网点")
    fits(phone, PHONE)
    in_docs(screenshot, phone, shot(6, "steps"))

    # Told by SMS: the claim received, then judged.
    run_queued_tasks()
    told = [m.template.name for m in sms.outbox if m.template.name != "otp_code"]
    assert told == ["claim_received", "claim_judged"]
    assert {m.params["number"] for m in sms.outbox if m.template.name != "otp_code"} == {number}
