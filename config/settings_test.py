"""Settings for the test suite: the same as production but fast hashing, in-memory
mail, a throwaway media folder and DEBUG off (so tests see what users see)."""

import os
import tempfile

os.environ.setdefault("SANBAO_SECRET_KEY", "test-only-secret-key-not-for-production")
os.environ.setdefault("SANBAO_SECURE_COOKIES", "0")

from config.settings import *  # noqa: F403

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = tempfile.mkdtemp(prefix="sanbao-test-media-")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
