"""The new-batch form keeps what the user entered while a line's accessories are
re-rendered (IV.P1).

Choosing a line's model asks the server for the accessories its category requires
and swaps that cell. On a slow connection or a loaded server the user goes on
ticking boxes in the cell before the answer comes back; the answer was built from
the values sent, so those ticks must be carried over, not thrown away, or the batch
is refused for a missing data cable. Here every answer to such a request is held
back until the boxes have been ticked, so the test does not depend on timing.
"""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from sanbao.accounts.models import Organisation
from sanbao.accounts.roles import OrgKind
from sanbao.catalog.models import Category, ProductModel
from sanbao.returns.models import ReturnBatch
from tests.e2e.people import log_in, person

pytestmark = pytest.mark.browser


@pytest.fixture
def clerk(transactional_db):
    """An agent's clerk; power banks require their data cable, chargers their plug
    adapter (IV.P1)."""
    agent = Organisation.objects.create(
        code="AG-SZ01", kind=OrgKind.AGENT, name_en="Shenzhen Digital", name_zh="深圳数码"
    )
    for category, accessory, model, watts in [
        ("power-bank", "data cable", "PB-10K", "22.5"),
        ("charger", "plug adapter", "CH-65W", "65"),
    ]:
        ProductModel.objects.create(
            code=model,
            name_en=model,
            name_zh=model,
            category=Category.objects.create(
                code=category, name_en=category, name_zh=category, required_accessories=[accessory]
            ),
            rated_output_w=Decimal(watts),
        )
    return person(
        agent,
        "agent_clerk",
        "agent_clerk",
        first_name="Fang",
        phone="0755 8321 5566",
        language="en",
    )


class HeldAnswers:
    """Holds back the server's answer to each request for a line's accessories until
    ``release`` is called: the slowest connection there is."""

    def __init__(self, page):
        self.page = page
        self.held = []
        page.route("**/returns/new/", self.handle)

    def handle(self, route):
        target = route.request.headers.get("hx-target", "")
        if route.request.method == "POST" and target.startswith("line-accessories-"):
            self.held.append(route)
        else:
            route.continue_()

    def release(self, cell) -> None:
        """Let the held request through and wait until ``cell`` has been replaced."""
        old = cell.element_handle()
        for _attempt in range(400):  # the handler runs while Playwright dispatches
            if self.held:
                break
            self.page.wait_for_timeout(25)
        assert len(self.held) == 1, "the accessories request was not sent"
        self.held.pop().continue_()
        self.page.wait_for_function("cell => !cell.isConnected", arg=old)


def choose_model(row, model: str) -> None:
    """Choose the line's model and wait until its request has left the page."""
    select = row.get_by_test_id("line-model")
    select.select_option(model)
    expect(select).to_have_class(re.compile(r"(^|\s)htmx-request(\s|$)"))


def box(row, accessory: str):
    return row.locator(f"[data-testid=line-accessory][value='{accessory}']")


def test_boxes_ticked_while_the_accessories_load_are_kept_and_the_batch_is_accepted(
    live_server, page, clerk
):
    base = live_server.url
    log_in(page, base, clerk)
    answers = HeldAnswers(page)
    page.goto(f"{base}/returns/new/")
    expect(page.get_by_test_id("batch-form")).to_be_visible()
    page.fill("#id_declared_units", "3")
    page.fill("#id_declared_boxes", "2")
    page.fill("#id_carrier", "SF Express")
    page.fill("#id_waybill_no", "SF1234567890")
    rows = [page.locator(f"#line-row-{i}") for i in range(3)]
    cells = [row.get_by_test_id("line-accessories") for row in rows]

    # Line 1: the cable is ticked after the request left.
    choose_model(rows[0], "PB-10K")
    box(rows[0], "data cable").check()
    answers.release(cells[0])
    expect(box(rows[0], "data cable")).to_be_checked()

    # Line 2: a power bank packed with a plug adapter too, both ticked in flight;
    # the answer no longer offers the adapter, yet the tick and its label stay.
    choose_model(rows[1], "PB-10K")
    box(rows[1], "data cable").check()
    box(rows[1], "plug adapter").check()
    answers.release(cells[1])
    expect(box(rows[1], "data cable")).to_be_checked()
    expect(box(rows[1], "plug adapter")).to_be_checked()
    expect(cells[1].get_by_label("plug adapter")).to_be_checked()

    # Line 3: a charger. The cable ticked before choosing goes with the request and
    # is unticked in flight; the adapter is ticked and a manual typed in flight.
    box(rows[2], "data cable").check()
    choose_model(rows[2], "CH-65W")
    box(rows[2], "data cable").uncheck()
    box(rows[2], "plug adapter").check()
    page.fill("#id_lines-2-accessories_other", "manual")
    answers.release(cells[2])
    expect(box(rows[2], "data cable")).not_to_be_checked()
    expect(box(rows[2], "plug adapter")).to_be_checked()
    expect(page.locator("#id_lines-2-accessories_other")).to_have_value("manual")

    for i, fault in enumerate(["No output", "Does not charge", "No output"]):
        page.fill(f"#id_lines-{i}-fault", fault)
    page.fill("#id_lines-2-box_no", "2")  # one box holds one category (IV.P3)
    page.get_by_test_id("batch-save").click()
    body = page.get_by_test_id("batch-body")
    expect(body).to_have_attribute("data-status", "draft")
    expect(page.get_by_test_id("packing-check")).to_have_attribute("data-blocking", "false")
    page.get_by_test_id("submit-batch").click()
    expect(body).to_have_attribute("data-status", "submitted")

    batch = ReturnBatch.objects.get()
    lines = [sorted(line.accessories) for line in batch.lines.order_by("line_no")]
    assert lines == [["data cable"], ["data cable", "plug adapter"], ["manual", "plug adapter"]]
