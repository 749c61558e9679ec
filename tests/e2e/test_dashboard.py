"""The dashboard in a browser (issue 15 items 3, 4): an after-sales manager opens it
in English on a 1366 px screen and reads the quality signal of the power bank whose
fault rate tripled in July 2026, with its serials; in Chinese on a phone 390 px wide
the same page fits the screen, its charts scaled to it and its tables' rows stacked;
on both screens nothing is wider than the window and nothing scrolls sideways."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from sanbao.insights.tests.data import Shop, quality_scenario
from tests.e2e.people import person, platform, shenzhen_agent
from tests.e2e.screens import LAPTOP, PHONE, context_at, fits, log_in_at

pytestmark = pytest.mark.browser

# The widest chart against its card.
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
    page = context_at(browser, viewport).new_page()
    log_in_at(page, base, user)
    page.goto(f"{base}/dashboard/")
    expect(page.get_by_test_id("figure-quality")).to_be_visible()
    return page


def test_the_manager_reads_the_quality_signal_on_a_wide_screen_and_a_phone(
    browser, live_server, manager, screenshot
):
    page = _open_dashboard(browser, live_server.url, manager, LAPTOP)
    table = page.get_by_test_id("table-quality")
    expect(table).to_contain_text("PX-202607-0010 – PX-202607-0015")
    expect(table).to_contain_text("well above its own history, well above its category")
    expect(page.get_by_test_id("chart-quality").locator("svg title").first).to_have_text(
        "Quality signals"
    )
    fits(page, LAPTOP)
    assert page.evaluate(CHARTS_FIT)
    screenshot(page, "dashboard-en")
    page.context.close()

    manager.language = "zh-hans"
    manager.save(update_fields=["language"])
    page = _open_dashboard(browser, live_server.url, manager, PHONE)
    expect(page.get_by_test_id("table-quality")).to_contain_text("明显高于本型号以往")
    fits(page, PHONE)
    assert page.evaluate(CHARTS_FIT)
    screenshot(page, "dashboard-phone-zh-hans")
    page.context.close()
