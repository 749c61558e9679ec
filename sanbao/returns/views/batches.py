"""The batch list, the batch page (lines with their packing check, anomalies,
contact tasks, timeline, and after receipt the turnaround, returned units and
shipments) and the actions taken from it.

An action runs through ``batch_action``: a refusal (400) or conflict (409) answers
the batch page with the message by its form and that status; success redirects
(PRG) or, for htmx, answers the updated fragment."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from sanbao.accounts.roles import can, require
from sanbao.core import audit
from sanbao.core.errors import NotFound
from sanbao.core.web import (
    action_view,
    attempt,
    is_htmx,
    list_export_view,
    page_of,
    record_page_view,
    redirect_after,
    render_page,
)
from sanbao.notifications.models import ContactTask
from sanbao.returns import selectors, services
from sanbao.returns.documents import lists
from sanbao.returns.errors import message
from sanbao.returns.forms import (
    BatchFilterForm,
    ContactAttemptForm,
    DelayForm,
    ReceiptOpenForm,
    RefuseForm,
    ResolveAnomalyForm,
)
from sanbao.returns.models import (
    BatchStatus,
    ReturnBatch,
    ReturnedUnit,
)
from sanbao.returns.services.turnaround import turnaround
from sanbao.returns.states import MOVES, WITH_UNITS, allowed_actions
from sanbao.returns.views.shared import return_orgs
from sanbao.workdays import services as workdays

BATCHES_PER_PAGE = 50
DONE_MESSAGES = {
    "submit": _("The batch was submitted: it is in transit to the after-sales centre."),
    "refuse": _("The batch was refused."),
    "open_receipt": _("Receipt opened: count the units by scanning their labels."),
    "resolve_anomaly": _("The anomaly was resolved."),
    "contact": _("The contact attempt was recorded."),
    "email": _("The notice was e-mailed."),
    "start_testing": _("Testing started: test each unit received and deal with it."),
    "delay": _("Every unit not yet shipped is marked delayed (IV.6)."),
    "close": _("The batch was closed."),
}

EVENT_LABELS = {
    "return_batch.created": _("Packing list written"),
    "return_batch.edited": _("Packing list changed"),
    "return_batch.submitted": _("Submitted (in transit)"),
    "return_batch.refused": _("Refused"),
    "return_batch.receipt_opened": _("Receipt opened"),
    "return_batch.receipt_closed": _("Receipt closed"),
    "return_batch.anomalies_resolved": _("Every anomaly resolved"),
    "return_batch.line_counted": _("Line counted by hand"),
    "return_batch.testing_started": _("Testing started"),
    "return_batch.delayed": _("Every remaining unit delayed (IV.6)"),
    "return_batch.ready": _("Every unit dealt with: ready to ship"),
    "return_batch.shipped_in_part": _("Shipped in part, delayed units to follow"),
    "return_batch.shipped": _("Shipped back"),
    "return_batch.closed": _("Closed"),
}

# --- The batch list -----------------------------------------------------------------------


def _batch_list(request):
    user = request.user
    require(user, "returns.view")
    form = BatchFilterForm(request.GET, return_orgs=return_orgs(user) if user.is_platform else None)
    batches = selectors.with_open_anomalies(selectors.batch_list(actor=user, **form.filters()))
    return form, batches


def batch_rows(request):
    """The batches the list page lists for this request, every page of them."""
    return _batch_list(request)[1]


@login_required
@require_GET
def batch_list(request):
    user = request.user
    form, batches = _batch_list(request)
    context = {
        "form": form,
        "page": page_of(request, batches, BATCHES_PER_PAGE),
        "show_return_org": user.is_platform,
        "can_create": can(user, "returns.create"),
        "can_receive": can(user, "returns.receive"),
    }
    return render_page(request, "returns/batch_list.html", "batch-results", context)


batch_list_xlsx = list_export_view(batch_rows, lists.BATCHES)


# --- The batch page -----------------------------------------------------------------------


def problems_by_line(batch: ReturnBatch) -> dict:
    """The packing check of a draft (IV.P1, IV.P3–IV.P6, IV.2) by line number; the
    batch's own problems under None."""
    grouped: dict = defaultdict(list)
    for problem in services.batch_check(batch):
        grouped[problem.line_no].append(
            {
                "clause": problem.clause,
                "code": problem.code,
                "text": message(problem.code, **problem.params),
                "blocking": problem.blocking,
            }
        )
    return dict(grouped)


def _contact_tasks(user, batch: ReturnBatch) -> list[ContactTask]:
    return list(
        selectors.batch_contact_tasks(actor=user, batch=batch).prefetch_related(
            "attempts__contacted_by"
        )
    )


def task_of(user, batch: ReturnBatch, pk: int) -> ContactTask:
    task = (
        selectors.batch_contact_tasks(actor=user, batch=batch)
        .filter(pk=pk)
        .select_related("recipient")
        .first()
    )
    if task is None:
        raise NotFound(code="notifications.task_not_found")
    return task


def _timeline(batch: ReturnBatch) -> list[dict]:
    # As the trail registers batches (returns.trail): the labels, and the status moves.
    return audit.record_timeline(batch)


def _turnaround_panel(batch: ReturnBatch, *, from_resolution: bool, cal=None) -> dict | None:
    """IV.5: where a received batch stands against its due date: the day the clock
    started (receipt, or the resolution of the last anomaly), the due day, whether
    it is provisional (a year's official schedule unknown) and the working days
    left or overdue; once shipped, on time or late."""
    if batch.status == BatchStatus.ON_HOLD:
        return {"on_hold": True}
    if batch.due_on is None:
        return None
    cal = cal or workdays.calendar()
    standing = turnaround(batch, cal=cal)
    unknown: list[int] = []
    if standing.provisional:
        start = batch.clock_started_on or batch.due_on
        unknown = cal.unknown_years(start.year, batch.due_on.year)
    return {
        "on_hold": False,
        "t": standing,
        "started_on": batch.clock_started_on,
        "from_resolution": from_resolution,
        "unknown_years": ", ".join(str(year) for year in unknown),
        "due_today": standing.working_days_left == 0,
    }


def _batch_shipments(user, batch: ReturnBatch, units: list[ReturnedUnit]) -> list[dict]:
    """The shipments that carried (or are to carry) units of the batch, with how
    many of its units each holds."""
    if not units:
        return []
    per_shipment: dict[int, int] = defaultdict(int)
    for unit in units:
        if unit.shipment_id:
            per_shipment[unit.shipment_id] += 1
    if not per_shipment:
        return []
    shipments = (
        selectors.shipment_list(actor=user).filter(pk__in=per_shipment).order_by("created_at", "id")
    )
    return [{"shipment": s, "units_of_batch": per_shipment[s.pk]} for s in shipments]


def _workshop_context(user, batch: ReturnBatch, bound: dict, anomalies: list) -> dict:
    """The batch page's part after receipt: the turnaround, the returned units with
    their counts, the shipments, and the delay form (IV.5–IV.7)."""
    units = (
        list(selectors.returned_unit_list(actor=user, batch=batch))
        if batch.status in WITH_UNITS
        else []
    )
    counts = selectors.unit_counts(batch) if units else None
    return {
        "turnaround": _turnaround_panel(batch, from_resolution=bool(anomalies)),
        "units": units,
        "unit_counts": counts,
        "next_unit": next((u for u in units if not u.disposition and not u.delay_reason), None),
        # "Prepare a shipment" only when a unit of this batch can go now.
        "can_ship": any(u.disposition and not u.shipment_id for u in units),
        "batch_shipments": _batch_shipments(user, batch, units),
        "delay_form": bound.get("delay") or DelayForm(auto_id="batch_delay_%s"),
    }


def _detail_context(request, batch: ReturnBatch, *, bound=None, error=None, failed=None):
    user = request.user
    actions = allowed_actions(batch, user)
    lines = list(batch.lines.select_related("model__category").order_by("line_no"))
    problems = problems_by_line(batch) if batch.status == BatchStatus.DRAFT else {}
    # A refused submission names lines ("lines.3") and the batch ("freight", "batch").
    refusal: dict = defaultdict(list)
    if error is not None and failed == "submit":
        for name, texts in error.field_messages().items():
            key = name.split(".")[1] if name.startswith("lines.") else None
            refusal[int(key) if key and key.isdigit() else None].extend(texts)
    counts = None
    if batch.status == BatchStatus.RECEIVING:
        counts = {x["line_no"]: x for x in services.receipt_counts(batch)["lines"]}
    anomalies = list(selectors.anomaly_list(actor=user, batch=batch).order_by("id"))
    bound = bound or {}
    tasks = _contact_tasks(user, batch)
    return {
        "batch": batch,
        "actions": actions,
        "lines": [
            {
                "line": line,
                "problems": problems.get(line.line_no, []),
                "refusal": refusal.get(line.line_no, []),
                "counting": counts.get(line.line_no) if counts else None,
            }
            for line in lines
        ],
        "batch_problems": problems.get(None, []),
        "lines_with_problems": sum(1 for key in problems if key is not None),
        "blocking": any(p["blocking"] for ps in problems.values() for p in ps),
        "batch_refusal": refusal.get(None, []),
        "anomalies": [
            {
                "anomaly": a,
                "sentence": services.anomaly_line(a),
                "form": bound.get(("resolve", a.pk)) or ResolveAnomalyForm(prefix=f"a{a.pk}"),
            }
            for a in anomalies
        ],
        "open_anomalies": sum(1 for a in anomalies if a.is_open),
        "tasks": [
            {
                "task": task,
                "attempts": list(task.attempts.all()),
                "form": bound.get(("contact", task.pk))
                or ContactAttemptForm(
                    prefix=f"t{task.pk}",
                    initial={
                        "channel": task.channel if task.channel != "email" else "telephone",
                        "contact_person": batch.contact_person,
                        "number_or_address": (
                            task.recipient.fax if task.channel == "fax" else batch.contact_phone
                        ),
                    },
                ),
                "failed": failed in ("contact", "email") and bound.get("task") == task.pk,
            }
            for task in tasks
        ],
        "can_contact": can(user, "contacts.manage"),
        "refuse_form": bound.get("refuse") or RefuseForm(),
        "receipt_open_form": bound.get("open_receipt")
        or ReceiptOpenForm(initial={"received_on": timezone.localdate()}),
        "error": error,
        "failed_action": failed,
        "timeline": _timeline(batch),
        "show_people": user.is_platform,
        "is_htmx": is_htmx(request),
        **_workshop_context(user, batch, bound, anomalies),
    }


batch_detail = record_page_view(
    selectors.batch_get, "returns/batch_detail.html", "batch-body", _detail_context
)


# --- Actions on a batch -------------------------------------------------------------------


def batch_action(
    request,
    number: str,
    action: str,
    call: Callable,
    *,
    permission: str | None = None,
    make_form: Callable | None = None,
    bound_key: Callable | None = None,
    done_url: Callable | None = None,
):
    """Run one action: the role first (403 whatever the batch), then the batch
    (404 when not visible), then the form and the service. A refusal (400) or a
    conflict (409) answers the batch page with the message; success redirects
    back to it (or ``done_url``), or answers the updated fragment to htmx."""
    user = request.user
    require(user, permission or MOVES[action].permission)
    batch = selectors.batch_get(actor=user, number=number)
    form = make_form(request, batch) if make_form else None
    done = attempt(lambda: call(user, batch, form), form=form)
    if not done.ok:
        batch = selectors.batch_get(actor=user, number=number)  # as it is now
        bound = bound_key(batch, form) if bound_key else {}
        context = _detail_context(request, batch, bound=bound, error=done.error, failed=action)
        return render_page(
            request, "returns/batch_detail.html", "batch-body", context, status=done.status
        )
    result = done.result
    text = result if isinstance(result, str) else DONE_MESSAGES[action]
    if done_url is not None:
        messages.success(request, text)
        return redirect_after(request, done_url(batch))
    if is_htmx(request):
        batch = selectors.batch_get(actor=user, number=number)
        context = _detail_context(request, batch)
        context["done"] = text
        return render_page(request, "returns/batch_detail.html", "batch-body", context)
    messages.success(request, text)
    return redirect("returns:batch_detail", number=batch.number)


# The POST view of one action on a batch, run by ``batch_action`` with its options:
# ``call(user, batch, form)`` does it; ``make_form(request, batch)`` reads its form.
batch_action_view = partial(action_view, batch_action)


def move(service: Callable) -> Callable:
    """An action that takes nothing but the batch and the actor."""
    return lambda user, batch, form: service(batch=batch, actor=user)


batch_submit = batch_action_view("submit", move(services.batch_submit))

batch_refuse = batch_action_view(
    "refuse",
    lambda user, batch, form: services.batch_refuse(
        batch=batch, actor=user, reason=form.cleaned_data.get("reason") or ""
    ),
    make_form=lambda request, batch: RefuseForm(request.POST),
    bound_key=lambda batch, form: {"refuse": form},
)

batch_close = batch_action_view("close", move(services.batch_close))
