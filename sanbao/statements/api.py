"""The statements API (IV.8): a return unit's reconciliation statement for a
period as JSON, and the same statement as a workbook and a PDF. A return unit
gets its own only (another's is a 404); platform staff name the return unit."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Query, Router, Schema

from sanbao.core.api import COMMON_ERRORS, ErrorOut, download_route
from sanbao.core.web import PDF, XLSX
from sanbao.documents import registry
from sanbao.statements.statement import statement_for

router = Router(tags=["statements"])

ERRORS_OUT = {400: ErrorOut, **COMMON_ERRORS}


class StatementFilters(Schema):
    organisation: str | None = None
    start: str | None = None
    end: str | None = None


class StatementOrganisationOut(Schema):
    code: str
    name_zh: str
    name_en: str


class TotalOut(Schema):
    label: str
    value: Any


class SectionOut(Schema):
    key: str
    title: str
    headers: list[str]
    rows: list[list[Any]]
    totals: list[TotalOut]


class StatementOut(Schema):
    kind: str
    title: str
    organisation: StatementOrganisationOut
    start: dt.date
    end: dt.date
    sections: list[SectionOut]


@router.get("/statements", response={200: StatementOut, **ERRORS_OUT})
def get_statement(request, filters: Query[StatementFilters]):
    """The reconciliation statement of a return unit (``organisation``: its code;
    a return unit's own whatever is named) for the days ``start`` to ``end``
    (YYYY-MM-DD; by default last calendar month), within the retention window:
    batches with units declared and received, units dealt with and their charges,
    delays, shipments, deliveries and declarations, each with its totals. Amounts
    are strings in yuan, times local (Asia/Shanghai)."""
    return statement_for(actor=request.auth, **filters.dict()).as_json()


def _statement(request, number: str):
    """The statement of the return unit coded ``number`` for ``?start=&end=``."""
    return statement_for(
        actor=request.auth,
        organisation=number,
        start=request.GET.get("start"),
        end=request.GET.get("end"),
    )


for _path, _name, _media, _what, _paper in (
    ("statement.xlsx", "export_statement_xlsx", XLSX, "as a workbook", "statement_xlsx"),
    ("statement.pdf", "get_statement_pdf", PDF, "as a PDF in both languages", "statement_pdf"),
):
    download_route(
        router,
        f"/statements/{{number}}/{_path}",
        _name,
        _media,
        f"The reconciliation statement of the return unit coded `number`, {_what}; "
        "the period is `?start=&end=` (YYYY-MM-DD), by default last calendar month",
        fetch=_statement,
        file_of=lambda statement, paper=_paper: registry.file(f"statements.{paper}", statement),
        errors=ERRORS_OUT,
    )
