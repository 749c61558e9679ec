"""Confirming a mobile number by a one-time code (issue 16 items 2 and 5), at
/service/phone/: the page every consumer page sends a consumer to when it needs a
confirmed number (``?next=`` brings them back).

Two steps on one page: the number (and the consent to its use, ``consent``), which
is sent a code (``notifications.services.otp_send``); then the code
(``otp_verify``: five wrong tries burn it), after which the session holds the
number (``notifications.consumer.confirm_phone``) and the consumer goes on to
``next`` (a path of this site only). A refusal is shown on its field in the page's
language, 400 or 429 (with Retry-After); nothing is stored before the consent."""

from __future__ import annotations

from urllib.parse import urlencode

from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.http import require_http_methods

from sanbao.consumers import consent
from sanbao.consumers.views import answer, keep_language
from sanbao.core.clients import client_address
from sanbao.core.errors import DomainError
from sanbao.core.forms import apply_domain_error
from sanbao.notifications import consumer, services
from sanbao.notifications.forms import PhoneCodeForm, PhoneForm
from sanbao.notifications.models import OtpPurpose

TEMPLATE = "consumers/phone.html"
PURPOSE = OtpPurpose.CONSUMER_PHONE


class SendForm(PhoneForm):
    consent = consent.ConsentField()


def safe_next(request) -> str:
    """Where to go once the number is confirmed: ``next`` when it is a path of this
    site, else this page."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, {request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return request.path


@csrf_protect
@require_http_methods(["GET", "POST"])
def phone(request):
    """Send a code to a number, then enter it; or forget the confirmed number."""
    keep_language(request)
    target = safe_next(request)
    step, status, retry_after = "send", 200, None
    send_form, code_form = SendForm(), None
    action = request.POST.get("action", "") if request.method == "POST" else ""
    try:
        if action == "send":
            send_form = SendForm(request.POST)
            if send_form.is_valid():
                number = send_form.cleaned_data["phone"]
                services.otp_send(number, PURPOSE, client=client_address(request))
                step, code_form = "code", PhoneCodeForm(initial={"phone": number})
            else:
                status = 400
        elif action == "verify":
            step, code_form = "code", PhoneCodeForm(request.POST)
            if code_form.is_valid():
                number = code_form.cleaned_data["phone"]
                services.otp_verify(
                    number, PURPOSE, code_form.cleaned_data["code"], client=client_address(request)
                )
                consumer.confirm_phone(request, number)
                return redirect(target)
            status = 400
        elif action == "forget":
            consumer.forget_phone(request)
            return redirect(target)
    except DomainError as exc:
        apply_domain_error(code_form if step == "code" else send_form, exc)
        status = exc.status
        retry_after = getattr(exc, "retry_after", None)

    def context():
        return {
            "step": step,
            "send_form": send_form,
            "code_form": code_form,
            "next": target,
            "confirmed": masked(consumer.confirmed_phone(request) or ""),
            "consent_points": consent.POINTS,
        }

    response = answer(request, TEMPLATE, context, status=status)
    if retry_after:
        response["Retry-After"] = str(retry_after)
    return response


def phone_url(next_path: str) -> str:
    """This page, to come back to ``next_path`` once the number is confirmed (the
    consumer pages that need a confirmed number send a consumer here)."""
    return f"{reverse('service:phone')}?{urlencode({'next': next_path})}"


def masked(phone: str) -> str:
    """A number as a page shows it back: 138****8000."""
    return f"{phone[:3]}****{phone[-4:]}" if len(phone) >= 7 else phone
