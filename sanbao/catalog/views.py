"""Catalog pages: categories, product models, the unit registry and its import.

Views stay thin: selectors and services check the actor's role and tenancy and
raise domain errors, which DomainErrorMiddleware turns into 403/404 pages.
htmx requests get a fragment of the same template (a ``{% partialdef %}``).
"""

from __future__ import annotations

import csv

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods

from sanbao.accounts.roles import Role, can, require
from sanbao.catalog import documents, selectors, services
from sanbao.catalog.forms import (
    ModelFilterForm,
    ReplacementCheckForm,
    UnitFilterForm,
    UnitImportForm,
    UnitLookupForm,
)
from sanbao.catalog.importing import COLUMNS
from sanbao.catalog.models import ProductModel
from sanbao.catalog.panels import unit_panels
from sanbao.catalog.policy import (
    SPEC_FIELDS,
    ModelSpecs,
    is_not_lower,
    region_in_scope,
    warranty_last_day,
)
from sanbao.core.errors import NotFound
from sanbao.core.forms import SortForm
from sanbao.core.web import attempt, is_htmx, list_export_view, page_of, render_page

UNITS_PER_PAGE = 50
IMPORT_ERRORS_SHOWN = 500  # a 200 000-row file can have as many errors; the page shows the first

VERDICT_MESSAGES = {
    "same_model": _("The same model can always replace it."),
    "not_lower": _("Yes: every specification this model states is matched or exceeded."),
    "other_category": _("No: the replacement must be of the same category."),
    "lower_spec": _("No: some specifications are lower than this model's."),
    "no_specs": _(
        "Not without a manager's decision: this model has no specifications recorded, "
        "so only the same model is not lower."
    ),
}

IMPORT_TEMPLATE_ROWS = (
    ("SB20K2403150001", "PB20K", "2024-03-15", "mainland", "yes", "AG-SZ01", "WC-0001", "L2403-A"),
    ("SB10K2404020002", "PB10K", "2024-04-02", "mainland", "no", "", "", ""),
)


# --- Categories and models ------------------------------------------------------------


def _category_list(request):
    form = SortForm(request.GET, sorting=selectors.CATEGORY_SORTS)
    return form, selectors.category_list(actor=request.user, **form.filters())


def category_rows(request):
    """The categories the list page lists."""
    return _category_list(request)[1]


category_list_xlsx = list_export_view(category_rows, documents.CATEGORIES)


@login_required
@require_GET
def category_list(request):
    form, categories = _category_list(request)
    context = {"form": form, "categories": categories}
    return render_page(request, "catalog/category_list.html", "category-results", context)


def _model_list(request):
    categories = list(selectors.category_list(actor=request.user))
    form = ModelFilterForm(request.GET, categories=categories)
    filters = form.filters()
    models = selectors.product_model_list(
        actor=request.user,
        category=filters.get("category"),
        q=(filters.get("q") or "").strip() or None,
        sort=filters.get("sort"),
    )
    return form, models


def model_rows(request):
    """The models the list page lists for this request's filters."""
    return _model_list(request)[1]


model_list_xlsx = list_export_view(model_rows, documents.MODELS)


@login_required
@require_GET
def model_list(request):
    form, models = _model_list(request)
    return render_page(
        request,
        "catalog/model_list.html",
        "model-results",
        {
            "form": form,
            "models": models,
            "filtered": any(v for k, v in form.cleaned_data.items() if k != "sort"),
        },
    )


def _spec_rows(model: ProductModel) -> list[dict]:
    return [
        {
            "name": name,
            "label": ProductModel._meta.get_field(name).verbose_name,
            "value": getattr(model, name),
        }
        for name in SPEC_FIELDS
    ]


def _replacement_check(request, original: ProductModel) -> tuple[ReplacementCheckForm, dict | None]:
    """II.3: may the chosen model replace ``original``? The verdict and the
    specifications that fall short, for the check box on the model page."""
    candidates = [
        m for m in selectors.product_model_list(actor=request.user) if m.pk != original.pk
    ]
    bound = "candidate" in request.GET
    form = ReplacementCheckForm(request.GET if bound else None, models=candidates)
    if not bound or not form.is_valid():
        return form, None
    other = selectors.product_model_get(actor=request.user, code=form.cleaned_data["candidate"])
    verdict = is_not_lower(ModelSpecs.of(original), ModelSpecs.of(other))
    shortfalls = [
        {
            "label": ProductModel._meta.get_field(name).verbose_name,
            "original": getattr(original, name),
            "candidate": getattr(other, name),
        }
        for name in verdict.shortfalls
    ]
    return form, {
        "ok": verdict.ok,
        "reason": verdict.reason,
        "message": VERDICT_MESSAGES[verdict.reason],
        "candidate": other,
        "shortfalls": shortfalls,
    }


@login_required
@require_GET
def model_detail(request, code: str):
    model = selectors.product_model_get(actor=request.user, code=code)
    form, verdict = _replacement_check(request, model)
    context = {
        "model": model,
        "category": model.category,
        "specs": _spec_rows(model),
        "check_form": form,
        "verdict": verdict,
    }
    return render(request, "catalog/model_detail.html", context)


@login_required
@require_GET
def model_replacement_check(request, code: str):
    """The verdict fragment of the model page (htmx); the page itself answers
    the same form without JavaScript."""
    model = selectors.product_model_get(actor=request.user, code=code)
    form, verdict = _replacement_check(request, model)
    status = 400 if form.is_bound and form.errors else 200
    context = {"model": model, "check_form": form, "verdict": verdict}
    response = render(
        request, "catalog/model_detail.html#replacement-verdict", context, status=status
    )
    patch_vary_headers(response, ["HX-Request"])
    return response


# --- Units ---------------------------------------------------------------------------


def _unit_list(request):
    form = UnitFilterForm(
        request.GET,
        categories=selectors.category_list(actor=request.user),
        models=selectors.product_model_list(actor=request.user),
        channel_filter=request.user.is_platform,
    )
    return form, selectors.unit_list(actor=request.user, **form.filters())


def unit_rows(request):
    """The units the registry's page lists for this request's filters; none for a
    service outlet, whose page only looks a serial up."""
    require(request.user, "units.view")
    units = _unit_list(request)[1]
    return units.none() if request.user.role == Role.OUTLET_TECHNICIAN else units


unit_list_xlsx = list_export_view(unit_rows, documents.UNITS)


@login_required
@require_GET
def unit_list(request):
    """The registry with filters; an exact-serial lookup box on top. Service
    outlets list nothing by design (their units are the consumers'): they only
    get the lookup box."""
    lookup_form = UnitLookupForm(request.GET if "lookup" in request.GET else None)
    status = 200
    if lookup_form.is_bound and lookup_form.is_valid():
        serial = lookup_form.cleaned_data["lookup"].strip()
        try:
            unit = selectors.unit_get(actor=request.user, serial=serial)
        except NotFound:
            lookup_form.add_error(
                "lookup",
                _("No unit with the serial number “%(serial)s” is visible to you.")
                % {"serial": serial},
            )
            status = 404
        else:
            return redirect("catalog:unit_detail", serial=unit.serial)

    context = {"lookup_form": lookup_form, "browse": request.user.role != Role.OUTLET_TECHNICIAN}
    if context["browse"]:
        form, units = _unit_list(request)
        context.update(
            {
                "form": form,
                "page": page_of(request, units, UNITS_PER_PAGE),
                "show_channel": request.user.is_platform,
                "can_import": can(request.user, "units.import"),
            }
        )
    else:
        require(request.user, "units.view")
    return render_page(request, "catalog/unit_list.html", "unit-results", context, status=status)


@login_required
@require_GET
def unit_detail(request, serial: str):
    unit = selectors.unit_get(actor=request.user, serial=serial)
    category = unit.model.category
    last_day = warranty_last_day(unit.sale_date, category.warranty_months)
    context = {
        "unit": unit,
        "model": unit.model,
        "category": category,
        "in_scope": region_in_scope(unit.region),
        "warranty_last_day": last_day,
        "in_warranty": last_day is not None and timezone.localdate() <= last_day,
        # What other apps show about the unit (its claims...): see catalog.panels.
        "panels": unit_panels(request, unit),
    }
    return render(request, "catalog/unit_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def unit_import(request):
    """Upload a CSV/XLSX of sold units and show the import report. A refused
    import (bad rows under all-or-nothing, or an unreadable file) answers 400."""
    require(request.user, "units.import")
    report = None
    if request.method == "POST":
        form = UnitImportForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            # An import only refuses (400): an unreadable file, or bad rows under all-or-nothing.
            report = attempt(
                lambda: services.unit_import(
                    actor=request.user,
                    data=upload.read(),
                    filename=upload.name or "upload",
                    mode=form.cleaned_data["mode"],
                ),
                form=form,
                refusals=(400,),
            ).result
    else:
        form = UnitImportForm()
    rejected = report is not None and bool(report.errors) and not report.written
    status = 400 if form.errors or rejected else 200
    context = {
        "form": form,
        "report": report,
        "rejected": rejected,
        "errors_shown": report.errors[:IMPORT_ERRORS_SHOWN] if report else [],
        "columns": COLUMNS,
        "is_htmx": is_htmx(request),
    }
    return render_page(request, "catalog/unit_import.html", "import-result", context, status=status)


@login_required
@require_GET
def unit_import_template(request):
    """A CSV with the expected header and two example rows."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="sanbao-units-template.csv"'
    writer = csv.writer(response, lineterminator="\n")
    writer.writerow(COLUMNS)
    writer.writerows(IMPORT_TEMPLATE_ROWS)
    return response
