"""The deployment check (``manage.py check --deploy``) of the warranty cards'
address: every printed card's QR code holds ``SANBAO_PUBLIC_BASE_URL`` for years,
so a production site must name its public HTTPS address before a sheet of cards
is printed, never the development default."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.core import checks

LOCAL_HOSTS = frozenset({"", "127.0.0.1", "localhost", "::1", "0.0.0.0"})


@checks.register(checks.Tags.security, deploy=True)
def public_base_url(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    url = urlsplit(settings.SANBAO_PUBLIC_BASE_URL or "")
    if url.scheme == "https" and (url.hostname or "") not in LOCAL_HOSTS:
        return []
    return [
        checks.Warning(
            f"SANBAO_PUBLIC_BASE_URL is {settings.SANBAO_PUBLIC_BASE_URL!r}: the QR code of "
            "every warranty card printed would hold an address consumers' phones cannot "
            "reach, for as long as the card is kept.",
            hint="Set it to the site's public https:// address (docs/deploy.md).",
            id="sanbao.W001",
        )
    ]
