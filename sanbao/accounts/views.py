import math

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sanbao.accounts import documents, holds, selectors, services
from sanbao.accounts.forms import (
    LanguageForm,
    LegalHoldForm,
    OrganisationFilterForm,
    PreferencesForm,
    TokenCreateForm,
)
from sanbao.accounts.roles import require
from sanbao.core.errors import DomainError
from sanbao.core.forms import apply_domain_error
from sanbao.core.models import LegalHold
from sanbao.core.web import list_export_view, render_page


@require_POST
def set_language(request):
    """Switch the interface language; remembered on the user and in a cookie."""
    form = LanguageForm(request.POST)
    target = request.POST.get("next") or reverse("home")
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        target = reverse("home")
    response = HttpResponseRedirect(target)
    if form.is_valid():
        language = form.cleaned_data["language"]
        if request.user.is_authenticated:
            services.user_set_language(user=request.user, language=language)
        translation.activate(language)
        _language_cookie(response, language)
    return response


def _language_cookie(response, language: str) -> None:
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME, language, max_age=365 * 24 * 3600, samesite="Lax"
    )


@login_required
def preferences(request):
    """The user's own language and time zone (reached from the user menu)."""
    user = request.user
    form = PreferencesForm(initial={"language": user.language, "time_zone": user.time_zone})
    if request.method == "POST":
        form = PreferencesForm(request.POST)
        if form.is_valid():
            try:
                services.user_set_language(user=user, language=form.cleaned_data["language"])
                services.user_set_time_zone(user=user, time_zone=form.cleaned_data["time_zone"])
            except DomainError as exc:
                apply_domain_error(form, exc)
            else:
                translation.activate(user.language)
                messages.success(request, _("Your preferences are saved."))
                response = HttpResponseRedirect(reverse("accounts:preferences"))
                _language_cookie(response, user.language)
                return response
    return render(
        request,
        "accounts/preferences.html",
        {"form": form, "zone": user.zone},
        status=400 if form.errors else 200,
    )


@login_required
def token_list(request):
    new_token = None
    form = TokenCreateForm()
    if request.method == "POST":
        form = TokenCreateForm(request.POST)
        if form.is_valid():
            try:
                _token, new_token = services.token_create(
                    actor=request.user,
                    name=form.cleaned_data["name"],
                    expires_on=form.cleaned_data["expires_on"],
                )
                messages.success(request, _("Token created. Copy it now: it is shown only once."))
                form = TokenCreateForm()
            except DomainError as exc:
                apply_domain_error(form, exc)
    tokens = selectors.token_list(actor=request.user)
    status = 400 if form.errors else 200
    return render(
        request,
        "accounts/token_list.html",
        {"tokens": tokens, "form": form, "new_token": new_token},
        status=status,
    )


@login_required
@require_POST
def token_revoke(request, pk: int):
    token = selectors.token_get(actor=request.user, pk=pk)
    services.token_revoke(token=token, actor=request.user)
    messages.success(request, _("Token “%(name)s” revoked.") % {"name": token.name})
    return HttpResponseRedirect(reverse("accounts:token_list"))


def _organisation_list(request):
    require(request.user, "organisations.view")
    form = OrganisationFilterForm(request.GET)
    return form, selectors.organisation_list(actor=request.user, **form.filters())


def organisation_rows(request):
    """The organisations the list page lists (``?kind=`` for one kind)."""
    return _organisation_list(request)[1]


organisation_list_xlsx = list_export_view(organisation_rows, documents.ORGANISATIONS)


@login_required
def organisation_list(request):
    form, organisations = _organisation_list(request)
    context = {"form": form, "organisations": organisations}
    return render_page(request, "accounts/organisation_list.html", "organisation-results", context)


def locked_out(request, original_response=None, credentials=None):
    """django-axes' answer to a login refused for too many failures (the login page
    and /admin/login/ alike): 429 with the page in the visitor's language, saying
    how long the lock lasts, and nothing about whether the account exists."""
    minutes = math.ceil(settings.AXES_COOLOFF_TIME.total_seconds() / 60)
    context = {"failures": settings.AXES_FAILURE_LIMIT, "minutes": minutes}
    response = render(request, "registration/locked_out.html", context, status=429)
    response["Retry-After"] = str(minutes * 60)
    return response


def legal_hold_rows(request) -> list[tuple[LegalHold, str]]:
    """The holds the page lists, the active ones first, each with the kind of
    record it holds."""
    names = {t.label: t.verbose_name for t in holds.hold_targets()}
    return [
        (hold, names.get(hold.target_type, hold.target_type))
        for hold in holds.hold_list(actor=request.user)
    ]


legal_hold_list_xlsx = list_export_view(legal_hold_rows, documents.LEGAL_HOLDS)


@login_required
def legal_hold_list(request):
    """IV.8: the legal holds, and the form that sets one."""
    require(request.user, "holds.manage")
    kinds = [(t.key, t.verbose_name) for t in holds.hold_targets()]
    form = LegalHoldForm(request.POST or None, kinds=kinds)
    if request.method == "POST" and form.is_valid():
        try:
            hold = holds.hold_set(actor=request.user, **form.cleaned_data)
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(request, _("“%(record)s” is on hold.") % {"record": hold.target_repr})
            return HttpResponseRedirect(reverse("accounts:legal_hold_list"))
    return render(
        request,
        "accounts/legal_hold_list.html",
        {"form": form, "rows": legal_hold_rows(request)},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def legal_hold_release(request, pk: int):
    require(request.user, "holds.manage")
    hold = get_object_or_404(LegalHold, pk=pk)
    holds.hold_release(actor=request.user, hold=hold)
    released = _("The hold on “%(record)s” is released.")
    messages.success(request, released % {"record": hold.target_repr})
    return HttpResponseRedirect(reverse("accounts:legal_hold_list"))
