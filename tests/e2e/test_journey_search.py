"""Journey: the search box in the top bar (issue 15).

On a laptop 1366 px wide, after-sales staff working in English (the longest menu
of the two languages) type a return batch's number, in small letters, into the
box beside the menu and land on the batch; a waybill the batch and nothing else
carries does the same. On a phone 390 px wide, the agent's clerk working in
Chinese opens the folded menu, finds the box at its top, types the batch number
and lands on the batch; a number that is nobody's says that nothing was found.
Neither page is wider than the window.
"""

from __future__ import annotations

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from sanbao.returns import services
from sanbao.returns.services import LineIn
from tests.e2e.people import agent_with_power_banks, person, platform
from tests.e2e.screens import LAPTOP, PHONE, context_at, fits, log_in_at

pytestmark = pytest.mark.browser

WAYBILL = "SF7300000418"


@pytest.fixture
def batch_and_people(transactional_db):
    agent = agent_with_power_banks()
    clerk = person(agent, "agent_clerk", "agent_clerk", first_name="Fang", language="zh-hans")
    staff = person(platform(), "receiving", "aftersales_staff", first_name="Min", language="en")
    lines = [
        LineIn(
            model_code="PB-10K",
            quantity=1,
            fault="Does not charge",
            box_no=1,
            serial="PB10K-00418",
            accessories=["data cable"],
        )
    ]
    batch = services.batch_create(
        actor=clerk,
        lines=lines,
        declared_units=1,
        declared_boxes=1,
        packed_on=timezone.localdate(),
        contact_person="Wang Fang",
        contact_phone="0755 8321 5566",
        carrier="SF Express",
        waybill_no=WAYBILL,
    )
    return services.batch_submit(batch=batch, actor=clerk), clerk, staff


def _search(page, text: str) -> None:
    box = page.get_by_test_id("search-box")
    box.fill(text)
    box.press("Enter")


def test_staff_on_a_laptop_find_a_batch_by_its_number_and_by_its_waybill(
    browser, live_server, batch_and_people, screenshot
):
    batch, _clerk, staff = batch_and_people
    context = context_at(browser, LAPTOP)
    page = context.new_page()
    log_in_at(page, live_server.url, staff)
    expect(page.get_by_test_id("search-box")).to_be_visible()
    fits(page, LAPTOP, inside=False)

    _search(page, batch.number.lower())
    expect(page.get_by_test_id("batch-number")).to_have_text(batch.number)
    assert page.url.endswith(f"/returns/{batch.number}/")
    fits(page, LAPTOP, inside=False)

    page.goto(f"{live_server.url}/deliveries/")
    _search(page, WAYBILL)
    expect(page.get_by_test_id("batch-number")).to_have_text(batch.number)
    fits(page, LAPTOP, inside=False)
    screenshot(page, "batch-found-1366-en")
    context.close()


def test_an_agents_clerk_on_a_phone_finds_a_batch_from_the_folded_menu(
    browser, live_server, batch_and_people, screenshot
):
    batch, clerk, _staff = batch_and_people
    context = context_at(browser, PHONE)
    page = context.new_page()
    log_in_at(page, live_server.url, clerk)
    # The box is folded into the menu button with the menu, at its top.
    expect(page.get_by_test_id("search-box")).to_be_hidden()
    page.locator(".navbar-toggler").click()
    expect(page.locator("#mainnav")).to_have_class("navbar-collapse collapse show")
    expect(page.get_by_test_id("search-box")).to_be_visible()
    fits(page, PHONE, inside=False)

    _search(page, f" {batch.number} ")
    expect(page.get_by_test_id("batch-number")).to_have_text(batch.number)
    fits(page, PHONE, inside=False)

    page.locator(".navbar-toggler").click()
    expect(page.locator("#mainnav")).to_have_class("navbar-collapse collapse show")
    _search(page, "R0000-NOBODY")
    expect(page.get_by_test_id("search-nothing")).to_contain_text("R0000-NOBODY")
    expect(page.get_by_test_id("search-nothing")).to_contain_text("未找到")
    fits(page, PHONE, inside=False)
    screenshot(page, "nothing-found-390-zh-hans")
    context.close()
