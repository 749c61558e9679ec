"""Settings for the test suite: the same as production but fast hashing, in-memory
mail, a throwaway media folder and DEBUG off (so tests see what users see)."""

import os
import tempfile

os.environ.setdefault("SANBAO_SECRET_KEY", "test-only-secret-key-not-for-production")
os.environ.setdefault("SANBAO_SECURE_COOKIES", "0")

from config.settings import *  # noqa: F403

DEBUG = False
# Argon2 is slow on purpose; the suite hashes with MD5. Production's list (Argon2
# first) is proved by sanbao/accounts/tests/test_passwords.py against config.settings.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
SANBAO_SMS_BACKEND = "sanbao.notifications.sms.LocmemBackend"
MEDIA_ROOT = tempfile.mkdtemp(prefix="sanbao-test-media-")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# SQLite: the test database is a file, not Django's shared-cache in-memory database.
# Shared-cache connections take table locks that fail at once instead of waiting, so
# tests with concurrent threads (scanning, SANBAO issue 4) would see errors that a
# real SQLite file, waiting on its busy timeout, never gives.
# The file has a stable name inside this checkout's own var/ folder, so `pytest
# --reuse-db` can keep it between runs and two checkouts testing at the same time
# never share one. Under pytest-xdist, pytest-django appends each worker's id
# (test.sqlite3_gw0, test.sqlite3_gw1 ...), so workers never share one either.
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):  # noqa: F405
    DATABASES["default"]["TEST"] = {"NAME": str(BASE_DIR / "var" / "test.sqlite3")}  # noqa: F405
