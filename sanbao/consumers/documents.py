"""The printable sheet of warranty cards of a production lot (issue 16 item 1; II.2):
A4, ten card-sized cells (85.6 × 54 mm, the size of a bank card) with dashed cut
lines, each with the brand, the model (code, Chinese and English names), the
serial, the warranty card number, the QR code of the unit's signed card URL
(``consumers.cards.card_url``) and "scan for warranty and service".

Printed in Chinese and English whatever the reader's language, in the embedded
Noto Sans SC (``sanbao.documents.pdf``). Registered in the document registry as
``consumers.warranty_cards_pdf``, file name ``warranty-cards-<lot>.pdf``.
"""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm

from sanbao.consumers.cards import card_url
from sanbao.consumers.errors import ERRORS
from sanbao.consumers.selectors import Lot
from sanbao.core.web import PDF
from sanbao.documents.pdf import (
    BRAND,
    FONT,
    FONT_BOLD,
    INK,
    MUTED,
    RULE,
    canvas_pdf,
    draw_text_line,
)
from sanbao.documents.qr import draw_qr
from sanbao.documents.registry import register
from sanbao.documents.text import bilingual

TITLE = _("Warranty cards")
WARRANTY_CARD = _("Warranty card")
SERIAL = _("Serial number")
CARD_NUMBER = _("Warranty card number")
SCAN = _("Scan for warranty and service")

# The card: ISO/IEC 7810 ID-1, the size of a bank card, so it fits a wallet.
CARD = (85.6 * mm, 54 * mm)
COLUMNS, ROWS = 2, 5
PER_SHEET = COLUMNS * ROWS
MARGIN = ((A4[0] - COLUMNS * CARD[0]) / 2, (A4[1] - ROWS * CARD[1]) / 2)
PAD = 4 * mm  # inside the cut lines: a cut a little off never takes the code
QR_SIZE = 31 * mm  # modules of 0.7 mm at the URL's usual version: read from arm's length


class _Words:
    """The sheet's fixed words in both languages, made once a sheet."""

    def __init__(self) -> None:
        self.brand = f"{bilingual(BRAND)} · {bilingual(WARRANTY_CARD)}"
        self.serial = bilingual(SERIAL)
        self.card = bilingual(CARD_NUMBER)
        self.scan = bilingual(SCAN, " / ")


def _draw_card(c, unit, x: float, y: float, words: _Words) -> None:
    """One card with its lower left corner at (x, y)."""
    left, bottom = x + PAD, y + PAD
    width, height = CARD[0] - 2 * PAD, CARD[1] - 2 * PAD
    top = bottom + height
    c.setFillColor(INK)
    draw_text_line(c, words.brand, left, top - 3.2 * mm, width, FONT_BOLD, 8.5)

    qr_bottom = bottom + 4 * mm + (height - 9 * mm - QR_SIZE) / 2
    draw_qr(c, card_url(unit), left + width - QR_SIZE, qr_bottom, QR_SIZE)

    text_width = width - QR_SIZE - 1.5 * mm
    model = unit.model
    draw_text_line(c, model.code, left, top - 8.6 * mm, text_width, FONT_BOLD, 11)
    draw_text_line(c, model.name_zh or model.name_en, left, top - 12.6 * mm, text_width, FONT, 8)
    c.setFillColor(MUTED)
    if model.name_zh and model.name_en:
        draw_text_line(c, model.name_en, left, top - 16 * mm, text_width, FONT, 7)
    draw_text_line(c, words.serial, left, top - 21 * mm, text_width, FONT, 6)
    draw_text_line(c, words.card, left, top - 29 * mm, text_width, FONT, 6)
    c.setFillColor(INK)
    draw_text_line(c, unit.serial, left, top - 24.6 * mm, text_width, FONT_BOLD, 9)
    draw_text_line(c, unit.warranty_card_no or "—", left, top - 32.6 * mm, text_width, FONT, 9)

    draw_text_line(c, words.scan, left, bottom + 0.6 * mm, width, FONT_BOLD, 7.5, align="center")


def _cut_lines(c) -> None:
    """Dashed grey lines along the cards' edges."""
    c.saveState()
    c.setStrokeColor(RULE)
    c.setLineWidth(0.4)
    c.setDash(2, 2)
    for i in range(COLUMNS + 1):
        x = MARGIN[0] + i * CARD[0]
        c.line(x, MARGIN[1] - 3 * mm, x, A4[1] - MARGIN[1] + 3 * mm)
    for j in range(ROWS + 1):
        y = MARGIN[1] + j * CARD[1]
        c.line(MARGIN[0] - 3 * mm, y, A4[0] - MARGIN[0] + 3 * mm, y)
    c.restoreState()


def warranty_cards_pdf(lot: Lot) -> bytes:
    """II.2: the warranty cards of the lot's units, in serial order, ten an A4
    page. A lot larger than ``SANBAO_CARD_SHEET_MAX_UNITS`` is refused (400
    ``consumers.lot_too_large``): one sheet is printed at a time, and a huge PDF
    would hold a worker for minutes."""
    limit = settings.SANBAO_CARD_SHEET_MAX_UNITS
    if lot.count > limit:
        raise ERRORS.invalid(
            "consumers.lot_too_large", lot=lot.number, count=lot.count, limit=limit
        )
    words = _Words()

    def draw(c) -> None:
        for start in range(0, len(lot.units), PER_SHEET):
            _cut_lines(c)
            for i, unit in enumerate(lot.units[start : start + PER_SHEET]):
                col, row = i % COLUMNS, i // COLUMNS
                x = MARGIN[0] + col * CARD[0]
                y = A4[1] - MARGIN[1] - (row + 1) * CARD[1]
                _draw_card(c, unit, x, y, words)
            c.showPage()

    return canvas_pdf(draw, pagesize=A4, title=TITLE, reference=lot.number, subject=lot.number)


register(
    "consumers.warranty_cards_pdf",
    render=warranty_cards_pdf,
    filename=lambda lot: f"warranty-cards-{lot.number}.pdf",
    media_type=PDF,
)
