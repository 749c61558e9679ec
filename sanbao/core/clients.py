"""Who is asking: the client's address behind a reverse proxy (issue 13 item 8).

Behind nginx every request reaches an app server from nginx's own address, so a
limit counted per ``REMOTE_ADDR`` (the public status page, django-axes' lockout by
address) would count every client together. The proxy names the client in
``X-Real-IP`` (and ``X-Forwarded-For``), but anyone can send those headers: they are
believed only when ``REMOTE_ADDR`` is one of ``SANBAO_TRUSTED_PROXIES`` (addresses
or networks, e.g. ``127.0.0.1,10.0.0.0/24``; empty by default, so without a proxy
configured the headers are ignored).

From a trusted proxy: ``X-Real-IP`` when it holds an address; else the right-most
``X-Forwarded-For`` hop that is not itself a trusted proxy (hops to its left were
written by the client and prove nothing); else ``REMOTE_ADDR``."""

from __future__ import annotations

import ipaddress
from functools import lru_cache

from django.conf import settings

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=8)
def _networks(entries: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(
        ipaddress.ip_network(entry.strip(), strict=False) for entry in entries if entry.strip()
    )


def trusted_proxies() -> tuple[Network, ...]:
    """The networks of ``SANBAO_TRUSTED_PROXIES`` (config.settings refuses a bad
    entry at start-up, so none fails here on a request)."""
    return _networks(tuple(settings.SANBAO_TRUSTED_PROXIES))


def _address(value: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(value.strip())
    except ValueError:
        return None


def _is_trusted(address, networks) -> bool:
    if address is None:
        return False
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return any(address in network for network in networks)


def client_address(request) -> str:
    """The client's address as a string (``REMOTE_ADDR`` unless a trusted proxy
    sent the request and named the client); also django-axes' address
    (``AXES_CLIENT_IP_CALLABLE``)."""
    remote = request.META.get("REMOTE_ADDR", "") or ""
    networks = trusted_proxies()
    if not networks or not _is_trusted(_address(remote), networks):
        return remote
    real = _address(request.META.get("HTTP_X_REAL_IP", ""))
    if real is not None:
        return str(real)
    hops = [hop for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
    for hop in reversed(hops):
        address = _address(hop)
        if address is None:
            break  # a hop that is no address: nothing to its left can be believed
        if not _is_trusted(address, networks):
            return str(address)
    return remote
