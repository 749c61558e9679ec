from __future__ import annotations

from typing import Literal

from django.utils.translation import gettext as _
from ninja import File, Form, Query, Router, UploadedFile

from sanbao.catalog import documents, selectors, services
from sanbao.catalog.policy import ModelSpecs, is_not_lower
from sanbao.catalog.schemas import (
    CategoryOut,
    ImportRejectedOut,
    ImportReportOut,
    ModelFilters,
    NotLowerOut,
    ProductModelOut,
    UnitFilters,
    UnitOut,
)
from sanbao.core.api import (
    COMMON_ERRORS,
    WRITE_ERRORS,
    ErrorOut,
    Page,
    file_rejected,
    list_export_route,
    paginate_filtered,
)

router = Router(tags=["catalog"])


@router.get("/categories", response={200: list[CategoryOut], **COMMON_ERRORS})
def list_categories(request):
    return selectors.category_list(actor=request.auth)


@router.get("/categories/{code}", response={200: CategoryOut, **COMMON_ERRORS})
def get_category(request, code: str):
    return selectors.category_get(actor=request.auth, code=code)


@router.get("/models", response={200: list[ProductModelOut], **COMMON_ERRORS})
def list_product_models(request, filters: Query[ModelFilters]):
    return selectors.product_model_list(
        actor=request.auth, category=filters.category, q=filters.q, sort=filters.sort
    )


@router.get("/models/{code}", response={200: ProductModelOut, **COMMON_ERRORS})
def get_product_model(request, code: str):
    return selectors.product_model_get(actor=request.auth, code=code)


@router.get("/models/{code}/not-lower/{candidate}", response={200: NotLowerOut, **COMMON_ERRORS})
def check_not_lower(request, code: str, candidate: str):
    """II.3: may ``candidate`` replace a unit of model ``code``?"""
    original = selectors.product_model_get(actor=request.auth, code=code)
    other = selectors.product_model_get(actor=request.auth, code=candidate)
    verdict = is_not_lower(ModelSpecs.of(original), ModelSpecs.of(other))
    return {
        "original": original.code,
        "candidate": other.code,
        "ok": verdict.ok,
        "reason": verdict.reason,
        "shortfalls": list(verdict.shortfalls),
    }


@router.get("/units", response={200: Page[UnitOut], **COMMON_ERRORS})
def list_units(request, filters: Query[UnitFilters]):
    return paginate_filtered(selectors.unit_list, request, filters)


# Before /units/{serial}: the export's path would otherwise read as a serial.
list_export_route(
    router,
    "/units/export.xlsx",
    "export_units",
    filters=UnitFilters,
    select=selectors.unit_list,
    export=documents.UNITS,
    description="The units matching the filters, as the unit registry's page lists them",
)


@router.post(
    "/unit-imports",
    # The rejection of a bad file, with its per-row report, is the 400.
    response={200: ImportReportOut, **WRITE_ERRORS, 400: ImportRejectedOut},
)
def import_units(
    request,
    file: File[UploadedFile],
    mode: Form[Literal["all_or_nothing", "valid_only"]] = "all_or_nothing",
):
    """Register units from a CSV or XLSX file. With ``all_or_nothing`` (default) a
    file with any bad row writes nothing and answers 400 with the per-row report;
    with ``valid_only`` the good rows are written and the bad ones reported."""
    report = services.unit_import(
        actor=request.auth, data=file.read(), filename=file.name or "upload", mode=mode
    )
    if report.errors and not report.written:
        message = _("%(bad)s of %(total)s rows are not valid; nothing was imported.") % {
            "bad": report.bad_rows,
            "total": report.total_rows,
        }
        return file_rejected(
            "catalog.import_rejected", message, report.bad_rows, report=report.as_dict()
        )
    return report.as_dict()


@router.get("/units/{path:serial}", response={200: UnitOut, **COMMON_ERRORS})
def get_unit(request, serial: str):
    return selectors.unit_get(actor=request.auth, serial=serial)


__all__ = ["ErrorOut"]
