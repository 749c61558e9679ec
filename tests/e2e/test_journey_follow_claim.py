"""A consumer follows their claim on a phone 390 px wide, in Chinese (issue 16 item
4): /service/claims/ sends them to confirm their number by the code the SMS
brings, then lists their claims; the claim's page shows its steps with their
times, the remedy, what happens next and where the unit is, fitting the screen.
Another consumer's claim number gets the not-found page."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from sanbao.accounts.models import Organisation
from sanbao.accounts.roles import OrgKind
from sanbao.catalog.models import Unit
from sanbao.claims import services
from sanbao.claims.tests.conftest import intake
from tests.e2e.consumer import confirm_number, in_docs
from tests.e2e.people import person, platform, power_bank, power_banks
from tests.e2e.screens import PHONE, context_at, fits

pytestmark = pytest.mark.browser
PHONE_NUMBER = "13800138000"


@pytest.fixture
def claim_in_service(transactional_db):
    """A claim taken in at a Guangzhou outlet, approved for repair and in service;
    and another consumer's claim on another unit."""
    platform()
    outlet = Organisation.objects.create(
        code="SO-GZ01",
        kind=OrgKind.SERVICE_OUTLET,
        name_en="Guangzhou Tianhe Service Outlet",
        name_zh="广州天河服务网点",
        address="广州市天河区天河路 385 号 2 楼",
        phone="020-3888 1234",
    )
    model = power_bank(power_banks())
    sold = timezone.localdate() - dt.timedelta(days=20)
    mine, theirs = (
        Unit.objects.create(
            serial=serial, model=model, sale_date=sold, region="mainland", warranty_card_no=card
        )
        for serial, card in (("SBF0000001", "WCSBF0000001"), ("SBF0000002", "WCSBF0000002"))
    )
    technician = person(outlet, "outlet_tech", "outlet_technician", language="zh-hans")
    claim = intake(technician, mine, consumer_phone=PHONE_NUMBER)
    services.claim_start_judgement(claim=claim, actor=technician)
    services.claim_judge(claim=claim, actor=technician, failure_confirmed=True, remedy="repair")
    services.claim_start_service(claim=claim, actor=technician)
    other = intake(technician, theirs, consumer_phone="13900139000")
    return claim, other


def test_a_consumer_confirms_their_number_and_follows_their_claim_on_a_phone_in_chinese(
    browser, live_server, claim_in_service, screenshot
):
    claim, other = claim_in_service
    page = context_at(browser, PHONE, locale="zh-CN").new_page()
    page.goto(f"{live_server.url}/service/claims/")
    confirm_number(page, PHONE_NUMBER)

    expect(page.get_by_test_id("follow-claims")).to_be_visible()
    expect(page.get_by_test_id("follow-claim")).to_have_count(1)
    fits(page, PHONE)
    page.get_by_test_id("follow-claim").click()

    expect(page.get_by_test_id("follow-claim-number")).to_have_text(claim.number)
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    steps = page.get_by_test_id("follow-step")
    expect(steps).to_have_count(6)
    expect(page.locator('[data-step="service"]')).to_have_attribute("data-state", "current")
    expect(page.locator('[data-step="resolved"]')).to_contain_text("尚未进行")
    expect(page.get_by_test_id("follow-remedy")).to_have_text("维修")
    expect(page.get_by_test_id("follow-place-name")).to_have_text("广州天河服务网点")
    fits(page, PHONE)
    in_docs(screenshot, page, "consumer-follow-phone-zh-hans")

    page.goto(f"{live_server.url}/service/claims/{other.number}/")
    expect(page.get_by_test_id("follow-not-found")).to_be_visible()
    fits(page, PHONE)
