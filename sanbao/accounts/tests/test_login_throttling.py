"""Login throttling (issue 13 item 3, django-axes): wrong passwords lock the account
and the address for a cool-off, on the login page and on /admin/login/ alike, in
the visitor's language; a right password before the limit clears the count."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.test import Client
from django.urls import reverse

from sanbao.testkit.cast import CAST_PASSWORD
from sanbao.testkit.responses import html

LOGIN = reverse("accounts:login")
ADMIN_LOGIN = reverse("admin:login")
ATTACKER = "203.0.113.66"


def log_in(username, password, *, ip=ATTACKER, url=LOGIN, client=None):
    client = client or Client()
    response = client.post(url, {"username": username, "password": password}, REMOTE_ADDR=ip)
    return client, response


def is_logged_in(client) -> bool:
    return SESSION_KEY in client.session


def is_locked_out(response) -> bool:
    return response.status_code == 429 and 'data-testid="locked-out"' in html(response)


def fail(username, times, *, ip=ATTACKER, url=LOGIN):
    for _ in range(times):
        _client, response = log_in(username, "wrong-password", ip=ip, url=url)
        assert response.status_code in (200, 429)


@pytest.mark.django_db
def test_forty_wrong_passwords_and_then_the_right_one_does_not_log_in(agent_a_clerk):
    fail(agent_a_clerk.username, 40)
    client, response = log_in(agent_a_clerk.username, CAST_PASSWORD)
    assert is_locked_out(response)
    assert not is_logged_in(client)


@pytest.mark.django_db
def test_the_admin_login_is_throttled_too(administrator):
    administrator.is_staff = administrator.is_superuser = True
    administrator.save()
    fail(administrator.username, 40, url=ADMIN_LOGIN)
    client, response = log_in(administrator.username, CAST_PASSWORD, url=ADMIN_LOGIN)
    assert is_locked_out(response)
    assert not is_logged_in(client)


@pytest.mark.django_db
def test_the_lock_counts_failures_on_the_login_page_and_the_admin_login_together(administrator):
    administrator.is_staff = administrator.is_superuser = True
    administrator.save()
    fail(administrator.username, settings.AXES_FAILURE_LIMIT, url=LOGIN)
    _client, response = log_in(administrator.username, CAST_PASSWORD, url=ADMIN_LOGIN)
    assert is_locked_out(response)


@pytest.mark.django_db
def test_an_account_is_locked_whichever_addresses_the_failures_came_from(agent_a_clerk):
    for n in range(settings.AXES_FAILURE_LIMIT):
        fail(agent_a_clerk.username, 1, ip=f"198.51.100.{n + 1}")
    client, response = log_in(agent_a_clerk.username, CAST_PASSWORD, ip="192.0.2.200")
    assert is_locked_out(response)
    assert not is_logged_in(client)


@pytest.mark.django_db
def test_an_address_trying_many_accounts_is_locked_for_every_account(
    agent_a_clerk, agent_b_clerk, platform_staff
):
    for n in range(settings.AXES_FAILURE_LIMIT):
        fail(f"guessed-user-{n}", 1)
    _client, response = log_in(agent_a_clerk.username, CAST_PASSWORD)
    assert is_locked_out(response)
    # The same account from another address, untouched by the failures, logs in.
    client, _response = log_in(agent_b_clerk.username, CAST_PASSWORD, ip="192.0.2.10")
    assert is_logged_in(client)


@pytest.mark.django_db
def test_one_failure_fewer_than_the_limit_still_logs_in_and_clears_the_count(agent_a_clerk):
    fail(agent_a_clerk.username, settings.AXES_FAILURE_LIMIT - 1)
    client, response = log_in(agent_a_clerk.username, CAST_PASSWORD)
    assert response.status_code == 302 and is_logged_in(client)
    # Cleared: as many failures again are still allowed.
    fail(agent_a_clerk.username, settings.AXES_FAILURE_LIMIT - 1)
    client, _response = log_in(agent_a_clerk.username, CAST_PASSWORD)
    assert is_logged_in(client)


@pytest.mark.django_db
def test_the_failures_allowed_and_the_cool_off_are_settings(agent_a_clerk, settings):
    settings.AXES_FAILURE_LIMIT = 2
    settings.AXES_COOLOFF_TIME = dt.timedelta(minutes=30)
    fail(agent_a_clerk.username, 2)
    _client, response = log_in(agent_a_clerk.username, CAST_PASSWORD)
    assert is_locked_out(response)
    assert response["Retry-After"] == str(30 * 60)
    assert "30 minutes" in html(response)


@pytest.mark.django_db
def test_after_the_cool_off_the_right_password_logs_in(agent_a_clerk):
    fail(agent_a_clerk.username, settings.AXES_FAILURE_LIMIT)
    assert is_locked_out(log_in(agent_a_clerk.username, CAST_PASSWORD)[1])
    from axes.models import AccessAttempt

    # The cool-off passes: every failure is now older than it.
    long_ago = settings.AXES_COOLOFF_TIME + dt.timedelta(minutes=1)
    for attempt in AccessAttempt.objects.all():
        AccessAttempt.objects.filter(pk=attempt.pk).update(
            attempt_time=attempt.attempt_time - long_ago
        )
    client, _response = log_in(agent_a_clerk.username, CAST_PASSWORD)
    assert is_logged_in(client)


@pytest.mark.django_db
def test_the_lockout_page_is_in_the_visitors_language(agent_a_clerk):
    fail(agent_a_clerk.username, settings.AXES_FAILURE_LIMIT)
    english = log_in(agent_a_clerk.username, CAST_PASSWORD)[1]
    assert is_locked_out(english)
    assert "Too many failed logins" in html(english)

    client = Client()
    client.cookies["sanbao_language"] = "zh-hans"
    chinese = log_in(agent_a_clerk.username, CAST_PASSWORD, client=client)[1]
    assert is_locked_out(chinese)
    assert '<html lang="zh-hans">' in html(chinese)
    assert "登录失败次数过多" in html(chinese)


@pytest.mark.django_db
def test_the_lockout_page_says_nothing_about_whether_the_account_exists(agent_a_clerk):
    fail(agent_a_clerk.username, settings.AXES_FAILURE_LIMIT, ip="198.51.100.1")
    fail("nobody-by-this-name", settings.AXES_FAILURE_LIMIT, ip="198.51.100.2")
    real = log_in(agent_a_clerk.username, CAST_PASSWORD, ip="198.51.100.1")[1]
    made_up = log_in("nobody-by-this-name", CAST_PASSWORD, ip="198.51.100.2")[1]
    assert is_locked_out(real) and is_locked_out(made_up)
    assert agent_a_clerk.username not in html(real)


@pytest.mark.django_db
def test_a_successful_login_keeps_no_record_of_the_address(agent_a_clerk):
    from axes.models import AccessAttempt, AccessLog

    fail(agent_a_clerk.username, 1)
    client, _response = log_in(agent_a_clerk.username, CAST_PASSWORD)
    assert is_logged_in(client)
    assert not AccessLog.objects.exists()
    assert not AccessAttempt.objects.exists()  # the failure is cleared by the success
