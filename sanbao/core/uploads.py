"""Uploaded scans and photos: private names, the one content check every upload
passes, spreadsheets checked before they are opened, and serving them.

Uploads are kept under random names (never the user's) and served only through
views that first check the record they belong to, so no URL guesses its way in;
they are always served as attachments with ``nosniff``, never shown inline.

The content check (issue 13 item 5) opens the file, since a name, a declared type
or the first bytes are only claims: an image is decoded with Pillow (its size in
pixels read from its header first, so a decompression bomb is refused before it
is decoded); a PDF is parsed with pypdf and refused if it is encrypted or carries
JavaScript or a launch action anywhere in its objects. A photo is a JPEG or PNG
image; a scan an image or a PDF. Each app turns a refusal into its own error."""

from __future__ import annotations

import io
import os
import uuid
import warnings
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.http import FileResponse
from PIL import Image

PDF = "application/pdf"
IMAGE_TYPES = {"JPEG": "image/jpeg", "PNG": "image/png"}
SCAN_TYPES = {PDF, *IMAGE_TYPES.values()}
SCAN_EXTENSIONS = (".pdf", ".jpg", ".jpeg", ".png")
PHOTO_EXTENSIONS = (".jpg", ".jpeg", ".png")
# What such a file starts with: a name or a declared type is only a claim.
SCAN_SIGNATURES = (b"%PDF-", b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff")
# PDF names that run something: scripts (in an action, a name tree, a form) or a program.
PDF_ACTIVE_KEYS = {"/JS", "/JavaScript"}
PDF_ACTIVE_ACTIONS = {"/JavaScript", "/Launch"}
# At most this many PDF objects are walked; a scan has far fewer.
PDF_MAX_OBJECTS = 200_000


@dataclass(frozen=True)
class Checked:
    media_type: str


class UploadRefused(Exception):
    """Why an upload is refused: ``too_large`` (pixels, with ``limit``) or not accepted."""

    def __init__(self, *, too_large: bool = False, limit: int = 0) -> None:
        super().__init__("image too large" if too_large else "file not accepted")
        self.too_large = too_large
        self.limit = limit


def private_name(folder: str, filename: str) -> str:
    """A random file name in ``folder`` keeping only the extension."""
    extension = os.path.splitext(filename or "")[1].lower()[:8]
    return f"{folder}/{uuid.uuid4().hex}{extension}"


def check_upload(upload, *, photo: bool = False) -> Checked:
    """The real type of a PDF, JPEG or PNG (only JPEG or PNG when ``photo``) of at
    most ``SANBAO_UPLOAD_MAX_MB``, by its name, declared type and content; else
    ``UploadRefused``."""
    if upload is None:
        raise UploadRefused()
    name = (getattr(upload, "name", "") or "").lower()
    kind = getattr(upload, "content_type", "") or ""
    if (
        upload.size > settings.SANBAO_UPLOAD_MAX_MB * 1024 * 1024
        or not name.endswith(PHOTO_EXTENSIONS if photo else SCAN_EXTENSIONS)
        or (kind and kind not in SCAN_TYPES and kind != "application/octet-stream")
    ):
        raise UploadRefused()
    head = _head(upload, 8)
    if not head.startswith(SCAN_SIGNATURES):
        raise UploadRefused()
    if head.startswith(b"%PDF-"):
        if photo:
            raise UploadRefused()
        _check_pdf(upload)
        return Checked(PDF)
    return Checked(_image_type(upload))


# A video's container by its first bytes: ISO media (MP4, QuickTime, 3GPP) carries
# "ftyp" at offset 4; Matroska/WebM starts with the EBML magic number.
VIDEO_SIGNATURES = {
    "video/mp4": lambda head: head[4:8] == b"ftyp",
    "video/quicktime": lambda head: head[4:8] == b"ftyp",
    "video/3gpp": lambda head: head[4:8] == b"ftyp",
    "video/webm": lambda head: head.startswith(b"\x1a\x45\xdf\xa3"),
}


def check_video(upload) -> Checked:
    """A short video of one of ``SANBAO_VIDEO_TYPES`` (its declared type, checked
    against its first bytes) of at most ``SANBAO_VIDEO_MAX_MB``; else
    ``UploadRefused``. A video is not decoded here: it is stored and served as an
    attachment only, never played inline by the platform."""
    if upload is None:
        raise UploadRefused()
    kind = (getattr(upload, "content_type", "") or "").lower()
    if upload.size > settings.SANBAO_VIDEO_MAX_MB * 1024 * 1024 or upload.size < 12:
        raise UploadRefused()
    if kind not in settings.SANBAO_VIDEO_TYPES or kind not in VIDEO_SIGNATURES:
        raise UploadRefused()
    if not VIDEO_SIGNATURES[kind](_head(upload, 12)):
        raise UploadRefused()
    return Checked(kind)


def _head(upload, count: int) -> bytes:
    upload.seek(0)
    head = upload.read(count)
    upload.seek(0)
    return head


def _image_type(upload) -> str:
    limit = settings.SANBAO_EVIDENCE_MAX_PIXELS
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(upload) as image:
                width, height = image.size
                kind = image.format
                if width * height > limit:
                    raise UploadRefused(too_large=True, limit=limit)
                image.load()  # decode it all: a truncated or fake image fails here
    except UploadRefused:
        raise
    except Image.DecompressionBombError:
        # Pillow's own ceiling, read from the header before anything is decoded.
        raise UploadRefused(too_large=True, limit=limit) from None
    except Exception:  # any decoding failure: not an image anyone can open
        raise UploadRefused() from None
    finally:
        upload.seek(0)
    if kind not in IMAGE_TYPES:
        raise UploadRefused()
    return IMAGE_TYPES[kind]


def _check_pdf(upload) -> None:
    from pypdf import PdfReader

    try:
        reader = PdfReader(upload)
        if reader.is_encrypted:  # nobody can read it without the password; nor can we check it
            raise UploadRefused()
        if len(reader.pages) < 1:
            raise UploadRefused()
        if _pdf_active(reader.trailer):
            raise UploadRefused()
    except UploadRefused:
        raise
    except Exception:  # any parse failure: not a PDF anyone can open
        raise UploadRefused() from None
    finally:
        upload.seek(0)


def _pdf_active(trailer) -> bool:
    """Whether any object reachable from the trailer is or names a script or launch."""
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

    seen: set[tuple[int, int]] = set()
    pending = [trailer]
    walked = 0
    while pending:
        item = pending.pop()
        if isinstance(item, IndirectObject):
            key = (item.idnum, item.generation)
            if key in seen:
                continue
            seen.add(key)
            item = item.get_object()
        walked += 1
        if walked > PDF_MAX_OBJECTS:
            return True  # too many objects to check: refused rather than trusted
        if isinstance(item, DictionaryObject):
            if PDF_ACTIVE_KEYS & set(item.keys()):
                return True
            if item.get("/S") in PDF_ACTIVE_ACTIONS:
                return True
            pending.extend(item.values())
        elif isinstance(item, ArrayObject):
            pending.extend(item)
    return False


def xlsx_within_limits(data: bytes) -> bool:
    """Whether an XLSX (a zip) unpacks to at most ``SANBAO_XLSX_MAX_UNCOMPRESSED_MB``
    in at most ``SANBAO_XLSX_MAX_MEMBERS`` files, read from its directory before
    anything is unpacked. A file that is not a zip is left to the reader to refuse."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        return True
    total = sum(member.file_size for member in members)
    return (
        len(members) <= settings.SANBAO_XLSX_MAX_MEMBERS
        and total <= settings.SANBAO_XLSX_MAX_UNCOMPRESSED_MB * 1024 * 1024
    )


def attached_file(field) -> FileResponse:
    """A stored upload as a download: an attachment, never shown inline, with
    ``nosniff`` so no browser guesses it is a page, and a sandbox should one try."""
    response = FileResponse(
        field.open("rb"), as_attachment=True, filename=os.path.basename(field.name)
    )
    response["Content-Security-Policy"] = "sandbox"
    response["X-Content-Type-Options"] = "nosniff"
    return response
