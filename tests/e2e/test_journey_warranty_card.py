"""The electronic warranty card in a browser (issue 16 item 1): the platform prints
a production lot's sheet of cards; the QR code of one card, read back with
zxing-cpp from the printed PDF, opens on a phone 390 px wide the consumer's card
page, in Chinese, fitting the screen; the consumer switches to English and stays
on the card. A tampered URL gets the not-found page."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from sanbao.catalog.tests.factories import CategoryFactory, ProductModelFactory, UnitFactory
from tests.e2e.consumer import in_docs, printed_card_urls
from tests.e2e.people import person, platform
from tests.e2e.screens import PHONE, context_at, fits

pytestmark = pytest.mark.browser


@pytest.fixture
def printed_card(transactional_db, settings, live_server, tmp_path):
    """The URL in the QR code of the first card of lot L2612-A, as a phone reads it
    off the printed sheet (the sheet's URLs point at the live server)."""
    settings.SANBAO_PUBLIC_BASE_URL = live_server.url
    staff = person(platform(), "card_printer", "aftersales_staff", language="en")
    category = CategoryFactory(code="power-bank", name_en="Power banks", name_zh="移动电源")
    model = ProductModelFactory(
        code="PB20K", category=category, name_en="Power Bank 20000 mAh", name_zh="充电宝 20000毫安"
    )
    for n in range(1, 4):
        UnitFactory(
            serial=f"SBL{n:06d}",
            model=model,
            production_lot="L2612-A",
            sale_date=timezone.localdate() - dt.timedelta(days=40),
            warranty_card_no=f"WC2612{n:04d}",
        )
    urls = printed_card_urls(staff, "L2612-A", tmp_path)
    assert len(urls) == 3
    return urls[0]


def test_a_consumer_scans_the_printed_card_and_reads_it_on_a_phone_in_chinese(
    browser, printed_card, screenshot
):
    assert "/w/SBL000001/" in printed_card
    page = context_at(browser, PHONE, locale="zh-CN").new_page()
    page.goto(printed_card)
    expect(page.get_by_test_id("card-model")).to_contain_text("PB20K")
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    expect(page.get_by_test_id("card-warranty-status")).to_have_text("在保修期内")
    expect(page.get_by_test_id("card-bring")).to_contain_text("购买凭证")
    fits(page, PHONE)
    in_docs(screenshot, page, "consumer-card-phone-zh-hans")

    page.get_by_test_id("card-lang-en").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_test_id("card-warranty-status")).to_have_text("In warranty")
    assert page.url == printed_card + "?lang=en"
    fits(page, PHONE)
    in_docs(screenshot, page, "consumer-card-phone-en")

    page.goto(printed_card[:-3] + "x/")
    expect(page.get_by_test_id("card-not-found")).to_be_visible()
    fits(page, PHONE)
