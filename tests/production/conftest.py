"""The browser fixtures of the e2e journeys (Debian's chromium through Playwright),
shared by tests/production/test_csp_browser.py."""

from tests.e2e.conftest import browser, page, screenshot  # noqa: F401
