"""Text on the papers: labels in both languages, user text made safe for ReportLab's
markup, dates, names and masked telephone numbers."""

from __future__ import annotations

import datetime as dt
from typing import Any
from xml.sax.saxutils import escape

from django.utils import timezone, translation

ZH, EN = "zh-hans", "en"


def _render(text: Any, language: str) -> str:
    with translation.override(language):
        value = text() if callable(text) else text
        return "" if value is None else str(value)


def in_both(text: Any) -> tuple[str, str]:
    """``text`` (a lazy translatable string, or a callable returning text in the
    active language) rendered in Simplified Chinese and in English."""
    return _render(text, ZH), _render(text, EN)


def bilingual(text: Any, sep: str = " ") -> str:
    """``"中文 English"``: a label in both languages (plain text, not escaped). A
    string not yet translated appears once."""
    zh, en = in_both(text)
    return en if zh == en else f"{zh}{sep}{en}"


def esc(value: Any) -> str:
    """User or database text made safe for ReportLab's paragraph markup."""
    if value is None:
        return ""
    return escape(str(value)).replace("\n", "<br/>")


def fmt_date(value: dt.date | None) -> str:
    return value.isoformat() if value else "—"


def fmt_datetime(value: dt.datetime | None) -> str:
    """Local time (Asia/Shanghai by default), to the minute."""
    if value is None:
        return "—"
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return value.strftime("%Y-%m-%d %H:%M")


def both_names(*names: str) -> str:
    """Chinese and English names side by side, once when they are the same."""
    return " ".join(dict.fromkeys(n for n in names if n))


def org_name(org) -> str:
    """An organisation's names in both languages ("" for none)."""
    return both_names(org.name_zh, org.name_en) if org is not None else ""


def mask_phone(phone: str) -> str:
    """A telephone number with its middle hidden, as printed on papers handed
    out: ``13800138000`` → ``138****8000``."""
    phone = (phone or "").strip()
    if not phone:
        return ""
    head, tail = (3, 4) if len(phone) >= 10 else (2, 2)
    hidden = max(len(phone) - head - tail, 0)
    if hidden < 3:  # too short to keep both ends and still hide something
        return phone[:2] + "*" * max(len(phone) - 2, 3)
    return phone[:head] + "*" * hidden + phone[-tail:]
