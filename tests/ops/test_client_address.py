"""The client's address behind a reverse proxy (sanbao.core.clients): X-Real-IP and
X-Forwarded-For are believed only from SANBAO_TRUSTED_PROXIES, and the public status
page's limit and django-axes' lockout count each client on its own."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.cache import cache
from django.test import Client, RequestFactory

from sanbao.core.clients import client_address
from sanbao.testkit.responses import html

ROOT = Path(__file__).resolve().parents[2]
PROXY = "10.0.0.5"
STATUS = "/status/"
LOGIN = "/accounts/login/"


def address(remote, **headers) -> str:
    return client_address(RequestFactory().get("/", REMOTE_ADDR=remote, **headers))


@pytest.fixture
def behind_proxy(settings):
    settings.SANBAO_TRUSTED_PROXIES = ["10.0.0.0/24", "127.0.0.1"]
    return settings


def test_without_trusted_proxies_the_headers_are_ignored(settings):
    settings.SANBAO_TRUSTED_PROXIES = []
    assert address(PROXY, HTTP_X_REAL_IP="198.51.100.1") == PROXY
    assert address(PROXY, HTTP_X_FORWARDED_FOR="198.51.100.1") == PROXY


def test_a_trusted_proxy_names_the_client_in_x_real_ip(behind_proxy):
    assert address(PROXY, HTTP_X_REAL_IP="198.51.100.1") == "198.51.100.1"
    assert address("127.0.0.1", HTTP_X_REAL_IP=" 2001:db8::1 ") == "2001:db8::1"


def test_an_untrusted_senders_x_real_ip_and_x_forwarded_for_are_ignored(behind_proxy):
    sender = "203.0.113.9"
    assert address(sender, HTTP_X_REAL_IP="198.51.100.1") == sender
    assert address(sender, HTTP_X_FORWARDED_FOR="198.51.100.1") == sender


def test_the_right_most_untrusted_forwarded_hop_is_the_client(behind_proxy):
    # The client wrote "1.2.3.4" itself; the trusted proxy appended what it saw.
    forwarded = "1.2.3.4, 198.51.100.1, 10.0.0.7"
    assert address(PROXY, HTTP_X_FORWARDED_FOR=forwarded) == "198.51.100.1"


def test_a_forwarded_hop_that_is_no_address_stops_the_walk(behind_proxy):
    assert address(PROXY, HTTP_X_FORWARDED_FOR="198.51.100.1, nonsense") == PROXY


def test_a_proxy_header_that_is_no_address_leaves_the_proxys_own(behind_proxy):
    assert address(PROXY, HTTP_X_REAL_IP="unknown") == PROXY


def test_an_ipv4_mapped_proxy_address_is_trusted(behind_proxy):
    assert address("::ffff:10.0.0.5", HTTP_X_REAL_IP="198.51.100.1") == "198.51.100.1"


def test_a_bad_trusted_proxies_entry_is_refused_at_start_up():
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SANBAO_", "DJANGO_"))}
    env.update(SANBAO_DEBUG="1", SANBAO_TRUSTED_PROXIES="127.0.0.1,not-a-network")
    result = subprocess.run(
        [sys.executable, "-c", "import config.settings"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0
    assert "SANBAO_TRUSTED_PROXIES" in result.stderr and "not-a-network" in result.stderr


# --- The limits that count per client -------------------------------------------------


def look_up(client_ip, *, remote=PROXY):
    return Client().post(
        STATUS,
        {"number": "C2601-NOSUCH", "phone": "13800000000"},
        REMOTE_ADDR=remote,
        HTTP_X_REAL_IP=client_ip,
    )


@pytest.fixture
def status_limit(behind_proxy, db):
    behind_proxy.SANBAO_STATUS_LOOKUPS_PER_HOUR = 2
    behind_proxy.SANBAO_STATUS_LOOKUPS_PER_CLAIM_PER_HOUR = 100
    cache.clear()
    yield
    cache.clear()


def test_behind_a_trusted_proxy_each_client_has_its_own_status_limit(status_limit):
    assert [look_up("198.51.100.1").status_code for _ in range(3)] == [200, 200, 429]
    assert look_up("198.51.100.2").status_code == 200


def test_an_untrusted_sender_cannot_escape_the_status_limit_with_x_real_ip(status_limit):
    codes = [look_up(f"198.51.100.{n}", remote="203.0.113.9").status_code for n in range(3)]
    assert codes == [200, 200, 429]


def log_in(username, password, client_ip, *, remote=PROXY):
    client = Client()
    response = client.post(
        LOGIN,
        {"username": username, "password": password},
        REMOTE_ADDR=remote,
        HTTP_X_REAL_IP=client_ip,
    )
    return response


def is_locked_out(response) -> bool:
    return response.status_code == 429 and 'data-testid="locked-out"' in html(response)


@pytest.mark.django_db
def test_behind_a_trusted_proxy_one_clients_lockout_leaves_another_client_free(
    behind_proxy, agent_a_clerk
):
    from sanbao.testkit.cast import CAST_PASSWORD

    behind_proxy.AXES_FAILURE_LIMIT = 3
    for n in range(3):
        last = log_in(f"nobody-{n}", "wrong-password", "198.51.100.1")
    assert is_locked_out(last)
    response = log_in(agent_a_clerk.username, CAST_PASSWORD, "198.51.100.2")
    assert response.status_code == 302


@pytest.mark.django_db
def test_an_untrusted_sender_cannot_escape_the_lockout_with_x_real_ip(behind_proxy, agent_a_clerk):
    from sanbao.testkit.cast import CAST_PASSWORD

    behind_proxy.AXES_FAILURE_LIMIT = 3
    for n in range(3):
        log_in(f"nobody-{n}", "wrong-password", f"198.51.100.{n}", remote="203.0.113.9")
    response = log_in(agent_a_clerk.username, CAST_PASSWORD, "198.51.100.7", remote="203.0.113.9")
    assert is_locked_out(response)
