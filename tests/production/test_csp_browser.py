"""The Content-Security-Policy in a real browser (issue 13 item 8): Debian's chromium
opens Sanbao's main pages, logged in, and uses the htmx parts of them (a list's
filters, a form whose rows htmx replaces), and the browser refuses nothing: no
"Refused to …" message on the console and no ``securitypolicyviolation`` event.
tests/production/test_csp.py checks the pages' source; this checks what the
browser itself does with them, htmx and Bootstrap included.

Skipped when chromium is missing, unless SANBAO_REQUIRE_BROWSER=1 (the e2e
journeys' convention, whose fixtures these are)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from sanbao.returns.tests.conftest import labels, pb_lines, receiving, scan
from sanbao.testkit.cast import CAST_PASSWORD
from tests.isolation import world as agent_a_world

pytestmark = pytest.mark.browser

# Every page records the violations the browser reports to the page itself.
WATCH = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__csp.push(e.violatedDirective + " " + (e.blockedURI || "inline") + " " +
    (e.sourceFile || "") + ":" + e.lineNumber);
});
"""
REFUSED = re.compile(r"Content Security Policy|Refused to", re.I)


@pytest.fixture
def world(transactional_db, cast, monkeypatch):
    world = agent_a_world.build(cast, monkeypatch)
    # A batch whose receipt is open with two of its three units scanned: the receipt's
    # progress bar, whose width sanbao.js sets.
    batch = receiving(cast.agent_a_clerk, cast.platform_staff, pb_lines(3, box=7))
    scan(batch, cast.platform_staff, labels(batch)[:2])
    world.values["receiving_batch"] = batch.number
    return world


class Watched:
    """A browser page whose console and policy violations are collected."""

    def __init__(self, page, base_url: str):
        self.page = page
        self.base = base_url
        self.refused: list[str] = []
        page.add_init_script(WATCH)
        page.on("console", self._console)

    def _console(self, message) -> None:
        if REFUSED.search(message.text):
            self.refused.append(f"{self.page.url}: console: {message.text}")

    def open(self, path: str) -> None:
        response = self.page.goto(self.base + path)
        assert response is not None and response.status == 200, (path, response and response.status)
        assert "Content-Security-Policy" in response.headers or (
            "content-security-policy" in response.headers
        )
        self.page.wait_for_load_state("networkidle")
        self.collect()

    def collect(self) -> None:
        for violation in self.page.evaluate("window.__csp || []"):
            self.refused.append(f"{self.page.url}: event: {violation}")
        self.page.evaluate("window.__csp = []")


def is_htmx(response) -> bool:
    return response.request.headers.get("hx-request") == "true"


def log_in(watched: Watched, user) -> None:
    watched.open("/accounts/login/")
    watched.page.fill("#id_username", user.username)
    watched.page.fill("#id_password", CAST_PASSWORD)
    watched.page.locator("main button[type=submit]").click()
    expect(watched.page.get_by_test_id("user-menu")).to_be_visible()
    watched.collect()


def test_the_browser_refuses_nothing_on_the_main_pages(live_server, page, world, cast):
    v = world.values
    watched = Watched(page, live_server.url)
    log_in(watched, cast.platform_staff)
    for path in (
        "/",
        "/claims/",
        f"/claims/{v['claim']}/",
        f"/claims/{v['photo_claim']}/",
        "/claims/new/",
        "/returns/",
        f"/returns/{v['batch']}/",
        f"/returns/{v['batch']}/units/1/",
        f"/returns/shipments/{v['shipment']}/",
        f"/deliveries/{v['delivery']}/",
        f"/deliveries/declarations/{v['declaration']}/",
        "/api/v1/docs",  # Swagger UI, served from the static files
    ):
        watched.open(path)

    # The receipt: the progress bar is two thirds wide (sanbao.js, not a style attribute).
    watched.open(f"/returns/{v['receiving_batch']}/receipt/")
    bar = page.locator(".progress-bar").first
    track = page.locator(".progress").first
    ratio = bar.evaluate("b => b.getBoundingClientRect().width") / track.evaluate(
        "t => t.getBoundingClientRect().width"
    )
    assert 0.6 < ratio < 0.72, ratio

    # htmx: a list's filters replace its results as the user types.
    watched.open("/catalog/units/")
    filters = page.get_by_test_id("unit-filters")
    with page.expect_response(is_htmx):
        filters.locator("input[type=search]").first.fill("SBA")
    page.wait_for_load_state("networkidle")
    watched.collect()

    assert watched.refused == [], "\n".join(watched.refused)


def test_the_browser_refuses_nothing_on_an_agents_htmx_form(live_server, page, world, cast):
    watched = Watched(page, live_server.url)
    log_in(watched, cast.agent_a_clerk)
    watched.open("/")
    watched.open("/claims/")
    # The packing list: choosing a line's model makes htmx replace its accessories.
    watched.open("/returns/new/")
    row = page.locator("#line-row-0")
    with page.expect_response(is_htmx):
        row.get_by_test_id("line-model").select_option("PB10K")
    page.wait_for_load_state("networkidle")
    watched.collect()
    assert watched.refused == [], "\n".join(watched.refused)
