"""The consumer's confirmed telephone (issue 16 item 2): once a one-time code sent
to a number is entered (``services.otp_verify``), the browser's session holds that
number for ``SANBAO_CONSUMER_SESSION_HOURS``; the consumer pages ask
:func:`confirmed_phone` which units and claims to show.

The session is Django's (the database's by default, shared by every server), so an
anonymous visitor has one as soon as something is stored in it; its cookie is
HttpOnly and, outside development, Secure (``SESSION_COOKIE_*`` in config.settings).
Confirming a number gives the session a new key, so a session id planted in the
browser beforehand (session fixation) does not carry the confirmation."""

from __future__ import annotations

import time

from django.conf import settings

from sanbao.core.phones import normalise_phone

SESSION_KEY = "sanbao.consumer.phone"


def now() -> float:
    """The current time for the expiry (tests move it)."""
    return time.time()


def confirm_phone(request, phone: str) -> None:
    """Remember in ``request``'s session that ``phone`` was confirmed (call only after
    ``otp_verify`` succeeded for it), until ``SANBAO_CONSUMER_SESSION_HOURS`` from now."""
    request.session.cycle_key()
    request.session[SESSION_KEY] = {
        "phone": normalise_phone(phone),
        "until": now() + settings.SANBAO_CONSUMER_SESSION_HOURS * 3600,
    }


def confirmed_phone(request) -> str | None:
    """The number confirmed in this session, or None (never confirmed, expired or
    forgotten); an expired one is removed from the session."""
    held = request.session.get(SESSION_KEY)
    if not isinstance(held, dict):
        return None
    if held.get("until", 0) <= now():
        forget_phone(request)
        return None
    return held.get("phone") or None


def forget_phone(request) -> None:
    """The consumer leaves: the session no longer holds a confirmed number."""
    request.session.pop(SESSION_KEY, None)
