"""Where uploads live in the production profile (issue 13 item 8).

One function builds the S3 storage from the environment, so the profile and its
test (tests/production/test_s3_uploads.py) use the same options."""

from __future__ import annotations

import os

from config.env import env_str

S3_BACKEND = "storages.backends.s3.S3Storage"


def s3_storage() -> dict | None:
    """The ``STORAGES["default"]`` entry for S3-compatible storage when
    ``SANBAO_S3_BUCKET`` is set, else None (uploads stay in SANBAO_MEDIA_ROOT).

    Credentials come the way boto3 reads them (AWS_ACCESS_KEY_ID and
    AWS_SECRET_ACCESS_KEY, or an instance role). Objects are private (no ACL, signed
    URLs only) and never overwritten in place: a file is served only through
    Sanbao's permission-checked views, never by a public URL."""
    bucket = env_str("SANBAO_S3_BUCKET", "")
    if not bucket:
        return None
    return {
        "BACKEND": S3_BACKEND,
        "OPTIONS": {
            "bucket_name": bucket,
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
