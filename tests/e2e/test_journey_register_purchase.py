"""Registering a purchase on a phone (issue 16 item 2): from the warranty card, 390 px
wide, in Chinese, the consumer taps "register", confirms the mobile number with the
code sent by SMS, comes back to the form, gives the delivery date and a photo of the
receipt, agrees to the consent text, and is back on the card, which now shows the
registration to them."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from sanbao.catalog.tests.factories import CategoryFactory, ProductModelFactory, UnitFactory
from sanbao.consumers.cards import card_url
from sanbao.consumers.models import Registration
from sanbao.testkit.uploads import jpeg_bytes
from tests.e2e.consumer import confirm_number, in_docs
from tests.e2e.screens import PHONE, context_at, fits

pytestmark = pytest.mark.browser
NUMBER = "13800138000"


@pytest.fixture
def card(transactional_db, settings, live_server):
    settings.SANBAO_PUBLIC_BASE_URL = live_server.url
    category = CategoryFactory(code="power-bank", name_en="Power banks", name_zh="移动电源")
    model = ProductModelFactory(
        code="PB20K", category=category, name_en="Power Bank 20000 mAh", name_zh="充电宝 20000毫安"
    )
    unit = UnitFactory(
        serial="SBL000001",
        model=model,
        sale_date=timezone.localdate() - dt.timedelta(days=40),
        warranty_card_no="WC26120001",
    )
    return card_url(unit)


def test_a_consumer_registers_the_purchase_from_the_card_on_a_phone_in_chinese(
    browser, card, screenshot, tmp_path, settings
):
    settings.MEDIA_ROOT = tmp_path / "media"
    page = context_at(browser, PHONE, locale="zh-CN").new_page()
    page.goto(card)
    page.get_by_test_id("card-register").click()

    # No confirmed number yet: the phone page, then back to the form.
    confirm_number(page, NUMBER)

    expect(page.get_by_test_id("register-form")).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    expect(page.get_by_test_id("register-phone")).to_contain_text("138****8000")
    delivered = timezone.localdate() - dt.timedelta(days=38)
    page.fill("#id_delivered_on", delivered.isoformat())
    receipt = tmp_path / "receipt.jpg"
    receipt.write_bytes(jpeg_bytes((60, 80)))
    page.set_input_files("#id_proof_photo", str(receipt))
    page.locator("#id_consent").check()
    fits(page, PHONE)
    in_docs(screenshot, page, "consumer-register-phone-zh-hans")

    page.get_by_test_id("register-submit").click()
    expect(page.get_by_test_id("card-delivered-on")).to_have_text(f"{delivered:%Y-%m-%d}")
    expect(page.get_by_test_id("card-proof")).to_have_text("购买凭证已存档")
    fits(page, PHONE)
    screenshot(page, "consumer-card-registered-zh-hans")
    assert Registration.objects.get().phone == NUMBER
