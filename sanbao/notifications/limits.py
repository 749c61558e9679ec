"""How often a one-time code may be sent or tried: fixed one-hour windows counted in
the default cache, shared by every worker and server (the database's table by
default, Redis in a large deployment), as the public claim-status page counts its
look-ups (``sanbao.claims.public``; notifications may not import claims).

Kept behind :func:`hourly_count` so that one shared limiter in ``core`` can replace
it without touching the services (a second copy of the status page's counter until
then: same keys' shape, a keyed hash and never the number or the address itself)."""

from __future__ import annotations

import ipaddress
import math
import time

from django.core.cache import cache
from django.utils.crypto import salted_hmac

WINDOW_SECONDS = 3600
CACHE_PREFIX = "sanbao:otp"


def now() -> float:
    """The current time for the windows (tests move it)."""
    return time.time()


def client_bucket(address: str) -> str:
    """Who is counted: the client's IP address, or the /64 of an IPv6 one (a
    subscriber holds a whole /64 and could otherwise rotate addresses for free)."""
    try:
        parsed = ipaddress.ip_address((address or "").strip())
    except ValueError:
        return address or "unknown"
    if isinstance(parsed, ipaddress.IPv6Address):
        if parsed.ipv4_mapped is not None:
            return str(parsed.ipv4_mapped)
        return str(ipaddress.IPv6Network(f"{parsed}/64", strict=False))
    return str(parsed)


def _key(kind: str, value: str, window: int | str) -> str:
    digest = salted_hmac(CACHE_PREFIX, f"{kind}:{value}").hexdigest()[:32]
    return f"{CACHE_PREFIX}:{kind}:{window}:{digest}"


def hourly_count(kind: str, value: str) -> tuple[int, int]:
    """Add one to ``value``'s counter of ``kind`` in the current hour: the new count
    and the seconds until the window ends."""
    moment = now()
    window = int(moment // WINDOW_SECONDS)
    key = _key(kind, value, window)
    cache.add(key, 0, timeout=WINDOW_SECONDS * 2)
    try:
        count = cache.incr(key)
    except ValueError:  # evicted between add and incr: start again at one
        cache.set(key, 1, timeout=WINDOW_SECONDS * 2)
        count = 1
    return count, max(1, math.ceil((window + 1) * WINDOW_SECONDS - moment))


def held(kind: str, value: str, seconds: int) -> int | None:
    """The seconds until ``value``'s hold of ``kind`` (taken for ``seconds``) ends;
    None when it is not held."""
    since = cache.get(_key(kind, value, "hold"))
    if since is None or now() - since >= seconds:
        return None
    return max(1, math.ceil(seconds - (now() - since)))


def hold(kind: str, value: str, seconds: int) -> int | None:
    """Take ``value``'s hold of ``kind`` for ``seconds`` (a resend cooldown): None
    when taken, else the seconds until the hold already taken ends. Taking it is
    atomic across servers (``cache.add``)."""
    key = _key(kind, value, "hold")
    if cache.add(key, now(), timeout=seconds):
        return None
    wait = held(kind, value, seconds)
    if wait is None:  # ended meanwhile (its entry outlived it)
        cache.set(key, now(), timeout=seconds)
    return wait
