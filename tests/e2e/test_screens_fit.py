"""Issue 15 item 6: the list pages, the claim pages and the home pages fit a phone
(390 px) and a laptop (1366 px): the page is no wider than the screen and no table
scrolls sideways inside it (on a phone a list's rows are stacked, "label: value").

The demo data fills every list, in the roles that see each one."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from sanbao.claims.models import Claim
from sanbao.demo.loading import load
from sanbao.demo.people import DEMO_PASSWORD
from sanbao.returns.models import ReturnBatch
from tests.e2e.screens import LAPTOP, PHONE, context_at, fits, log_in_at

pytestmark = pytest.mark.browser

LISTS = {
    "staff": [
        "/",
        "/claims/",
        "/returns/",
        "/returns/queue/",
        "/returns/shipments/",
        "/returns/anomalies/",
        "/deliveries/",
        "/deliveries/declarations/",
        "/catalog/units/",
        "/catalog/models/",
        "/catalog/categories/",
        "/claims/retained-parts/",
        "/accounts/organisations/",
        "/accounts/tokens/",
        "/calendar/",
    ],
    "manager": [
        "/",
        "/dashboard/",
        "/returns/queue/",
        "/audit/",
        "/statements/",
        "/accounts/legal-holds/",
        "/statements/records/",
    ],
    "agent_sz": ["/", "/claims/", "/returns/", "/returns/shipments/", "/deliveries/"],
    "outlet": ["/", "/claims/", "/claims/retained-parts/"],
}


@pytest.fixture
def demo(transactional_db):
    load()
    from django.contrib.auth import get_user_model

    return {user.username: user for user in get_user_model().objects.all()}


def _records(username: str) -> list[str]:
    """A few of the claim and batch pages this user sees."""
    claims = Claim.objects.order_by("number")
    batches = ReturnBatch.objects.order_by("number")
    if username == "agent_sz":
        claims = claims.filter(claimant_org__code__startswith="AG-SZ")
        batches = batches.filter(return_org__code__startswith="AG-SZ")
    if username == "outlet":
        claims = claims.filter(handling_org__kind="service_outlet")
        batches = batches.none()
    return [f"/claims/{c.number}/" for c in claims] + [f"/returns/{b.number}/" for b in batches]


@pytest.mark.parametrize("screen", [PHONE, LAPTOP], ids=["phone", "laptop"])
@pytest.mark.parametrize("username", list(LISTS))
def test_every_list_claim_and_home_page_fits_the_screen(
    browser, live_server, demo, username, screen
):
    context = context_at(browser, screen)
    page = context.new_page()
    log_in_at(page, live_server.url, demo[username], DEMO_PASSWORD)
    paths = LISTS[username] + _records(username)
    assert any(p.startswith("/claims/C") for p in paths), "the demo has claims to look at"
    for path in paths:
        page.goto(f"{live_server.url}{path}")
        expect(page.locator("main")).to_be_visible()
        fits(page, screen)
    context.close()
