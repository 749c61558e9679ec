"""The evidence a claim carries: scans of the documents (II.2) and the photos of
an exclusion found at inspection (III.4–III.8, III.10), checked by content and
stored so that a refused write leaves no file behind."""

from __future__ import annotations

from contextlib import contextmanager

from django.conf import settings
from django.db import transaction

from sanbao.catalog.exclusions import shown_by_the_unit

# The ledger is catalog's; the claims pages and API dispose of its parts through this name.
from sanbao.catalog.services import retained_part_dispose as retained_part_dispose
from sanbao.claims import policy
from sanbao.claims.models import (
    InspectionFinding,
)
from sanbao.core.uploads import UploadRefused, check_upload, check_video


def check_scan(upload, field: str, errors) -> None:
    """A scan is a PDF, JPEG or PNG by its content (``core.uploads.check_upload``)."""
    if upload is not None:
        _check(upload, field, "claims.file_invalid", errors, photo=False)


def check_photo(upload, field: str, errors) -> None:
    """A photo is a JPEG or PNG image by its content (a PDF is no photo)."""
    _check(upload, field, "claims.photo_invalid", errors, photo=True)


def _check(upload, field: str, code: str, errors, *, photo: bool) -> None:
    try:
        check_upload(upload, photo=photo)
    except UploadRefused as refused:
        if refused.too_large:
            errors.add(field, "claims.image_too_large", limit=f"{refused.limit:,}")
        else:
            errors.add(field, code, limit_mb=settings.SANBAO_UPLOAD_MAX_MB)


def check_fault_file(upload, field: str, errors) -> tuple[str, str] | None:
    """A photo (JPEG or PNG) or a short video (``core.uploads.check_video``) of the
    fault, sent by the consumer: its kind ("photo" or "video") and media type, or
    None with the refusal added on ``field``."""
    kind = (getattr(upload, "content_type", "") or "").lower()
    try:
        if kind.startswith("video/"):
            return "video", check_video(upload).media_type
        return "photo", check_upload(upload, photo=True).media_type
    except UploadRefused as refused:
        if refused.too_large and not kind.startswith("video/"):
            errors.add(field, "claims.image_too_large", limit=f"{refused.limit:,}")
        else:
            errors.add(
                field,
                "claims.fault_file_invalid",
                name=getattr(upload, "name", "")[:80],
                limit_mb=settings.SANBAO_VIDEO_MAX_MB,
            )
        return None


def check_findings(findings, errors, stored_photos=frozenset()) -> None:
    """Issue 10 item 7: each photo is an image; an exclusion found that the unit
    shows (III.4–III.8, III.10, ``catalog.exclusions``) has a note saying what was
    seen and a photo, sent with it or already stored on its finding (the rules in
    ``stored_photos``). Errors name the checklist's fields (``note_III_6``)."""
    for f in findings:
        if f.rule not in policy.FINDING_RULES:
            continue
        slug = f.rule.replace(".", "_")
        if f.photo is not None:
            check_photo(f.photo, f"photo_{slug}", errors)
        if f.found is True and shown_by_the_unit(f.rule):
            if not (f.note or "").strip():
                errors.add(f"note_{slug}", "claims.exclusion_note_required", rule=f.rule)
            if f.photo is None and f.rule not in stored_photos:
                errors.add(f"photo_{slug}", "claims.exclusion_photo_required", rule=f.rule)


@contextmanager
def files_undone_on_failure():
    """Files saved in the block (``(storage, name)`` appended to the list it gives)
    are deleted again when the block fails: nothing of a refused write stays."""
    saved: list = []
    try:
        yield saved
    except BaseException:
        for storage, name in saved:
            storage.delete(name)
        raise


def save_photo(finding: InspectionFinding, photo, saved: list) -> None:
    """Store ``photo`` on ``finding``; the one it replaces goes once committed."""
    old = finding.photo.name
    finding.photo.save(photo.name, photo, save=True)
    storage = finding.photo.storage
    saved.append((storage, finding.photo.name))
    if old:
        transaction.on_commit(lambda: storage.delete(old))
