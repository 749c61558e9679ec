"""Uploads for tests: small real files every upload check accepts, and the hostile
ones it must refuse (issue 13 item 5), each built in a few bytes."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from functools import lru_cache

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from pypdf import PdfWriter
from pypdf.generic import ArrayObject, DictionaryObject, NameObject, TextStringObject


def png_bytes(size: tuple[int, int] = (4, 4)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, "red").save(buffer, "PNG")
    return buffer.getvalue()


def jpeg_bytes(size: tuple[int, int] = (4, 4)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, "red").save(buffer, "JPEG")
    return buffer.getvalue()


def _pdf(writer: PdfWriter) -> bytes:
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _one_page() -> PdfWriter:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    return writer


def pdf_bytes() -> bytes:
    """A one-page blank PDF."""
    return _pdf(_one_page())


def _script() -> DictionaryObject:
    return DictionaryObject(
        {
            NameObject("/S"): NameObject("/JavaScript"),
            NameObject("/JS"): TextStringObject("app.alert(1)"),
        }
    )


def pdf_with_javascript() -> bytes:
    """A one-page PDF with a document-level script (the ``/Names`` ``/JavaScript`` tree)."""
    writer = _one_page()
    tree = DictionaryObject(
        {NameObject("/Names"): ArrayObject([TextStringObject("x"), writer._add_object(_script())])}
    )
    writer._root_object[NameObject("/Names")] = DictionaryObject(
        {NameObject("/JavaScript"): writer._add_object(tree)}
    )
    return _pdf(writer)


def pdf_with_open_action_script() -> bytes:
    """A one-page PDF whose ``/OpenAction`` is a JavaScript action."""
    writer = _one_page()
    writer._root_object[NameObject("/OpenAction")] = writer._add_object(_script())
    return _pdf(writer)


def encrypted_pdf() -> bytes:
    """A one-page PDF encrypted with a password."""
    writer = _one_page()
    writer.encrypt(user_password="secret", owner_password="owner", algorithm="RC4-128")
    return _pdf(writer)


def jpeg_magic_then_html() -> bytes:
    """JPEG's first bytes followed by a page with a script: a JPEG only by its start."""
    return b"\xff\xd8\xff\xe0" + b"<html><script>alert(document.cookie)</script></html>" * 4


def png_header(width: int, height: int) -> bytes:
    """A PNG's signature and header chunk claiming ``width`` × ``height`` pixels:
    enough for a reader to learn the size, nothing to decode."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    chunk = b"IHDR" + ihdr
    body = struct.pack(">I", len(ihdr)) + chunk + struct.pack(">I", zlib.crc32(chunk))
    idat = b"IDAT" + zlib.compress(b"\x00" * 64)
    body += struct.pack(">I", len(idat) - 4) + idat + struct.pack(">I", zlib.crc32(idat))
    return b"\x89PNG\r\n\x1a\n" + body


def upload(name: str, data: bytes, content_type: str = "") -> SimpleUploadedFile:
    kind = content_type or {
        "pdf": "application/pdf",
        "png": "image/png",
        "jpg": "image/jpeg",
        "jpeg": "image/jpeg",
        "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    }.get(name.rsplit(".", 1)[-1].lower(), "application/octet-stream")
    return SimpleUploadedFile(name, data, content_type=kind)


@lru_cache(maxsize=2)
def xlsx_bomb(unpacked_mb: int = 60) -> bytes:
    """A small XLSX (a zip of a few hundred KB) whose first sheet unpacks to about
    ``unpacked_mb`` MB of rows: openpyxl's empty workbook with that sheet swapped in."""
    from openpyxl import Workbook

    plain = io.BytesIO()
    Workbook().save(plain)
    cell = b"<c t='inlineStr'><is><t>" + b"A" * 40 + b"</t></is></c>"
    row = b"<row>" + cell + b"</row>"
    count = unpacked_mb * 1024 * 1024 // len(row) + 1
    buffer = io.BytesIO()
    with (
        zipfile.ZipFile(plain) as source,
        zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive,
    ):
        for member in source.infolist():
            if member.filename != "xl/worksheets/sheet1.xml":
                archive.writestr(member.filename, source.read(member))
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(
                b'<?xml version="1.0" encoding="UTF-8"?><worksheet '
                b'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
            )
            chunk = row * 10_000
            for _ in range(count // 10_000 + 1):
                sheet.write(chunk)
            sheet.write(b"</sheetData></worksheet>")
    return buffer.getvalue()
