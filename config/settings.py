"""Sanbao settings. Every value that differs between machines comes from the
environment through config.env (see .env.example); policy numbers are named
SANBAO_* settings with their unit and the clause they implement."""

from __future__ import annotations

import ipaddress
from datetime import timedelta
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
    "axes",
    "django_tasks",
    "django_tasks_db",
    "sanbao.core",
    "sanbao.accounts",
    "sanbao.catalog",
    "sanbao.workdays",
    "sanbao.claims",
    "sanbao.notifications",
    "sanbao.returns",
    "sanbao.deliveries",
    "sanbao.statements",
    "sanbao.insights",
    "sanbao.consumers",
    "sanbao.documents",
    "sanbao.audit_trail",
    "sanbao.home",
    "sanbao.demo",
]

MIDDLEWARE = [
    # Off unless SANBAO_QUERY_COUNT_HEADER (the benchmark): first, to count every statement.
    "sanbao.core.middleware.QueryCountMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # The Content-Security-Policy header on every response (CONTENT_SECURITY_POLICY below).
    "sanbao.core.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "sanbao.core.middleware.ApiEnvelopeMiddleware",
    "sanbao.core.middleware.RejectNulMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "sanbao.accounts.middleware.UserLanguageMiddleware",
    "sanbao.accounts.middleware.UserTimeZoneMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "sanbao.core.middleware.DomainErrorMiddleware",
    # Last, as django-axes asks: it turns a lockout raised by the backend into the page.
    "axes.middleware.AxesMiddleware",
]

# --- Content-Security-Policy (django-csp, issue 13 item 8) ---------------------------
# A page runs only scripts and styles served from this site's own static files: no
# inline <script>, no on*= handler, no style attribute or <style> block anywhere
# (docs/decisions.md). An injected tag or attribute that got past escaping therefore
# does nothing. tests/production/test_csp.py walks the pages for inline code.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    },
}

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
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        # No JIT compilation of queries: it pays off for long analytic queries, and
        # here it turned a 9 ms count of the home page into 45 ms at 20,000 batches
        # (36 ms of JIT) and 700 ms at 100,000 (docs/decisions.md, issue 15).
        options = DATABASES["default"].setdefault("OPTIONS", {})
        options["options"] = f"{options.get('options', '')} -c jit=off".strip()
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

# django-axes checks every password login (the login page, /admin/login/) first: a
# locked-out account or address is refused before its password is even tried.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

# Argon2id hashes every new password (issue 13 item 3). PBKDF2 stays listed so a
# password stored before the switch still verifies; Django rehashes it with Argon2
# at that user's next successful login.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
]

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
# `manage.py collectstatic` writes here (the production profile serves it with WhiteNoise).
STATIC_ROOT = Path(env_str("SANBAO_STATIC_ROOT", str(BASE_DIR / "staticfiles")))
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env_str("SANBAO_MEDIA_ROOT", str(VAR_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 50 * 1024 * 1024

# Background work (issue 13 item 7): Django's tasks API through the django-tasks
# backport. By default tasks are rows in this database and `manage.py db_worker`
# runs them (`make run` starts one); a large deployment switches to RQ on Redis
# with SANBAO_TASKS_BACKEND (docs/decisions.md).
TASKS = {
    "default": {
        "BACKEND": env_str("SANBAO_TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}
if TASKS["default"]["BACKEND"] == "django_tasks_rq.RQBackend":  # pip extra `rq`
    INSTALLED_APPS.append("django_rq")
    RQ_QUEUES = {"default": {"URL": env_str("SANBAO_RQ_URL", "redis://127.0.0.1:6379/2")}}

EMAIL_BACKEND = env_str("SANBAO_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
# Where django.core.mail.backends.filebased.EmailBackend writes each message (one
# file a connection); `make prod-check` reads the mail the worker sent there.
EMAIL_FILE_PATH = env_str("SANBAO_EMAIL_FILE_PATH", str(VAR_DIR / "mail"))
DEFAULT_FROM_EMAIL = env_str("SANBAO_FROM_EMAIL", "after-sales@sanbao.example")

# Rate limits live in the default cache (the public claim-status page counts its
# look-ups there: fixed one-hour windows, cache.add + cache.incr), so it must be
# one cache shared by every worker and server and kept over a restart (issue 13
# item 4). By default the database's own table (`manage.py createcachetable`,
# which `make migrate` runs and the test database gets by itself), through
# sanbao.core.cache.DatabaseCache, whose incr is atomic. A large deployment points
# every server at Redis instead (docs/decisions.md):
# SANBAO_CACHE_BACKEND=django.core.cache.backends.redis.RedisCache and
# SANBAO_CACHE_LOCATION=redis://127.0.0.1:6379/1. A per-process cache (LocMemCache)
# would let each worker count on its own and forget at every restart.
CACHES = {
    "default": {
        "BACKEND": env_str("SANBAO_CACHE_BACKEND", "sanbao.core.cache.DatabaseCache"),
        "LOCATION": env_str("SANBAO_CACHE_LOCATION", "sanbao_cache"),
    }
}

# --- Login throttling (django-axes, issue 13 item 3) -------------------------------
# Failed password logins are stored in the database (axes' AccessAttempt rows), so
# every worker and server sees the same count. Each parameter below is its own
# lock: one account tried from anywhere, or one address trying any accounts.
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
# Failures allowed: the Nth wrong password in a row locks the account or address.
AXES_FAILURE_LIMIT = env_int("SANBAO_LOGIN_FAILURES_ALLOWED", 5)
# Cool-off: minutes a lock lasts; a wrong password while locked starts it again.
AXES_COOLOFF_TIME = timedelta(minutes=env_int("SANBAO_LOGIN_COOLOFF_MINUTES", 15))
# A successful login clears that account's and address's failures.
AXES_RESET_ON_SUCCESS = True
# The translated page (429, both languages) instead of axes' English-only text.
AXES_LOCKOUT_CALLABLE = "sanbao.accounts.views.locked_out"
# Only failures are kept: axes' log of every successful login (address, browser) would
# keep personal data for ever outside the retention rules; the audit trail records
# what matters.
AXES_DISABLE_ACCESS_LOG = True
# The client's address: X-Real-IP / X-Forwarded-For only from a trusted proxy
# (SANBAO_TRUSTED_PROXIES below), as for the status page's limit.
AXES_CLIENT_IP_CALLABLE = "sanbao.core.clients.client_address"

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
# IV.8: repair data (batches and their lines, receipts, anomalies, tests,
# dispositions; claims) and delivery data (shipments and delivery lists,
# deliveries, declarations and their evidence) are kept at least this many days
# after the record is done with (docs/decisions.md), then purged of personal data.
SANBAO_RETENTION_REPAIR_DAYS = env_int("SANBAO_RETENTION_REPAIR_DAYS", SANBAO_RETENTION_DAYS)
SANBAO_RETENTION_DELIVERY_DAYS = env_int("SANBAO_RETENTION_DELIVERY_DAYS", SANBAO_RETENTION_DAYS)
# IV.8 and PIPL: a consumer's registration of a purchase (issue 16) is kept this many
# days after the unit's warranty ends (it serves claims until then), then its number
# and proof-of-purchase photo are purged (consumers.retention, docs/decisions.md).
SANBAO_RETENTION_REGISTRATION_DAYS = env_int(
    "SANBAO_RETENTION_REGISTRATION_DAYS", SANBAO_RETENTION_REPAIR_DAYS
)
SANBAO_PURGE_BATCH_SIZE = env_int("SANBAO_PURGE_BATCH_SIZE", 500)  # IV.8, records a transaction
# Issue 13: an API call's Idempotency-Key is remembered this many hours; a request
# that never finished (a crash) holds its key this many seconds before a retry runs.
SANBAO_IDEMPOTENCY_HOURS = env_int("SANBAO_IDEMPOTENCY_HOURS", 24)
SANBAO_IDEMPOTENCY_STALE_SECONDS = env_int("SANBAO_IDEMPOTENCY_STALE_SECONDS", 300)
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
# A consumer's short video of the fault (issue 16 item 3, core.uploads.check_video):
# the media types accepted (their first bytes are checked) and the largest size.
SANBAO_VIDEO_TYPES = env_list("SANBAO_VIDEO_TYPES", ["video/mp4", "video/quicktime", "video/webm"])
SANBAO_VIDEO_MAX_MB = env_int("SANBAO_VIDEO_MAX_MB", 30)
# Photos and videos of the fault one request for service may carry.
SANBAO_FAULT_FILES_MAX = env_int("SANBAO_FAULT_FILES_MAX", 6)
# Asking for service by serial and warranty-card number (/service/request/): look-ups
# an hour from one client address, wrong pairs included.
SANBAO_SERVICE_LOOKUPS_PER_HOUR = env_int("SANBAO_SERVICE_LOOKUPS_PER_HOUR", 10)
# Reverse proxies (addresses or networks, e.g. 127.0.0.1,10.0.0.0/24) whose X-Real-IP
# and X-Forwarded-For name the client (sanbao.core.clients). Empty: no proxy is
# believed, every client is its REMOTE_ADDR. Never list an address clients can use.
SANBAO_TRUSTED_PROXIES = env_list("SANBAO_TRUSTED_PROXIES", [])
for _proxy in SANBAO_TRUSTED_PROXIES:
    try:
        ipaddress.ip_network(_proxy, strict=False)
    except ValueError:
        raise EnvError(f"SANBAO_TRUSTED_PROXIES: {_proxy!r} is no address or network") from None
# The public claim-status page: look-ups an hour from one address (any claims), and
# from one address for one claim number. Nothing is counted per claim number alone,
# so wrong telephones typed from one address never lock out the consumer elsewhere.
SANBAO_STATUS_LOOKUPS_PER_HOUR = env_int("SANBAO_STATUS_LOOKUPS_PER_HOUR", 20)
SANBAO_STATUS_LOOKUPS_PER_CLAIM_PER_HOUR = env_int("SANBAO_STATUS_LOOKUPS_PER_CLAIM_PER_HOUR", 5)
# The electronic warranty card (issue 16 item 1). Its QR code holds
# <SANBAO_PUBLIC_BASE_URL>/w/<serial>/<signature>/: the address consumers' phones
# reach the platform at (https in production; printed cards keep it for years).
SANBAO_PUBLIC_BASE_URL = env_str("SANBAO_PUBLIC_BASE_URL", "http://127.0.0.1:8000")
# The key of the cards' signatures (consumers.cards); empty: SECRET_KEY. Printed
# cards stop working when it changes, so production sets its own, kept apart from
# SECRET_KEY (which may be rotated): docs/deploy.md.
SANBAO_CARD_SIGNING_KEY = env_str("SANBAO_CARD_SIGNING_KEY", "")
# The card page: views an hour from one address (any cards), counted in the cache.
SANBAO_CARD_VIEWS_PER_HOUR = env_int("SANBAO_CARD_VIEWS_PER_HOUR", 60)
# A sheet of warranty cards prints at most this many units (ten an A4 page); a
# larger production lot is refused with a message.
SANBAO_CARD_SHEET_MAX_UNITS = env_int("SANBAO_CARD_SHEET_MAX_UNITS", 2_000)
SANBAO_IMPORT_MAX_ROWS = env_int("SANBAO_IMPORT_MAX_ROWS", 200_000)
# A list page's XLSX export holds at most this many rows; more is refused with a message
# asking for narrower filters (a workbook of a million rows would time out first).
SANBAO_EXPORT_MAX_ROWS = env_int("SANBAO_EXPORT_MAX_ROWS", 20_000)
# An uploaded XLSX (a zip) is refused before it is opened when its directory says it
# unpacks to more than this, or holds more files (issue 13: a 405 KB zip bomb). Python's
# zipfile never unpacks a member past the size its directory declares.
SANBAO_XLSX_MAX_UNCOMPRESSED_MB = env_int("SANBAO_XLSX_MAX_UNCOMPRESSED_MB", 50)
SANBAO_XLSX_MAX_MEMBERS = env_int("SANBAO_XLSX_MAX_MEMBERS", 1_000)
SANBAO_IMPORT_BATCH_SIZE = env_int("SANBAO_IMPORT_BATCH_SIZE", 2_000)
# An API token's expiry date, when its owner gives one, is at most this many days ahead.
SANBAO_API_TOKEN_MAX_DAYS = env_int("SANBAO_API_TOKEN_MAX_DAYS", 3650)
# bench/suite.py: answer each request's number of SQL statements in X-Sanbao-Queries
# (sanbao.core.middleware.QueryCountMiddleware). Off in any real deployment.
SANBAO_QUERY_COUNT_HEADER = env_bool("SANBAO_QUERY_COUNT_HEADER", default=False)
SANBAO_API_PAGE_SIZE = env_int("SANBAO_API_PAGE_SIZE", 50)
SANBAO_API_MAX_PAGE_SIZE = env_int("SANBAO_API_MAX_PAGE_SIZE", 500)
# E-mail from the background worker: tries in all before a message is marked failed,
# and minutes before the second try (doubled before each later one).
SANBAO_EMAIL_ATTEMPTS = env_int("SANBAO_EMAIL_ATTEMPTS", 3)
SANBAO_EMAIL_RETRY_MINUTES = env_int("SANBAO_EMAIL_RETRY_MINUTES", 5)
# Finished background tasks (their results, a notice PDF's bytes among their
# arguments) are deleted this many days after they finished (core.jobs).
SANBAO_TASK_RESULTS_DAYS = env_int("SANBAO_TASK_RESULTS_DAYS", 7)
# Issue 15 item 4, quality signals (sanbao.insights.quality, docs/decisions.md): a
# model's fault rate in a sale month (faulty units per unit sold) is flagged when it
# has at least SANBAO_QUALITY_MIN_FAULTS faulty units and is at least
# SANBAO_QUALITY_RISE_PERCENT % of its own rate over the SANBAO_QUALITY_HISTORY_MONTHS
# sale months before, or SANBAO_QUALITY_CATEGORY_PERCENT % of the rate of the other
# models of its category sold that month.
SANBAO_QUALITY_MIN_FAULTS = env_int("SANBAO_QUALITY_MIN_FAULTS", 3)
SANBAO_QUALITY_HISTORY_MONTHS = env_int("SANBAO_QUALITY_HISTORY_MONTHS", 6)
SANBAO_QUALITY_RISE_PERCENT = env_int("SANBAO_QUALITY_RISE_PERCENT", 200)
SANBAO_QUALITY_CATEGORY_PERCENT = env_int("SANBAO_QUALITY_CATEGORY_PERCENT", 200)
# The dashboard's figures are counted at most this often (seconds; 0: on every
# request): over a million units a count takes a second on PostgreSQL, and each
# figure says when it was counted (docs/decisions.md).
SANBAO_DASHBOARD_CACHE_SECONDS = env_int("SANBAO_DASHBOARD_CACHE_SECONDS", 300)
# A list page counts up to this many rows exactly on every request; a longer list's
# total is counted again at most every SANBAO_LIST_COUNT_CACHE_SECONDS (0: always).
SANBAO_LIST_EXACT_COUNT = env_int("SANBAO_LIST_EXACT_COUNT", 10000)
SANBAO_LIST_COUNT_CACHE_SECONDS = env_int("SANBAO_LIST_COUNT_CACHE_SECONDS", 60)
# The home page's totals (product models, registered units) are counted again at
# most this often (seconds; 0: on every request).
SANBAO_HOME_TOTALS_CACHE_SECONDS = env_int("SANBAO_HOME_TOTALS_CACHE_SECONDS", 300)

# --- SMS and one-time codes (issue 16 item 2, sanbao.notifications) -----------------
# Where an SMS goes: sanbao.notifications.sms.ConsoleBackend (development: printed by
# the worker), .LocmemBackend (tests: an outbox list) or .AliyunBackend (Alibaba Cloud
# SMS, dysmsapi SendSms). Sent by the background worker once the transaction commits.
SANBAO_SMS_BACKEND = env_str("SANBAO_SMS_BACKEND", "sanbao.notifications.sms.ConsoleBackend")
# The language an SMS is written in (the console and the outbox show the text; the
# provider fills its own approved template with the same values).
SANBAO_SMS_LANGUAGE = env_str("SANBAO_SMS_LANGUAGE", "zh-hans")
# Alibaba Cloud SMS: the endpoint, the RAM user's AccessKey, the approved signature
# (签名) and region, and each message template's approved code (模板 CODE).
SANBAO_SMS_ALIYUN_ENDPOINT = env_str("SANBAO_SMS_ALIYUN_ENDPOINT", "https://dysmsapi.aliyuncs.com/")
SANBAO_SMS_ALIYUN_ACCESS_KEY_ID = env_str("SANBAO_SMS_ALIYUN_ACCESS_KEY_ID", "")
SANBAO_SMS_ALIYUN_ACCESS_KEY_SECRET = env_str("SANBAO_SMS_ALIYUN_ACCESS_KEY_SECRET", "")
SANBAO_SMS_ALIYUN_SIGN_NAME = env_str("SANBAO_SMS_ALIYUN_SIGN_NAME", "")
SANBAO_SMS_ALIYUN_REGION = env_str("SANBAO_SMS_ALIYUN_REGION", "cn-hangzhou")
SANBAO_SMS_TEMPLATE_OTP_CODE = env_str("SANBAO_SMS_TEMPLATE_OTP_CODE", "")
SANBAO_SMS_TEMPLATE_CLAIM_RECEIVED = env_str("SANBAO_SMS_TEMPLATE_CLAIM_RECEIVED", "")
SANBAO_SMS_TEMPLATE_CLAIM_JUDGED = env_str("SANBAO_SMS_TEMPLATE_CLAIM_JUDGED", "")
SANBAO_SMS_TEMPLATE_UNIT_READY = env_str("SANBAO_SMS_TEMPLATE_UNIT_READY", "")
SANBAO_SMS_TEMPLATE_UNIT_SENT_BACK = env_str("SANBAO_SMS_TEMPLATE_UNIT_SENT_BACK", "")
# Seconds the worker waits for the provider's answer.
SANBAO_SMS_TIMEOUT_SECONDS = env_int("SANBAO_SMS_TIMEOUT_SECONDS", 10)
# A refused or unanswered SMS: tries in all, and seconds before the second (doubled
# before each later one). A one-time code is not tried once it has expired.
SANBAO_SMS_ATTEMPTS = env_int("SANBAO_SMS_ATTEMPTS", 3)
SANBAO_SMS_RETRY_SECONDS = env_int("SANBAO_SMS_RETRY_SECONDS", 30)
# One-time codes sent by SMS: seconds a code is valid; wrong tries a code allows (it
# is burnt after them, and even the right code is refused until a new one is sent);
# seconds before another code may be sent to a number; codes sent an hour to one
# number and from one client address; codes tried an hour from one client address.
SANBAO_OTP_TTL_SECONDS = env_int("SANBAO_OTP_TTL_SECONDS", 300)
SANBAO_OTP_MAX_ATTEMPTS = env_int("SANBAO_OTP_MAX_ATTEMPTS", 5)
SANBAO_OTP_RESEND_SECONDS = env_int("SANBAO_OTP_RESEND_SECONDS", 60)
SANBAO_OTP_SENDS_PER_PHONE_PER_HOUR = env_int("SANBAO_OTP_SENDS_PER_PHONE_PER_HOUR", 5)
SANBAO_OTP_SENDS_PER_CLIENT_PER_HOUR = env_int("SANBAO_OTP_SENDS_PER_CLIENT_PER_HOUR", 20)
SANBAO_OTP_TRIES_PER_CLIENT_PER_HOUR = env_int("SANBAO_OTP_TRIES_PER_CLIENT_PER_HOUR", 30)
# Hours a phone confirmed by a code stays confirmed in the consumer's browser session.
SANBAO_CONSUMER_SESSION_HOURS = env_int("SANBAO_CONSUMER_SESSION_HOURS", 24)
# The consumer's claim pages (/service/claims/): views an hour from one address,
# counted in the cache (issue 16 item 4).
SANBAO_CLAIM_PAGES_PER_HOUR = env_int("SANBAO_CLAIM_PAGES_PER_HOUR", 60)
# SMS at a claim's steps (sanbao.claims.notices) also for consumer claims taken at a
# counter: only where the counter tells the consumer so (docs/decisions.md). Claims
# the consumer makes on the phone pages, having agreed, are told in any case.
SANBAO_SMS_COUNTER_CLAIMS = env_bool("SANBAO_SMS_COUNTER_CLAIMS", default=False)
