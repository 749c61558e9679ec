"""Sanbao settings. Every value that differs between machines comes from the
environment through config.env (see .env.example); policy numbers are named
SANBAO_* settings with their unit and the clause they implement."""

from __future__ import annotations

from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from config.env import EnvError, env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("SANBAO_VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("SANBAO_DEBUG", default=False)

SECRET_KEY = env_str("SANBAO_SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise EnvError("SANBAO_SECRET_KEY must be set when SANBAO_DEBUG is off")
    SECRET_KEY = "insecure-development-key-only-for-debug"

ALLOWED_HOSTS = env_list("SANBAO_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("SANBAO_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "template_partials",
    "ninja",
    "sanbao.core",
    "sanbao.accounts",
    "sanbao.catalog",
    "sanbao.workdays",
    "sanbao.claims",
    "sanbao.notifications",
    "sanbao.returns",
    "sanbao.deliveries",
    "sanbao.documents",
    "sanbao.home",
    "sanbao.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "sanbao.core.middleware.ApiEnvelopeMiddleware",
    "sanbao.core.middleware.RejectNulMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "sanbao.accounts.middleware.UserLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "sanbao.core.middleware.DomainErrorMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "sanbao.home.context_processors.navigation",
            ],
        },
    }
]

DATABASE_URL = env_str("DATABASE_URL")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
else:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": VAR_DIR / "sanbao.sqlite3",
            # Writers wait for each other instead of failing with "database is locked".
            "OPTIONS": {"timeout": 20, "transaction_mode": "IMMEDIATE"},
        }
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("zh-hans", _("Simplified Chinese"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = env_str("TIME_ZONE", "Asia/Shanghai")
USE_TZ = True
LANGUAGE_COOKIE_NAME = "sanbao_language"

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env_str("SANBAO_MEDIA_ROOT", str(VAR_DIR / "media")))
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 50 * 1024 * 1024

EMAIL_BACKEND = env_str("SANBAO_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env_str("SANBAO_FROM_EMAIL", "after-sales@sanbao.example")

# The public claim-status page counts look-ups here (fixed one-hour windows,
# cache.add + cache.incr). Process memory by default: right for `make run` (one
# process) and the tests, with an atomic incr. Several worker processes would
# each count on their own, so a deployment with more than one points every
# worker at one shared cache with an atomic incr, e.g.
# SANBAO_CACHE_BACKEND=django.core.cache.backends.redis.RedisCache and
# SANBAO_CACHE_LOCATION=redis://127.0.0.1:6379/1.
CACHES = {
    "default": {
        "BACKEND": env_str("SANBAO_CACHE_BACKEND", "django.core.cache.backends.locmem.LocMemCache"),
        "LOCATION": env_str("SANBAO_CACHE_LOCATION", "sanbao"),
    }
}

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("SANBAO_SECURE_COOKIES", default=not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("SANBAO_LOG_LEVEL", "INFO")},
}

# --- Policy numbers (unit and clause in the name and comment) --------------------
SANBAO_POLICY_VERSION = "2026.1"
SANBAO_DEFAULT_WARRANTY_MONTHS = env_int("SANBAO_DEFAULT_WARRANTY_MONTHS", 12)  # I.2
SANBAO_DEFAULT_RETURN_WINDOW_DAYS = env_int("SANBAO_DEFAULT_RETURN_WINDOW_DAYS", 7)  # I.2
SANBAO_DEFAULT_EXCHANGE_WINDOW_DAYS = env_int("SANBAO_DEFAULT_EXCHANGE_WINDOW_DAYS", 15)  # I.2
SANBAO_TURNAROUND_WORKING_DAYS = env_int("SANBAO_TURNAROUND_WORKING_DAYS", 3)  # IV.5
SANBAO_RETENTION_DAYS = env_int("SANBAO_RETENTION_DAYS", 183)  # IV.8, half a year
SANBAO_CHARGE_MAX_YUAN = env_int("SANBAO_CHARGE_MAX_YUAN", 99_999)  # IV.P2, yuan a unit
SANBAO_UNPACKING_REPORT_HOURS = env_int("SANBAO_UNPACKING_REPORT_HOURS", 24)  # V.1
SANBAO_DECLARATION_WINDOW_HOURS = env_int(
    "SANBAO_DECLARATION_WINDOW_HOURS", SANBAO_UNPACKING_REPORT_HOURS
)  # V.1, V.2: hours after receipt to declare unpacking damage and upload its evidence
SANBAO_WEIGHT_TOLERANCE_G = env_int("SANBAO_WEIGHT_TOLERANCE_G", 50)  # VI.3, grams a box
SANBAO_WEIGHT_TOLERANCE_PERCENT = env_int("SANBAO_WEIGHT_TOLERANCE_PERCENT", 2)  # VI.3
# V.2: "assigned" (the agent's assigned commissioner, else the agent's choice) or
# "choice" (the agent chooses the department on submitting).
SANBAO_DECLARATION_ROUTING = env_str("SANBAO_DECLARATION_ROUTING", "assigned")
SANBAO_EVIDENCE_MAX_PIXELS = env_int("SANBAO_EVIDENCE_MAX_PIXELS", 50_000_000)  # V.2 photos
# No purchase or delivery dated before 1 January of this year is true (issue 10 item 9).
SANBAO_EARLIEST_YEAR = env_int("SANBAO_EARLIEST_YEAR", 2000)
# No date the API reads is more than this many years after today (issue 13; core.api.Day).
SANBAO_LATEST_DATE_YEARS = env_int("SANBAO_LATEST_DATE_YEARS", 10)

# --- Operational limits -------------------------------------------------------------
SANBAO_UPLOAD_MAX_MB = env_int("SANBAO_UPLOAD_MAX_MB", 10)
SANBAO_STATUS_LOOKUPS_PER_HOUR = env_int("SANBAO_STATUS_LOOKUPS_PER_HOUR", 20)
SANBAO_IMPORT_MAX_ROWS = env_int("SANBAO_IMPORT_MAX_ROWS", 200_000)
SANBAO_IMPORT_BATCH_SIZE = env_int("SANBAO_IMPORT_BATCH_SIZE", 2_000)
SANBAO_API_PAGE_SIZE = env_int("SANBAO_API_PAGE_SIZE", 50)
SANBAO_API_MAX_PAGE_SIZE = env_int("SANBAO_API_MAX_PAGE_SIZE", 500)
