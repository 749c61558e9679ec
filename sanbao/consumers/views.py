"""The consumer's warranty-card page at /w/<serial>/<signature>/ (issue 16 item 1),
and the staff's download of a production lot's sheet of cards.

The card page needs no login: whoever holds the card (its QR code) may see it.
Every answer that is not the page itself is the one not-found page, from the same
template by the same code, whatever was wrong: an unknown serial, a wrong, missing,
truncated or tampered signature, another serial's signature. Nothing of the URL is
echoed in it (the language links are relative, ``?lang=en``), so two refusals are
byte for byte the same.

The page is in Chinese unless the consumer chooses English with the link on it
(``?lang=en``); not the staff's language and not the browser's: the card is
printed for consumers in mainland China. It is never cached, and every request is
counted per client (``core.ratelimit``, ``SANBAO_CARD_VIEWS_PER_HOUR``) before the
signature is looked at, so forged URLs use up the allowance too.
"""

from __future__ import annotations

import math
from functools import partial

from django.conf import settings
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_safe

from sanbao.consumers import registration, selectors
from sanbao.consumers.cards import card_signature
from sanbao.core import ratelimit
from sanbao.core.web import download_view
from sanbao.documents import registry
from sanbao.notifications import consumer

CARD_TEMPLATE = "consumers/card.html"
NOT_FOUND_TEMPLATE = "consumers/card_not_found.html"
LIMITED_TEMPLATE = "consumers/card_limited.html"
CACHE_PREFIX = "sanbao:card-views"
WINDOW_SECONDS = 3600  # SANBAO_CARD_VIEWS_PER_HOUR is per hour
DEFAULT_LANGUAGE = "zh-hans"
PAGE_LANGUAGES = ("zh-hans", "en")


LANGUAGE_SESSION_KEY = "sanbao.consumer.language"


def page_language(request) -> str:
    """A consumer page's language: ``?lang=`` when it names one of the pages'
    languages, else the one chosen earlier on a page that keeps it (forms, once a
    session exists), else Simplified Chinese."""
    chosen = request.GET.get("lang", "")
    if chosen in PAGE_LANGUAGES:
        return chosen
    session = getattr(request, "session", None)
    kept = session.get(LANGUAGE_SESSION_KEY) if session is not None else None
    return kept if kept in PAGE_LANGUAGES else DEFAULT_LANGUAGE


def keep_language(request) -> str:
    """The page's language, remembered in the session for the consumer's next pages
    (a form's answer, a redirect) that carry no ``?lang=``."""
    language = page_language(request)
    if request.session.get(LANGUAGE_SESSION_KEY) != language:
        request.session[LANGUAGE_SESSION_KEY] = language
    return language


def answer(request, template: str, context_of, *, status: int = 200):
    """Render ``template`` in the page's language with ``context_of()`` (built in
    that language too); never cached."""
    language = page_language(request)
    with translation.override(language):
        context = {**context_of(), "page_language": language}
        response = render(request, template, context, status=status)
    response["Content-Language"] = language
    add_never_cache_headers(response)
    return response


def limited_answer(request, prefix: str, allowed: int, template: str = LIMITED_TEMPLATE):
    """Count this request against the client's allowance of ``allowed`` an hour
    under ``prefix`` (``core.ratelimit``): None while within it, else the 429
    answer (``template``, the card pages' by default), with Retry-After."""
    client = ratelimit.client_bucket(request)
    limits = [ratelimit.Limit("ip", client, allowed)]
    retry_after = ratelimit.over_limit(prefix, limits, seconds=WINDOW_SECONDS)
    if retry_after is None:
        return None
    minutes = math.ceil(retry_after / 60)
    response = answer(request, template, lambda: {"retry_minutes": minutes}, status=429)
    response["Retry-After"] = str(retry_after)
    return response


def over_allowance(request):
    """The client's allowance of card pages (the card and its sub-pages share
    ``SANBAO_CARD_VIEWS_PER_HOUR``): None while within it, else the 429 answer."""
    return limited_answer(request, CACHE_PREFIX, settings.SANBAO_CARD_VIEWS_PER_HOUR)


def not_found(request):
    """The one not-found answer of every card URL that is not a signed one."""
    return answer(request, NOT_FOUND_TEMPLATE, dict, status=404)


def signed_unit(request, serial: str, signature: str, allowance=None):
    """(the unit of a signed card URL, None), or (None, the answer instead): 429
    past the client's ``allowance`` (the card pages' by default), counted before
    the signature is looked at, or the one not-found page."""
    limited = (allowance or over_allowance)(request)
    if limited is not None:
        return None, limited
    unit = selectors.unit_for_card(serial=serial, signature=signature)
    if unit is None:
        return None, not_found(request)
    return unit, None


@require_safe
def card(request, serial: str, signature: str = ""):
    """The unit's card: model, region and channel, warranty status and end, and
    its registration as far as the session's confirmed number may see it; or the
    one not-found page; or 429 past the client's allowance."""
    unit, instead = signed_unit(request, serial, signature)
    if instead is not None:
        return instead
    phone = consumer.confirmed_phone(request)
    return answer(
        request,
        CARD_TEMPLATE,
        lambda: {
            "card": selectors.card_facts(unit),
            "registration": registration.card_registration(unit, phone),
            "register_path": register_path(unit.serial),
            "service_path": service_path(unit.serial),
        },
    )


def register_path(serial: str) -> str:
    """The card's page for registering the purchase (signed like the card)."""
    return reverse("cards:register", kwargs={"serial": serial, "signature": card_signature(serial)})


def service_path(serial: str) -> str:
    """The card's page for asking for service (signed like the card)."""
    return reverse(
        "cards:card_service", kwargs={"serial": serial, "signature": card_signature(serial)}
    )


# The staff's download of a lot's sheet of cards (the unit page links to it).
warranty_cards_pdf = download_view(
    selectors.lot_get, partial(registry.file, "consumers.warranty_cards_pdf")
)
