"""The production profile's transport security (config.settings_production): plain
HTTP redirected, HSTS sent, cookies Secure, and the proxy's X-Forwarded-Proto the
only sign of HTTPS the app believes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management.utils import get_random_secret_key
from django.test import Client, override_settings

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def production() -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SANBAO_", "DJANGO_SETTINGS"))}
    # A random key: the profile refuses a plain one such as "x" * 60.
    env.update(SANBAO_SECRET_KEY=get_random_secret_key(), SANBAO_DEBUG="0")
    code = (
        "import json, config.settings_production as s; print(json.dumps({n: getattr(s, n) for n in "
        "['SECURE_SSL_REDIRECT', 'SECURE_HSTS_SECONDS', 'SECURE_PROXY_SSL_HEADER', "
        "'SESSION_COOKIE_SECURE', 'CSRF_COOKIE_SECURE', 'DEBUG']}))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_the_production_profile_redirects_http_and_sends_hsts_for_a_year(production):
    assert production["SECURE_SSL_REDIRECT"] is True
    assert production["SECURE_HSTS_SECONDS"] >= 31_536_000
    assert production["SESSION_COOKIE_SECURE"] and production["CSRF_COOKIE_SECURE"]
    assert production["DEBUG"] is False
    assert production["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]


@override_settings(
    SECURE_SSL_REDIRECT=True,
    SECURE_HSTS_SECONDS=31_536_000,
    SECURE_PROXY_SSL_HEADER=("HTTP_X_FORWARDED_PROTO", "https"),
)
@pytest.mark.django_db
def test_a_request_the_proxy_did_not_mark_https_is_redirected_and_one_it_did_gets_hsts():
    plain = Client().get("/accounts/login/")
    assert plain.status_code == 301
    assert plain["Location"].startswith("https://")
    secure = Client().get("/accounts/login/", HTTP_X_FORWARDED_PROTO="https")
    assert secure.status_code == 200
    assert "max-age=31536000" in secure["Strict-Transport-Security"]
