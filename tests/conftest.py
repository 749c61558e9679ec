"""The browser, for the e2e journeys and the CSP check in chromium
(tests/production/test_csp_browser.py): Playwright's sync API driving Debian's
chromium against pytest-django's ``live_server``. Defined once, here: a second
session-scoped copy in one worker would start a second Playwright inside the
first one's event loop, which Playwright refuses.

Playwright runs an event loop in the test's thread, so Django's ORM, which the
tests use to arrange data and check what was written, must be told that this is
safe here.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
RESULTS = Path(__file__).resolve().parents[1] / "test-results" / "e2e"


@pytest.fixture(scope="session")
def browser() -> Iterator:
    if not CHROMIUM.exists():
        reason = f"{CHROMIUM} is not installed"
        if os.environ.get("SANBAO_REQUIRE_BROWSER") == "1":
            pytest.fail(f"{reason} and SANBAO_REQUIRE_BROWSER=1")
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser) -> Iterator:
    # No locale of the machine leaks in: the journey chooses the language itself.
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="en-GB")
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def screenshot(request) -> Callable:
    """``screenshot(page, "report-en")`` saves a full-page PNG under
    ``test-results/e2e/<test name>/`` (kept after the run, ignored by git)."""
    folder = RESULTS / re.sub(r"[^\w.-]+", "_", request.node.name)
    folder.mkdir(parents=True, exist_ok=True)

    def take(page, name: str) -> Path:
        path = folder / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take
