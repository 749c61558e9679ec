"""The audit trail's search page and its export (platform managers and the
administrator: ``audit.view``)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from sanbao.accounts.roles import require
from sanbao.audit_trail import selectors
from sanbao.audit_trail.forms import AuditFilterForm
from sanbao.core.web import download, page_of, render_page
from sanbao.documents import registry

EVENTS_PER_PAGE = 50


def _filter_form(request) -> AuditFilterForm:
    return AuditFilterForm(
        request.GET, organisations=selectors.organisations(), actions=selectors.actions()
    )


@never_cache
@login_required
@require_GET
def event_list(request):
    user = request.user
    require(user, "audit.view")
    form = _filter_form(request)
    page = page_of(request, selectors.event_list(actor=user, **form.filters()), EVENTS_PER_PAGE)
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "rows": selectors.rows(page.object_list),
        "export_query": query.urlencode(),
    }
    return render_page(request, "audit_trail/event_list.html", "event-results", context)


@never_cache
@login_required
@require_GET
def event_list_xlsx(request):
    require(request.user, "audit.view")
    events = selectors.event_list(actor=request.user, **_filter_form(request).filters())
    return download(registry.file("audit_trail.events_xlsx", events))
