"""Journey: an after-sales staff member imports sold units from a CSV.

They work in Chinese and English (the choice is remembered on their account, not
only in the browser), upload a file with one bad row under "all or nothing",
see which row and column are wrong and that nothing was written, then import
only the valid rows.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from sanbao.accounts.models import User
from sanbao.catalog.models import Unit
from tests.e2e.people import log_in, person, platform, power_bank, power_banks

pytestmark = pytest.mark.browser


CSV_WITH_ONE_BAD_ROW = (
    b"serial,model_code,sale_date,region,authorised_channel,channel_org_code,warranty_card_no\n"
    b"JRN0000001,PB-10K,2025-01-15,mainland,yes,,WC-1\n"
    b"JRN0000002,PB-20K,2025-02-01,mainland,yes,,WC-2\n"
    b"JRN0000003,NO-SUCH-MODEL,2025-02-03,mainland,yes,,WC-3\n"
    b"JRN0000004,PB-10K,2025-03-10,hong_kong,no,,\n"
    b"JRN0000005,PB-20K,2025-04-21,mainland,yes,,WC-5\n"
)
BAD_ROW = "4"  # the header is row 1


@pytest.fixture
def platform_staff(transactional_db) -> User:
    category = power_banks()
    power_bank(category)
    power_bank(category, 20_000, ports=3)
    return person(platform(), "platform_staff", "aftersales_staff", language="en")


def log_out_and_forget_the_browser(page) -> None:
    """Log out and drop every cookie, so a language seen after the next login
    can only come from the account."""
    page.get_by_test_id("user-menu").click()
    page.get_by_test_id("logout").click()
    expect(page.locator("#id_username")).to_be_visible()
    page.context.clear_cookies()


def switch_language(page, code: str) -> None:
    page.get_by_test_id(f"lang-{code}").click()
    expect(page.locator("html")).to_have_attribute("lang", code)


def upload(page, content: bytes, *, mode: str) -> None:
    page.get_by_test_id("import-file").set_input_files(
        files=[{"name": "units.csv", "mimeType": "text/csv", "buffer": content}]
    )
    page.get_by_test_id(f"import-mode-{mode}").check()
    page.get_by_test_id("import-submit").click()


def test_staff_imports_units_in_chinese_and_english(live_server, page, platform_staff, screenshot):
    base = live_server.url
    html = page.locator("html")

    log_in(page, base, platform_staff)
    expect(html).to_have_attribute("lang", "en")

    # The language follows the account, not the browser.
    switch_language(page, "zh-hans")
    log_out_and_forget_the_browser(page)
    log_in(page, base, platform_staff)
    expect(html).to_have_attribute("lang", "zh-hans")
    assert User.objects.get(pk=platform_staff.pk).language == "zh-hans"

    # All or nothing: one unknown model code and nothing is written.
    page.goto(f"{base}/catalog/import/")
    upload(page, CSV_WITH_ONE_BAD_ROW, mode="all_or_nothing")
    report = page.get_by_test_id("import-report")
    expect(report).to_have_attribute("data-written", "false")
    error_rows = page.get_by_test_id("import-error-row")
    expect(error_rows).to_have_count(1)
    expect(error_rows.first).to_have_attribute("data-row", BAD_ROW)
    expect(error_rows.first).to_have_attribute("data-column", "model_code")
    expect(error_rows.first).to_have_attribute("data-code", "catalog.model_unknown")
    expect(error_rows.first).to_contain_text("NO-SUCH-MODEL")
    expect(page.get_by_test_id("import-rejected")).to_be_visible()
    screenshot(page, "report-rejected-zh-hans")
    assert Unit.objects.count() == 0

    # Back to English: the same file is refused the same way, then the valid
    # rows are imported with one click (the chosen file is still in the form).
    switch_language(page, "en")
    upload(page, CSV_WITH_ONE_BAD_ROW, mode="all_or_nothing")
    expect(report).to_have_attribute("data-written", "false")
    expect(page.get_by_test_id("import-error-row")).to_have_count(1)
    screenshot(page, "report-rejected-en")
    assert Unit.objects.count() == 0

    page.get_by_test_id("import-retry-valid-only").click()
    expect(report).to_have_attribute("data-written", "true")
    expect(report).to_have_attribute("data-created", "4")
    expect(page.get_by_test_id("import-written")).to_be_visible()
    expect(page.get_by_test_id("import-error-row")).to_have_count(1)
    screenshot(page, "report-valid-only-en")
    assert sorted(Unit.objects.values_list("serial", flat=True)) == [
        "JRN0000001",
        "JRN0000002",
        "JRN0000004",
        "JRN0000005",
    ]

    # Importing the same file again changes nothing.
    upload(page, CSV_WITH_ONE_BAD_ROW, mode="valid_only")
    expect(report).to_have_attribute("data-created", "0")
    expect(report.locator("[data-total=unchanged]")).to_have_text("4")
    assert Unit.objects.count() == 4

    log_out_and_forget_the_browser(page)
    log_in(page, base, platform_staff)
    expect(html).to_have_attribute("lang", "en")
