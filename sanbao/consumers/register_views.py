"""Registering a purchase from the warranty card (issue 16 item 2; II.2), at
``/w/<serial>/<signature>/register/``, and the staff's download of the photo of
the proof of purchase.

The page is a card sub-page: signed like the card (a bad signature is the card's
one 404), counted against the same allowance (``views.over_allowance``), never
cached, in the page's language (kept in the session). It needs a number
confirmed by a one-time code: without one the consumer goes to ``service:phone``
and comes back here. The consent text comes before the form; the form asks for
the delivery date and a photo of the proof of purchase (the phone's camera). A
refusal is shown on its field (400; 409 for a unit already registered); a
registration made sends the consumer back to the card (POST, redirect, GET)."""

from __future__ import annotations

from urllib.parse import urlencode

from django import forms
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.http import require_GET, require_http_methods

from sanbao.consumers import consent, registration, selectors
from sanbao.consumers.cards import card_path
from sanbao.consumers.phone_views import phone_url
from sanbao.consumers.views import answer, keep_language, signed_unit
from sanbao.core.errors import DomainError
from sanbao.core.forms import BootstrapForm, apply_domain_error
from sanbao.core.uploads import attached_file
from sanbao.notifications import consumer

TEMPLATE = "consumers/register.html"


class RegisterForm(BootstrapForm):
    """Parses only: what is required and valid, the service says, by the field."""

    delivered_on = forms.DateField(
        label=_("Delivery date"),
        required=False,
        help_text=_("The date on your invoice or receipt."),
        widget=forms.DateInput(attrs={"type": "date", "class": "form-control"}),
    )
    proof_photo = forms.FileField(
        label=_("Photo of the proof of purchase"),
        required=False,
        help_text=_("The invoice or receipt, readable, in one photo (JPEG or PNG)."),
        widget=forms.ClearableFileInput(
            attrs={"accept": "image/*", "capture": "environment", "class": "form-control"}
        ),
    )
    consent = consent.ConsentField()


def _redirect(to: str):
    response = redirect(to)
    add_never_cache_headers(response)
    return response


@csrf_protect
@require_http_methods(["GET", "POST"])
def register(request, serial: str, signature: str):
    """The registration form of the card's unit, for the session's confirmed number."""
    unit, instead = signed_unit(request, serial, signature)
    if instead is not None:
        return instead
    keep_language(request)
    phone = consumer.confirmed_phone(request)
    if phone is None:
        return _redirect(phone_url(request.path))
    status = 200
    form = RegisterForm()
    existing = registration.registration_of(unit)
    if request.method == "POST" and existing is None:
        form = RegisterForm(request.POST, request.FILES)
        status = 400
        if form.is_valid():
            try:
                registration.registration_create(
                    unit=unit,
                    phone=phone,
                    delivered_on=form.cleaned_data["delivered_on"],
                    proof_photo=form.cleaned_data["proof_photo"],
                    consent_version=consent.VERSION,
                )
            except DomainError as exc:
                apply_domain_error(form, exc)
                status = exc.status
                existing = registration.registration_of(unit)
            else:
                return _redirect(card_path(unit.serial))
    elif request.method == "POST":
        status = 409  # registered meanwhile, or a form sent again: nothing changes

    def context():
        mine = existing is not None and existing.phone == phone
        return {
            "card": selectors.card_facts(unit),
            "card_path": card_path(unit.serial),
            "form": form,
            "phone_masked": registration.masked_phone(phone),
            "phone_path": f"{reverse('service:phone')}?{urlencode({'next': request.path})}",
            "registered": existing is not None,
            "registered_to_you": mine,
            "consent_points": consent.POINTS,
        }

    return answer(request, TEMPLATE, context, status=status)


@never_cache
@login_required
@require_GET
def registration_proof(request, serial: str):
    """The photo of the proof of purchase a consumer registered with the unit, to
    whoever may see the unit (never a public URL); as claims serve their scans."""
    found = registration.registration_get(actor=request.user, serial=serial)
    if not found.proof_photo:
        raise registration.ERRORS.not_found("consumers.registration_not_found")
    return attached_file(found.proof_photo)
