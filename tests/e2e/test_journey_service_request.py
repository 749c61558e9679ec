"""Asking for service on a phone (issue 16 item 3): from the card's page a consumer,
390 px wide and in Chinese, confirms their number by a one-time code, sees the
remedies open today and why, sends the fault with a photo, the card and the proof,
chooses an outlet, and reads the verdict with its reasons at once; the outlet's
technician finds the claim among those to judge."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from sanbao.accounts.models import Organisation
from sanbao.accounts.roles import OrgKind
from sanbao.catalog.models import Unit
from sanbao.consumers.cards import card_path
from sanbao.notifications import sms
from sanbao.testkit.background import run_queued_tasks
from sanbao.testkit.uploads import jpeg_bytes
from tests.e2e.people import person, platform, power_bank, power_banks
from tests.e2e.screens import LAPTOP, PHONE, context_at, fits, log_in_at

pytestmark = pytest.mark.browser

DOCS_SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
PHONE_NUMBER = "13800138000"


@pytest.fixture
def card(transactional_db):
    """A power bank delivered 20 days ago (past its return window), an outlet with
    its hours, and the after-sales centre with its address."""
    centre = platform()
    centre.address = "深圳市南山区科技南一路1号三宝科技园B座8楼"
    centre.save()
    outlet = Organisation.objects.create(
        code="SO-GZ01",
        kind=OrgKind.SERVICE_OUTLET,
        name_en="Guangzhou Tianhe Authorised Service Outlet",
        name_zh="广州天河授权服务网点",
        address="广州市天河区天河路101号天河电脑城3-12铺",
        phone="020-3888 0101",
        opening_hours_en="Mon–Sat 10:00–19:00",
        opening_hours_zh="周一至周六 10:00–19:00",
    )
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
    expect(page.get_by_test_id("phone-send-form")).to_be_visible()
    page.fill("#id_phone", PHONE_NUMBER)
    page.check("#id_consent")
    page.get_by_test_id("phone-send").click()
    expect(page.get_by_test_id("phone-code-form")).to_be_visible()
    run_queued_tasks()
    page.fill("#id_code", sms.outbox[-1].params["code"])
    page.get_by_test_id("phone-verify").click()

    expect(page.get_by_test_id("service-form")).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    remedies = page.get_by_test_id("service-remedies")
    expect(remedies.locator('[data-remedy="return"]')).to_have_attribute("data-open", "false")
    expect(remedies.locator('[data-remedy="repair"]')).to_have_attribute("data-open", "true")
    expect(page.get_by_test_id("outlet")).to_contain_text("周一至周六 10:00–19:00")
    fits(page, PHONE)
    saved = screenshot(page, "consumer-service-phone-zh-hans")
    shutil.copyfile(saved, DOCS_SCREENSHOTS / "consumer-service-phone-zh-hans.png")

    page.fill("#id_consumer_name", "李伟")
    page.select_option("#id_fault_kind", "not_charging")
    page.fill("#id_fault_description", "充不进电，指示灯不亮。")
    page.set_input_files("#id_fault_files", [str(photo)])
    page.set_input_files("#id_warranty_card_scan", str(photo))
    page.set_input_files("#id_proof_of_purchase_scan", str(photo))
    page.fill("#id_proof_of_purchase_no", "FP-2026-0001")
    page.check('input[name="remedy_requested"][value="repair"]')
    page.check('input[name="route"][value="SO-GZ01"]')
    page.check("#id_consent")
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
    saved = screenshot(page, "consumer-service-submitted-phone-zh-hans")
    shutil.copyfile(saved, DOCS_SCREENSHOTS / "consumer-service-submitted-phone-zh-hans.png")

    # The outlet finds it among the claims to judge, marked as the consumer's.
    staff = context_at(browser, LAPTOP, locale="zh-CN").new_page()
    log_in_at(staff, live_server.url, technician)
    staff.goto(f"{live_server.url}/claims/?status=to_judge")
    expect(staff.locator(f'[data-number="{number}"]')).to_be_visible()
    staff.goto(f"{live_server.url}/claims/{number}/")
    expect(staff.get_by_test_id("claim-made-by-consumer")).to_be_visible()
