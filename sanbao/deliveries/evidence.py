"""V.2: what an uploaded file must be to count as evidence, by its content.

``core.uploads.upload_acceptable`` checks the name, the declared type, the first
bytes and the size; here the file is also opened: an image is decoded (its size
in pixels read from its header first, so a decompression bomb is refused before
it is decoded), a PDF parsed. A photo is an image; a scan an image or a PDF."""

from __future__ import annotations

import warnings
from dataclasses import dataclass

from django.conf import settings
from PIL import Image
from pypdf import PdfReader

from sanbao.core.uploads import upload_acceptable
from sanbao.deliveries.errors import ERRORS

PDF = "application/pdf"
IMAGE_TYPES = {"JPEG": "image/jpeg", "PNG": "image/png"}


@dataclass(frozen=True)
class Checked:
    media_type: str


def check_upload(upload, *, photo: bool) -> Checked:
    """The file's real type, or a 400 saying why it is refused."""
    refused = ERRORS.invalid(
        "deliveries.file_not_accepted", "file", mb=settings.SANBAO_UPLOAD_MAX_MB
    )
    if upload is None or not upload_acceptable(upload):
        raise refused
    upload.seek(0)
    head = upload.read(5)
    upload.seek(0)
    if head.startswith(b"%PDF-"):
        if photo:
            raise refused
        try:
            reader = PdfReader(upload)
            if len(reader.pages) < 1:
                raise ValueError("no pages")
        except Exception:  # any parse failure: not a PDF anyone can open
            raise refused from None
        finally:
            upload.seek(0)
        return Checked(PDF)
    return Checked(_image_type(upload, refused))


def _image_type(upload, refused) -> str:
    limit = settings.SANBAO_EVIDENCE_MAX_PIXELS
    too_large = ERRORS.invalid("deliveries.image_too_large", "file", limit=f"{limit:,}")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(upload) as image:
                width, height = image.size
                kind = image.format
                if width * height > limit:
                    raise too_large
                image.load()  # decode it all: a truncated or fake image fails here
    except Image.DecompressionBombError:
        # Pillow's own ceiling, read from the header before anything is decoded.
        raise too_large from None
    except Exception as exc:
        if exc is too_large:
            raise
        raise refused from None
    finally:
        upload.seek(0)
    if kind not in IMAGE_TYPES:
        raise refused
    return IMAGE_TYPES[kind]
