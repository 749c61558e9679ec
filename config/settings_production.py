"""The production profile (issue 13 item 8): config.settings with DEBUG off and the
transport security a public deployment needs. Select it with
``DJANGO_SETTINGS_MODULE=config.settings_production``; docs/deploy.md describes the
servers around it. Everything that differs between deployments still comes from the
environment (.env.example lists it).

Behind nginx (or any proxy that terminates TLS), the proxy must set
``X-Forwarded-Proto`` and overwrite, never pass on, a client's own value."""

from __future__ import annotations

import os

from config.env import EnvError, env_bool, env_int, env_str

if env_bool("SANBAO_DEBUG", default=False):
    raise EnvError("SANBAO_DEBUG must be off in the production profile")

from config.settings import *  # noqa: F403
from config.settings import MIDDLEWARE, STORAGES

DEBUG = False

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
# servers then share them), else in SANBAO_MEDIA_ROOT on this server's disk.
# Credentials come the way boto3 reads them (AWS_ACCESS_KEY_ID and
# AWS_SECRET_ACCESS_KEY, or an instance role); files are private and always served
# through Sanbao's permission-checked views, never by a public URL.
STORAGES = dict(STORAGES)
STORAGES["staticfiles"] = {"BACKEND": "sanbao.core.staticfiles.StaticFilesStorage"}
S3_BUCKET = env_str("SANBAO_S3_BUCKET", "")
if S3_BUCKET:
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": S3_BUCKET,
            "endpoint_url": env_str("SANBAO_S3_ENDPOINT_URL") or None,
            "region_name": env_str("SANBAO_S3_REGION") or None,
            "location": env_str("SANBAO_S3_PREFIX", ""),
            "default_acl": None,
            "querystring_auth": True,
            "file_overwrite": False,
            "access_key": os.environ.get("AWS_ACCESS_KEY_ID"),
            "secret_key": os.environ.get("AWS_SECRET_ACCESS_KEY"),
        },
    }
