"""The consumer follows their claims (issue 16 item 4), at /service/claims/ and
/service/claims/<number>/: the claims of the mobile number confirmed in the
session (``notifications.consumer``), and one claim's steps with their times,
its verdict and why, its remedy, what happens next and where the unit is.

Without a confirmed number both pages send the consumer to /service/phone/, which
brings them back (``?next=``). A claim page answers only a claim of the confirmed
number; any other number (unknown, another consumer's, an organisation's) gets the
one not-found page, from the same template by the same code, echoing nothing of
the URL, so two refusals are byte for byte the same.

Phone-first, Chinese unless chosen otherwise (``views.answer``), never cached, and
counted per client address (``SANBAO_CLAIM_PAGES_PER_HOUR``, ``core.ratelimit``)
before anything is looked up.
"""

from __future__ import annotations

from django.conf import settings
from django.shortcuts import redirect
from django.utils import translation
from django.views.decorators.http import require_safe

from sanbao.consumers import follow
from sanbao.consumers.phone_views import masked, phone_url
from sanbao.consumers.views import answer, keep_language, limited_answer, page_language
from sanbao.notifications import consumer

LIST_TEMPLATE = "consumers/follow_list.html"
CLAIM_TEMPLATE = "consumers/follow_claim.html"
NOT_FOUND_TEMPLATE = "consumers/follow_not_found.html"
LIMITED_TEMPLATE = "consumers/follow_limited.html"
CACHE_PREFIX = "sanbao:claim-pages"
WINDOW_SECONDS = 3600  # SANBAO_CLAIM_PAGES_PER_HOUR is per hour


def _limited(request):
    """None within the client's allowance of claim pages, else the 429 answer."""
    allowed = settings.SANBAO_CLAIM_PAGES_PER_HOUR
    return limited_answer(request, CACHE_PREFIX, allowed, LIMITED_TEMPLATE)


def _confirmed(request):
    """(the session's confirmed number, None), or (None, the answer instead): 429
    past the client's allowance, or the way to confirm a number and come back."""
    limited = _limited(request)
    if limited is not None:
        return None, limited
    keep_language(request)
    phone = consumer.confirmed_phone(request)
    if phone is None:
        return None, redirect(phone_url(request.path))
    return phone, None


@require_safe
def claims(request):
    """The confirmed number's claims, newest first."""
    phone, instead = _confirmed(request)
    if instead is not None:
        return instead

    def context():
        return {"claims": follow.claims_for_phone(phone), "confirmed": masked(phone)}

    return answer(request, LIST_TEMPLATE, context)


@require_safe
def claim_detail(request, number: str):
    """One claim of the confirmed number; the one not-found page for any other."""
    phone, instead = _confirmed(request)
    if instead is not None:
        return instead
    # Built in the page's language: labels, reasons, next steps.
    with translation.override(page_language(request)):
        result = follow.claim_for_phone(number, phone)
    if result is None:
        return answer(request, NOT_FOUND_TEMPLATE, dict, status=404)
    return answer(request, CLAIM_TEMPLATE, lambda: {"result": result})
