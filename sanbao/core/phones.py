"""Telephone numbers as stored: digits, mainland numbers without +86."""

from __future__ import annotations

import re

# What a stored (normalised) telephone number looks like.
PHONE_RE = re.compile(r"^\+?[0-9]{7,20}$")


def normalise_phone(raw: str) -> str:
    """Digits (and a leading + for foreign numbers) only, so that '138-0013 8000',
    '13800138000', '+86 138 0013 8000' and '0086 13800138000' are one phone: the
    mainland country code is dropped, other country codes are kept with their +."""
    raw = (raw or "").strip()
    digits = re.sub(r"\D", "", raw)
    international = raw.startswith("+") or digits.startswith("00")
    digits = digits.removeprefix("00")
    if international and digits.startswith("86") and len(digits) > 2:
        return digits[2:]
    return ("+" if international else "") + digits
