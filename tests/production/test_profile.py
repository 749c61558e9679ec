"""The production profile (config.settings_production, issue 13 item 8): it refuses
to start on a weak secret key or with DEBUG on, Django's deployment check finds
nothing in it, and it sends plain HTTP to HTTPS and HTTPS with HSTS.

Each case imports the profile in a fresh interpreter, with the environment a
deployment would give it: settings are read once per process."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management.utils import get_random_secret_key

ROOT = Path(__file__).resolve().parents[2]
STRONG_KEY = get_random_secret_key()


def run(code: str, tmp_path, **env: str) -> subprocess.CompletedProcess:
    base = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("SANBAO_", "DJANGO_", "DATABASE_URL", "AWS_"))
    }
    base.update(
        DJANGO_SETTINGS_MODULE="config.settings_production",
        SANBAO_VAR_DIR=str(tmp_path),
        SANBAO_STATIC_ROOT=str(tmp_path / "static"),
        SANBAO_ALLOWED_HOSTS="testserver,sanbao.example",
    )
    base.update(env)
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=base,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


IMPORT = "import config.settings_production"


@pytest.mark.parametrize(
    ("key", "reason"),
    [
        (None, "must be set"),
        ("", "must be set"),
        ("change-me", "placeholder"),
        ("django-insecure-" + "x1y2z3" * 10, "placeholder"),
        ("a-short-but-varied-key-9f8e7d", "too weak"),
        ("ab" * 40, "too weak"),  # long, but two different characters
        ("abcd" * 20, "too weak"),  # four different characters
    ],
    ids=["missing", "empty", "change-me", "django-insecure", "short", "two-chars", "four-chars"],
)
def test_refuses_to_start_with_a_weak_secret_key(tmp_path, key, reason):
    env = {} if key is None else {"SANBAO_SECRET_KEY": key}
    result = run(IMPORT, tmp_path, **env)
    assert result.returncode != 0
    assert "EnvError" in result.stderr
    assert reason in result.stderr


def test_starts_with_a_random_secret_key(tmp_path):
    result = run(IMPORT, tmp_path, SANBAO_SECRET_KEY=STRONG_KEY)
    assert result.returncode == 0, result.stderr


def test_refuses_to_start_with_debug_on(tmp_path):
    result = run(IMPORT, tmp_path, SANBAO_SECRET_KEY=STRONG_KEY, SANBAO_DEBUG="1")
    assert result.returncode != 0
    assert "SANBAO_DEBUG must be off" in result.stderr


def deploy_check(tmp_path, **env: str) -> subprocess.CompletedProcess:
    """``manage.py check --deploy --fail-level WARNING`` in the production profile."""
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env={
            **{k: v for k, v in os.environ.items() if not k.startswith(("SANBAO_", "DJANGO_"))},
            "DJANGO_SETTINGS_MODULE": "config.settings_production",
            "SANBAO_SECRET_KEY": STRONG_KEY,
            "SANBAO_VAR_DIR": str(tmp_path),
            **env,
        },
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_the_deployment_check_finds_no_issue(tmp_path):
    result = deploy_check(tmp_path, SANBAO_PUBLIC_BASE_URL="https://sanbao.example")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


@pytest.mark.parametrize(
    "address", ["", "http://127.0.0.1:8000", "https://localhost", "http://sanbao.example"]
)
def test_the_deployment_check_refuses_a_card_address_phones_cannot_reach(tmp_path, address):
    """Issue 16: every printed warranty card's QR code holds SANBAO_PUBLIC_BASE_URL
    for years; the development default, a local host or plain HTTP is refused."""
    result = deploy_check(tmp_path, **({"SANBAO_PUBLIC_BASE_URL": address} if address else {}))
    assert result.returncode != 0
    assert "sanbao.W001" in result.stdout + result.stderr


# A request through Django's test client inside the profile: the answer's status
# and the headers that matter, as JSON.
REQUEST = """
import json, django
django.setup()
from django.test import Client
headers = json.loads({headers!r})
r = Client(headers=headers).get("/accounts/login/")
print(json.dumps({{"status": r.status_code, "location": r.get("Location"),
    "hsts": r.get("Strict-Transport-Security"), "csp": r.get("Content-Security-Policy")}}))
"""


@pytest.fixture(scope="module")
def deployed(tmp_path_factory):
    """A var directory and static root as a deployment has them: the pages name the
    hashed static files, so collectstatic has run."""
    where = tmp_path_factory.mktemp("deployed")
    result = run(
        "import django; django.setup(); from django.core.management import call_command; "
        "call_command('collectstatic', interactive=False, verbosity=0)",
        where,
        SANBAO_SECRET_KEY=STRONG_KEY,
    )
    assert result.returncode == 0, result.stderr
    return where


def request_in_profile(tmp_path, headers: dict) -> dict:
    result = run(
        REQUEST.format(headers=json.dumps(headers)), tmp_path, SANBAO_SECRET_KEY=STRONG_KEY
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_a_plain_http_request_is_sent_to_https(deployed):
    answer = request_in_profile(deployed, {})
    assert answer["status"] == 301
    assert answer["location"] == "https://testserver/accounts/login/"


def test_a_request_the_proxy_received_over_https_is_answered_with_hsts(deployed):
    answer = request_in_profile(deployed, {"X-Forwarded-Proto": "https"})
    assert answer["status"] == 200
    assert answer["hsts"] == "max-age=31536000; includeSubDomains; preload"
    assert "'unsafe-inline'" not in answer["csp"]
    assert "script-src 'self'" in answer["csp"]


def test_production_never_prints_one_time_codes_unless_told_to(tmp_path):
    """The console SMS backend (development) writes each code to the log; the
    production profile sends through the provider unless the environment says
    otherwise (issue 16)."""
    show = IMPORT + "; print(config.settings_production.SANBAO_SMS_BACKEND)"
    result = run(show, tmp_path, SANBAO_SECRET_KEY=STRONG_KEY)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "sanbao.notifications.sms.AliyunBackend"
    named = run(
        show,
        tmp_path,
        SANBAO_SECRET_KEY=STRONG_KEY,
        SANBAO_SMS_BACKEND="sanbao.notifications.sms.ConsoleBackend",
    )
    assert named.stdout.strip() == "sanbao.notifications.sms.ConsoleBackend"
