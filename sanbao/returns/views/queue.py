"""The turnaround queue (IV.5): received batches not yet sent back, soonest due
first."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from sanbao.core.forms import SortForm
from sanbao.core.web import list_export_view, page_of, render_page
from sanbao.returns import selectors
from sanbao.returns.documents import lists
from sanbao.returns.services.turnaround import turnaround
from sanbao.workdays import services as workdays

# A page of the queue: 50 rows, as every list (100 took 40 ms of CPU to render; issue 15).
QUEUE_PER_PAGE = 50
# --- The turnaround queue (IV.5) ----------------------------------------------------------


def _queue(request):
    form = SortForm(request.GET, sorting=selectors.QUEUE_SORTS)
    return form, selectors.turnaround_queue(actor=request.user, **form.filters())


def queue_rows(request):
    """The batches the queue lists, every page of them."""
    return _queue(request)[1]


queue_xlsx = list_export_view(queue_rows, lists.QUEUE)


@login_required
@require_GET
def queue(request):
    """IV.5: the batches received and not yet sent back, soonest due first, with the
    working days left or overdue; batches on hold (no due date until their
    anomalies are resolved) last."""
    form, batches = _queue(request)
    page = page_of(request, batches, QUEUE_PER_PAGE)
    cal = workdays.calendar()
    today = timezone.localdate()
    rows = [
        {"batch": batch, "t": turnaround(batch, today, cal) if batch.due_on else None}
        for batch in page.object_list
    ]
    context = {
        "form": form,
        "page": page,
        "rows": rows,
        "today": today,
        "overdue": sum(1 for r in rows if r["t"] and r["t"].overdue),
        "due_today": sum(1 for r in rows if r["t"] and r["t"].working_days_left == 0),
    }
    return render_page(request, "returns/queue.html", "queue-results", context)


# --- Still to follow (IV.6) ----------------------------------------------------------------


def _return_org(request) -> str:
    """The platform's ``?return_org=`` (one return unit's units only)."""
    return (request.GET.get("return_org") or "").strip() if request.user.is_platform else ""


def to_follow_rows(request):
    """The units the page lists, by return unit and batch."""
    return selectors.units_to_follow(actor=request.user, return_org=_return_org(request) or None)


to_follow_xlsx = list_export_view(to_follow_rows, lists.TO_FOLLOW)


@login_required
@require_GET
def to_follow(request):
    """IV.6: the delayed units not yet shipped back, by return unit and batch: the
    platform sees every return unit's (``?return_org=`` for one), a return unit its
    own. They stay listed until the shipment that takes them leaves."""
    user = request.user
    return_org = _return_org(request)
    groups: list[dict] = []
    for unit in to_follow_rows(request):
        org = unit.batch.return_org
        if not groups or groups[-1]["org"].pk != org.pk:
            groups.append({"org": org, "units": []})
        groups[-1]["units"].append(unit)
    context = {
        "groups": groups,
        "return_org": return_org,
        "show_people": user.is_platform,
        "unit_count": sum(len(group["units"]) for group in groups),
    }
    return render(request, "returns/to_follow.html", context)
