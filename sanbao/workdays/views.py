"""The working-day calendar page (SPEC IV.5): one year's holidays and make-up
working days with their source and the year's status, a count of working days,
and for the administrator the overrides and the mark that a year's official
schedule is entered.

Views stay thin: selectors and services check the role and the rules and raise
domain errors. An action maps a 400 or 409 onto its form and answers the page (or,
for htmx, its fragment) with that status; 403 and 404 go to DomainErrorMiddleware.
Success redirects to the year's page (PRG), or answers htmx the updated fragment.
Every page works without JavaScript.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST

from sanbao.accounts.roles import can, require
from sanbao.core.errors import DomainError, NotFound
from sanbao.core.forms import apply_domain_error
from sanbao.core.web import attempt, is_htmx, render_page
from sanbao.workdays import selectors, services
from sanbao.workdays.errors import MESSAGES
from sanbao.workdays.forms import DayForm, DueForm, YearEnteredForm
from sanbao.workdays.models import MAX_YEAR, MIN_YEAR

TEMPLATE = "workdays/calendar.html"

DONE_MESSAGES = {
    "day": _("The calendar day was saved."),
    "day_delete": _("The override was removed: the library's calendar holds for that day."),
    "year": _("The year's official schedule is marked as entered."),
    "year_unmark": _("The mark was removed: the year's schedule counts as unknown again."),
}


def _year_url(year: int) -> str:
    return reverse("workdays:calendar", args=[year])


def _due(request) -> tuple[DueForm, object | None, DomainError | None]:
    """The working-day count asked for in the query string, if any."""
    bound = "start" in request.GET
    form = DueForm(request.GET if bound else None)
    if not bound or not form.is_valid():
        return form, None, None
    start = form.cleaned_data["start"]
    n = form.cleaned_data["n"] or form.fields["n"].initial
    if start is None:
        form.add_error("start", MESSAGES["workdays.date_invalid"])
        return form, None, None
    # Counting refuses only with a 400 (a count past the calendar's years).
    done = attempt(lambda: services.due_date(start, n), refusals=(400,))
    if not done.ok:
        apply_domain_error(form, done.error)
        return form, None, done.error
    due = done.result
    return form, {"start": start, "n": n, "day": due.day, "provisional": due.provisional}, None


def _context(request, year: int, **extra) -> dict:
    user = request.user
    schedule = selectors.year_schedule(actor=user, year=year)
    due_form, due, _error = _due(request)
    context = {
        "schedule": schedule,
        "year": schedule.year,
        "previous_year": year - 1 if year > MIN_YEAR else None,
        "next_year": year + 1 if year < MAX_YEAR else None,
        "this_year": timezone.localdate().year,
        "can_manage": can(user, "calendar.manage"),
        "day_form": DayForm(initial={"kind": "holiday"}),
        "year_form": YearEnteredForm(),
        "due_form": due_form,
        "due": due,
        "is_htmx": is_htmx(request),
    }
    context.update(extra)
    return context


@login_required
@require_GET
def calendar(request, year: int | None = None):
    require(request.user, "calendar.view")
    year = year if year is not None else timezone.localdate().year
    return render_page(request, TEMPLATE, "calendar-body", _context(request, year))


@login_required
@require_GET
def due(request):
    """The working-day count on its own: the result for htmx, else the calendar page
    the count was asked from (``year``; this year by default) with the result in it."""
    require(request.user, "calendar.view")
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        year = timezone.localdate().year
    if not MIN_YEAR <= year <= MAX_YEAR:
        year = timezone.localdate().year
    context = _context(request, year)
    status = 400 if context["due_form"].errors else 200
    return render_page(request, TEMPLATE, "due-result", context, status=status)


def _act(
    request,
    action: str,
    form,
    call: Callable,
    *,
    year: int,
    year_after: Callable[[object], int] | None = None,
):
    """Run one administrator action: the role first (403), then the form and the
    service. A refusal (400) or conflict (409) answers the page of ``year`` with the
    message by its field; success goes to the year changed (``year_after``)."""
    user = request.user
    require(user, "calendar.manage")
    done = attempt(lambda: call(user), form=form)
    if not done.ok:
        shown = year if MIN_YEAR <= year <= MAX_YEAR else timezone.localdate().year
        bound = {f"{action}_form": form} if form is not None else {}
        context = _context(request, shown, error=done.error, failed_action=action, **bound)
        return render_page(request, TEMPLATE, "calendar-body", context, status=done.status)
    target = year_after(done.result) if year_after else year
    if is_htmx(request):
        context = _context(request, target, done=DONE_MESSAGES[action])
        response = render_page(request, TEMPLATE, "calendar-body", context)
        response["HX-Push-Url"] = _year_url(target)
        return response
    messages.success(request, DONE_MESSAGES[action])
    return redirect(_year_url(target))


def _shown_year(request) -> int:
    """The year the page showed when the form was sent (to show it again on error)."""
    try:
        return int(request.POST.get("year", ""))
    except ValueError:
        return timezone.localdate().year


@login_required
@require_POST
def day_set(request):
    form = DayForm(request.POST)
    year = _shown_year(request)
    return _act(
        request,
        "day",
        form,
        lambda user: services.day_set(
            actor=user,
            day=form.cleaned_data.get("day"),
            kind=form.cleaned_data.get("kind") or "",
            name=form.cleaned_data.get("name") or "",
        ),
        year=year,
        year_after=lambda row: row.day.year,
    )


@login_required
@require_POST
def day_delete(request, day: str):
    require(request.user, "calendar.manage")
    try:
        date = dt.date.fromisoformat(day)
    except ValueError:
        raise NotFound(code="workdays.day_not_found") from None
    return _act(
        request,
        "day_delete",
        None,
        lambda user: services.day_delete(actor=user, day=date),
        year=date.year,
    )


@login_required
@require_POST
def year_mark(request, year: int):
    form = YearEnteredForm(request.POST)
    return _act(
        request,
        "year",
        form,
        lambda user: services.year_mark_entered(
            actor=user, year=year, note=form.cleaned_data.get("note") or ""
        ),
        year=year,
    )


@login_required
@require_POST
def year_unmark(request, year: int):
    return _act(
        request,
        "year_unmark",
        None,
        lambda user: services.year_unmark(actor=user, year=year),
        year=year,
    )
