"""Asking for service on a phone (issue 16 item 3): from the card's page a consumer,
390 px wide and in Chinese, confirms their number by a one-time code, sees the
remedies open today and why, sends the fault with a photo, the card and the proof,
chooses an outlet, and reads the verdict with its reasons at once; the outlet's
technician finds the claim among those to judge."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from sanbao.catalog.models import Unit
from sanbao.consumers.cards import card_path
from sanbao.testkit.uploads import jpeg_bytes
from tests.e2e.consumer import confirm_number, fill_service_request, guangzhou_outlet, in_docs
from tests.e2e.people import person, platform, power_bank, power_banks
from tests.e2e.screens import LAPTOP, PHONE, context_at, fits, log_in_at

pytestmark = pytest.mark.browser
PHONE_NUMBER = "13800138000"


@pytest.fixture
def card(transactional_db):
    """A power bank delivered 20 days ago (past its return window), an outlet with
    its hours, and the after-sales centre with its address."""
    centre = platform()
    centre.address = "深圳市南山区科技南一路1号三宝科技园B座8楼"
    centre.save()
    outlet = guangzhou_outlet()
    technician = person(outlet, "gz_tech", "outlet_technician", language="zh-hans")
    category = power_banks(
        packing_en="Lithium battery: ground only.",
        packing_zh="锂电池：只能陆运，并告知快递员内含锂电池，不可空运。",
    )
    unit = Unit.objects.create(
        serial="SBQ000001",
        model=power_bank(category),
        sale_date=timezone.localdate() - dt.timedelta(days=20),
        region="mainland",
        authorised_channel=True,
        warranty_card_no="WC26120001",
    )
    return unit, technician


def test_a_consumer_asks_for_service_from_the_card_on_a_phone_in_chinese(
    browser, live_server, card, screenshot, tmp_path
):
    unit, technician = card
    photo = tmp_path / "fault.jpg"
    photo.write_bytes(jpeg_bytes((40, 30)))
    page = context_at(browser, PHONE, locale="zh-CN").new_page()
    page.goto(f"{live_server.url}{card_path(unit.serial)}service/")

    # A confirmed number first: the phone page, then back to the request.
    confirm_number(page, PHONE_NUMBER)

    expect(page.get_by_test_id("service-form")).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    remedies = page.get_by_test_id("service-remedies")
    expect(remedies.locator('[data-remedy="return"]')).to_have_attribute("data-open", "false")
    expect(remedies.locator('[data-remedy="repair"]')).to_have_attribute("data-open", "true")
    expect(page.get_by_test_id("outlet")).to_contain_text("周一至周六 10:00–19:00")
    fits(page, PHONE)
    in_docs(screenshot, page, "consumer-service-phone-zh-hans")

    fill_service_request(
        page,
        fault_files=[photo],
        card_photo=photo,
        proof_photo=photo,
        remedy="repair",
        route="SO-GZ01",
    )
    page.get_by_test_id("service-submit").click()

    expect(page.get_by_test_id("service-submitted")).to_be_visible()
    number = page.get_by_test_id("claim-number").inner_text()
    verdict = page.get_by_test_id("consumer-verdict")
    expect(verdict).to_have_attribute("data-verdict", "needs_judgement")
    expect(page.get_by_test_id("outlet-address")).to_contain_text("天河路101号")
    expect(page.get_by_test_id("follow-link")).to_have_attribute(
        "href", f"/service/claims/{number}/"
    )
    fits(page, PHONE)
    in_docs(screenshot, page, "consumer-service-submitted-phone-zh-hans")

    # The outlet finds it among the claims to judge, marked as the consumer's.
    staff = context_at(browser, LAPTOP, locale="zh-CN").new_page()
    log_in_at(staff, live_server.url, technician)
    staff.goto(f"{live_server.url}/claims/?status=to_judge")
    expect(staff.locator(f'[data-number="{number}"]')).to_be_visible()
    staff.goto(f"{live_server.url}/claims/{number}/")
    expect(staff.get_by_test_id("claim-made-by-consumer")).to_be_visible()
