"""What every journey does with its people: one password, logging in and out."""

from __future__ import annotations

from playwright.sync_api import expect

PASSWORD = "journey-password-1"


def log_in(page, base_url: str, user) -> None:
    page.goto(f"{base_url}/accounts/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.locator("main button[type=submit]").click()
    expect(page.get_by_test_id("user-menu")).to_be_visible()


def log_out(page) -> None:
    page.get_by_test_id("user-menu").click()
    page.get_by_test_id("logout").click()
    expect(page.get_by_test_id("user-menu")).to_have_count(0)


def person(organisation, username: str, role: str, **fields):
    """A user of ``organisation`` who logs in with the journeys' password."""
    from sanbao.accounts.services import user_create

    return user_create(
        actor=None,
        organisation=organisation,
        username=username,
        password=PASSWORD,
        role=role,
        **fields,
    )
