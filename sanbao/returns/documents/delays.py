"""IV.6: the delay marks, printed on the packing list (a banner and a section)
and on the delivery list (the units still to follow), and written into both
workbooks."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import ngettext
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, Spacer, Table

from sanbao.documents.pdf import (
    CONTENT_WIDTH,
    HIGHLIGHT,
    bi_markup,
    bilingual,
    block,
    data_table,
    esc,
    fmt_date,
    style,
    table_style,
)
from sanbao.returns.documents.layout import (
    code_para,
    dense_markup,
    dense_para,
    local_date,
    model_text,
)
from sanbao.returns.documents.text import (
    DELAY_HEADERS,
    DELAY_WIDTHS,
    DELAYS,
    NOT_LEFT_YET,
    SHIPPED_ON,
    STILL_WAITING,
    WHOLE_BATCH_DELAYED,
    WHOLE_BATCH_DELAYED_FOR,
    WITH_ORDER,
)
from sanbao.returns.models import (
    DelayReason,
    ReturnBatch,
    ReturnedUnit,
    Shipment,
    ShipmentStatus,
)

DELAY_INK = colors.HexColor("#b42318")


def delay_mark(unit: ReturnedUnit) -> str:
    """``缺少零配件 Shortage of parts (cells) 2026-12-03 → S2612-ABCDEF, order PO-1``."""
    text = bilingual(delay_reason_label(unit))
    if unit.delay_note:
        text += f" ({unit.delay_note})"
    if unit.delayed_at:
        text += f" {fmt_date(local_date(unit.delayed_at))}"
    if unit.shipment_id:
        text += f" → {bilingual(_shipment_ref(unit.shipment))}"
    return text


def delay_reason_label(unit: ReturnedUnit):
    labels = dict(DelayReason.choices)
    return labels.get(unit.delay_reason, unit.delay_reason)


def _shipment_ref(shipment: Shipment):
    """``S2612-ABCDEF, order PO-1, shipped 2026-12-09`` (or prepared, not yet left)."""

    def text() -> str:
        if shipment.status == ShipmentStatus.SHIPPED:
            when = str(SHIPPED_ON) % {"date": fmt_date(timezone.localdate(shipment.shipped_at))}
        else:
            when = str(NOT_LEFT_YET)
        parts = [shipment.number]
        if shipment.order_no:
            parts.append(str(WITH_ORDER) % {"order": shipment.order_no})
        parts.append(when)
        return ", ".join(parts)

    return text


def delay_rows(units: list[ReturnedUnit]) -> list[list]:
    rows = []
    for unit in units:
        reason = dense_markup(delay_reason_label(unit), bold=True)
        if unit.delay_note:
            reason += f"<br/>{esc(unit.delay_note)}"
        went = dense_markup(_shipment_ref(unit.shipment)) if unit.shipment_id else ""
        rows.append(
            [
                code_para(unit.code, DELAY_WIDTHS[0] * CONTENT_WIDTH - 6),
                dense_para(esc(model_text(unit.model))),
                dense_para(esc(unit.serial_in) or "—"),
                dense_para(reason),
                dense_para(esc(fmt_date(local_date(unit.delayed_at)))),
                dense_para(went or dense_markup(STILL_WAITING, bold=True)),
            ]
        )
    return rows


def delays_of(batch: ReturnBatch) -> tuple[list[ReturnedUnit], int]:
    """The delayed units of the batch (IV.6) and how many units it has in all."""
    from sanbao.returns.selectors import delayed_units

    return list(delayed_units(batch)), batch.units.count()


def delay_summary(delayed: list[ReturnedUnit], total: int):
    """One sentence: the whole batch is delayed (with its reason when it is one
    reason), or so many of its units are."""
    reasons = {(u.delay_reason, u.delay_note) for u in delayed}

    def text() -> str:
        if len(delayed) == total:
            if len(reasons) == 1:
                reason, note = next(iter(reasons))
                cause = str(dict(DelayReason.choices).get(reason, reason))
                return str(WHOLE_BATCH_DELAYED_FOR) % {
                    "reason": f"{cause} ({note})" if note else cause
                }
            return str(WHOLE_BATCH_DELAYED)
        return units_delayed(len(delayed), total)

    return text


def units_delayed(count: int, units: int) -> str:
    """IV.6: ``1 of the 3 units received is delayed; …`` in the active language."""
    return ngettext(
        "%(count)s of the %(units)s units received is delayed (IV.6); it goes back "
        "later, with an order of the return unit.",
        "%(count)s of the %(units)s units received are delayed (IV.6); they go back "
        "later, with an order of the return unit.",
        count,
    ) % {"count": count, "units": units}


def delay_banner(text) -> Table:
    """A tinted, ruled box: the delay mark near the top of the packing list."""
    table = Table([[Paragraph(bi_markup(text), style("cell_bold"))]], colWidths=[CONTENT_WIDTH])
    table.hAlign = "LEFT"
    table.setStyle(
        table_style(
            [
                ("BACKGROUND", (0, 0), (-1, -1), HIGHLIGHT),
                ("BOX", (0, 0), (-1, -1), 1, DELAY_INK),
                ("LINEBEFORE", (0, 0), (0, -1), 4, DELAY_INK),
                ("LEFTPADDING", (0, 0), (-1, -1), 8),
                ("TOPPADDING", (0, 0), (-1, -1), 4),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
            ]
        )
    )
    return table


def delay_section(delayed: list[ReturnedUnit], total: int) -> list[Flowable]:
    """IV.6: the delay marks printed on the packing list: a sentence, then each
    delayed unit with its reason, note, the day it was marked and the shipment and
    order it went back with (or that it is still to follow)."""
    table = data_table(
        DELAY_HEADERS,
        delay_rows(delayed),
        DELAY_WIDTHS,
    )
    table.setStyle(table_style([("LINEBEFORE", (0, 0), (0, -1), 2, DELAY_INK)]))
    return block(
        DELAYS,
        Paragraph(bi_markup(delay_summary(delayed, total)), style("cell_bold")),
        Spacer(1, 1.5 * mm),
        table,
    )
