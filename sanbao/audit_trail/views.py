"""The audit trail's search page and its export (platform managers and the
administrator: ``audit.view``)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from sanbao.accounts.roles import require
from sanbao.audit_trail import documents, selectors
from sanbao.audit_trail.forms import AuditFilterForm
from sanbao.core.web import list_export_view, page_of, render_page

EVENTS_PER_PAGE = 50


def _filter_form(request) -> AuditFilterForm:
    return AuditFilterForm(
        request.GET, organisations=selectors.organisations(), actions=selectors.actions()
    )


def _event_list(request):
    require(request.user, "audit.view")
    form = _filter_form(request)
    return form, selectors.event_list(actor=request.user, **form.filters())


def event_rows(request):
    """The events the search page lists for this request's filters, every page of them."""
    return _event_list(request)[1]


event_list_xlsx = list_export_view(event_rows, documents.EVENTS)


@never_cache
@login_required
@require_GET
def event_list(request):
    form, events = _event_list(request)
    page = page_of(request, events, EVENTS_PER_PAGE)
    context = {"form": form, "page": page, "rows": selectors.rows(page.object_list)}
    return render_page(request, "audit_trail/event_list.html", "event-results", context)
