"""The electronic warranty card (issue 16 item 1; II.2): the QR code printed on a
unit's warranty card holds ``<SANBAO_PUBLIC_BASE_URL>/w/<serial>/<signature>/``.

The signature is what makes the page public yet not enumerable: serials are
sequential and printed on boxes, so a URL of the serial alone would let anyone
walk the registry. The signature is an HMAC of the serial (``salted_hmac`` with
this module's own salt, SHA-256), keyed on ``SANBAO_CARD_SIGNING_KEY`` (by default
``SECRET_KEY``); it cannot be made without the key, and a card URL is checked in
constant time. Printed cards live for years: changing the key makes every printed
card's URL answer 404, so the key is kept apart from ``SECRET_KEY`` in production
(docs/deploy.md).
"""

from __future__ import annotations

import base64
from urllib.parse import quote

from django.conf import settings
from django.urls import reverse
from django.utils.crypto import constant_time_compare, salted_hmac

SALT = "sanbao.consumers.cards.warranty-card"
# 10 bytes = 80 bits, 14 URL-safe characters. A printed QR must stay small (every
# character of the URL adds modules, and a denser code needs a larger print to scan
# from a card); 80 bits is far beyond guessing: the card page is rate-limited per
# client (SANBAO_CARD_VIEWS_PER_HOUR), so even a botnet tries a vanishing share of 2^80.
SIGNATURE_BYTES = 10


def card_signature(serial: str) -> str:
    """The signature of ``serial``'s card URL: URL-safe base64, no padding."""
    key = settings.SANBAO_CARD_SIGNING_KEY or settings.SECRET_KEY
    digest = salted_hmac(SALT, serial, secret=key, algorithm="sha256").digest()
    return base64.urlsafe_b64encode(digest[:SIGNATURE_BYTES]).decode("ascii").rstrip("=")


def signature_valid(serial: str, signature: str) -> bool:
    """Whether ``signature`` is ``serial``'s, compared in constant time."""
    return constant_time_compare(card_signature(serial), signature or "")


def card_path(serial: str) -> str:
    """The card page's path for ``serial`` (serials may hold "/": kept as it is)."""
    return reverse("cards:card", kwargs={"serial": serial, "signature": card_signature(serial)})


def card_url(unit) -> str:
    """The absolute URL the unit's card QR code holds (``SANBAO_PUBLIC_BASE_URL``)."""
    base = settings.SANBAO_PUBLIC_BASE_URL.rstrip("/")
    return base + quote(card_path(unit.serial), safe="/")


def masked_card_no(number: str) -> str:
    """The warranty card number with all but its last four characters hidden (the
    page shows whose card it is without giving the number away to a photo of it);
    a short number keeps only its last character."""
    number = (number or "").strip()
    if not number:
        return ""
    keep = 4 if len(number) > 6 else 1
    return "•" * (len(number) - keep) + number[-keep:]
