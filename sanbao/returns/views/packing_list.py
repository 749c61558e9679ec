"""The packing list of a new batch or a draft: the header, the lines (add a row,
refresh a row's accessories, import them from an XLSX file) and saving it. A
refusal marks the header and each line row by the field it names."""

from __future__ import annotations

import contextlib

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from sanbao.accounts.roles import require
from sanbao.catalog import selectors as catalog_selectors
from sanbao.core.errors import DomainError, ValidationFailed
from sanbao.core.web import attempt
from sanbao.returns import selectors, services
from sanbao.returns.errors import MESSAGES
from sanbao.returns.forms import (
    BatchHeaderForm,
    LineForm,
    LineFormSet,
    LinesImportForm,
)
from sanbao.returns.importing import lines_from_xlsx
from sanbao.returns.models import (
    ReturnBatch,
)
from sanbao.returns.states import MOVES
from sanbao.returns.views.batches import problems_by_line
from sanbao.returns.views.shared import refuse_move, return_orgs

NEW_BATCH_ROWS = 3
LINES_PREFIX = "lines"

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
    orgs = return_orgs(user) if batch is None and user.is_platform else None
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
    problems = problems_by_line(batch) if batch and request.method == "GET" else None
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

    def save():
        if batch is None:
            saved = services.batch_create(actor=user, lines=lines, **header.service_kwargs())
            return saved, _("Draft batch %(number)s was saved. Check it and submit it.")
        saved = services.batch_update(
            batch=batch, actor=user, lines=lines, **header.service_kwargs()
        )
        return saved, _("Draft batch %(number)s was saved.")

    # The refusal names lines ("lines.3.serial"): spread over the rows, not one form.
    done = attempt(save)
    if not done.ok:
        return None, done.error, _apply_line_errors(done.error, header, kept)
    batch, text = done.result
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
        raise refuse_move(batch, "edit")
    return _edit_page(request, batch)
