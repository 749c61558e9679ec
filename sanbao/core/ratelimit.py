"""Rate limits of the public pages (issue 13 item 4, issue 16 item 5): fixed
windows counted per client in the default cache.

The counters live in the default cache, which every worker and server shares and
which a restart keeps (the database's table by default, ``core.cache``; Redis in a
large deployment): a per-process cache would let each worker count on its own.
A counter's key holds a keyed hash of what it counts, never the address or the
number itself. The public claim-status page (``claims.public``), the
warranty-card page (``consumers.views``) and the one-time codes
(``notifications.services``: codes sent and tried, the resend hold) count here.
"""

from __future__ import annotations

import ipaddress
import math
import time
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.cache import cache
from django.utils.crypto import salted_hmac

from sanbao.core.clients import client_address


def _now() -> float:
    """The current time for the windows (tests move it)."""
    return time.time()


def bucket_of(address: str) -> str:
    """Who is counted: an IP address; for IPv6 its /64 network, since one
    subscriber is usually given a whole /64 and could otherwise rotate addresses
    for free."""
    try:
        parsed = ipaddress.ip_address((address or "").strip())
    except ValueError:
        return address or "unknown"
    if isinstance(parsed, ipaddress.IPv6Address):
        if parsed.ipv4_mapped is not None:
            return str(parsed.ipv4_mapped)
        return str(ipaddress.IPv6Network(f"{parsed}/64", strict=False))
    return str(parsed)


def client_bucket(request) -> str:
    """The request's client as counted (:func:`bucket_of`). Behind a reverse proxy
    listed in SANBAO_TRUSTED_PROXIES, the address the proxy names
    (sanbao.core.clients)."""
    return bucket_of(client_address(request))


@dataclass(frozen=True)
class Limit:
    """One counter: ``kind`` names what is counted ("ip", "number-from-ip"),
    ``value`` the thing counted, ``allowed`` how many a window may hold."""

    kind: str
    value: str
    allowed: int


def _key(prefix: str, kind: str, value: str, window: int | str) -> str:
    digest = salted_hmac(prefix, f"{kind}:{value}").hexdigest()[:32]
    return f"{prefix}:{kind}:{window}:{digest}"


def count(prefix: str, kind: str, value: str, window: int, seconds: int) -> int:
    """Add one to a fixed-window counter and return the new count."""
    key = _key(prefix, kind, value, window)
    cache.add(key, 0, timeout=seconds * 2)
    try:
        return cache.incr(key)
    except ValueError:  # evicted between add and incr: start again at one
        cache.set(key, 1, timeout=seconds * 2)
        return 1


def window_count(prefix: str, kind: str, value: str, seconds: int = 3600) -> tuple[int, int]:
    """Add one to ``value``'s counter of ``kind`` in the current window of
    ``seconds``: the new count and the seconds until the window ends."""
    now = _now()
    window = int(now // seconds)
    return (
        count(prefix, kind, value, window, seconds),
        max(1, math.ceil((window + 1) * seconds - now)),
    )


def held(prefix: str, kind: str, value: str, seconds: int) -> int | None:
    """The seconds until ``value``'s hold of ``kind`` (taken for ``seconds``) ends;
    None when it is not held."""
    since = cache.get(_key(prefix, kind, value, "hold"))
    if since is None or _now() - since >= seconds:
        return None
    return max(1, math.ceil(seconds - (_now() - since)))


def hold(prefix: str, kind: str, value: str, seconds: int) -> int | None:
    """Take ``value``'s hold of ``kind`` for ``seconds`` (a resend cooldown): None
    when taken, else the seconds until the hold already taken ends. Taking it is
    atomic across servers (``cache.add``)."""
    key = _key(prefix, kind, value, "hold")
    if cache.add(key, _now(), timeout=seconds):
        return None
    wait = held(prefix, kind, value, seconds)
    if wait is None:  # ended meanwhile (its entry outlived it)
        cache.set(key, _now(), timeout=seconds)
    return wait


def over_limit(prefix: str, limits: Sequence[Limit], *, seconds: int = 3600) -> int | None:
    """Count one request against each of ``limits`` in turn, in windows of
    ``seconds``; None when within all of them, else the seconds until the window
    ends. Counting stops at the first limit exceeded: a client already over its
    own limit does not use up the later ones (a claim number's, say) as well."""
    now = _now()
    window = int(now // seconds)
    retry_after = max(1, math.ceil((window + 1) * seconds - now))
    for limit in limits:
        if count(prefix, limit.kind, limit.value, window, seconds) > limit.allowed:
            return retry_after
    return None
