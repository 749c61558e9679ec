"""The deliveries pages (V, VI): an agent's deliveries, the arrival with the
inspection of each box, the declaration of unpacking damage with its evidence
taken straight from the phone's camera, and the commissioner's decision; for the
platform, entering a delivery and importing deliveries from the shipping system's
file. The pages are built for a phone in a warehouse (390 px wide) as much as for
a desk."""

from __future__ import annotations

import csv
import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from sanbao.accounts import selectors as account_selectors
from sanbao.accounts.roles import OrgKind, can, require
from sanbao.catalog import selectors as catalog_selectors
from sanbao.core.forms import SortForm
from sanbao.core.uploads import attached_file
from sanbao.core.web import (
    attempt,
    download_view,
    is_htmx,
    list_export_view,
    page_of,
    render_page,
)
from sanbao.deliveries import documents, importing, policy, selectors
from sanbao.deliveries.errors import ERRORS
from sanbao.deliveries.forms import (
    BOX_ROWS,
    BOXES_PREFIX,
    ITEM_ROWS,
    ITEMS_PREFIX,
    BoxFormSet,
    DeclarationFilterForm,
    DeliveryForm,
    DeliveryImportForm,
    ItemFormSet,
)
from sanbao.deliveries.models import DeclarationOutcome, Department, EvidenceKind
from sanbao.deliveries.services import declarations, deliveries
from sanbao.deliveries.states import DECLARATION, DELIVERY
from sanbao.documents import registry

PER_PAGE = 50


def _moment(value: str) -> dt.datetime | None:
    """A ``datetime-local`` value, read in the active time zone (the user's own,
    ``accounts.middleware``); None if unreadable."""
    try:
        parsed = dt.datetime.fromisoformat((value or "").strip())
    except ValueError:
        return None
    return parsed if timezone.is_aware(parsed) else timezone.make_aware(parsed)


def _yes_no(value: str) -> bool | None:
    return {"yes": True, "no": False}.get(value)


def _prefixed(error, prefix: str) -> list[str]:
    """The messages of ``error`` filed under fields starting with ``prefix``."""
    if error is None:
        return []
    return [
        m for name, msgs in error.field_messages().items() if name.startswith(prefix) for m in msgs
    ]


def delivery_rows(request):
    """The deliveries the list page lists, every page of them."""
    return _delivery_list(request)[1]


def _delivery_list(request):
    require(request.user, "deliveries.view")
    form = SortForm(request.GET, sorting=selectors.DELIVERY_SORTS)
    return form, selectors.delivery_list(actor=request.user, **form.filters())


delivery_list_xlsx = list_export_view(delivery_rows, documents.DELIVERIES)


@login_required
@require_GET
def delivery_list(request):
    """Deliveries: an agent's own, every one for the platform."""
    user = request.user
    form, deliveries = _delivery_list(request)
    context = {
        "form": form,
        "page": page_of(request, deliveries, PER_PAGE),
        "declarations": selectors.declaration_list(actor=user)[:20],
        "show_agent": user.is_platform,
        "can_enter": can(user, "deliveries.manage"),
    }
    return render_page(request, "deliveries/delivery_list.html", "delivery-results", context)


BOX_ANSWERS = (
    "labels_intact",
    "outside_undamaged",
    "courier_labels_intact",
    "courier_box_undamaged",
)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def delivery_detail(request, number: str):
    """A delivery; while it is on its way, the arrival form: the time received, the
    courier's annotation and, per box, labels (VI.1), outside (VI.2: a damaged box
    is opened and inspected) and the actual weight (VI.3)."""
    user = request.user
    delivery = selectors.delivery_get(actor=user, number=number)
    boxes = list(delivery.boxes.all())
    error = None
    posted = request.POST
    if request.method == "POST":
        DELIVERY.authorise(user, "arrive")
        data = [
            {
                "box_no": box.box_no,
                **{name: _yes_no(posted.get(f"b{box.box_no}-{name}")) for name in BOX_ANSWERS},
                "opened_inspected": posted.get(f"b{box.box_no}-opened_inspected") == "on",
                "inside_note": posted.get(f"b{box.box_no}-inside_note", ""),
                "actual_weight_g": posted.get(f"b{box.box_no}-actual_weight_g", ""),
            }
            for box in boxes
        ]
        done = attempt(
            lambda: deliveries.arrival_record(
                actor=user,
                delivery=delivery,
                received_at=_moment(posted.get("received_at", "")),
                courier_name=posted.get("courier_name", ""),
                courier_work_no=posted.get("courier_work_no", ""),
                courier_phone=posted.get("courier_phone", ""),
                boxes=data,
            )
        )
        if done.ok:
            messages.success(
                request, _("The arrival of %(number)s is recorded.") % {"number": delivery.number}
            )
            return redirect(reverse("deliveries:delivery_detail", args=[delivery.number]))
        error = done.error
    actions = DELIVERY.allowed_actions(delivery, user)
    closes = policy.window_closes(delivery.received_at) if delivery.received_at else None
    context = {
        "delivery": delivery,
        "boxes": [
            {
                "box": box,
                "index": index,
                "errors": _prefixed(error, f"boxes.{index}."),
                "posted": {
                    name: posted.get(f"b{box.box_no}-{name}", "")
                    for name in (*BOX_ANSWERS, "opened_inspected", "inside_note", "actual_weight_g")
                },
            }
            for index, box in enumerate(boxes)
        ],
        "items": list(delivery.items.all()),
        "error": error,
        "field_errors": error.field_messages() if error else {},
        "posted": posted,
        "can_arrive": "arrive" in actions,
        "can_declare": "declare" in actions and closes is not None and timezone.now() <= closes,
        "window_closes": closes,
        "declarations": selectors.declaration_list(actor=user).filter(delivery=delivery),
        "yes_no": (("yes", _("Yes")), ("no", _("No"))),
    }
    status = error.status if error else 200
    return render(request, "deliveries/delivery_detail.html", context, status=status)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def declaration_create(request, number: str):
    """V.1: declare damage found on unpacking: how many of each product, and what
    was found. Refused once the window after receipt has closed."""
    user = request.user
    DELIVERY.authorise(user, "declare")
    delivery = selectors.delivery_get(actor=user, number=number)
    models = {}
    for item in delivery.items.all():
        models.setdefault(item.model.code, {"model": item.model, "delivered": 0})
        models[item.model.code]["delivered"] += item.quantity
    error = None
    if request.method == "POST":
        lines = []
        for code in models:
            raw = (request.POST.get(f"qty-{code}") or "").strip()
            if raw and raw != "0":
                lines.append(
                    {"model_code": code, "quantity": int(raw) if raw.isdecimal() else None}
                )
        done = attempt(
            lambda: declarations.declaration_open(
                actor=user,
                delivery=delivery,
                description=request.POST.get("description", ""),
                lines=lines,
            )
        )
        if done.ok:
            return redirect(reverse("deliveries:declaration_detail", args=[done.result.number]))
        error = done.error
    context = {
        "delivery": delivery,
        "models": list(models.values()),
        "error": error,
        "field_errors": error.field_messages() if error else {},
        "posted": request.POST,
        "window_closes": policy.window_closes(delivery.received_at)
        if delivery.received_at
        else None,
    }
    return render(
        request,
        "deliveries/declaration_create.html",
        context,
        status=error.status if error else 200,
    )


def _declaration_page(request, declaration, *, error=None, status: int = 200):
    user = request.user
    present = {}
    for evidence in declaration.evidence.all():
        present.setdefault(evidence.kind, []).append(evidence)
    actions = DECLARATION.allowed_actions(declaration, user)
    context = {
        "declaration": declaration,
        "delivery": declaration.delivery,
        "boxes": list(declaration.delivery.boxes.all()),
        "lines": list(declaration.lines.all()),
        "kinds": [
            {"value": value, "label": label, "files": present.get(value, [])}
            for value, label in EvidenceKind.choices
        ],
        "missing": declarations.missing_evidence(declaration),
        "window_closes": policy.window_closes(declaration.delivery.received_at),
        "credit_note": getattr(declaration, "credit_note", None),
        "can_upload": "upload" in actions,
        "can_submit": "submit" in actions,
        "can_decide": "decide" in actions,
        "departments": Department.choices,
        "outcomes": DeclarationOutcome.choices,
        "error": error,
        "field_errors": error.field_messages() if error else {},
    }
    return render(request, "deliveries/declaration_detail.html", context, status=status)


@never_cache
@login_required
@require_GET
def declaration_detail(request, number: str):
    """A declaration: the evidence beside the inspection and the courier's
    annotation (and the weight gap); upload and submit for the agent, the decision
    for the commissioner."""
    declaration = selectors.declaration_get(actor=request.user, number=number)
    return _declaration_page(request, declaration)


def _declaration_action(request, number: str, action: str, call):
    DECLARATION.authorise(request.user, action)
    declaration = selectors.declaration_get(actor=request.user, number=number)
    done = attempt(lambda: call(declaration))
    if done.ok:
        return redirect(reverse("deliveries:declaration_detail", args=[declaration.number]))
    declaration = selectors.declaration_get(actor=request.user, number=number)
    return _declaration_page(request, declaration, error=done.error, status=done.status)


@login_required
@require_POST
def declaration_upload(request, number: str):
    """V.2: one or more files of one kind, taken with the phone's camera or chosen."""
    kind = request.POST.get("kind", "")
    files = request.FILES.getlist("file")

    def upload(declaration):
        if not files:
            declarations.evidence_upload(
                actor=request.user, declaration=declaration, kind=kind, upload=None
            )
        for file in files:
            declarations.evidence_upload(
                actor=request.user, declaration=declaration, kind=kind, upload=file
            )

    return _declaration_action(request, number, "upload", upload)


@login_required
@require_POST
def declaration_submit(request, number: str):
    return _declaration_action(
        request,
        number,
        "submit",
        lambda d: declarations.declaration_submit(
            actor=request.user, declaration=d, department=request.POST.get("department", "")
        ),
    )


@login_required
@require_POST
def declaration_decide(request, number: str):
    post = request.POST
    accept = post.get("decision") == "accept"

    def decide(declaration):
        settled = {}
        for line in declaration.lines.all():
            raw = (post.get(f"settled-{line.model.code}") or "").strip()
            settled[line.model.code] = int(raw) if raw.isdecimal() else -1
        return declarations.declaration_decide(
            actor=request.user,
            declaration=declaration,
            accept=accept,
            outcome=post.get("outcome", "") if accept else "",
            settled=settled if accept else None,
            reason=post.get("reason", ""),
        )

    return _declaration_action(request, number, "decide", decide)


@never_cache
@login_required
@require_GET
def evidence_file(request, number: str, pk: int):
    """One uploaded file, saved (never shown), to those who may see its
    declaration; 404 to anyone else."""
    evidence = selectors.evidence_get(actor=request.user, number=number, pk=pk)
    return attached_file(evidence.file)


application_pdf = download_view(
    selectors.declaration_get,
    lambda declaration: registry.file("declaration_application_pdf", declaration),
)

credit_note_pdf = download_view(
    selectors.credit_note_get, lambda note: registry.file("credit_note_pdf", note)
)


def declaration_rows(request, form=None):
    """The declarations the list page lists for this request's filters, every page
    of them."""
    require(request.user, "deliveries.view")
    form = form or DeclarationFilterForm(request.GET)
    return selectors.declaration_list(actor=request.user, **form.filters())


declaration_list_xlsx = list_export_view(declaration_rows, documents.DECLARATIONS)


@login_required
@require_GET
def declaration_list(request):
    user = request.user
    form = DeclarationFilterForm(request.GET)
    context = {
        "form": form,
        "page": page_of(request, declaration_rows(request, form), PER_PAGE),
        "can_decide": can(user, "declarations.decide"),
    }
    return render_page(request, "deliveries/declaration_list.html", "declaration-results", context)


# --- Entering a delivery (the platform) --------------------------------------------------

ROW_BUTTONS = {"add_box": BOXES_PREFIX, "add_item": ITEMS_PREFIX}


def _entry_choices(user) -> tuple[list, list]:
    """The agents and enterprises a delivery may go to, and the product models."""
    agents = (
        account_selectors.organisation_list(actor=user)
        .filter(kind__in=[OrgKind.AGENT, OrgKind.ENTERPRISE], is_active=True)
        .order_by("code")
    )
    models = catalog_selectors.product_model_list(actor=user).order_by("code")
    return list(agents), list(models)


def _with_a_row(data, prefix: str) -> None:
    """One more blank row of ``prefix`` ("add a row"): a box numbered next, or a
    product in box 1. Never past the formset's limit."""
    total = f"{prefix}-TOTAL_FORMS"
    raw = data.get(total, "0")
    count = int(raw) if raw.isdecimal() else 0
    if count >= (BoxFormSet.absolute_max if prefix == BOXES_PREFIX else ItemFormSet.absolute_max):
        return
    data[total] = str(count + 1)
    data[f"{prefix}-{count}-box_no"] = str(count + 1) if prefix == BOXES_PREFIX else "1"


def _box_key(value: str) -> str:
    return str(int(value)) if value.isdecimal() else value


def _rows(boxes, items) -> tuple[list, list]:
    """The rows that are part of the delivery, in order: a product row with a model
    or a quantity; a box row with an expected weight, or whose number a product row
    names. Each is given its place in the service's lists (``service_index``), the
    index the service's field names use."""
    boxes.is_valid()
    items.is_valid()
    item_rows = [
        form for form in items.forms if form.values()["model_code"] or form.values()["quantity"]
    ]
    named = {_box_key(form.values()["box_no"] or "1") for form in item_rows}
    box_rows = [
        form
        for form in boxes.forms
        if form.values()["expected_weight_g"] or _box_key(form.values()["box_no"]) in named
    ]
    for rows in (box_rows, item_rows):
        for index, form in enumerate(rows):
            form.service_index = index
    return box_rows, item_rows


def _spread(error, header, rows: dict[str, list]) -> dict[str, list[str]]:
    """Each message of a refusal by its field: the header's, a row's
    (``boxes.0.expected_weight_g``); those about a list as a whole (``boxes``,
    ``items``) or no field are returned by section (None: above the form)."""
    loose: dict = {BOXES_PREFIX: [], ITEMS_PREFIX: [], None: []}
    for name, texts in error.field_messages().items():
        parts = name.split(".")
        kept = rows.get(parts[0])
        if kept is not None and len(parts) == 3 and parts[1].isdecimal():
            index = int(parts[1])
            if index < len(kept) and parts[2] in kept[index].fields:
                for text in texts:
                    kept[index].add_error(parts[2], text)
                continue
        if name in header.fields:
            for text in texts:
                header.add_error(name, text)
            continue
        loose[parts[0] if parts[0] in loose else None].extend(texts)
    return loose


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def delivery_create(request):
    """Enter a delivery to an agent: the note, carrier and waybill, when it left,
    the boxes with their expected weights and the products in each box. The
    service checks every field at once; its messages are shown by the field, and
    nothing is saved until all are right."""
    user = request.user
    require(user, "deliveries.manage")
    agents, models = _entry_choices(user)
    error, loose, status = None, {}, 200
    if request.method == "GET":
        now = timezone.localtime().strftime("%Y-%m-%dT%H:%M")
        header = DeliveryForm(initial={"shipped_at": now}, agents=agents)
        boxes = BoxFormSet(
            initial=[{"box_no": str(n)} for n in range(1, BOX_ROWS + 1)], prefix=BOXES_PREFIX
        )
        items = ItemFormSet(
            initial=[{"box_no": "1"} for _n in range(ITEM_ROWS)],
            prefix=ITEMS_PREFIX,
            form_kwargs={"models": models},
        )
    else:
        data = request.POST.copy()
        adding = [prefix for button, prefix in ROW_BUTTONS.items() if button in data]
        for prefix in adding:
            _with_a_row(data, prefix)
        header = DeliveryForm(data, agents=agents)
        boxes = BoxFormSet(data, prefix=BOXES_PREFIX)
        items = ItemFormSet(data, prefix=ITEMS_PREFIX, form_kwargs={"models": models})
        if not adding:
            box_rows, item_rows = _rows(boxes, items)
            texts = header.texts()
            done = attempt(
                lambda: deliveries.delivery_create(
                    actor=user,
                    agent_code=texts["agent_code"],
                    note_no=texts["note_no"],
                    carrier=texts["carrier"],
                    waybill_no=texts["waybill_no"],
                    shipped_at=_moment(texts["shipped_at"]),
                    boxes=[form.values() for form in box_rows],
                    items=[form.values() for form in item_rows],
                )
            )
            if done.ok:
                messages.success(
                    request,
                    _("Delivery %(number)s was entered.") % {"number": done.result.number},
                )
                return redirect(reverse("deliveries:delivery_detail", args=[done.result.number]))
            error, status = done.error, done.status
            loose = _spread(error, header, {BOXES_PREFIX: box_rows, ITEMS_PREFIX: item_rows})
    context = {
        "header": header,
        "boxes": boxes,
        "items": items,
        "error": error,
        "form_errors": loose.get(None, []),
        "box_errors": loose.get(BOXES_PREFIX, []),
        "item_errors": loose.get(ITEMS_PREFIX, []),
        "is_htmx": is_htmx(request),
    }
    return render(request, "deliveries/delivery_create.html", context, status=status)


# --- Importing deliveries (the shipping system's file) -----------------------------------

IMPORT_ERRORS_SHOWN = 500
IMPORT_TEMPLATE_NOTE = ("DN-2026-0001", "AG-SZ01", "SF Express", "SF1234567890")
IMPORT_TEMPLATE_ROWS = (
    (*IMPORT_TEMPLATE_NOTE, "2026-09-01 08:00", 1, 5000, "PB10K", 6),
    (*IMPORT_TEMPLATE_NOTE, "2026-09-01 08:00", 2, 3000, "PB10K", 4),
)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def delivery_import(request):
    """Upload the shipping system's CSV or XLSX file. All or nothing: a file with any
    bad row (or one that cannot be read) creates nothing and answers 400 with every
    bad row; otherwise the deliveries made are listed."""
    user = request.user
    require(user, "deliveries.manage")
    result = None
    if request.method == "POST":
        form = DeliveryImportForm(request.POST, request.FILES)
        result = attempt(
            lambda: deliveries.delivery_import(
                actor=user,
                data=form.cleaned_data["file"].read(),
                filename=form.cleaned_data["file"].name or "upload",
            ),
            form=form,
            refusals=(400,),
        ).result
    else:
        form = DeliveryImportForm()
    rejected = result is not None and bool(result.errors)
    context = {
        "form": form,
        "result": result,
        "rejected": rejected,
        "errors_shown": result.errors[:IMPORT_ERRORS_SHOWN] if result else [],
        "refusal": ERRORS.message("deliveries.import_rejected", bad_rows=result.bad_rows)
        if rejected
        else "",
        "columns": importing.COLUMNS,
    }
    status = 400 if form.errors or rejected else 200
    return render_page(
        request, "deliveries/delivery_import.html", "import-result", context, status=status
    )


@login_required
@require_GET
def delivery_import_template(request):
    """A CSV with the header the importer reads and one delivery of two boxes."""
    require(request.user, "deliveries.manage")
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="sanbao-deliveries-template.csv"'
    writer = csv.writer(response, lineterminator="\n")
    writer.writerow(importing.COLUMNS)
    writer.writerows(IMPORT_TEMPLATE_ROWS)
    return response
