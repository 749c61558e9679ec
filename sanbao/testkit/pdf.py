"""Reading a generated PDF the way the document tests assert on it: its text with
the line wrapping squashed out, page by page; its pages rendered to PNG (with
poppler's ``pdftoppm``) and the barcodes decoded back from them (with zxing-cpp)."""

from __future__ import annotations

import io
import re
import shutil
import subprocess

import pypdf
import pytest


def squash(text: str) -> str:
    """Text without whitespace: where a line wraps is not content."""
    return re.sub(r"\s+", "", text)


def pages_of(data: bytes) -> list[str]:
    """The squashed text of each page of the PDF ``data``."""
    return [squash(p.extract_text()) for p in pypdf.PdfReader(io.BytesIO(data)).pages]


def pdf_text(data: bytes) -> str:
    """The squashed text of the whole PDF ``data``."""
    return "".join(pages_of(data))


def render_pngs(data: bytes, tmp_path, *, dpi: int = 300, page: int | None = None) -> list:
    """The pages of the PDF ``data`` (only ``page``, if given) as PNG files in
    ``tmp_path``, in page order; skips the test where poppler is not installed."""
    pdftoppm = shutil.which("pdftoppm")
    if pdftoppm is None:  # pragma: no cover - poppler-utils is part of the dev setup
        pytest.skip("pdftoppm (poppler-utils) is not installed")
    source = tmp_path / "doc.pdf"
    source.write_bytes(data)
    only = ["-f", str(page), "-l", str(page)] if page is not None else []
    command = [pdftoppm, "-r", str(dpi), "-png", *only, source, tmp_path / "p"]
    subprocess.run(command, check=True, timeout=300)
    return sorted(tmp_path.glob("p-*.png"))


def decoded(png) -> list:
    """The barcodes zxing-cpp reads in the image ``png`` (skips the test without it)."""
    zxingcpp = pytest.importorskip("zxingcpp")
    from PIL import Image

    return zxingcpp.read_barcodes(Image.open(png))


def barcodes_of(data: bytes, tmp_path, *, dpi: int = 300) -> list[list]:
    """The barcodes decoded from each page of the PDF ``data``, page by page."""
    return [decoded(png) for png in render_pngs(data, tmp_path, dpi=dpi)]
