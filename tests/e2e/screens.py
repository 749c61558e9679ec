"""Screens the journeys look at pages on: a laptop and a phone, and the check that
a page fits its screen (issue 15: no horizontal overflow at 1366 px and 390 px)."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.e2e.people import PASSWORD

LAPTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}

# Parts of the page that scroll sideways inside themselves (a wide table in a
# ``table-responsive``): the page fits, but the phone's user still has to scroll.
SCROLLING_INSIDE = """() => [...document.querySelectorAll("main *")].filter(e => {
    const x = getComputedStyle(e).overflowX;
    return (x === "auto" || x === "scroll") && e.scrollWidth > e.clientWidth + 1;
}).map(e => e.dataset.testid || e.id || e.className)"""


def context_at(browser, viewport: dict, *, locale: str = "en-GB"):
    """A browser context the size of ``viewport``; a phone's is touch and mobile."""
    phone = viewport["width"] < 576
    context = browser.new_context(
        viewport=viewport, locale=locale, has_touch=phone, is_mobile=phone
    )
    context.set_default_timeout(10_000)
    return context


def log_in_at(page, base_url: str, user, password: str = PASSWORD) -> None:
    """Log in at any width: on a phone the user menu is folded into the menu button,
    so it is only attached, not visible."""
    page.goto(f"{base_url}/accounts/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", password)
    page.locator("main button[type=submit]").click()
    expect(page.get_by_test_id("user-menu")).to_be_attached()


def fits(page, viewport: dict, *, inside: bool = True) -> None:
    """The page is no wider than the screen and (``inside``) no part of it scrolls
    sideways.

    Called only once the page shows what the step expects: measuring while a
    navigation is under way finds no document (a flaky failure in CI).
    """
    page.wait_for_load_state()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= viewport["width"], f"{page.url} is {width} px wide at {viewport['width']} px"
    if inside:
        assert page.evaluate(SCROLLING_INSIDE) == [], f"{page.url} scrolls sideways inside"
