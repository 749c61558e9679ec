"""The production profile (issue 13 item 8): config.settings with DEBUG off and the
transport security a public deployment needs. Select it with
``DJANGO_SETTINGS_MODULE=config.settings_production``; docs/deploy.md describes the
servers around it. Everything that differs between deployments still comes from the
environment (.env.example lists it).

Behind nginx (or any proxy that terminates TLS), the proxy must set
``X-Forwarded-Proto`` and overwrite, never pass on, a client's own value."""

from __future__ import annotations

from config.env import EnvError, env_bool, env_int, env_str
from config.storage import s3_storage

if env_bool("SANBAO_DEBUG", default=False):
    raise EnvError("SANBAO_DEBUG must be off in the production profile")

from config.settings import *  # noqa: F403
from config.settings import MIDDLEWARE, SECRET_KEY, STORAGES

# The secret key signs sessions, password-reset links and CSRF tokens: a guessable
# one lets anyone forge them. The profile refuses to start on a missing key, the
# placeholder of .env.example, or one too short or too plain to be random (the same
# bounds as Django's security.W009 check). Generate one with
#   python -c "from django.core.management.utils import get_random_secret_key as k; print(k())"
SECRET_KEY_MIN_LENGTH = 50
SECRET_KEY_MIN_DISTINCT = 5


def check_secret_key(key: str | None) -> None:
    """Raise EnvError naming what is wrong with ``key`` for production."""
    if not key:
        raise EnvError("SANBAO_SECRET_KEY must be set in the production profile")
    if key.startswith("django-insecure") or key.strip().lower() in {
        "change-me",
        "changeme",
        "insecure-development-key-only-for-debug",
    }:
        raise EnvError("SANBAO_SECRET_KEY is a placeholder: generate a random key")
    if len(key) < SECRET_KEY_MIN_LENGTH or len(set(key)) < SECRET_KEY_MIN_DISTINCT:
        raise EnvError(
            f"SANBAO_SECRET_KEY is too weak: use at least {SECRET_KEY_MIN_LENGTH} random "
            f"characters with at least {SECRET_KEY_MIN_DISTINCT} different ones"
        )


check_secret_key(SECRET_KEY)

DEBUG = False

# --- SMS (issue 16) -----------------------------------------------------------------
# The development default prints each SMS, one-time codes included, to the worker's
# log. In production an SMS goes to the provider unless the environment names
# another backend: without its credentials a code is not sent and the failure is
# recorded on its message, never written to a log.
SANBAO_SMS_BACKEND = env_str("SANBAO_SMS_BACKEND", "sanbao.notifications.sms.AliyunBackend")

# --- HTTPS ------------------------------------------------------------------------
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SANBAO_SSL_REDIRECT", default=True)
# A year; browsers then refuse plain HTTP for the site and its subdomains.
SECURE_HSTS_SECONDS = env_int("SANBAO_HSTS_SECONDS", 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SANBAO_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env_bool("SANBAO_HSTS_PRELOAD", default=True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# --- Static files: WhiteNoise serves them from each app server, compressed and with
# hashed names cached for a year (`manage.py collectstatic` at deployment).
MIDDLEWARE = list(MIDDLEWARE)
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1,
    "whitenoise.middleware.WhiteNoiseMiddleware",
)

# --- Uploads: on S3-compatible storage when SANBAO_S3_BUCKET is set (several app
# servers then share them), else in SANBAO_MEDIA_ROOT on this server's disk
# (config.storage.s3_storage has the options: private objects, never overwritten).
STORAGES = dict(STORAGES)
STORAGES["staticfiles"] = {"BACKEND": "sanbao.core.staticfiles.StaticFilesStorage"}
S3_STORAGE = s3_storage()
if S3_STORAGE:
    STORAGES["default"] = S3_STORAGE
