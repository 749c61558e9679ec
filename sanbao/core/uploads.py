"""Uploaded scans and photos: private names, the accepted kinds, and serving them.

Uploads are kept under random names (never the user's) and served only through
views that first check the record they belong to, so no URL guesses its way in."""

from __future__ import annotations

import os
import uuid

from django.conf import settings
from django.http import FileResponse

SCAN_TYPES = {"application/pdf", "image/jpeg", "image/png"}
SCAN_EXTENSIONS = (".pdf", ".jpg", ".jpeg", ".png")
# What such a file starts with: a name or a declared type is only a claim.
SCAN_SIGNATURES = (b"%PDF-", b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff")


def private_name(folder: str, filename: str) -> str:
    """A random file name in ``folder`` keeping only the extension."""
    extension = os.path.splitext(filename or "")[1].lower()[:8]
    return f"{folder}/{uuid.uuid4().hex}{extension}"


def upload_acceptable(upload) -> bool:
    """A PDF, JPEG or PNG of at most ``SANBAO_UPLOAD_MAX_MB``, by its name, its
    declared type and its first bytes."""
    limit = settings.SANBAO_UPLOAD_MAX_MB
    name = (getattr(upload, "name", "") or "").lower()
    kind = getattr(upload, "content_type", "") or ""
    return (
        upload.size <= limit * 1024 * 1024
        and name.endswith(SCAN_EXTENSIONS)
        and (not kind or kind in SCAN_TYPES or kind == "application/octet-stream")
        and _starts_like_a_scan(upload)
    )


def _starts_like_a_scan(upload) -> bool:
    position = upload.tell() if hasattr(upload, "tell") else 0
    upload.seek(0)
    head = upload.read(8)
    upload.seek(position)
    return head.startswith(SCAN_SIGNATURES)


def inline_file(field) -> FileResponse:
    response = FileResponse(field.open("rb"), filename=os.path.basename(field.name))
    # Uploaded content is shown, never run: no scripts even if a file lies about its type.
    response["Content-Security-Policy"] = "sandbox"
    response["X-Content-Type-Options"] = "nosniff"
    return response
