"""Return-batch pages: the list, the packing list (create and edit, with lines,
an XLSX import and the packing check), the batch page with its actions,
anomalies and contact tasks, the receipt page where staff count by scanning, and
the list of receipt anomalies. Then the workshop and the way back: the batch's
turnaround (IV.5) and returned units, the page of one unit where it is tested and
dealt with or delayed (IV.P2, IV.6), the turnaround queue, and the shipments with
their delivery lists (IV.7).

Views stay thin: selectors and services check the actor's role, tenancy, the
batch's state and the policy, and raise domain errors. An action view maps a 400
or 409 onto its form and answers the page (or, for htmx, its fragment) with that
status; 403 and 404 go to DomainErrorMiddleware. A successful action redirects
(PRG) or, for htmx, answers the updated fragment. Every page works without
JavaScript.
"""

from __future__ import annotations

import contextlib
from collections import defaultdict
from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from sanbao.accounts import selectors as account_selectors
from sanbao.accounts.roles import OrgKind, can, require
from sanbao.catalog import selectors as catalog_selectors
from sanbao.catalog.exclusions import RULE_TITLES
from sanbao.core.errors import Conflict, DomainError, NotFound, ValidationFailed
from sanbao.core.forms import apply_domain_error
from sanbao.core.models import AuditEvent
from sanbao.core.uploads import inline_file
from sanbao.core.web import is_htmx, render_page
from sanbao.notifications import services as notifications
from sanbao.notifications.models import ContactTask, Outcome
from sanbao.returns import selectors, services
from sanbao.returns.errors import ACTION_LABELS, MESSAGES, message
from sanbao.returns.forms import (
    BatchFilterForm,
    BatchHeaderForm,
    CloseReceiptForm,
    ContactAttemptForm,
    DelayForm,
    DispatchForm,
    LineForm,
    LineFormSet,
    LinesImportForm,
    RecordUnitForm,
    RefuseForm,
    ResolveAnomalyForm,
    ScanForm,
    SetCountForm,
    ShipmentFilterForm,
    ShipmentForm,
    UnitDisposeForm,
    UnitTestForm,
)
from sanbao.returns.importing import lines_from_xlsx
from sanbao.returns.models import (
    BatchStatus,
    ReceiptAnomaly,
    ReturnBatch,
    ReturnedUnit,
    ScanKind,
    Shipment,
    ShipmentStatus,
)
from sanbao.returns.policy import EXCLUSION_RULES, dispositions_open, photo_required
from sanbao.returns.services.turnaround import turnaround
from sanbao.returns.states import MOVES, WITH_UNITS, allowed_actions
from sanbao.workdays import services as workdays

BATCHES_PER_PAGE = 50
ANOMALIES_PER_PAGE = 50
QUEUE_PER_PAGE = 100
SHIPMENTS_PER_PAGE = 50
NEW_BATCH_ROWS = 3
LINES_PREFIX = "lines"

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


def _return_orgs(user):
    """Agents and enterprises, for a platform user's choices; None for anyone else."""
    if not can(user, "organisations.view"):
        return None
    return (
        account_selectors.organisation_list(actor=user)
        .filter(kind__in=[OrgKind.AGENT, OrgKind.ENTERPRISE], is_active=True)
        .order_by("code")
    )


def _refuse_move(batch: ReturnBatch, action: str):
    return Conflict(
        MESSAGES["returns.move_not_allowed"],
        code="returns.move_not_allowed",
        params={"status": batch.get_status_display(), "action": ACTION_LABELS[action]},
    )


# --- The batch list -----------------------------------------------------------------------


@login_required
@require_GET
def batch_list(request):
    user = request.user
    require(user, "returns.view")
    form = BatchFilterForm(
        request.GET, return_orgs=_return_orgs(user) if user.is_platform else None
    )
    batches = (
        selectors.batch_list(actor=user, **form.filters())
        .annotate(open_anomalies=Count("anomalies", filter=Q(anomalies__resolved_at__isnull=True)))
        .order_by("-created_at", "-id")
    )
    page = Paginator(batches, BATCHES_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "page": page,
        "show_return_org": user.is_platform,
        "can_create": can(user, "returns.create"),
        "can_receive": can(user, "returns.receive"),
    }
    return render_page(request, "returns/batch_list.html", "batch-results", context)


# --- The packing list: create and edit ------------------------------------------------------


def _line_form_kwargs(user) -> dict:
    # Models no longer on sale are returned too: every model is offered.
    models = list(catalog_selectors.product_model_list(actor=user))
    return {
        "models": models,
        "required_accessories": {
            m.code.upper(): list(m.category.required_accessories or []) for m in models
        },
    }


def _header_defaults(user) -> dict:
    org = user.organisation
    return {
        "packed_on": timezone.localdate(),
        "contact_person": user.get_full_name() or (org.contact_person if org else ""),
        "contact_phone": user.phone or (org.phone if org else ""),
        "home_delivery": "yes",
        "freight": "prepaid",
    }


def _header_initial(batch: ReturnBatch) -> dict:
    return {
        "declared_units": batch.declared_units,
        "declared_boxes": batch.declared_boxes,
        "packed_on": batch.packed_on,
        "contact_person": batch.contact_person,
        "contact_phone": batch.contact_phone,
        "carrier": batch.carrier,
        "waybill_no": batch.waybill_no,
        "home_delivery": "yes" if batch.home_delivery else "no",
        "freight": batch.freight,
        "note": batch.note,
    }


def _line_initial(line_in, known: set[str]) -> dict:
    """A line read from a spreadsheet as a row's initial values: the accessories a
    category requires as ticked boxes, any other one as free text."""
    canonical = {a.lower(): a for a in known}
    accessories = line_in.accessories or []
    return {
        "model_code": line_in.model_code,
        "serial": line_in.serial,
        "quantity": line_in.quantity,
        "fault": line_in.fault,
        "accessories": [canonical[a.lower()] for a in accessories if a.lower() in canonical],
        "accessories_other": ", ".join(a for a in accessories if a.lower() not in canonical),
        "bundled": line_in.bundled,
        "box_no": line_in.box_no,
    }


def _kept_forms(formset) -> list[LineForm]:
    """The rows that are lines: not removed, and changed from the blank row offered."""
    return [
        form
        for form in formset.forms
        if form.has_changed() and not (form.is_bound and form.cleaned_data.get("DELETE"))
    ]


def _apply_line_errors(exc: DomainError, header, kept: list[LineForm]) -> list[str]:
    """Spread a service refusal over the header and the line rows; return the
    messages that belong to no field (shown above the lines)."""
    loose: list[str] = []
    for name, texts in exc.field_messages().items():
        parts = name.split(".")
        if parts[0] == "lines" and len(parts) >= 2 and parts[1].isdigit():
            index = int(parts[1]) - 1
            field = parts[2] if len(parts) > 2 else None
            if 0 <= index < len(kept):
                form = kept[index]
                for text in texts:
                    form.add_error(field if field in form.fields else None, text)
                continue
        if name in header.fields:
            for text in texts:
                header.add_error(name, text)
            continue
        loose.extend(texts)
    return loose


def _edit_page(request, batch: ReturnBatch | None):
    """The packing-list form of a new batch (``batch`` None) or a draft. Buttons:
    save, add a line (re-renders with one more row), refresh a row's accessories
    after its model changed, and import the lines from an XLSX file."""
    user = request.user
    form_kwargs = _line_form_kwargs(user)
    orgs = _return_orgs(user) if batch is None and user.is_platform else None
    status, error, loose, report = 200, None, [], None
    if request.method == "GET":
        initial = _header_initial(batch) if batch else _header_defaults(user)
        header = BatchHeaderForm(initial=initial, return_orgs=orgs)
        if batch:
            rows = [
                LineForm.initial_of(line)
                for line in batch.lines.select_related("model__category").order_by("line_no")
            ]
        else:
            rows = [{} for _ in range(NEW_BATCH_ROWS)]
        formset = LineFormSet(initial=rows, prefix=LINES_PREFIX, form_kwargs=form_kwargs)
    else:
        data = request.POST.copy()
        if "add_row" in data:
            total = LINES_PREFIX + "-TOTAL_FORMS"
            with contextlib.suppress(ValueError):
                count = int(data.get(total, 0))
                data[total] = str(count + 1)
                # The new row as offered: one unit in box 1, which is no line until changed.
                data[f"{LINES_PREFIX}-{count}-quantity"] = "1"
                data[f"{LINES_PREFIX}-{count}-box_no"] = "1"
        if "import_lines" in data:
            lines, report = _import_lines(request)
            if lines:
                if not data.get("declared_units"):
                    data["declared_units"] = str(sum(line.quantity or 0 for line in lines))
                if not data.get("declared_boxes"):
                    data["declared_boxes"] = str(max(line.box_no or 1 for line in lines))
        header = BatchHeaderForm(data, return_orgs=orgs)
        known = {a for items in form_kwargs["required_accessories"].values() for a in items}
        if report is not None and report["lines"]:
            formset = LineFormSet(
                initial=[_line_initial(line, known) for line in report["lines"]],
                prefix=LINES_PREFIX,
                form_kwargs=form_kwargs,
            )
        else:
            formset = LineFormSet(data, prefix=LINES_PREFIX, form_kwargs=form_kwargs)
        saving = not ({"add_row", "refresh", "import_lines"} & set(data))
        if report is not None and report["errors"]:
            status = 400
        if saving:
            done, error, loose = _save(request, batch, header, formset)
            if done is not None:
                return done
            status = error.status
    # The packing check of the saved draft, by row, while the rows are its lines.
    problems = _problems_by_line(batch) if batch and request.method == "GET" else None
    context = {
        "batch": batch,
        "header": header,
        "formset": formset,
        "line_rows": [
            {"form": form, "index": i, "problems": (problems or {}).get(i + 1, [])}
            for i, form in enumerate(formset.forms)
        ],
        "problems": problems,
        "batch_problems": (problems or {}).get(None, []),
        "import_form": LinesImportForm(),
        "import_report": report,
        "error": error,
        "loose_errors": loose,
    }
    return render(request, "returns/batch_edit.html", context, status=status)


def _import_lines(request):
    """Read the uploaded spreadsheet: (lines, report) with the report's rows."""
    form = LinesImportForm(request.POST, request.FILES)
    upload = form.cleaned_data.get("file") if form.is_valid() else None
    if upload is None:
        report = {
            "filename": "",
            "lines": [],
            "errors": [
                {
                    "row": "",
                    "column": "file",
                    "code": "returns.import_no_file",
                    "message": _("Choose an XLSX file to import."),
                }
            ],
        }
        return [], report
    lines, errors = lines_from_xlsx(upload.read())
    report = {
        "filename": upload.name,
        "lines": list(lines),
        "errors": [_import_error(e) for e in errors],
    }
    return report["lines"], report


def _import_error(error: dict) -> dict:
    """One problem of the import (row None: the file as a whole) as the page shows it."""
    return {
        "row": error.get("row") or "",
        "column": error.get("column") or "",
        "code": error.get("code") or "",
        "message": str(error.get("message") or ""),
    }


def _save(request, batch, header, formset):
    """Parse and hand the packing list to the service. Returns (redirect, None, [])
    on success, else (None, error, loose messages) with the forms marked."""
    user = request.user
    if not (header.is_valid() and formset.is_valid()):
        invalid = ValidationFailed(MESSAGES["returns.batch_invalid"], code="returns.batch_invalid")
        return None, invalid, []
    kept = _kept_forms(formset)
    lines = [form.line_in() for form in kept]
    try:
        if batch is None:
            batch = services.batch_create(actor=user, lines=lines, **header.service_kwargs())
            text = _("Draft batch %(number)s was saved. Check it and submit it.")
        else:
            batch = services.batch_update(
                batch=batch, actor=user, lines=lines, **header.service_kwargs()
            )
            text = _("Draft batch %(number)s was saved.")
    except DomainError as exc:
        if exc.status not in (400, 409):
            raise
        return None, exc, _apply_line_errors(exc, header, kept)
    messages.success(request, text % {"number": batch.number})
    return redirect("returns:batch_detail", number=batch.number), None, []


@login_required
@require_http_methods(["GET", "POST"])
def batch_create(request):
    require(request.user, "returns.create")
    return _edit_page(request, None)


@login_required
@require_http_methods(["GET", "POST"])
def batch_edit(request, number: str):
    user = request.user
    require(user, MOVES["edit"].permission)
    batch = selectors.batch_get(actor=user, number=number)
    if batch.status not in MOVES["edit"].sources:
        raise _refuse_move(batch, "edit")
    return _edit_page(request, batch)


# --- The batch page -----------------------------------------------------------------------


def _problems_by_line(batch: ReturnBatch) -> dict:
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


def _task_of(user, batch: ReturnBatch, pk: int) -> ContactTask:
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
    return [
        {
            "at": event.at,
            "action": event.action,
            "label": EVENT_LABELS.get(event.action, event.action),
            "actor": event.actor.display_name if event.actor else event.actor_label,
        }
        for event in AuditEvent.objects.for_target(batch)
        .select_related("actor")
        .order_by("at", "id")
    ]


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
    problems = _problems_by_line(batch) if batch.status == BatchStatus.DRAFT else {}
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
        "error": error,
        "failed_action": failed,
        "timeline": _timeline(batch),
        "show_people": user.is_platform,
        "is_htmx": is_htmx(request),
        **_workshop_context(user, batch, bound, anomalies),
    }


@login_required
@require_GET
def batch_detail(request, number: str):
    batch = selectors.batch_get(actor=request.user, number=number)
    return render_page(
        request, "returns/batch_detail.html", "batch-body", _detail_context(request, batch)
    )


# --- Actions on a batch -------------------------------------------------------------------


def _act(
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
    form = make_form(batch) if make_form else None
    try:
        if form is not None and not form.is_valid():
            raise ValidationFailed()
        result = call(user, batch, form)
    except DomainError as exc:
        if exc.status not in (400, 409):
            raise
        if form is not None:
            apply_domain_error(form, exc)
        batch = selectors.batch_get(actor=user, number=number)  # as it is now
        bound = bound_key(batch, form) if bound_key else {}
        context = _detail_context(request, batch, bound=bound, error=exc, failed=action)
        return render_page(
            request, "returns/batch_detail.html", "batch-body", context, status=exc.status
        )
    text = result if isinstance(result, str) else DONE_MESSAGES[action]
    if done_url is not None:
        messages.success(request, text)
        if is_htmx(request):
            response = HttpResponse("")
            response["HX-Redirect"] = done_url(batch)
            return response
        return redirect(done_url(batch))
    if is_htmx(request):
        batch = selectors.batch_get(actor=user, number=number)
        context = _detail_context(request, batch)
        context["done"] = text
        return render_page(request, "returns/batch_detail.html", "batch-body", context)
    messages.success(request, text)
    return redirect("returns:batch_detail", number=batch.number)


@login_required
@require_POST
def batch_submit(request, number: str):
    return _act(
        request,
        number,
        "submit",
        lambda user, batch, form: services.batch_submit(batch=batch, actor=user),
    )


@login_required
@require_POST
def batch_refuse(request, number: str):
    return _act(
        request,
        number,
        "refuse",
        lambda user, batch, form: services.batch_refuse(
            batch=batch, actor=user, reason=form.cleaned_data.get("reason") or ""
        ),
        make_form=lambda batch: RefuseForm(request.POST),
        bound_key=lambda batch, form: {"refuse": form},
    )


@login_required
@require_POST
def receipt_open(request, number: str):
    return _act(
        request,
        number,
        "open_receipt",
        lambda user, batch, form: services.receipt_open(batch=batch, actor=user),
        done_url=lambda batch: _receipt_url(batch),
    )


def _anomaly_of(user, batch: ReturnBatch, pk: int) -> ReceiptAnomaly:
    anomaly = selectors.anomaly_get(actor=user, pk=pk)
    if anomaly.batch_id != batch.pk:
        raise NotFound(code="returns.anomaly_not_found")
    return anomaly


@login_required
@require_POST
def anomaly_resolve(request, number: str, pk: int):
    def call(user, batch, form):
        anomaly = _anomaly_of(user, batch, pk)
        services.anomaly_resolve(anomaly=anomaly, actor=user, note=form.cleaned_data["note"] or "")

    return _act(
        request,
        number,
        "resolve_anomaly",
        call,
        make_form=lambda batch: ResolveAnomalyForm(request.POST, prefix=f"a{pk}"),
        bound_key=lambda batch, form: {("resolve", pk): form},
    )


@login_required
@require_POST
def contact_attempt(request, number: str, pk: int):
    """IV.4: a telephone call or fax to the return unit, carried out by a person,
    and its outcome."""

    def call(user, batch, form):
        task = _task_of(user, batch, pk)
        data = form.cleaned_data
        notifications.attempt_record(
            task=task,
            actor=user,
            channel=data.get("channel") or "",
            outcome=data.get("outcome") or "",
            contact_person=data.get("contact_person") or "",
            number_or_address=data.get("number_or_address") or "",
            note=data.get("note") or "",
        )

    return _act(
        request,
        number,
        "contact",
        call,
        permission="contacts.manage",
        make_form=lambda batch: ContactAttemptForm(request.POST, prefix=f"t{pk}"),
        bound_key=lambda batch, form: {("contact", pk): form, "task": pk},
    )


@login_required
@require_POST
def contact_email(request, number: str, pk: int):
    """E-mail the anomaly notice (PDF attached) to the return unit through
    Django's mail backend; the attempt records whether it was accepted."""

    def call(user, batch, form):
        from sanbao.returns import documents

        task = _task_of(user, batch, pk)
        pdf = documents.anomaly_notice_pdf(batch)
        notifications.task_send_email(
            task=task,
            actor=user,
            attachments=[(f"anomaly-notice-{batch.number}.pdf", pdf, "application/pdf")],
        )
        last = task.attempts.order_by("-at", "-id").first()
        if last is not None and last.outcome == Outcome.EMAIL_FAILED:
            return str(_("The e-mail could not be sent: %(reason)s") % {"reason": last.note})
        return str(_("The notice was e-mailed to %(address)s.") % {"address": task.recipient.email})

    return _act(
        request,
        number,
        "email",
        call,
        permission="contacts.manage",
        bound_key=lambda batch, form: {"task": pk},
    )


# --- The receipt page ---------------------------------------------------------------------


def _receipt_url(batch: ReturnBatch) -> str:
    return reverse("returns:receipt", args=[batch.number])


def _counts_context(batch: ReturnBatch) -> dict:
    """Running counts per line and per box, and the totals, with what was declared."""
    counts = services.receipt_counts(batch)
    lines = {line.line_no: line for line in batch.lines.select_related("model").order_by("line_no")}
    declared_by_box: dict[int, int] = defaultdict(int)
    for line in lines.values():
        declared_by_box[line.box_no] += line.quantity
    boxes = sorted(set(declared_by_box) | set(counts["boxes"]))
    rows = []
    for x in counts["lines"]:
        line = lines[x["line_no"]]
        rows.append(
            {
                **x,
                "line": line,
                "state": "ok"
                if x["counted"] == x["declared"]
                else ("short" if x["counted"] < x["declared"] else "over"),
            }
        )
    return {
        "counts": counts,
        "count_rows": rows,
        "box_rows": [
            {"box": b, "declared": declared_by_box.get(b, 0), "scanned": counts["boxes"].get(b, 0)}
            for b in boxes
        ],
        "lines_by_no": lines,
    }


def _receipt_context(request, batch: ReturnBatch, **extra) -> dict:
    receiving = batch.status == BatchStatus.RECEIVING
    context = {
        "batch": batch,
        "receiving": receiving,
        "box_choices": range(1, batch.declared_boxes + 1),
        "models": list(catalog_selectors.product_model_list(actor=request.user)),
        "scan_form": ScanForm(),
        "unit_form": RecordUnitForm(),
        "close_form": CloseReceiptForm(),
        "count_forms": {},
        "feedback": None,
        "is_htmx": is_htmx(request),
    }
    context.update(_counts_context(batch))
    context.update(extra)
    return context


@login_required
@require_GET
def receipt(request, number: str):
    """The receipt page: a scan field a keyboard-wedge scanner types into, the
    running counts, units without a label or not on the list, counts by hand and
    missing accessories, and closing the receipt (IV.1, IV.3, IV.4)."""
    user = request.user
    require(user, "returns.receive")
    batch = selectors.batch_get(actor=user, number=number)
    return render(request, "returns/receipt.html", _receipt_context(request, batch))


def _receipt_answer(request, batch, feedback: dict, *, status: int = 200, **extra):
    """For htmx: the feedback line and the counts panel (out of band). Without
    JavaScript: the page again on a refusal, else a redirect to it."""
    if is_htmx(request):
        context = _receipt_context(request, batch, feedback=feedback, oob=True, **extra)
        response = render(request, "returns/receipt.html#receipt-answer", context, status=status)
        patch_vary_headers(response, ["HX-Request"])
        return response
    if status >= 400:
        context = _receipt_context(request, batch, feedback=feedback, **extra)
        return render(request, "returns/receipt.html", context, status=status)
    level = messages.SUCCESS if feedback["result"] == "counted" else messages.WARNING
    messages.add_message(request, level, feedback["text"])
    return redirect(_receipt_url(batch))


def _receipt_action(request, number: str, form_class, call: Callable, *, form_key: str):
    """A counting action: role, batch, form, service; the answer by ``_receipt_answer``."""
    user = request.user
    require(user, MOVES["scan"].permission)
    batch = selectors.batch_get(actor=user, number=number)
    form = form_class(request.POST)
    try:
        if not form.is_valid():
            raise ValidationFailed()
        feedback = call(user, batch, form)
    except DomainError as exc:
        if exc.status not in (400, 409):
            raise
        apply_domain_error(form, exc)
        batch = selectors.batch_get(actor=user, number=number)
        code = (request.POST.get("code") or "").strip()[:60]
        feedback = {"result": "refused", "text": exc.message, "code": code, "error": exc}
        return _receipt_answer(
            request, batch, feedback, status=exc.status, **{form_key: form, "error": exc}
        )
    return _receipt_answer(request, batch, feedback)


@login_required
@require_POST
def receipt_scan(request, number: str):
    """One label scanned (IV.3). Idempotent: a label counts once however often it
    arrives; the answer says whether this scan counted it."""

    def call(user, batch, form):
        result = services.receipt_scan(
            batch=batch,
            actor=user,
            code=form.cleaned_data.get("code") or "",
            box_no=form.cleaned_data.get("box_no"),
        )
        scan = result.scan
        params = {"code": scan.code, "line": scan.line.line_no, "box": scan.box_no or "—"}
        if result.created:
            text = _("%(code)s counted: line %(line)s, box %(box)s.") % params
        else:
            text = _("%(code)s was already counted (line %(line)s): it counts once.") % params
        return {
            "result": "counted" if result.created else "again",
            "text": str(text),
            "code": scan.code,
            "line_no": scan.line.line_no,
        }

    return _receipt_action(request, number, ScanForm, call, form_key="scan_form")


@login_required
@require_POST
def receipt_record_unit(request, number: str):
    """A unit that arrived without a label, or that is not on the packing list (IV.4)."""

    def call(user, batch, form):
        data = form.cleaned_data
        scan = services.receipt_record_unit(
            batch=batch,
            actor=user,
            kind=data.get("kind") or "",
            box_no=data.get("box_no"),
            model_code=(data.get("model_code") or "").strip(),
            line_no=data.get("line_no"),
            note=data.get("note") or "",
        )
        if scan.kind == ScanKind.UNLABELLED:
            text = _("A unit without a label was recorded.")
        else:
            text = _("A unit not on the packing list was recorded.")
        return {"result": "counted", "text": str(text), "code": scan.code}

    return _receipt_action(request, number, RecordUnitForm, call, form_key="unit_form")


@login_required
@require_POST
def receipt_set_count(request, number: str):
    """A line counted by hand, and the accessories missing from it."""

    def call(user, batch, form):
        data = form.cleaned_data
        if data.get("line_no") is None:
            raise ValidationFailed(
                MESSAGES["returns.value_required"],
                code="returns.value_required",
                fields={"line_no": [MESSAGES["returns.value_required"]]},
            )
        line = services.receipt_set_count(
            batch=batch,
            actor=user,
            line_no=data["line_no"],
            counted=data.get("counted"),
            accessories_missing=form.missing(),
        )
        if line.counted is None:
            text = _("Line %(line)s: counted by scanning again.") % {"line": line.line_no}
        else:
            text = _("Line %(line)s: %(counted)s counted by hand.") % {
                "line": line.line_no,
                "counted": line.counted,
            }
        return {"result": "counted", "text": str(text), "code": "", "line_no": line.line_no}

    return _receipt_action(request, number, SetCountForm, call, form_key="count_form")


@login_required
@require_POST
def receipt_close(request, number: str):
    """Close the receipt with the boxes received. The physical count prevails
    (IV.1); a difference opens anomalies and a contact task (IV.4)."""
    user = request.user
    require(user, MOVES["close_receipt"].permission)
    batch = selectors.batch_get(actor=user, number=number)
    form = CloseReceiptForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationFailed()
        received = form.cleaned_data.get("received_boxes")
        if received is None:
            raise ValidationFailed(
                MESSAGES["returns.value_required"],
                code="returns.value_required",
                fields={"received_boxes": [MESSAGES["returns.value_required"]]},
            )
        services.receipt_close(batch=batch, actor=user, received_boxes=received)
    except DomainError as exc:
        if exc.status not in (400, 409):
            raise
        apply_domain_error(form, exc)
        batch = selectors.batch_get(actor=user, number=number)
        context = _receipt_context(request, batch, close_form=form, error=exc)
        return render(request, "returns/receipt.html", context, status=exc.status)
    if batch.status == BatchStatus.ON_HOLD:
        text = _(
            "Receipt closed. What arrived differs from the packing list: the batch is on "
            "hold and the return unit must be told (IV.4)."
        )
        messages.warning(request, text)
    else:
        messages.success(request, _("Receipt closed: the batch matches its packing list."))
    return redirect("returns:batch_detail", number=batch.number)


# --- Receipt anomalies --------------------------------------------------------------------


@login_required
@require_GET
def anomaly_list(request):
    """IV.4: the receipt anomalies the user may see: the platform's work list, or a
    return unit's own anomalies with their notices."""
    user = request.user
    show_all = request.GET.get("show") == "all"
    anomalies = selectors.anomaly_list(actor=user, open_only=not show_all).order_by(
        "-opened_at", "-id"
    )
    page = Paginator(anomalies, ANOMALIES_PER_PAGE).get_page(request.GET.get("page"))
    rows = [{"anomaly": a, "sentence": services.anomaly_line(a)} for a in page.object_list]
    context = {
        "page": page,
        "rows": rows,
        "show_all": show_all,
        "show_return_org": user.is_platform,
    }
    return render(request, "returns/anomaly_list.html", context)


# --- The workshop: testing, dispositions and delays (IV.5, IV.6, IV.P2) --------------------


@login_required
@require_POST
def testing_start(request, number: str):
    """A received batch goes to testing: one returned unit per unit that arrived."""
    return _act(
        request,
        number,
        "start_testing",
        lambda user, batch, form: services.testing_start(batch=batch, actor=user),
    )


@login_required
@require_POST
def batch_delay(request, number: str):
    """IV.6: every unit of the batch not yet shipped is delayed."""
    return _act(
        request,
        number,
        "delay",
        lambda user, batch, form: services.batch_delay(
            batch=batch,
            actor=user,
            reason=form.cleaned_data.get("reason") or "",
            note=form.cleaned_data.get("note") or "",
        ),
        make_form=lambda batch: DelayForm(request.POST, auto_id="batch_delay_%s"),
        bound_key=lambda batch, form: {"delay": form},
    )


@login_required
@require_POST
def batch_close(request, number: str):
    return _act(
        request,
        number,
        "close",
        lambda user, batch, form: services.batch_close(batch=batch, actor=user),
    )


# --- The page of one returned unit --------------------------------------------------------


def _unit_url(batch: ReturnBatch, seq: int) -> str:
    return reverse("returns:unit_detail", args=[batch.number, seq])


def _neighbours(batch: ReturnBatch, unit: ReturnedUnit) -> dict:
    """The previous and next unit of the batch, and the next one (after this one,
    else from the start) still to be dealt with, to work through a batch."""
    units = batch.units.order_by("seq")
    previous = units.filter(seq__lt=unit.seq).order_by("-seq").values_list("seq", flat=True)
    following = units.filter(seq__gt=unit.seq).values_list("seq", flat=True)
    waiting = units.filter(disposition="", delay_reason="").exclude(pk=unit.pk)
    todo = (
        waiting.filter(seq__gt=unit.seq).values_list("seq", flat=True).first()
        or waiting.values_list("seq", flat=True).first()
    )
    return {
        "previous_seq": previous.first(),
        "next_seq": following.first(),
        "todo_seq": todo,
        "unit_total": units.count(),
    }


def _unit_forms(user, unit: ReturnedUnit, bound: dict) -> dict:
    """The forms the user may use on the unit now, by what the batch's state, the
    role and the unit allow (the service checks them again)."""
    actions = allowed_actions(unit.batch, user)
    free = unit.shipment_id is None
    can_test = "test" in actions and not unit.disposition and free
    can_dispose = "dispose" in actions and bool(unit.result) and not unit.disposition and free
    can_delay = "delay" in actions and free
    models = (
        list(catalog_selectors.product_model_list(actor=user)) if can_test or can_dispose else []
    )
    forms: dict = {}
    if can_test:
        forms["test"] = bound.get("test") or UnitTestForm(
            models=models,
            auto_id="test_%s",
            initial={
                "result": unit.result,
                "excluded_rule": unit.excluded_rule,
                "evidence": unit.evidence,
                "serial_in": unit.serial_in,
                "model_code": unit.model.code if unit.model else "",
            },
        )
    if can_dispose:
        forms["dispose"] = bound.get("dispose") or UnitDisposeForm(
            open_dispositions=dispositions_open(unit.result),
            models=models,
            auto_id="dispose_%s",
            initial={"replacement_model_code": unit.model.code if unit.model else ""},
        )
    if can_delay:
        forms["delay"] = bound.get("delay") or DelayForm(
            auto_id="delay_%s",
            initial={"reason": unit.delay_reason, "note": unit.delay_note},
        )
    return forms


def _unit_context(request, batch: ReturnBatch, unit: ReturnedUnit, **extra) -> dict:
    user = request.user
    unit.batch = batch
    bound = extra.pop("bound", None) or {}
    photo_name = unit.photo.name.lower() if unit.photo else ""
    context = {
        "batch": batch,
        "unit": unit,
        "forms": _unit_forms(user, unit, bound),
        "unlisted": unit.line_id is None,
        "photo_is_image": photo_name.endswith((".png", ".jpg", ".jpeg")),
        "rule_title": RULE_TITLES.get(unit.excluded_rule, ""),
        # The exclusions the unit itself shows are proved by a photo.
        "photo_rules": [rule for rule in EXCLUSION_RULES if photo_required("excluded", rule)],
        "show_people": user.is_platform,
        "error": None,
        "failed_action": None,
        "is_htmx": is_htmx(request),
    }
    context.update(_neighbours(batch, unit))
    context.update(extra)
    return context


@login_required
@require_GET
def unit_detail(request, number: str, seq: int):
    """One returned unit: what is known of it, its test, what was done with it, a
    delay, the shipment that took it back; the forms for whoever tests and deals
    with units (a return unit reads it)."""
    user = request.user
    batch = selectors.batch_get(actor=user, number=number)
    unit = selectors.returned_unit_of(actor=user, batch=batch, seq=seq)
    return render_page(
        request, "returns/unit_detail.html", "unit-body", _unit_context(request, batch, unit)
    )


@never_cache
@login_required
@require_GET
def unit_photo(request, number: str, seq: int):
    """The photo taken at a unit's test, to whoever may see the batch (never a
    public URL)."""
    batch = selectors.batch_get(actor=request.user, number=number)
    unit = selectors.returned_unit_of(actor=request.user, batch=batch, seq=seq)
    if not unit.photo:
        raise NotFound(code="returns.photo_not_found")
    return inline_file(unit.photo)


UNIT_DONE = {
    "test": _("Unit %(seq)s (%(code)s): the test was recorded."),
    "dispose": _("Unit %(seq)s (%(code)s) was dealt with: %(disposition)s."),
    "delay": _("Unit %(seq)s (%(code)s) is marked delayed (IV.6)."),
}


def _unit_act(request, number: str, seq: int, action: str, form_for: Callable, call: Callable):
    """An action on one unit: the role (403), the batch and the unit (404), the form
    and the service. A refusal (400) or a conflict (409) answers the unit page with
    the message by its field; success redirects (PRG): after a test, back to the
    unit for its disposition; after a disposition, on to the next unit still to be
    dealt with (the batch page once there is none)."""
    user = request.user
    require(user, MOVES[action].permission)
    batch = selectors.batch_get(actor=user, number=number)
    unit = selectors.returned_unit_of(actor=user, batch=batch, seq=seq)
    unit.batch = batch
    form = form_for(user, unit)
    try:
        if not form.is_valid():
            raise ValidationFailed()
        unit = call(user, unit, form)
    except DomainError as exc:
        if exc.status not in (400, 409):
            raise
        apply_domain_error(form, exc)
        batch = selectors.batch_get(actor=user, number=number)
        unit = selectors.returned_unit_of(actor=user, batch=batch, seq=seq)
        context = _unit_context(
            request, batch, unit, bound={action: form}, error=exc, failed_action=action
        )
        return render_page(
            request, "returns/unit_detail.html", "unit-body", context, status=exc.status
        )
    params = {"seq": unit.seq, "code": unit.code}
    if action == "dispose":
        params["disposition"] = unit.get_disposition_display()
    messages.success(request, UNIT_DONE[action] % params)
    target = _unit_url(batch, unit.seq)
    if action == "dispose":
        todo = _neighbours(batch, unit)["todo_seq"]
        if todo is not None:
            target = _unit_url(batch, todo)
        else:
            target = reverse("returns:batch_detail", args=[batch.number])
    if is_htmx(request):
        response = HttpResponse("")
        response["HX-Redirect"] = target
        return response
    return redirect(target)


@login_required
@require_POST
def unit_test(request, number: str, seq: int):
    """The test of a unit (IV.P2): the result, the rule and evidence of an
    exclusion with its photo (multipart), the serial read off the unit."""

    def form_for(user, unit):
        models = catalog_selectors.product_model_list(actor=user)
        return UnitTestForm(request.POST, request.FILES, models=models, auto_id="test_%s")

    return _unit_act(
        request,
        number,
        seq,
        "test",
        form_for,
        lambda user, unit, form: services.unit_test(unit=unit, actor=user, **form.service_kwargs()),
    )


@login_required
@require_POST
def unit_dispose(request, number: str, seq: int):
    """What is done with a tested unit: repaired or replaced (II.3, II.4), returned
    as is or charged (IV.P2)."""

    def form_for(user, unit):
        return UnitDisposeForm(
            request.POST,
            open_dispositions=dispositions_open(unit.result),
            models=catalog_selectors.product_model_list(actor=user),
            auto_id="dispose_%s",
        )

    return _unit_act(
        request,
        number,
        seq,
        "dispose",
        form_for,
        lambda user, unit, form: services.unit_dispose(
            unit=unit, actor=user, **form.service_kwargs()
        ),
    )


@login_required
@require_POST
def unit_delay(request, number: str, seq: int):
    """IV.6: the unit goes back later, with the return unit's next order."""
    return _unit_act(
        request,
        number,
        seq,
        "delay",
        lambda user, unit: DelayForm(request.POST, auto_id="delay_%s"),
        lambda user, unit, form: services.unit_delay(
            unit=unit,
            actor=user,
            reason=form.cleaned_data.get("reason") or "",
            note=form.cleaned_data.get("note") or "",
        ),
    )


# --- The turnaround queue (IV.5) ----------------------------------------------------------


@login_required
@require_GET
def queue(request):
    """IV.5: the batches received and not yet sent back, soonest due first, with the
    working days left or overdue; batches on hold (no due date until their
    anomalies are resolved) last."""
    user = request.user
    require(user, "returns.receive")
    page = Paginator(selectors.turnaround_queue(actor=user), QUEUE_PER_PAGE).get_page(
        request.GET.get("page")
    )
    cal = workdays.calendar()
    today = timezone.localdate()
    rows = [
        {"batch": batch, "t": turnaround(batch, today, cal) if batch.due_on else None}
        for batch in page.object_list
    ]
    context = {
        "page": page,
        "rows": rows,
        "today": today,
        "overdue": sum(1 for r in rows if r["t"] and r["t"].overdue),
        "due_today": sum(1 for r in rows if r["t"] and r["t"].working_days_left == 0),
    }
    return render_page(request, "returns/queue.html", "queue-results", context)


# --- Shipments and their delivery lists (IV.7, IV.6) --------------------------------------


@login_required
@require_GET
def shipment_list(request):
    """Shipments: every one for the platform, a return unit's own for it."""
    user = request.user
    require(user, "returns.view")
    form = ShipmentFilterForm(
        request.GET, return_orgs=_return_orgs(user) if user.is_platform else None
    )
    shipments = selectors.shipment_list(actor=user, **form.filters()).order_by("-created_at", "-id")
    page = Paginator(shipments, SHIPMENTS_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "page": page,
        "show_return_org": user.is_platform,
        "can_create": can(user, "returns.receive"),
    }
    return render_page(request, "returns/shipment_list.html", "shipment-results", context)


def _create_context(request, return_org: str, form: ShipmentForm, **extra) -> dict:
    """The return units with units waiting, and those of the chosen one grouped by
    batch; delayed units (a backorder) are not ticked unless chosen (IV.6)."""
    user = request.user
    waiting = selectors.return_orgs_to_ship(actor=user)
    codes = [code for code, _count in waiting]
    names = {
        o.code: o.display_name
        for o in account_selectors.organisation_list(actor=user).filter(code__in=codes)
    }
    groups: list[dict] = []
    if return_org:
        chosen = form.chosen()
        for unit in selectors.units_to_ship(actor=user, return_org=return_org):
            if not groups or groups[-1]["batch"].pk != unit.batch_id:
                groups.append({"batch": unit.batch, "rows": []})
            checked = unit.pk in chosen if form.is_bound else not unit.delay_reason
            groups[-1]["rows"].append({"unit": unit, "checked": checked})
    context = {
        "orgs": [{"code": c, "name": names.get(c, ""), "count": n} for c, n in waiting],
        "return_org": return_org,
        "return_org_name": names.get(return_org, ""),
        "groups": groups,
        "has_backorder": any(r["unit"].delay_reason for g in groups for r in g["rows"]),
        "form": form,
        "error": None,
    }
    context.update(extra)
    return context


@login_required
@require_http_methods(["GET", "POST"])
def shipment_create(request):
    """Prepare a shipment: choose the return unit, tick the units to send back (a
    delayed unit goes with the return unit's order, IV.6), then the carrier; the
    delivery list is printed from the shipment's page (IV.7)."""
    user = request.user
    require(user, "returns.receive")
    if request.method == "GET":
        return_org = (request.GET.get("return_org") or "").strip()
        form = ShipmentForm(initial={"return_org_code": return_org})
        return render(
            request, "returns/shipment_create.html", _create_context(request, return_org, form)
        )
    form = ShipmentForm(request.POST)
    return_org = (request.POST.get("return_org_code") or "").strip()
    try:
        if not form.is_valid():
            raise ValidationFailed()
        shipment = services.shipment_create(actor=user, **form.service_kwargs())
    except DomainError as exc:
        if exc.status not in (400, 409):
            raise
        apply_domain_error(form, exc)
        context = _create_context(request, return_org, form, error=exc)
        return render(request, "returns/shipment_create.html", context, status=exc.status)
    messages.success(
        request,
        _("Shipment %(number)s was prepared: print its delivery list and pack against it.")
        % {"number": shipment.number},
    )
    return redirect("returns:shipment_detail", number=shipment.number)


def _shipment_context(request, shipment: Shipment, **extra) -> dict:
    user = request.user
    units = list(selectors.shipment_units(shipment))
    batches = list(selectors.shipment_batches(shipment))
    per_batch: dict[int, int] = defaultdict(int)
    for unit in units:
        per_batch[unit.batch_id] += 1
    manage = can(user, "returns.receive") and shipment.status == ShipmentStatus.PREPARED
    context = {
        "shipment": shipment,
        "units": units,
        "batches": [{"batch": b, "units": per_batch[b.pk]} for b in batches],
        "backorder": sum(1 for u in units if u.delay_reason),
        "charged_total": sum((u.charge_amount or 0) for u in units),
        "can_manage": manage,
        "dispatch_form": DispatchForm(
            initial={"waybill_no": shipment.waybill_no, "carrier": shipment.carrier}
        ),
        "show_people": user.is_platform,
        "error": None,
        "failed_action": None,
    }
    context.update(extra)
    return context


@login_required
@require_GET
def shipment_detail(request, number: str):
    shipment = selectors.shipment_get(actor=request.user, number=number)
    return render(request, "returns/shipment_detail.html", _shipment_context(request, shipment))


def _shipment_act(request, number: str, action: str, call: Callable, form=None):
    """dispatch / cancel: the role (403), the shipment (404), the service; a refusal
    or conflict answers the shipment page with it; success redirects to it."""
    user = request.user
    require(user, "returns.receive")
    shipment = selectors.shipment_get(actor=user, number=number)
    try:
        if form is not None and not form.is_valid():
            raise ValidationFailed()
        text = call(user, shipment, form)
    except DomainError as exc:
        if exc.status not in (400, 409):
            raise
        if form is not None:
            apply_domain_error(form, exc)
        shipment = selectors.shipment_get(actor=user, number=number)
        extra = {"error": exc, "failed_action": action}
        if form is not None:
            extra["dispatch_form"] = form
        context = _shipment_context(request, shipment, **extra)
        return render(request, "returns/shipment_detail.html", context, status=exc.status)
    messages.success(request, text)
    return redirect("returns:shipment_detail", number=shipment.number)


@login_required
@require_POST
def shipment_dispatch(request, number: str):
    """The shipment leaves with its waybill; each batch it completes is shipped on
    time or so many working days late (IV.5)."""

    def call(user, shipment, form):
        shipment = services.shipment_dispatch(
            shipment=shipment,
            actor=user,
            waybill_no=form.cleaned_data.get("waybill_no") or "",
            carrier=form.cleaned_data.get("carrier") or "",
        )
        return _("Shipment %(number)s left with waybill %(waybill)s.") % {
            "number": shipment.number,
            "waybill": shipment.waybill_no,
        }

    return _shipment_act(request, number, "dispatch", call, DispatchForm(request.POST))


@login_required
@require_POST
def shipment_cancel(request, number: str):
    def call(user, shipment, form):
        services.shipment_cancel(shipment=shipment, actor=user)
        return _("Shipment %(number)s was cancelled: its units may go in another.") % {
            "number": shipment.number
        }

    return _shipment_act(request, number, "cancel", call)
