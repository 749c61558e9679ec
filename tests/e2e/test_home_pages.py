"""Journey: the home page opens on the work, on a desk and on a phone (issue 15).

After-sales staff of the Sanbao centre log in on a 1366 px screen and on a phone
390 px wide: the page opens on the return batches waiting for them, the overdue
first, each count a link; following "overdue" lists exactly those batches. The
Shenzhen agent's clerk logs in on both too: her batches by state, the soonest due
back, her open anomaly and her on-time rate; the count of batches in transit
opens her list of them. Neither page scrolls sideways at either width.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from sanbao.home.tests import rows
from sanbao.returns.models import BatchStatus as S
from tests.e2e.people import agent_with_power_banks, person, platform
from tests.e2e.screens import LAPTOP, PHONE, context_at, fits, log_in_at

pytestmark = pytest.mark.browser


@pytest.fixture
def people(transactional_db) -> dict:
    """The agent's batches: two overdue under test, one due back today, one on
    hold with an open anomaly and a call to make, two in transit, two sent back
    (one on time, one late)."""
    agent = agent_with_power_banks()
    clerk = person(agent, "agent_clerk", "agent_clerk", first_name="Fang", last_name="Wang")
    staff = person(platform(), "workshop", "aftersales_staff", first_name="Min", last_name="Zhao")
    rows.batches(agent, clerk, S.TESTING, 2, due_on=rows.days(-2))
    rows.batch(agent, clerk, S.RECEIVED, due_on=rows.today())
    held = rows.batch(agent, clerk, S.ON_HOLD)
    rows.anomaly(held)
    rows.contact_task(held)
    rows.batches(agent, clerk, S.SUBMITTED, 2)
    rows.shipped(agent, clerk, late=0)
    rows.shipped(agent, clerk, late=1)
    return {"staff": staff, "clerk": clerk}


@pytest.mark.parametrize("viewport", [LAPTOP, PHONE], ids=["1366", "390"])
def test_after_sales_staff_open_on_the_overdue_batches_and_follow_the_count_to_them(
    browser, live_server, people, viewport, screenshot
):
    context = context_at(browser, viewport)
    page = context.new_page()
    log_in_at(page, live_server.url, people["staff"])
    page.goto(f"{live_server.url}/")
    work = page.get_by_test_id("home-work")
    expect(work).to_be_visible()
    expect(page.get_by_test_id("work-overdue")).to_have_attribute("data-count", "2")
    expect(page.get_by_test_id("work-due-today")).to_have_attribute("data-count", "1")
    expect(page.get_by_test_id("work-to-contact")).to_have_attribute("data-count", "1")
    expect(page.get_by_test_id("work-in-transit")).to_have_attribute("data-count", "2")
    first = work.locator("a").first
    expect(first).to_have_attribute("data-testid", "work-overdue")
    fits(page, viewport)
    screenshot(page, f"home-staff-{viewport['width']}")

    page.get_by_test_id("work-overdue").click()
    expect(page.get_by_test_id("batch-results")).to_be_visible()
    expect(page.get_by_test_id("batch-row")).to_have_count(2)
    expect(page.locator("#id_attention")).to_have_value("overdue")
    context.close()


@pytest.mark.parametrize("viewport", [LAPTOP, PHONE], ids=["1366", "390"])
def test_an_agent_opens_on_its_batches_by_state_and_its_on_time_rate(
    browser, live_server, people, viewport, screenshot
):
    context = context_at(browser, viewport)
    page = context.new_page()
    log_in_at(page, live_server.url, people["clerk"])
    page.goto(f"{live_server.url}/")
    expect(page.get_by_test_id("home-work")).to_be_visible()
    expect(page.get_by_test_id("work-anomalies")).to_have_attribute("data-count", "1")
    expect(page.get_by_test_id("work-state-submitted")).to_have_attribute("data-count", "2")
    expect(page.get_by_test_id("next-due")).to_have_count(3)
    on_time = page.get_by_test_id("home-on-time")
    # One sent back on time; one late and two overdue.
    expect(on_time).to_have_attribute("data-on-time", "1")
    expect(on_time).to_have_attribute("data-judged", "4")
    expect(page.get_by_test_id("on-time-rate")).to_have_text("25%")
    fits(page, viewport)
    screenshot(page, f"home-agent-{viewport['width']}")

    page.get_by_test_id("work-state-submitted").click()
    expect(page.get_by_test_id("batch-results")).to_be_visible()
    expect(page.get_by_test_id("batch-row")).to_have_count(2)
    context.close()
