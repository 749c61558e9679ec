"""The dashboard in a browser (issue 15 items 3, 4): an after-sales manager opens it
in English on a 1366 px screen and reads the quality signal of the power bank whose
fault rate tripled in July 2026, with its serials; in Chinese on a phone 390 px wide
the same page fits the screen, its charts scaled to it (wide tables scroll inside
their own box)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from sanbao.insights.tests.data import Shop, quality_scenario
from tests.e2e.people import PASSWORD, person, platform, shenzhen_agent

pytestmark = pytest.mark.browser

WIDE = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}

# How far the page's own content (``main``) reaches beyond the window, and the
# widest chart against its card.
MAIN_OVERFLOW = """() => {
    const main = document.querySelector("main");
    return main.scrollWidth - main.clientWidth;
}"""
CHARTS_FIT = """() => [...document.querySelectorAll("svg.chart")].every(svg =>
    svg.getBoundingClientRect().right <= svg.closest(".card").getBoundingClientRect().right)"""


@pytest.fixture
def manager(transactional_db, settings):
    # Counted on every request: the cache's table outlives a transactional test.
    settings.SANBAO_DASHBOARD_CACHE_SECONDS = 0
    staff = person(platform(), "quality_manager", "aftersales_manager", language="en")
    quality_scenario(Shop(handler=staff, return_org=shenzhen_agent()))
    return staff


def _open_dashboard(browser, base: str, user, viewport) -> object:
    context = browser.new_context(viewport=viewport, locale="en-GB")
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.locator("main button[type=submit]").click()
    expect(page.get_by_test_id("user-menu")).to_be_attached()
    page.goto(f"{base}/dashboard/")
    expect(page.get_by_test_id("figure-quality")).to_be_visible()
    page.wait_for_load_state()
    return page


def test_the_manager_reads_the_quality_signal_on_a_wide_screen_and_a_phone(
    browser, live_server, manager, screenshot
):
    page = _open_dashboard(browser, live_server.url, manager, WIDE)
    table = page.get_by_test_id("table-quality")
    expect(table).to_contain_text("PX-202607-0010 – PX-202607-0015")
    expect(table).to_contain_text("well above its own history, well above its category")
    expect(page.get_by_test_id("chart-quality").locator("svg title").first).to_have_text(
        "Quality signals"
    )
    assert page.evaluate(MAIN_OVERFLOW) <= 0
    assert page.evaluate(CHARTS_FIT)
    screenshot(page, "dashboard-en")
    page.context.close()

    manager.language = "zh-hans"
    manager.save(update_fields=["language"])
    page = _open_dashboard(browser, live_server.url, manager, PHONE)
    expect(page.get_by_test_id("table-quality")).to_contain_text("明显高于本型号以往")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the dashboard is {width} px wide at 390 px"
    assert page.evaluate(CHARTS_FIT)
    screenshot(page, "dashboard-phone-zh-hans")
    page.context.close()
