"""The PDF machinery every Sanbao document shares (ReportLab).

Every document is A4 portrait, printed in both languages, and set in the
vendored Noto Sans SC (OFL): it is registered once per process as a TrueType
font, so ReportLab embeds only the glyphs a document uses (a one-page document
stays in the tens of kilobytes) and Chinese renders in any viewer, with no
system font. No standard-14 font is referenced at all.

What a document module uses:

* :func:`build_pdf` turns a list of flowables into bytes, under the shared page
  template: a header with the brand and the document's title in Chinese and
  English, a footer with "page x of y", the time printed and the policy version.
* :func:`bilingual` (``"中文 English"``) and :func:`in_both` render a translatable
  string in Simplified Chinese and in English, whatever the reader's language;
  while a translation is missing the English appears once rather than twice.
* :func:`para`, :func:`bi_para`, :func:`section`, :func:`field_table`,
  :func:`data_table`, :func:`barcode`, :func:`signature_lines` build the usual
  blocks; :func:`esc` escapes user text for ReportLab's paragraph markup.
* :func:`fit_para` sets text in a fixed-size cell (smaller, then cut short, never
  taller); :func:`draw_code128` draws a barcode that fits a given room, and
  ``sanbao.documents.qr.draw_qr`` a QR code; :func:`canvas_pdf` is for pages drawn
  directly (labels);
  :func:`build_fax_pdf` with :func:`fax_styles` for a page sent by fax (black only).
"""

from __future__ import annotations

import datetime as dt
import io
import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from reportlab.graphics.barcode.code128 import Code128
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas as rl_canvas
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    KeepTogether,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from sanbao.documents.text import (  # noqa: F401 (the papers use them as pdf.<name>)
    EN,
    ZH,
    bilingual,
    both_names,
    esc,
    fmt_date,
    fmt_datetime,
    in_both,
    mask_phone,
    org_name,
)

FONT_DIR = Path(__file__).resolve().parent / "fonts"
FONT = "NotoSansSC"
FONT_BOLD = "NotoSansSC-Bold"
FONT_FILES = {
    FONT: FONT_DIR / "NotoSansSC_400Regular.ttf",
    FONT_BOLD: FONT_DIR / "NotoSansSC_700Bold.ttf",
}

PAGE_SIZE = A4
MARGIN_X = 16 * mm
MARGIN_TOP = 28 * mm  # room for the header
MARGIN_BOTTOM = 20 * mm  # room for the footer
CONTENT_WIDTH = PAGE_SIZE[0] - 2 * MARGIN_X

INK = colors.HexColor("#1f2328")
MUTED = colors.HexColor("#59636e")
RULE = colors.HexColor("#d0d7de")
SHADE = colors.HexColor("#f3f5f7")
HIGHLIGHT = colors.HexColor("#fdf0ee")


BRAND = _("Sanbao")
BRAND_LINE = _("After-sales service")
PAGE_OF = _("Page %(page)s of %(pages)s")
PRINTED_AT = _("Printed at")
POLICY_VERSION = _("Policy version")

_font_lock = threading.Lock()
_fonts_registered = False


def register_fonts() -> None:
    """Register the Noto Sans SC regular and bold faces with ReportLab, once per
    process: the first document pays for reading the font files, later ones and
    other threads reuse them."""
    global _fonts_registered
    if _fonts_registered:
        return
    with _font_lock:
        if _fonts_registered:
            return
        for name, path in FONT_FILES.items():
            pdfmetrics.registerFont(TTFont(name, str(path)))
        pdfmetrics.registerFontFamily(
            FONT, normal=FONT, bold=FONT_BOLD, italic=FONT, boldItalic=FONT_BOLD
        )
        _fonts_registered = True


# --- Styles ----------------------------------------------------------------------------


@lru_cache(maxsize=1)
def styles() -> dict[str, ParagraphStyle]:
    """The paragraph styles of every document. ``wordWrap="CJK"`` breaks Chinese
    between characters (Latin words stay whole), so long reasons wrap in cells."""
    register_fonts()
    base = ParagraphStyle(
        "body",
        fontName=FONT,
        fontSize=9.5,
        leading=13,
        textColor=INK,
        wordWrap="CJK",
        alignment=TA_LEFT,
    )

    def derive(name: str, **kw) -> ParagraphStyle:
        return ParagraphStyle(name, parent=base, **kw)

    return {
        "body": base,
        "small": derive("small", fontSize=8, leading=10.5),
        "muted": derive("muted", fontSize=8, leading=10.5, textColor=MUTED),
        "label": derive("label", fontSize=8, leading=10.5, textColor=MUTED),
        "cell": derive("cell", fontSize=8.5, leading=11.5),
        "cell_bold": derive("cell_bold", fontName=FONT_BOLD, fontSize=8.5, leading=11.5),
        "header_cell": derive("header_cell", fontName=FONT_BOLD, fontSize=8, leading=10.5),
        "section": derive(
            "section", fontName=FONT_BOLD, fontSize=11, leading=15, spaceBefore=8, spaceAfter=4
        ),
        "title": derive("title", fontName=FONT_BOLD, fontSize=16, leading=20),
        "big": derive("big", fontName=FONT_BOLD, fontSize=22, leading=27),
        "center": derive("center", alignment=TA_CENTER),
        "right": derive("right", alignment=TA_RIGHT),
    }


def style(name: str) -> ParagraphStyle:
    return styles()[name]


# --- Blocks ----------------------------------------------------------------------------


def para(markup: str, style_name: str = "body") -> Paragraph:
    """A paragraph of ReportLab markup (escape user text with :func:`esc`)."""
    return Paragraph(markup, style(style_name))


def bi_markup(text: Any, *, en_style: str = "muted") -> str:
    """Markup of ``text`` in Chinese, then in English on its own line (smaller,
    grey). A string not yet translated appears once."""
    zh, en = in_both(text)
    if zh == en:
        return esc(en)
    s = style(en_style)
    return (
        f'{esc(zh)}<br/><font size="{s.fontSize}" color="{s.textColor.hexval()}">{esc(en)}</font>'
    )


def bi_para(text: Any, style_name: str = "cell") -> Paragraph:
    """A paragraph with ``text`` in Chinese over English."""
    return Paragraph(bi_markup(text), style(style_name))


def section(title: Any) -> Paragraph:
    """A section heading: ``中文 English``."""
    return Paragraph(esc(bilingual(title)), style("section"))


def block(title: Any, *flowables: Flowable, keep: float = 30 * mm) -> list[Flowable]:
    """A headed section: a heading is never left alone at the foot of a page (a
    new page starts when less than ``keep`` is left); what follows may split."""
    return [CondPageBreak(keep), section(title), *flowables]


def label_para(label: Any, width: float | None = None) -> Paragraph:
    """A field label, ``中文 English`` on one line when it fits in ``width``, else
    the Chinese over the English (never a word broken between the two)."""
    text = bilingual(label)
    s = style("label")
    zh, en = in_both(label)
    if zh != en and width and pdfmetrics.stringWidth(text, s.fontName, s.fontSize) > width:
        return Paragraph(f"{esc(zh)}<br/>{esc(en)}", s)
    return Paragraph(esc(text), s)


def table_style(commands: list) -> TableStyle:
    """A TableStyle whose cells are set in the embedded font: ReportLab's default
    cell font is Helvetica, which would add a font the PDF does not embed."""
    return TableStyle([("FONTNAME", (0, 0), (-1, -1), FONT), *commands])


def field_table(
    rows: Iterable[tuple[Any, Any]], *, label_width: float = 42 * mm, width: float | None = None
) -> Table:
    """Label / value pairs, one per row. A label is a translatable string (printed
    in both languages); a value is a flowable, or text that is escaped."""
    width = width or CONTENT_WIDTH
    data = []
    for label, value in rows:
        cell = value if isinstance(value, Flowable) else para(esc(value) or "—", "cell")
        data.append([label_para(label, label_width - 9), cell])  # minus the paddings
    table = Table(data, colWidths=[label_width, width - label_width], hAlign="LEFT")
    table.setStyle(field_rows_style(rule_width=0.25, rule_colour=RULE, padding=2.5))
    return table


def field_rows_style(*, rule_width: float, rule_colour, padding: float) -> TableStyle:
    """The style of a label-and-value table: each row ruled below, its cells
    aligned at the top and padded ``padding`` above and below."""
    return table_style(
        [
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LINEBELOW", (0, 0), (-1, -1), rule_width, rule_colour),
            ("TOPPADDING", (0, 0), (-1, -1), padding),
            ("BOTTOMPADDING", (0, 0), (-1, -1), padding),
            ("LEFTPADDING", (0, 0), (-1, -1), 2),
        ]
    )


COLUMN_GAP = 8 * mm
HALF_WIDTH = (CONTENT_WIDTH - COLUMN_GAP) / 2


def columns(left: Sequence[Flowable], right: Sequence[Flowable]) -> Table:
    """Two blocks side by side, each :data:`HALF_WIDTH` wide (build their tables
    with ``width=HALF_WIDTH``)."""
    table = Table(
        [[list(left), "", list(right)]],
        colWidths=[HALF_WIDTH, COLUMN_GAP, HALF_WIDTH],
        hAlign="LEFT",
    )
    table.setStyle(
        table_style(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    return table


def _cell(value: Any) -> Flowable | list:
    if isinstance(value, Flowable | list):  # a flowable, or flowables one under another
        return value
    return para(esc(value) if value not in (None, "") else "—", "cell")


def data_table(
    headers: Sequence[Any],
    rows: Iterable[Sequence[Any]],
    col_widths: Sequence[float],
    *,
    highlight_rows: Iterable[int] = (),
) -> Table:
    """A table with a bilingual header row repeated on every page (a heading is a
    translatable string, or flowables made by the caller); each cell is a
    flowable or text that is escaped and wrapped. ``col_widths`` may be fractions
    of the content width (summing to 1) or points; ``highlight_rows`` (indexes in
    ``rows``) get a tinted background."""
    if sum(col_widths) <= 1.0001:
        col_widths = [CONTENT_WIDTH * w for w in col_widths]
    data = [[h if isinstance(h, Flowable | list) else bi_para(h, "header_cell") for h in headers]]
    for row in rows:
        data.append([_cell(c) for c in row])
    commands = [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("BACKGROUND", (0, 0), (-1, 0), SHADE),
        ("LINEBELOW", (0, 0), (-1, 0), 0.6, MUTED),
        ("LINEBELOW", (0, 1), (-1, -1), 0.25, RULE),
        ("TOPPADDING", (0, 0), (-1, -1), 2.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
    ]
    commands += [("BACKGROUND", (0, r + 1), (-1, r + 1), HIGHLIGHT) for r in highlight_rows]
    table = Table(data, colWidths=list(col_widths), repeatRows=1, hAlign="LEFT")
    table.setStyle(table_style(commands))
    return table


def barcode(value: str, *, bar_height: float = 14 * mm, bar_width: float = 0.38 * mm) -> Flowable:
    """A Code 128 barcode of ``value`` (no human-readable line: the document
    prints the value itself, in its own font). The quiet zones are kept."""
    return Code128(value, barHeight=bar_height, barWidth=bar_width, humanReadable=False)


def number_block(label: Any, number: str, detail_label: Any, detail: str, *, gap: float) -> Table:
    """A document's number, large, under ``label``, with a detail below it (the
    status, the time it was submitted) and the number's Code 128 barcode at the
    right, to be scanned at the counter or at receipt."""
    code = barcode(number)
    left = [
        label_para(label),
        Paragraph(esc(number), style("big")),
        Spacer(1, gap),
        label_para(detail_label),
        para(esc(detail)),
    ]
    right_width = max(code.width + 4 * mm, 60 * mm)
    table = Table(
        [[left, code]], colWidths=[CONTENT_WIDTH - right_width, right_width], hAlign="LEFT"
    )
    table.setStyle(
        table_style(
            [
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("ALIGN", (1, 0), (1, 0), "RIGHT"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    return table


def signature_lines(labels: Sequence[Any], *, width: float | None = None) -> Table:
    """Side-by-side lines to sign and date, each captioned ``中文 English``."""
    width = width or CONTENT_WIDTH
    n = max(len(labels), 1)
    gap = 10 * mm
    col = (width - gap * (n - 1)) / n
    sign_date = _("Signature and date")
    blanks, captions, widths = [], [], []
    for i, label in enumerate(labels):
        if i:
            blanks.append("")
            captions.append("")
            widths.append(gap)
        blanks.append("")
        captions.append(
            Paragraph(
                f"{esc(bilingual(label))}<br/>"
                f'<font size="7" color="{MUTED.hexval()}">{esc(bilingual(sign_date))}</font>',
                style("small"),
            )
        )
        widths.append(col)
    table = Table([blanks, captions], colWidths=widths, rowHeights=[14 * mm, None], hAlign="LEFT")
    commands = [("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0)]
    commands += [("LINEBELOW", (c, 0), (c, 0), 0.6, INK) for c in range(0, len(widths), 2)]
    table.setStyle(table_style(commands))
    return KeepTogether([Spacer(1, 4 * mm), table])


# --- The page template and the build ---------------------------------------------------


@dataclass(frozen=True)
class PageInfo:
    """What the header and footer of every page say."""

    title: Any  # a translatable string, printed in Chinese and English
    reference: str = ""  # the document's number, repeated on every page
    policy_version: str = ""
    printed_at: dt.datetime | None = None


def _fit(text: str, font: str, size: float, width: float) -> float:
    """The largest size up to ``size`` at which ``text`` fits in ``width``."""
    while size > 6 and pdfmetrics.stringWidth(text, font, size) > width:
        size -= 0.5
    return size


def _draw_header(c: rl_canvas.Canvas, info: PageInfo) -> None:
    top = PAGE_SIZE[1] - 12 * mm
    zh_brand, en_brand = in_both(BRAND)
    c.setFillColor(INK)
    c.setFont(FONT_BOLD, 12)
    brand = en_brand if zh_brand == en_brand else f"{zh_brand} {en_brand}"
    c.drawString(MARGIN_X, top, brand)
    c.setFont(FONT, 8)
    c.setFillColor(MUTED)
    c.drawString(MARGIN_X, top - 11, bilingual(BRAND_LINE))
    if info.reference:
        c.drawString(MARGIN_X, top - 21, info.reference)

    c.setFillColor(INK)
    _draw_title(c, info.title, top, size=15, zh_y=top - 1, en_font=FONT, en_size=10)
    _draw_header_rule(c, RULE, 0.8)


def _draw_title(
    c: rl_canvas.Canvas, title: Any, top: float, *, size, zh_y, en_font, en_size
) -> None:
    """The document's title at the right of the header: in Chinese (bold, ``size``)
    at ``zh_y`` with the English (``en_font``, ``en_size``) below it, or the one
    title when both languages read the same."""
    zh, en = in_both(title)
    right = PAGE_SIZE[0] - MARGIN_X
    room = PAGE_SIZE[0] / 2 - MARGIN_X
    if zh != en:
        c.setFont(FONT_BOLD, _fit(zh, FONT_BOLD, size, room))
        c.drawRightString(right, zh_y, zh)
        c.setFont(en_font, _fit(en, en_font, en_size, room))
        c.drawRightString(right, top - 14, en)
    else:
        c.setFont(FONT_BOLD, _fit(en, FONT_BOLD, size, room))
        c.drawRightString(right, top - 4, en)


def _draw_header_rule(c: rl_canvas.Canvas, colour, width: float) -> None:
    w, h = PAGE_SIZE
    c.setStrokeColor(colour)
    c.setLineWidth(width)
    c.line(MARGIN_X, h - MARGIN_TOP + 4 * mm, w - MARGIN_X, h - MARGIN_TOP + 4 * mm)


FOOTER_Y = MARGIN_BOTTOM - 10 * mm


def _draw_footer(c: rl_canvas.Canvas, info: PageInfo, page: int, pages: int) -> None:
    _draw_footer_rule(c, RULE, 0.5, lift=9)
    c.setFont(FONT, 7.5)
    c.setFillColor(MUTED)
    _draw_printed_at(c, info)
    if info.policy_version:
        middle = f"{bilingual(POLICY_VERSION)} {info.policy_version}"
        c.drawCentredString(PAGE_SIZE[0] / 2, FOOTER_Y, middle)
    _draw_page_of(c, page, pages)


def _draw_footer_rule(c: rl_canvas.Canvas, colour, width: float, *, lift: float) -> None:
    c.setStrokeColor(colour)
    c.setLineWidth(width)
    c.line(MARGIN_X, FOOTER_Y + lift, PAGE_SIZE[0] - MARGIN_X, FOOTER_Y + lift)


def _draw_printed_at(c: rl_canvas.Canvas, info: PageInfo) -> None:
    c.drawString(MARGIN_X, FOOTER_Y, f"{bilingual(PRINTED_AT)} {fmt_datetime(info.printed_at)}")


def _draw_page_of(c: rl_canvas.Canvas, page: int, pages: int) -> None:
    zh, en = in_both(lambda: str(PAGE_OF) % {"page": page, "pages": pages})
    c.drawRightString(PAGE_SIZE[0] - MARGIN_X, FOOTER_Y, en if zh == en else f"{zh}  {en}")


class _Canvas(rl_canvas.Canvas):
    """Holds every page back until the end so the footer can say "of y"."""

    draw_header = staticmethod(_draw_header)
    draw_footer = staticmethod(_draw_footer)

    def __init__(self, *args, info: PageInfo, **kwargs):
        # No reference to a standard-14 font: a viewer without Helvetica needs none.
        kwargs["initialFontName"] = FONT
        kwargs["initialFontSize"] = kwargs.get("initialFontSize") or 9.5
        super().__init__(*args, **kwargs)
        self._info = info
        self._pages: list[dict] = []

    def showPage(self):  # ReportLab's name
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self):
        total = len(self._pages)
        for number, state in enumerate(self._pages, start=1):
            self.__dict__.update(state)
            self.draw_header(self, self._info)
            self.draw_footer(self, self._info, number, total)
            super().showPage()
        super().save()


def build_pdf(
    story: list[Flowable],
    *,
    title: Any,
    reference: str = "",
    policy_version: str | None = None,
    printed_at: dt.datetime | None = None,
    subject: str = "",
) -> bytes:
    """Lay ``story`` out on A4 pages under the shared header and footer and
    return the PDF. ``policy_version`` defaults to the current one; a document
    about a record judged under older terms passes the record's (II.1)."""
    info = PageInfo(
        title=title,
        reference=reference,
        policy_version=settings.SANBAO_POLICY_VERSION if policy_version is None else policy_version,
        printed_at=printed_at or timezone.now(),
    )
    return _build(story, info, subject=subject, canvas_class=_Canvas)


def _pdf_title(title: Any, reference: str) -> str:
    """The PDF's own title: the title in both languages and the reference, each once."""
    return " ".join(dict.fromkeys([*in_both(title), reference])).strip()


def _build(
    story: list[Flowable], info: PageInfo, *, subject: str, canvas_class: type[_Canvas]
) -> bytes:
    """Lay ``story`` out on A4 pages, each drawn on ``canvas_class``."""
    register_fonts()
    buffer = io.BytesIO()
    pdf_title = _pdf_title(info.title, info.reference)
    doc = BaseDocTemplate(
        buffer,
        pagesize=PAGE_SIZE,
        leftMargin=MARGIN_X,
        rightMargin=MARGIN_X,
        topMargin=MARGIN_TOP,
        bottomMargin=MARGIN_BOTTOM,
        title=pdf_title,
        author=bilingual(BRAND),
        subject=subject,
        creator="Sanbao",
    )
    frame = Frame(
        doc.leftMargin, doc.bottomMargin, doc.width, doc.height, id="body", showBoundary=0
    )
    doc.addPageTemplates([PageTemplate(id="page", frames=[frame])])

    def make(*args, **kwargs) -> _Canvas:
        return canvas_class(*args, info=info, **kwargs)

    doc.build(story, canvasmaker=make)
    return buffer.getvalue()


# --- Fixed-size cells, codes to scan, and fax pages --------------------------------------
#
# Added for the return-batch papers (SPEC IV): a repair list whose rows never grow
# (its page count is printed on the packing list before it is printed, IV.2), fault
# labels with a Code 128 and a QR code (IV.3), and a notice that survives a fax
# machine (IV.4: pure black on white, large type, no tint).

ELLIPSIS = "…"


def _sized(base: ParagraphStyle, size: float, font: str | None = None) -> ParagraphStyle:
    ratio = base.leading / base.fontSize
    return ParagraphStyle(
        f"{base.name}-{size}",
        parent=base,
        fontName=font or base.fontName,
        fontSize=size,
        leading=round(size * ratio, 2),
    )


def _fits(p: Paragraph, width: float, height: float) -> bool:
    _w, h = p.wrap(width, height)
    if h > height + 0.01:
        return False
    # A word wider than the room stays whole on its line: that overflows too.
    return max(p.getActualLineWidths0(), default=0) <= width + 0.01


def fit_para(
    text: Any,
    width: float,
    height: float,
    style_name: str = "cell",
    *,
    min_size: float = 6.0,
    bold: bool = False,
    style_obj: ParagraphStyle | None = None,
) -> Paragraph:
    """Plain ``text`` (escaped here) set to fit in ``width`` × ``height`` points:
    at its style's size when it fits, else at a smaller size down to ``min_size``,
    else cut with an ellipsis at ``min_size``. A cell of a fixed-height row then
    never grows, so a page holds exactly the rows it was planned for. Pass the
    space inside the cell's paddings."""
    base = style_obj or style(style_name)
    font = FONT_BOLD if bold else None
    text = "" if text is None else str(text)
    size = base.fontSize
    while True:
        current = _sized(base, size, font)
        # Lines broken between words first ("No output", not "No outpu/t"), then
        # anywhere, as Chinese is.
        whole_words = ParagraphStyle(
            f"{current.name}-words", parent=current, wordWrap=None, splitLongWords=0
        )
        for candidate in (whole_words, current):
            p = Paragraph(esc(text), candidate)
            if _fits(p, width, height):
                return p
        if size - 0.5 < min_size:
            break
        size -= 0.5
    low, high = 0, len(text)
    while low < high:  # the longest beginning that fits with an ellipsis
        mid = (low + high + 1) // 2
        if _fits(Paragraph(esc(text[:mid].rstrip() + ELLIPSIS), current), width, height):
            low = mid
        else:
            high = mid - 1
    return Paragraph(esc(text[:low].rstrip() + ELLIPSIS), current)


def draw_text_line(c, text: str, x: float, y: float, width: float, font: str, size: float, **kw):
    """Draw ``text`` on one line no wider than ``width``: smaller (down to
    ``min_size``), then cut short with an ellipsis; ``align`` "right" or "center"."""
    min_size = kw.get("min_size", 5)
    while size > min_size and pdfmetrics.stringWidth(text, font, size) > width:
        size -= 0.25
    if pdfmetrics.stringWidth(text, font, size) > width:
        while text and pdfmetrics.stringWidth(text + ELLIPSIS, font, size) > width:
            text = text[:-1]
        text += ELLIPSIS
    c.setFont(font, size)
    if kw.get("align") == "right":
        c.drawRightString(x + width, y, text)
    elif kw.get("align") == "center":
        c.drawCentredString(x + width / 2, y, text)
    else:
        c.drawString(x, y, text)


def fill_rects(c: rl_canvas.Canvas, rects: Iterable[tuple[float, float, float, float]]) -> None:
    """Fill the rectangles ``rects`` (x, y, width, height) in the canvas's fill
    colour as one path: a ``re`` operator each and one ``f``, written straight into
    the page (to a hundredth of a point). ReportLab's path object formats every
    number in Python, one call at a time: for the bars and modules of a sheet of
    codes that was a third of the drawing."""
    c.addLiteral(" ".join(f"{x:.2f} {y:.2f} {w:.2f} {h:.2f} re" for x, y, w, h in rects) + " f")


def draw_code128(
    c: rl_canvas.Canvas,
    value: str,
    x: float,
    y: float,
    width: float,
    height: float,
    *,
    max_bar_width: float = 0.38 * mm,
) -> None:
    """Draw a Code 128 barcode of ``value`` centred in the room (x, y, width,
    height), quiet zones (ten modules a side) included: the module is as wide as
    the room allows, up to ``max_bar_width``. No human-readable line: print the
    value in the document's font. The bars are ReportLab's encoding of ``value``
    (``Code128``), filled as one path (:func:`fill_rects`)."""
    code = Code128(value, barWidth=1, quiet=0, humanReadable=False)
    modules = code.width  # reading it encodes the value into ``decomposed``
    bar = min(max_bar_width, width / (modules + 20))
    left = x + (width - (modules + 20) * bar) / 2 + 10 * bar
    rects = []
    for ch in code.decomposed:
        if "A" <= ch <= "Z":  # a bar, "A" one module wide
            w = (ord(ch) - 64) * bar
            rects.append((left, y, w, height))
            left += w
        elif "a" <= ch <= "z":  # a space
            left += (ord(ch) - 96) * bar
    fill_rects(c, rects)


def canvas_pdf(
    draw: Callable[[rl_canvas.Canvas], None],
    *,
    pagesize: tuple[float, float],
    title: Any,
    reference: str = "",
    subject: str = "",
) -> bytes:
    """A PDF drawn directly on a canvas (labels): no header or footer, the embedded
    font as the canvas's initial font so no standard-14 font is referenced.
    ``draw`` draws every page and calls ``showPage()`` after each."""
    register_fonts()
    buffer = io.BytesIO()
    c = rl_canvas.Canvas(buffer, pagesize=pagesize, initialFontName=FONT, initialFontSize=8)
    c.setTitle(_pdf_title(title, reference))
    c.setAuthor(bilingual(BRAND))
    c.setSubject(subject)
    c.setCreator("Sanbao")
    draw(c)
    c.save()
    return buffer.getvalue()


FAX_INK = colors.black


@lru_cache(maxsize=1)
def fax_styles() -> dict[str, ParagraphStyle]:
    """Styles of a page meant for a fax machine: black only, large type."""
    register_fonts()
    base = ParagraphStyle(
        "fax", fontName=FONT, fontSize=12, leading=16, textColor=FAX_INK, wordWrap="CJK"
    )

    def derive(name: str, **kw) -> ParagraphStyle:
        return ParagraphStyle(name, parent=base, **kw)

    return {
        "body": base,
        "bold": derive("fax_bold", fontName=FONT_BOLD),
        "small": derive("fax_small", fontSize=11, leading=14.5),
        "small_bold": derive("fax_small_bold", fontName=FONT_BOLD, fontSize=11, leading=14.5),
        "label": derive("fax_label", fontSize=10, leading=13),
        "section": derive(
            "fax_section", fontName=FONT_BOLD, fontSize=13, leading=17, spaceBefore=6, spaceAfter=3
        ),
        "big": derive("fax_big", fontName=FONT_BOLD, fontSize=20, leading=25),
    }


def fax_markup(text: Any, *, en_size: float = 10.5) -> str:
    """Markup of ``text`` in Chinese, then in English on its own line, both black."""
    zh, en = in_both(text)
    if zh == en:
        return esc(en)
    return f'{esc(zh)}<br/><font size="{en_size}">{esc(en)}</font>'


def _draw_fax_header(c: rl_canvas.Canvas, info: PageInfo) -> None:
    top = PAGE_SIZE[1] - 12 * mm
    c.setFillColor(FAX_INK)
    c.setFont(FONT_BOLD, 14)
    c.drawString(MARGIN_X, top, bilingual(BRAND))
    c.setFont(FONT, 10)
    c.drawString(MARGIN_X, top - 13, bilingual(BRAND_LINE))
    _draw_title(c, info.title, top, size=17, zh_y=top, en_font=FONT_BOLD, en_size=12)
    _draw_header_rule(c, FAX_INK, 1.2)


def _draw_fax_footer(c: rl_canvas.Canvas, info: PageInfo, page: int, pages: int) -> None:
    _draw_footer_rule(c, FAX_INK, 0.8, lift=11)
    c.setFillColor(FAX_INK)
    c.setFont(FONT, 9)
    _draw_printed_at(c, info)
    if info.reference:
        c.drawCentredString(PAGE_SIZE[0] / 2, FOOTER_Y, info.reference)
    _draw_page_of(c, page, pages)


class _FaxCanvas(_Canvas):
    """The shared canvas with a black-only header and footer."""

    draw_header = staticmethod(_draw_fax_header)
    draw_footer = staticmethod(_draw_fax_footer)


def build_fax_pdf(
    story: list[Flowable],
    *,
    title: Any,
    reference: str = "",
    printed_at: dt.datetime | None = None,
    subject: str = "",
) -> bytes:
    """Like :func:`build_pdf`, for a page that goes through a fax machine: the
    header and footer in pure black, no grey, no tint; the story should use
    :func:`fax_styles` and black rules."""
    info = PageInfo(title=title, reference=reference, printed_at=printed_at or timezone.now())
    return _build(story, info, subject=subject, canvas_class=_FaxCanvas)
