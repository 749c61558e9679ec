"""Journey: an anomaly is resolved only after the return unit was called (IV.4).

Three power banks were listed and two arrived: closing the receipt opened an
anomaly and a contact task, and the batch is on hold. The after-sales clerk tries
to resolve the anomaly straight away and is told to call or fax the return unit
first; she records the call (reached, who answered, the number), then resolves
the anomaly with what was agreed, and the batch goes on to testing. In English
and in Chinese.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from sanbao.returns import policy, services
from sanbao.returns.models import BatchStatus, ReturnBatch
from tests.e2e.people import (
    agent_with_power_banks,
    log_in,
    person,
    platform,
    power_banks_in_receipt,
)

pytestmark = pytest.mark.browser

TOLD = {
    "en": "Call or fax the return unit first",
    "zh-hans": "请先通过电话或传真联系返修单位",
}


@pytest.fixture
def on_hold(transactional_db, request) -> tuple[ReturnBatch, object]:
    language = request.param
    agent = agent_with_power_banks(address="Futian District, Shenzhen")
    clerk = person(agent, "agent_clerk", "agent_clerk", first_name="Fang", last_name="Wang")
    staff = person(
        platform(),
        "receipt_clerk",
        "aftersales_staff",
        first_name="Min",
        last_name="Zhao",
        language=language,
    )
    batch = power_banks_in_receipt(clerk, staff)
    for code in [policy.label_code(batch.number, n, 1) for n in (1, 2)]:
        services.receipt_scan(batch=batch, actor=staff, code=code)
    services.receipt_close(batch=batch, actor=staff, received_boxes=1)
    batch.refresh_from_db()
    assert batch.status == BatchStatus.ON_HOLD
    return batch, staff


@pytest.mark.clause("IV.4")
@pytest.mark.parametrize("on_hold", ["en", "zh-hans"], indirect=True)
def test_an_anomaly_is_resolved_only_after_a_logged_call(
    page, live_server, on_hold, screenshot, request
):
    batch, staff = on_hold
    language = request.node.callspec.params["on_hold"]
    log_in(page, live_server.url, staff)
    page.goto(f"{live_server.url}/returns/{batch.number}/")
    anomaly = page.get_by_test_id("anomaly").first
    expect(anomaly).to_have_attribute("data-open", "true")

    # Resolving before anyone called is refused, in the clerk's language.
    anomaly.get_by_test_id("resolve-note").fill("Agreed by phone")
    anomaly.get_by_test_id("resolve-submit").click()
    expect(page.get_by_test_id("batch-error")).to_contain_text(TOLD[language])
    expect(page.get_by_test_id("anomaly").first).to_have_attribute("data-open", "true")
    screenshot(page, f"refused-{language}")

    # The call is logged: it reached the return unit.
    contact = page.get_by_test_id("action-contact")
    contact.locator("select[name$=channel]").select_option("telephone")
    contact.locator("select[name$=outcome]").select_option("reached")
    contact.locator("input[name$=contact_person]").fill("Wang Fang")
    contact.locator("input[name$=number_or_address]").fill("0755 8321 5566")
    contact.get_by_test_id("contact-submit").click()
    expect(page.get_by_test_id("contact-attempt")).to_have_attribute("data-outcome", "reached")

    # Now the anomaly is resolved and the batch goes on to testing.
    anomaly = page.get_by_test_id("anomaly").first
    anomaly.get_by_test_id("resolve-note").fill("One unit was never packed; agreed by phone.")
    anomaly.get_by_test_id("resolve-submit").click()
    expect(page.get_by_test_id("anomaly").first).to_have_attribute("data-open", "false")
    screenshot(page, f"resolved-{language}")
    batch.refresh_from_db()
    assert batch.status != BatchStatus.ON_HOLD
