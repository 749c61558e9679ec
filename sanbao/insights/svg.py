"""Charts as SVG written on the server (no JavaScript): horizontal bars and a line.

Each chart scales to its container (a ``viewBox`` and ``width="100%"``), carries a
``<title>`` and ``<desc>`` (``role="img"``) for screen readers, and each bar or
point its own ``<title>`` with its label and value, which a browser shows on
hover. Colours come from a short palette readable by the colour-blind (Okabe-Ito);
the table under each chart carries the same figures for anyone who cannot see it.
"""

from __future__ import annotations

import dataclasses
import itertools
import math
import unicodedata
from collections.abc import Sequence
from decimal import Decimal

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00")
WIDTH = 360  # about a phone's width, so that its text stays legible there
LABEL_W = 130  # the left column of a bar chart's labels
VALUE_W = 54  # room right of the longest bar for its value
BAR_H = 15
GAP = 10
LEGEND_ROW = 20
_ids = itertools.count(1)


@dataclasses.dataclass(frozen=True)
class Series:
    name: str
    values: Sequence[int | float | Decimal | None]


def _fmt(value, unit: str) -> str:
    if value is None:
        return "—"
    return f"{value}{unit}"


def _cut(text: str, room: float = LABEL_W - 8) -> str:
    """``text`` shortened with an ellipsis to fit ``room`` (its <title> has it whole)."""
    text = str(text)
    if _text_width(text) <= room:
        return text
    while text and _text_width(text + "…") > room:
        text = text[:-1]
    return text + "…"


def _text_width(text: str, size: int = 12) -> float:
    """About how wide ``text`` is drawn: a Chinese character is twice a Latin one."""
    return sum(size if unicodedata.east_asian_width(ch) in "WF" else size * 0.6 for ch in text)


def _legend(series: Sequence[Series]) -> tuple[list[str], int]:
    """The legend's swatches and names, wrapped over rows; and its height."""
    parts, x, y = [], 0.0, 4
    for i, s in enumerate(series):
        colour = PALETTE[i % len(PALETTE)]
        width = 16 + _text_width(str(s.name)) + 14
        if x and x + width > WIDTH:
            x, y = 0.0, y + LEGEND_ROW
        parts.append(
            f'<rect x="{x:.0f}" y="{y}" width="12" height="12" fill="{colour}"></rect>'
            f'<text x="{x + 16:.0f}" y="{y + 11}" font-size="12">{escape(s.name)}</text>'
        )
        x += width
    return parts, y + LEGEND_ROW + 2


def _frame(title: str, desc: str, height: int, body: list[str]) -> SafeString:
    n = next(_ids)
    return mark_safe(
        f'<svg class="chart" viewBox="0 0 {WIDTH} {height}" width="100%" role="img" '
        f'aria-labelledby="chart-{n}-t chart-{n}-d" xmlns="http://www.w3.org/2000/svg" '
        f'font-family="system-ui, sans-serif" preserveAspectRatio="xMinYMin meet">'
        f'<title id="chart-{n}-t">{escape(title)}</title>'
        f'<desc id="chart-{n}-d">{escape(desc)}</desc>' + "".join(body) + "</svg>"
    )


def nice_top(value: float) -> float:
    """The smallest round number (1, 2, 2.5 or 5 times a power of ten, times the four
    steps of the axis) at or above ``value``: an axis of 0, 10, 20, 30, 40."""
    if value <= 0:
        return 1.0
    step = value / 4
    power = 10 ** math.floor(math.log10(step))
    for factor in (1, 2, 2.5, 5, 10):
        if factor * power >= step - 1e-12:
            return factor * power * 4
    return value  # pragma: no cover - the loop ends at 10, which always fits


def bar_chart(
    title: str, labels: Sequence[str], series: Sequence[Series], *, unit: str = "", desc: str = ""
) -> SafeString:
    """Horizontal bars: one group a label, one bar a series, on one scale from 0."""
    values = [v for s in series for v in s.values if v is not None]
    top = max([float(v) for v in values] + [0.0]) or 1.0
    scale = (WIDTH - LABEL_W - VALUE_W) / top
    group_h = BAR_H * len(series) + GAP
    show_legend = len(series) > 1
    body, y0 = _legend(series) if show_legend else ([], 4)
    for row, label in enumerate(labels):
        y = y0 + row * group_h
        body.append(
            f'<text x="{LABEL_W - 6}" y="{y + BAR_H * len(series) / 2 + 4:.1f}" '
            f'font-size="12" text-anchor="end">{escape(_cut(label))}'
            f"<title>{escape(label)}</title></text>"
        )
        for i, s in enumerate(series):
            value = s.values[row]
            width = float(value or 0) * scale
            by = y + i * BAR_H
            colour = PALETTE[i % len(PALETTE)]
            tip = (
                f"{label} · {s.name}: {_fmt(value, unit)}"
                if show_legend
                else (f"{label}: {_fmt(value, unit)}")
            )
            body.append(
                f'<rect x="{LABEL_W}" y="{by}" width="{width:.1f}" height="{BAR_H - 2}" '
                f'fill="{colour}"><title>{escape(tip)}</title></rect>'
                f'<text x="{LABEL_W + width + 4:.1f}" y="{by + BAR_H - 3}" font-size="11">'
                f"{escape(_fmt(value, unit))}</text>"
            )
    body.append(
        f'<line x1="{LABEL_W}" y1="{y0 - 2}" x2="{LABEL_W}" '
        f'y2="{y0 + len(labels) * group_h - GAP + 2}" stroke="#6c757d"></line>'
    )
    height = y0 + max(len(labels), 1) * group_h + 4
    return _frame(title, desc, height, body)


def line_chart(
    title: str,
    labels: Sequence[str],
    series: Sequence[Series],
    *,
    unit: str = "",
    top: float | None = None,
    desc: str = "",
    legend: bool | None = None,
) -> SafeString:
    """Lines over labelled points (weeks, months) on one scale from 0 to ``top``
    (by default the largest value rounded up to a round number). The legend names
    the series when there are several, or when ``legend`` says so."""
    shown = len(series) > 1 if legend is None else legend
    legend_parts, head = _legend(series) if shown else ([], 10)
    height, left, bottom, right = 200 + head, 44, 28, 16
    values = [float(v) for s in series for v in s.values if v is not None]
    top = top or nice_top(max([*values, 0.0]))
    plot_w, plot_h = WIDTH - left - right, height - bottom - head
    step = plot_w / max(len(labels) - 1, 1)

    def xy(i, v):
        return left + i * step, head + plot_h - float(v) / top * plot_h

    body = legend_parts
    for k in range(5):
        value = top * k / 4
        y = head + plot_h - plot_h * k / 4
        body.append(
            f'<line x1="{left}" y1="{y:.1f}" x2="{WIDTH - right}" y2="{y:.1f}" '
            f'stroke="#dee2e6"></line><text x="{left - 4}" y="{y + 4:.1f}" font-size="11" '
            f'text-anchor="end">{round(value, 2):g}{escape(unit)}</text>'
        )
    every = max(1, len(labels) // 6)
    for i, label in enumerate(labels):
        if i % every == 0:
            x, _y = xy(i, 0)
            body.append(
                f'<text x="{x:.1f}" y="{height - bottom + 16}" font-size="11" '
                f'text-anchor="middle">{escape(label)}</text>'
            )
    for n, s in enumerate(series):
        colour = PALETTE[n % len(PALETTE)]
        points = [(i, v) for i, v in enumerate(s.values) if v is not None]
        if len(points) > 1:
            path = " ".join(f"{x:.1f},{y:.1f}" for x, y in (xy(i, v) for i, v in points))
            body.append(
                f'<polyline points="{path}" fill="none" stroke="{colour}" '
                f'stroke-width="2"></polyline>'
            )
        for i, v in points:
            x, y = xy(i, v)
            body.append(
                f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="{colour}">'
                f"<title>{escape(labels[i])} · {escape(s.name)}: {escape(_fmt(v, unit))}</title>"
                "</circle>"
            )
    return _frame(title, desc, height, body)
