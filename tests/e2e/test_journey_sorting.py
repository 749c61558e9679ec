"""Journey: sorting a list (issue 15 item 2).

On a laptop, after-sales staff open the return batches, newest first, click the
"Batch" header: the list is in number order, the header says so (``aria-sort``)
and the address keeps the order; a second click reverses it, and a filter chosen
next keeps the order (the form's select follows the header). On a phone, where the
table's header row is hidden, the agent's clerk (in Chinese) chooses the order in
the filter form's "Sort by" select; the page still fits the screen.
"""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from sanbao.returns import services
from sanbao.returns.services import LineIn
from tests.e2e.people import agent_with_power_banks, person, platform
from tests.e2e.screens import LAPTOP, PHONE, context_at, fits, log_in_at

pytestmark = pytest.mark.browser


@pytest.fixture
def batches_and_people(transactional_db):
    agent = agent_with_power_banks()
    clerk = person(agent, "agent_clerk", "agent_clerk", first_name="Fang", language="zh-hans")
    staff = person(platform(), "receiving", "aftersales_staff", first_name="Min", language="en")
    made = []
    for n in range(3):
        line = LineIn(
            model_code="PB-10K",
            quantity=1,
            fault="Does not charge",
            box_no=1,
            serial=f"PB10K-0050{n}",
            accessories=["data cable"],
        )
        batch = services.batch_create(
            actor=clerk,
            lines=[line],
            declared_units=1,
            declared_boxes=1,
            packed_on=timezone.localdate(),
            contact_person="Wang Fang",
            contact_phone="0755 8321 5566",
            carrier="SF Express",
            waybill_no=f"SF73000005{n}",
        )
        made.append(services.batch_submit(batch=batch, actor=clerk).number)
    return made, clerk, staff


def numbers(page) -> list[str]:
    rows = page.get_by_test_id("batch-row")
    return [rows.nth(i).get_attribute("data-number") for i in range(rows.count())]


def test_staff_sort_the_batches_by_their_headers_and_the_clerk_by_the_select_on_a_phone(
    browser, live_server, batches_and_people
):
    made, clerk, staff = batches_and_people
    in_order = sorted(made)
    url = live_server.url + reverse("returns:batch_list")
    context = context_at(browser, LAPTOP)
    page = context.new_page()
    log_in_at(page, live_server.url, staff)
    page.goto(url)
    assert numbers(page) == made[::-1]  # newest first

    header = page.locator("th", has=page.get_by_role("link", name="Batch", exact=True))
    header.get_by_role("link").click()
    expect(header).to_have_attribute("aria-sort", "ascending")
    assert numbers(page) == in_order
    assert "sort=number" in page.url
    header.get_by_role("link").click()
    expect(header).to_have_attribute("aria-sort", "descending")
    assert numbers(page) == in_order[::-1]
    assert "sort=-number" in page.url
    # The filter form keeps the order chosen: a filter sent next does not undo it.
    expect(page.locator("#id_sort")).to_have_value("-number")
    page.locator("#id_status").select_option("submitted")
    expect(page).to_have_url(re.compile(r"status=submitted"))
    assert "sort=-number" in page.url
    assert numbers(page) == in_order[::-1]
    context.close()

    phone = context_at(browser, PHONE, locale="zh-CN")
    page = phone.new_page()
    log_in_at(page, live_server.url, clerk)
    page.goto(url)
    expect(page.locator("thead")).to_be_hidden()
    page.locator("#id_sort").select_option("number")
    expect(page.get_by_test_id("batch-row").first).to_have_attribute("data-number", in_order[0])
    assert numbers(page) == in_order
    fits(page, PHONE)
    phone.close()
