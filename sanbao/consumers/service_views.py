"""Asking for service from a phone (issue 16 item 3).

Two ways in: the card's own page, ``/w/<serial>/<signature>/service/`` (signed
like the card: a bad signature is the card's one not-found answer), and
``/service/request/``, where the serial and the warranty card number are typed
(a wrong pair gets one message, whichever of the two is wrong; look-ups are
counted per client, ``SANBAO_SERVICE_LOOKUPS_PER_HOUR``) and lead to the card's
service page. Both need a mobile number confirmed by a one-time code
(``service:phone?next=``). The form shows the remedies open today and why, and
the outlets and the post; once the claim is made the consumer is sent to
``/service/submitted/<number>/``: its verdict and reasons, and what happens next."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.shortcuts import redirect
from django.utils import translation
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.http import require_http_methods, require_safe

from sanbao.consumers import consent, selectors, service
from sanbao.consumers.cards import card_path
from sanbao.consumers.phone_views import phone_url
from sanbao.consumers.service_forms import LookupForm, ServiceForm
from sanbao.consumers.views import (
    answer,
    keep_language,
    limited_answer,
    signed_unit,
)
from sanbao.core.errors import DomainError
from sanbao.core.forms import apply_domain_error
from sanbao.notifications.consumer import confirmed_phone

FORM_TEMPLATE = "consumers/service_form.html"
LOOKUP_TEMPLATE = "consumers/service_request.html"
SUBMITTED_TEMPLATE = "consumers/service_submitted.html"
MISSING_TEMPLATE = "consumers/service_not_found.html"
CARD_PREFIX = "sanbao:card-service"
LOOKUP_PREFIX = "sanbao:service-lookups"
SUBMITTED_PREFIX = "sanbao:service-answers"
WINDOW_SECONDS = 3600


def _to_phone(request):
    """To the page that confirms a number, and back here afterwards."""
    return redirect(phone_url(request.get_full_path()))


def _limited(request, prefix: str, allowed: int):
    """429 past ``allowed`` requests an hour from this client, else None."""
    return limited_answer(request, prefix, allowed)


def _date(value: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None


@csrf_protect
@require_http_methods(["GET", "POST"])
def card_service(request, serial: str, signature: str):
    """The request for service of the card's unit: the remedies open today and
    why, then the form; a claim made goes to its page of the answer."""
    unit, instead = signed_unit(
        request,
        serial,
        signature,
        lambda r: _limited(r, CARD_PREFIX, settings.SANBAO_CARD_VIEWS_PER_HOUR),
    )
    if instead is not None:
        return instead
    phone = confirmed_phone(request)
    if not phone:
        return _to_phone(request)
    language = keep_language(request)
    given = _date(request.POST.get("proof_of_purchase_date") or request.GET.get("delivered", ""))
    status = 200

    def form_of(data=None, files=None):
        options = service.options_for(unit, delivered_on=given, phone=phone)
        remedies = [(line.code, line.label) for line in options.lines if line.open]
        places = [(place.code, place.name) for place in service.outlets()]
        places.append((service.POST, translation.gettext("By post to the after-sales centre")))
        # The date on the proof, when the consumer gave it (here or when registering):
        # never the registry's sale date, which the proof may not show.
        known = options.delivered_on if options.delivered_source != "sale" else None
        initial = {"proof_of_purchase_date": known, "route": service.POST}
        return options, ServiceForm(data, files, remedies=remedies, places=places, initial=initial)

    with translation.override(language):
        options, form = form_of(
            request.POST if request.method == "POST" else None,
            request.FILES if request.method == "POST" else None,
        )
        if request.method == "POST":
            if form.is_valid():
                data = form.cleaned_data
                try:
                    claim = service.consumer_claim_submit(
                        unit=unit,
                        phone=phone,
                        consumer_name=data["consumer_name"],
                        fault_kind=data["fault_kind"],
                        fault_description=data["fault_description"],
                        fault_files=data["fault_files"],
                        warranty_card_scan=data["warranty_card_scan"],
                        proof_of_purchase_scan=data["proof_of_purchase_scan"],
                        proof_of_purchase_no=data["proof_of_purchase_no"],
                        proof_of_purchase_date=data["proof_of_purchase_date"],
                        remedy_requested=data["remedy_requested"],
                        route=data["route"],
                    )
                except DomainError as exc:
                    apply_domain_error(form, exc)
                    status = exc.status
                else:
                    return redirect("service:submitted", number=claim.number)
            else:
                status = 400

    def context():
        return {
            "card": selectors.card_facts(unit),
            "options": options,
            "form": form,
            "outlets": service.outlets(),
            "centre": service.after_sales_centre(),
            "packing": service.packing_for(unit.model.category),
            "consent_points": consent.POINTS,
            "limits": service.settings_note(),
        }

    return answer(request, FORM_TEMPLATE, context, status=status)


@csrf_protect
@require_http_methods(["GET", "POST"])
def request_lookup(request):
    """The serial and the card number typed: the card's service page when both
    match one unit; else one message that names neither."""
    if not confirmed_phone(request):
        return _to_phone(request)
    keep_language(request)
    form, status, wrong = LookupForm(), 200, False
    if request.method == "POST":
        limited = _limited(request, LOOKUP_PREFIX, settings.SANBAO_SERVICE_LOOKUPS_PER_HOUR)
        if limited is not None:
            return limited
        form = LookupForm(request.POST)
        if form.is_valid():
            unit = service.unit_for_request(
                serial=form.cleaned_data["serial"], card_no=form.cleaned_data["card_no"]
            )
            if unit is not None:
                return redirect(f"{card_path(unit.serial)}service/")
            wrong = True
        status = 400
    return answer(request, LOOKUP_TEMPLATE, lambda: {"form": form, "wrong": wrong}, status=status)


@require_safe
def submitted(request, number: str):
    """The answer to a request for service, for the consumer whose claim it is."""
    limited = _limited(request, SUBMITTED_PREFIX, settings.SANBAO_CARD_VIEWS_PER_HOUR)
    if limited is not None:
        return limited
    phone = confirmed_phone(request)
    if not phone:
        return _to_phone(request)
    claim = service.claim_for_consumer(number=number, phone=phone)
    if claim is None:
        return answer(request, MISSING_TEMPLATE, dict, status=404)
    return answer(request, SUBMITTED_TEMPLATE, lambda: {"done": service.submitted(claim)})
