"""The rules of sections V and VI as plain functions: the declaration window
(V.1), the weight gap (VI.3), and what a file must be to count as evidence (V.2)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings


def window_closes(received_at: dt.datetime) -> dt.datetime:
    """V.1: the last moment damage found on unpacking can be declared, and its
    evidence uploaded and submitted (``SANBAO_DECLARATION_WINDOW_HOURS`` after receipt)."""
    return received_at + dt.timedelta(hours=settings.SANBAO_DECLARATION_WINDOW_HOURS)


def within_window(received_at: dt.datetime, now: dt.datetime) -> bool:
    return received_at <= now <= window_closes(received_at)


def weight_gap(expected_g: int | None, actual_g: int | None) -> bool:
    """VI.3: the actual weight differs from the expected one by more than the
    tolerance, which is the larger of ``SANBAO_WEIGHT_TOLERANCE_G`` grams and
    ``SANBAO_WEIGHT_TOLERANCE_PERCENT`` of the expected weight. Unknown either way:
    no gap can be told."""
    if expected_g is None or actual_g is None:
        return False
    tolerance = max(
        settings.SANBAO_WEIGHT_TOLERANCE_G,
        expected_g * settings.SANBAO_WEIGHT_TOLERANCE_PERCENT / 100,
    )
    return abs(actual_g - expected_g) > tolerance
