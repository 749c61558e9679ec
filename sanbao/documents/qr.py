"""QR codes for pages drawn directly on a canvas (the fault labels), made quickly.

ReportLab's ``QrCode`` builds the symbol eight times over, once for each mask, and
scores each with list-of-booleans loops before building it a ninth time: about
three quarters of the time of a fault label (issue 14). :func:`qr_rows` gives the
very same symbol (the same encoder, ``reportlab.graphics.barcode.qrencoder``, the
same version, data and error correction, the same mask chosen by the same
penalty rules) from two builds: the symbol with mask 0, and the final one. The
other masks are the first XOR a per-version pattern over the data modules, and
the penalties are counted on rows held as integers and strings. A test compares
the result with ReportLab's own for many values.

:func:`draw_qr` draws the dark modules as one filled path of rectangles, runs
along a row merged with the same runs of the rows below, instead of one
rectangle operation per run (:func:`sanbao.documents.pdf.fill_rects`).
"""

from __future__ import annotations

import re
from functools import lru_cache
from itertools import pairwise, zip_longest
from xml.sax.saxutils import escape

from reportlab.graphics.barcode import qrencoder
from reportlab.graphics.barcode.qr import QrCode

from sanbao.documents.pdf import fill_rects

# The symbol's quiet zone, in modules (ISO/IEC 18004: four).
QUIET_ZONE = 4

_RUN_OF_FIVE = re.compile(r"0{5,}|1{5,}")
# ReportLab's rule 3 looks for this one pattern, along rows only.
_FINDER_LIKE = "10111010000"
_DARK_RUN = re.compile(r"1+")


@lru_cache(maxsize=64)
def _mask_flips(version: int) -> tuple[list[tuple[int, int]], tuple[tuple[int, ...], ...]]:
    """For a symbol version: its data modules' places, in placement order, and for
    each mask the rows (as integers, bit ``n - 1 - column``) of the data modules
    whose colour differs between mask 0 and that mask."""
    probe = qrencoder.QRCode(version, qrencoder.QRErrorCorrectLevel.M)
    n = probe.moduleCount = version * 4 + 17
    positions = list(probe._dataPosIterator())
    first = qrencoder.QRUtil.getMask(0)
    flips = []
    for pattern in range(8):
        mask = qrencoder.QRUtil.getMask(pattern)
        rows = [0] * n
        for col, row in positions:
            if mask(row, col) != first(row, col):
                rows[row] |= 1 << (n - 1 - col)
        flips.append(tuple(rows))
    return positions, tuple(flips)


@lru_cache(maxsize=32)
def _generator_logs(count: int) -> tuple[int, ...]:
    """The Reed-Solomon generator polynomial of ``count`` error-correction
    codewords, its coefficients after the leading 1 as logarithms in GF(256)."""
    generator = qrencoder.QRUtil.getErrorCorrectPolynomial(count)
    return tuple(qrencoder.QRMath.glog(c) for c in generator.num[1:])


def _codewords(qr) -> list[int]:
    """``qrencoder.QRCode.createData`` for ``qr``: the data codewords, padded, and
    their error-correction codewords, interleaved. The remainder is computed with a
    generator polynomial made once a length (ReportLab multiplies it out again for
    every symbol) and a shift register instead of a recursive polynomial division."""
    blocks = qrencoder.QRRSBlock.getRSBlocks(qr.version, qr.errorCorrectLevel)
    capacity = 8 * sum(block.dataCount for block in blocks)
    buffer = qrencoder.QRBitBuffer()
    for data in qr.dataList:
        data.write(buffer, qr.version)
    if buffer.getLengthInBits() > capacity:
        raise ValueError(f"code length overflow ({buffer.getLengthInBits()} > {capacity})")
    if buffer.getLengthInBits() + 4 <= capacity:
        buffer.put(0, 4)
    while buffer.getLengthInBits() % 8:
        buffer.putBit(False)
    pads = (qrencoder.QRCode.PAD0, qrencoder.QRCode.PAD1)
    i = 0
    while buffer.getLengthInBits() < capacity:
        buffer.put(pads[i % 2], 8)
        i += 1
    exp, log = qrencoder.EXP_TABLE, qrencoder.LOG_TABLE
    data_blocks, ec_blocks = [], []
    offset = 0
    for block in blocks:
        data = buffer.buffer[offset : offset + block.dataCount]
        offset += block.dataCount
        generator = _generator_logs(block.totalCount - block.dataCount)
        remainder = [0] * len(generator)
        for byte in data:
            factor = byte ^ remainder[0]
            remainder = [*remainder[1:], 0]
            if factor:
                f = log[factor]
                remainder = [
                    r ^ exp[(f + g) % 255] for r, g in zip(remainder, generator, strict=True)
                ]
        data_blocks.append(data)
        ec_blocks.append(remainder)
    return [
        d
        for group in (data_blocks, ec_blocks)
        for column in zip_longest(*group)
        for d in column
        if d is not None
    ]


def _as_ints(modules: list[list[bool]]) -> list[int]:
    return [int("".join("1" if m else "0" for m in row), 2) for row in modules]


def _penalty(rows: list[int], n: int) -> int:
    """ReportLab's ``QRUtil.getLostPoint`` of the symbol ``rows``, counted the same
    way: runs of five or more of a colour along rows and columns (length - 2 each),
    2 × 2 blocks of a colour (3 each), the finder-like pattern along rows (40 each,
    not overlapping, not ending on the last column) and the balance of dark and
    light (10 a 5% step from half)."""
    texts = [format(r, f"0{n}b") for r in rows]
    columns = ["".join(col) for col in zip(*texts, strict=True)]
    lines = "2".join(texts) + "2" + "2".join(columns)
    score = sum(len(run) - 2 for run in _RUN_OF_FIVE.findall(lines))
    edge = (1 << (n - 1)) - 1
    blocks = 0
    for upper, lower in pairwise(rows):
        same_down = ~(upper ^ lower)
        same_across = ~(upper ^ (upper >> 1))
        blocks += (same_down & (same_down >> 1) & same_across & edge).bit_count()
    score += 3 * blocks
    score += 40 * "2".join(t[:-1] for t in texts).count(_FINDER_LIKE)
    dark = sum(r.bit_count() for r in rows)
    score += 10 * (abs(100 * dark // (n * n) - 50) // 5)
    return score


def qr_rows(value: str, level: str = "M") -> list[str]:
    """The modules of the QR code of ``value`` at error-correction ``level``
    (L, M, Q, H), a string of "1" (dark) and "0" a row, top row first, no quiet
    zone: what ReportLab's ``QrCode(value, qrLevel=level)`` draws."""
    qr = QrCode(value, qrLevel=level).qr
    if qr.version is None:
        qr.version = qr.calculate_version()
    n = qr.version * 4 + 17
    positions, flips = _mask_flips(qr.version)
    qr._dataPosList = positions  # the placement is the version's, shared
    qr.dataCache = _codewords(qr)
    qr.makeImpl(True, 0)
    base = _as_ints(qr.modules)
    best, best_score = 0, None
    for pattern, flip in enumerate(flips):
        score = _penalty([r ^ f for r, f in zip(base, flip, strict=True)], n)
        if best_score is None or score < best_score:
            best, best_score = pattern, score
    qr.makeImpl(False, best)
    return ["".join("1" if m else "0" for m in row) for row in qr.modules]


def draw_qr(canvas, value: str, x: float, y: float, size: float, *, level: str = "M") -> None:
    """Draw the QR code of ``value`` with its lower left corner at (x, y), ``size``
    points square, its quiet zone included, in the canvas's fill colour. Each
    rectangle reaches 5% of a module into the row above, as ReportLab's own
    drawing does, so no hairline shows between rows in any viewer."""
    rows = qr_rows(value, level)
    n = len(rows)
    module = size / (n + 2 * QUIET_ZONE)
    top = y + size - QUIET_ZONE * module
    rects = []
    # Runs (start, length) still open, with the row each began on.
    open_runs: dict[tuple[int, int], int] = {}

    def close(run: tuple[int, int], first: int, last: int) -> None:
        start, length = run
        rects.append(
            (
                x + (QUIET_ZONE + start) * module,
                top - (last + 1) * module,
                length * module,
                (last - first + 1.05) * module,
            )
        )

    for r, row in enumerate(rows):
        runs = {(m.start(), m.end() - m.start()) for m in _DARK_RUN.finditer(row)}
        for run in [run for run in open_runs if run not in runs]:
            close(run, open_runs.pop(run), r - 1)
        for run in runs:
            open_runs.setdefault(run, r)
    for run, first in open_runs.items():
        close(run, first, n - 1)
    fill_rects(canvas, rects)


def qr_svg(value: str, *, level: str = "M", title: str = "") -> str:
    """The QR code of ``value`` as a small SVG document for a page (no script, no
    style: the dark modules are one path, each run of a row a rectangle; the quiet
    zone included). Scales to its box: give it a width in the page's CSS."""
    rows = qr_rows(value, level)
    n = len(rows) + 2 * QUIET_ZONE
    path = []
    for r, row in enumerate(rows):
        for m in _DARK_RUN.finditer(row):
            x = m.start() + QUIET_ZONE
            path.append(f"M{x} {r + QUIET_ZONE}h{m.end() - m.start()}v1H{x}z")
    label = escape(title, {'"': "&quot;"})
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {n} {n}" '
        f'shape-rendering="crispEdges" role="img" aria-label="{label}">'
        f'<rect width="{n}" height="{n}" fill="#fff"/>'
        f'<path fill="#000" d="{"".join(path)}"/></svg>'
    )
