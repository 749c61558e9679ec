"""The deliveries pages (V, VI): an agent's deliveries, the arrival with the
inspection of each box, the declaration of unpacking damage with its evidence
taken straight from the phone's camera, and the commissioner's decision. The
pages are built for a phone in a warehouse (390 px wide) as much as for a desk."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from sanbao.accounts.roles import can, require
from sanbao.core.uploads import inline_file
from sanbao.core.web import attempt, download_view, page_of
from sanbao.deliveries import policy, selectors
from sanbao.deliveries.models import Department, EvidenceKind, Outcome
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


@login_required
@require_GET
def delivery_list(request):
    """Deliveries: an agent's own, every one for the platform."""
    user = request.user
    require(user, "deliveries.view")
    rows = selectors.delivery_list(actor=user).order_by("-shipped_at", "-id")
    context = {
        "page": page_of(request, rows, PER_PAGE),
        "declarations": selectors.declaration_list(actor=user)[:20],
        "show_agent": user.is_platform,
    }
    return render(request, "deliveries/delivery_list.html", context)


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
        "outcomes": Outcome.choices,
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
    response = inline_file(evidence.file)
    response["Content-Disposition"] = response["Content-Disposition"].replace(
        "inline", "attachment"
    )
    return response


application_pdf = download_view(
    selectors.declaration_get,
    lambda declaration: registry.file("declaration_application_pdf", declaration),
)

credit_note_pdf = download_view(
    selectors.credit_note_get, lambda note: registry.file("credit_note_pdf", note)
)


@login_required
@require_GET
def declaration_list(request):
    user = request.user
    require(user, "deliveries.view")
    rows = selectors.declaration_list(actor=user).order_by("-opened_at", "-id")
    return render(
        request,
        "deliveries/declaration_list.html",
        {"page": page_of(request, rows, PER_PAGE), "can_decide": can(user, "declarations.decide")},
    )
