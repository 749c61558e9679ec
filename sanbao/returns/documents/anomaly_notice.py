"""The receipt anomaly notice faxed to the return unit (IV.4): one page, black on
white, large type, so it survives a fax machine."""

from __future__ import annotations

from django.utils import timezone
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.platypus import Flowable, Paragraph, Spacer, Table

from sanbao.core.errors import Conflict
from sanbao.documents.pdf import (
    CONTENT_WIDTH,
    FAX_INK,
    MARGIN_BOTTOM,
    MARGIN_TOP,
    bilingual,
    build_fax_pdf,
    esc,
    fax_markup,
    fax_styles,
    field_rows_style,
    fmt_date,
    org_name,
    table_style,
)
from sanbao.returns.documents.text import (
    AFTER_SALES_DEPARTMENT,
    ATTENTION,
    BATCH_NUMBER,
    BOXES,
    DATE,
    DECLARED,
    FAULTY_UNITS,
    FAX,
    FIGURE,
    NO_ANOMALY,
    NOTICE_FROM,
    NOTICE_INTRO,
    NOTICE_MORE,
    NOTICE_REPLY,
    NOTICE_SIGNED,
    NOTICE_TITLE,
    NOTICE_TO,
    PAGES,
    RECEIVED,
    TELEPHONE,
    WHAT_DIFFERS,
    WHAT_TO_DO,
)
from sanbao.returns.models import (
    AnomalyKind,
    ReturnBatch,
)

# --- The anomaly notice ----------------------------------------------------------------

# What the notice lists first when not every difference fits on its page: the
# counts, then the boxes, then accessories.
NOTICE_ORDER = [
    AnomalyKind.MISSING_UNITS,
    AnomalyKind.EXTRA_UNITS,
    AnomalyKind.UNLISTED_UNITS,
    AnomalyKind.UNLABELLED_UNITS,
    AnomalyKind.BOXES,
    AnomalyKind.ACCESSORIES,
]

# The body of one A4 page under the shared header and footer, less the frame's
# paddings and a margin for rounding.
ONE_PAGE_HEIGHT = A4[1] - MARGIN_TOP - MARGIN_BOTTOM - 12 - 3 * mm


def _story_height(story: list[Flowable]) -> float:
    """The height ``story`` takes laid out at the content width."""
    total = 0.0
    for flowable in story:
        _w, h = flowable.wrap(CONTENT_WIDTH, 10_000)
        total += h + flowable.getSpaceBefore() + flowable.getSpaceAfter()
    return total


def _fax_para(text, style_name: str = "body") -> Paragraph:
    return Paragraph(fax_markup(text), fax_styles()[style_name])


def _fax_grid(data, widths, *, header: bool = False) -> Table:
    table = Table(data, colWidths=widths)
    table.hAlign = "LEFT"
    commands = [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("GRID", (0, 0), (-1, -1), 0.8, FAX_INK),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ("LEFTPADDING", (0, 0), (-1, -1), 4),
        ("RIGHTPADDING", (0, 0), (-1, -1), 4),
    ]
    if header:
        commands.append(("LINEBELOW", (0, 0), (-1, 0), 1.6, FAX_INK))
    table.setStyle(table_style(commands))
    return table


def _fax_label(text, width: float, style_name: str = "body") -> Paragraph:
    """``中文 English`` on one line when it fits in ``width``, else the Chinese
    over the English: a notice that fits one page keeps its lines short."""
    st = fax_styles()[style_name]
    line = bilingual(text)
    if pdfmetrics.stringWidth(line, st.fontName, st.fontSize) <= width:
        return Paragraph(esc(line), st)
    return Paragraph(fax_markup(text, en_size=st.fontSize - 1), st)


def _fax_fields(rows, width: float, label_width: float = 30 * mm) -> Table:
    s = fax_styles()
    data = [
        [_fax_label(label, label_width - 4, "label"), Paragraph(esc(value) or "—", s["body"])]
        for label, value in rows
    ]
    table = Table(data, colWidths=[label_width, width - label_width])
    table.hAlign = "LEFT"
    table.setStyle(field_rows_style(rule_width=0.5, rule_colour=FAX_INK, padding=2))
    return table


def anomaly_notice_pdf(batch: ReturnBatch) -> bytes:
    """IV.4: the one-page notice faxed to the return unit when a receipt differs
    from the packing list: to whom (fax, telephone, contact), from the after-sales
    department, the batch, the declared and received figures, each difference as
    a sentence, and what to do: reply by telephone or fax. Large type, black on
    white, no tint, so it survives a fax machine. A batch without anomalies has
    no notice (409)."""
    from sanbao.returns.services import anomaly_line

    anomalies = sorted(
        batch.anomalies.select_related("line"),
        key=lambda a: (NOTICE_ORDER.index(a.kind) if a.kind in NOTICE_ORDER else 99, a.id),
    )
    if not anomalies:
        raise Conflict(NO_ANOMALY, code="returns.no_anomaly", params={"number": batch.number})
    s = fax_styles()
    org = batch.return_org
    platform = batch.received_by.organisation if batch.received_by_id else None
    to_rows = [
        (NOTICE_TO, org_name(org)),
        (FAX, org.fax),
        (TELEPHONE, org.phone),
        (ATTENTION, f"{batch.contact_person} {batch.contact_phone}".strip()),
    ]
    dept = bilingual(AFTER_SALES_DEPARTMENT)
    from_rows = [
        (NOTICE_FROM, f"{org_name(platform)} {dept}".strip() if platform else dept),
        (FAX, platform.fax if platform else ""),
        (TELEPHONE, platform.phone if platform else ""),
        (
            DATE,
            fmt_date(
                timezone.localtime(batch.receipt_closed_at).date()
                if batch.receipt_closed_at
                else None
            ),
        ),
        (PAGES, "1"),
    ]
    half = (CONTENT_WIDTH - 6 * mm) / 2
    parties = Table(
        [[_fax_fields(to_rows, half), "", _fax_fields(from_rows, half)]],
        colWidths=[half, 6 * mm, half],
    )
    parties.hAlign = "LEFT"
    parties.setStyle(
        table_style(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )

    batch_line = Paragraph(f"{esc(bilingual(BATCH_NUMBER))} &nbsp; {esc(batch.number)}", s["big"])
    intro = _fax_para(lambda: str(NOTICE_INTRO) % {"number": batch.number}, "small")

    widths = [CONTENT_WIDTH * 0.5, CONTENT_WIDTH * 0.25, CONTENT_WIDTH * 0.25]

    def figure_row(label, declared, received):
        return [
            _fax_label(label, widths[0] - 8),
            Paragraph(str(declared), s["bold"]),
            Paragraph("—" if received is None else str(received), s["bold"]),
        ]

    figures = _fax_grid(
        [
            [
                _fax_label(h, w - 8, "bold")
                for h, w in zip((FIGURE, DECLARED, RECEIVED), widths, strict=True)
            ],
            figure_row(FAULTY_UNITS, batch.declared_units, batch.received_units),
            figure_row(BOXES, batch.declared_boxes, batch.received_boxes),
        ],
        widths,
        header=True,
    )

    def item(i: int, anomaly) -> Table:
        return Table(
            [[Paragraph(f"{i}.", s["bold"]), _fax_para(lambda: anomaly_line(anomaly))]],
            colWidths=[8 * mm, CONTENT_WIDTH - 8 * mm],
            style=table_style(
                [
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LEFTPADDING", (0, 0), (-1, -1), 0),
                    ("TOPPADDING", (0, 0), (-1, -1), 1.5),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
                ]
            ),
            hAlign="LEFT",
        )

    reply = _fax_para(
        lambda: (
            str(NOTICE_REPLY)
            % {
                "phone": (platform.phone if platform else "") or "—",
                "fax": (platform.fax if platform else "") or "—",
                "number": batch.number,
            }
        ),
        "small_bold",
    )
    clerk = batch.received_by.display_name if batch.received_by_id else ""
    signed = Paragraph(f"{esc(bilingual(NOTICE_SIGNED))}: {esc(clerk)}", s["body"])

    def story_with(shown: int) -> list[Flowable]:
        items = [item(i, a) for i, a in enumerate(anomalies[:shown], start=1)]
        if shown < len(anomalies):
            more = len(anomalies) - shown
            items.append(_fax_para(lambda: str(NOTICE_MORE) % {"count": more}))
        return [
            parties,
            Spacer(1, 4 * mm),
            batch_line,
            Spacer(1, 2 * mm),
            intro,
            Spacer(1, 3 * mm),
            figures,
            Paragraph(esc(bilingual(WHAT_DIFFERS)), s["section"]),
            *items,
            Paragraph(esc(bilingual(WHAT_TO_DO)), s["section"]),
            reply,
            Spacer(1, 3 * mm),
            signed,
        ]

    # One page, whatever the number of differences: as many as fit are listed, the
    # rest counted in one sentence (the batch's page lists them all).
    shown = len(anomalies)
    story = story_with(shown)
    while shown > 1 and _story_height(story) > ONE_PAGE_HEIGHT:
        shown -= 1
        story = story_with(shown)
    return build_fax_pdf(story, title=NOTICE_TITLE, reference=batch.number, subject=batch.number)
