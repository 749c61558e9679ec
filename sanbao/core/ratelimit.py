"""Rate limits of the public pages (issue 13 item 4, issue 16 item 5): fixed
windows counted per client in the default cache.

The counters live in the default cache, which every worker and server shares and
which a restart keeps (the database's table by default, ``core.cache``; Redis in a
large deployment): a per-process cache would let each worker count on its own.
A counter's key holds a keyed hash of what it counts, never the address or the
number itself. The public claim-status page (``claims.public``) and the
warranty-card page (``consumers.views``) both count here.
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


def client_bucket(request) -> str:
    """Who is counted: the client's IP address; for IPv6 its /64 network, since
    one subscriber is usually given a whole /64 and could otherwise rotate
    addresses for free. Behind a reverse proxy listed in SANBAO_TRUSTED_PROXIES,
    the address the proxy names (sanbao.core.clients)."""
    raw = client_address(request)
    try:
        address = ipaddress.ip_address(raw)
    except ValueError:
        return raw or "unknown"
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return str(address.ipv4_mapped)
        return str(ipaddress.IPv6Network(f"{address}/64", strict=False))
    return str(address)


@dataclass(frozen=True)
class Limit:
    """One counter: ``kind`` names what is counted ("ip", "number-from-ip"),
    ``value`` the thing counted, ``allowed`` how many a window may hold."""

    kind: str
    value: str
    allowed: int


def count(prefix: str, kind: str, value: str, window: int, seconds: int) -> int:
    """Add one to a fixed-window counter and return the new count."""
    digest = salted_hmac(prefix, f"{kind}:{value}").hexdigest()[:32]
    key = f"{prefix}:{kind}:{window}:{digest}"
    cache.add(key, 0, timeout=seconds * 2)
    try:
        return cache.incr(key)
    except ValueError:  # evicted between add and incr: start again at one
        cache.set(key, 1, timeout=seconds * 2)
        return 1


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
