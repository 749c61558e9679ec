"""Shared API pieces: the error envelope schema, pagination, binary answers, the
moves of a record and the downloads of its papers. (The authentication classes
know users, so they live in ``accounts.auth``.)

Every operation is a selector, a service and a return. A move first asks for the
permission it needs (the app's ``states.py``), so a role that may never make it
is told 403 whichever record it names; the record is then looked up in the
caller's scope (404 outside it) and the service checks the state and the policy.
A domain error becomes the error envelope (``config.api``). The operation id of
every operation is the name of its view function (``config.api.SanbaoAPI``).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated, Any, Generic, TypeVar

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from pydantic import AfterValidator, BeforeValidator, ValidationInfo, WithJsonSchema, create_model
from pydantic_core import PydanticCustomError

from sanbao.core.web import XLSX, download

if TYPE_CHECKING:
    from sanbao.core.lists import ListExport

T = TypeVar("T")


class ErrorOut(Schema):
    code: str
    message: str
    fields: dict[str, list[str]] = {}
    params: dict[str, str] = {}


# Every operation declares these so the OpenAPI document is honest.
COMMON_ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}
# A write reads a body: too large is a 413, not sent as JSON a 415 (issue 13).
WRITE_ERRORS = {400: ErrorOut, 409: ErrorOut, 413: ErrorOut, 415: ErrorOut, **COMMON_ERRORS}


# A list endpoint's page, in the query of its filters (``paginate_filtered`` takes
# them off): numbered from 1, at most 500 items, and no page number past what any
# list can hold (a number too large for the database is a 422, not an OFFSET).
PAGE_NUMBER_MAX = 1_000_000
PageNumber = Annotated[int, Field(ge=1, le=PAGE_NUMBER_MAX)]
PageSize = Annotated[int | None, Field(ge=1, le=500)]
# A list's ``sort`` (``core.sorting``: its values are the enum of its filters).
SORT_HELP = "The order of the list: a key ascending, -key descending; its usual order if absent."

# The id of a row named in a path (``/returned-units/{unit_id}``): a number the
# database can hold, so an absurd one is a 422 and never reaches a query.
RecordId = Annotated[int, Field(ge=1, le=2**63 - 1)]


# Dates and times -------------------------------------------------------------------
# Every date and every date-time the API reads (a body field, a query filter, a path
# parameter) is a ``Day`` or a ``Moment``: an ISO 8601 string only (no number, no
# timestamp, no other spelling), from 1 January of ``SANBAO_EARLIEST_YEAR`` to
# ``SANBAO_LATEST_DATE_YEARS`` years from today. Anything else is a 422 whose message
# names the field and the bounds, in the request's language. The answers' dates stay
# plain ``dt.date``/``dt.datetime``: they are the stored values.

_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_ISO_MOMENT = re.compile(
    r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:?\d{2})?", re.IGNORECASE
)


def date_bounds() -> tuple[dt.date, dt.date]:
    """The first and the last day a date the API reads may name."""
    today = timezone.localdate()
    years = settings.SANBAO_LATEST_DATE_YEARS
    try:
        latest = today.replace(year=today.year + years)
    except ValueError:  # 29 February, in a year that has none
        latest = today.replace(year=today.year + years, day=28)
    return dt.date(settings.SANBAO_EARLIEST_YEAR, 1, 1), latest


def _refuse(kind: str, info: ValidationInfo) -> PydanticCustomError:
    earliest, latest = date_bounds()
    params = {
        "field": info.field_name or "value",
        "earliest": earliest.isoformat(),
        "latest": latest.isoformat(),
    }
    if kind == "day":
        text = _("%(field)s: enter a date as YYYY-MM-DD, from %(earliest)s to %(latest)s.")
    else:
        text = _(
            "%(field)s: enter a date and time in ISO 8601 (YYYY-MM-DDTHH:MM:SS, with an "
            "optional time zone), from %(earliest)s to %(latest)s."
        )
    # The message is final: braces in it are not placeholders.
    message = (text % params).replace("{", "{{").replace("}", "}}")
    return PydanticCustomError(f"sanbao_{kind}", message)


def _read_day(value: Any, info: ValidationInfo) -> dt.date:
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if isinstance(value, str) and _ISO_DAY.fullmatch(value):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    raise _refuse("day", info)


def _read_moment(value: Any, info: ValidationInfo) -> dt.datetime:
    if isinstance(value, dt.datetime):
        return value
    if isinstance(value, str) and _ISO_MOMENT.fullmatch(value):
        try:
            return dt.datetime.fromisoformat(value)
        except ValueError:
            pass
    raise _refuse("moment", info)


def _day_in_bounds(value: dt.date, info: ValidationInfo) -> dt.date:
    earliest, latest = date_bounds()
    if not earliest <= value <= latest:
        raise _refuse("day", info)
    return value


def _moment_in_bounds(value: dt.datetime, info: ValidationInfo) -> dt.datetime:
    earliest, latest = date_bounds()
    if not earliest <= value.date() <= latest:
        raise _refuse("moment", info)
    return value


Day = Annotated[
    dt.date,
    BeforeValidator(_read_day),
    AfterValidator(_day_in_bounds),
    WithJsonSchema({"type": "string", "format": "date"}),
]
Moment = Annotated[
    dt.datetime,
    BeforeValidator(_read_moment),
    AfterValidator(_moment_in_bounds),
    WithJsonSchema({"type": "string", "format": "date-time"}),
]


class Page(Schema, Generic[T]):
    count: int
    page: int
    page_size: int
    items: list[T]


def paginate(queryset, *, page: int, page_size: int | None, rows=None) -> dict:
    """One page of ``queryset`` and the count of all of it. ``rows``: what the page
    shows instead of the records, made from the page's slice of ``queryset`` (e.g.
    its ``.values()``); the count stays on ``queryset``, without the joins ``rows``
    may add."""
    size = page_size or settings.SANBAO_API_PAGE_SIZE
    size = max(1, min(size, settings.SANBAO_API_MAX_PAGE_SIZE))
    page = max(1, page)
    count = queryset.count()
    start = (page - 1) * size
    # A page past the end is empty, not an error (and never a huge OFFSET).
    if start >= count:
        items = []
    else:
        found = queryset[start : start + size]
        items = list(rows(found) if rows else found)
    return {"count": count, "page": page, "page_size": size, "items": items}


def paginate_filtered(select, request, filters, rows=None) -> dict:
    """One page of what ``select`` finds for the caller with ``filters`` (a query
    schema whose ``page`` and ``page_size`` choose the page); ``rows`` as ``paginate``."""
    data = filters.dict(exclude={"page", "page_size"})
    qs = select(actor=request.auth, **data)
    return paginate(qs, page=filters.page, page_size=filters.page_size, rows=rows)


def binary_response(content_type: str, description: str) -> dict:
    """``openapi_extra`` declaring a binary 200 answer (a PDF, an XLSX); errors stay JSON."""
    return {
        "responses": {
            200: {
                "description": description,
                "content": {content_type: {"schema": {"type": "string", "format": "binary"}}},
            }
        }
    }


def file_rejected(code: str, message: str, bad_rows: int, **report: Any) -> Status:
    """400: a file of which nothing was imported, as the error envelope with the
    per-row ``report`` beside it (under the name the operation's schema gives it)."""
    return Status(
        400,
        {
            "code": code,
            "message": message,
            "fields": {"file": [_("See the per-row report.")]},
            "params": {"bad_rows": str(bad_rows)},
            **report,
        },
    )


@dataclass(frozen=True)
class Moves:
    """The API's moves of one kind of record named in its URLs: a claim or a batch
    by its number, a returned unit or an anomaly by its id.

    ``machine`` (``core.transitions.Machine``) says which permission each move
    needs; ``fetch(request, key)`` finds the record in the caller's scope (404
    outside it); ``show(request, key)`` is the record as an answer shows it
    (``fetch`` unless given, e.g. a batch with its turnaround); ``arg`` is the
    record's keyword in the services (``claim=``, ``batch=``)."""

    machine: Any
    fetch: Callable[[Any, Any], Any]
    arg: str
    show: Callable[[Any, Any], Any] | None = None

    def target(self, request, key, action: str):
        """The record ``key`` for the move ``action``: 403 for a role that may never
        make the move, whichever record is named, then 404 outside the caller's scope."""
        self.machine.authorise(request.auth, action)
        return self.fetch(request, key)

    def make(self, request, key, action: str, service: Callable[..., Any], /, **values):
        """Make the move ``action`` on the record ``key`` with ``service`` (which
        checks the state and the policy) and answer the record as it now stands.
        ``values`` are worked out before the record is: a value that looks
        something up (and may answer 400) belongs after ``target``, so that 403 and
        404 come first."""
        record = self.target(request, key, action)
        service(actor=request.auth, **{self.arg: record}, **values)
        return (self.show or self.fetch)(request, key)


def download_route(
    router: Router,
    path: str,
    name: str,
    media_type: str,
    description: str,
    *,
    fetch: Callable[[Any, str], Any],
    file_of: Callable[[Any], Any],
    errors: dict | None = None,
) -> None:
    """Declare ``GET path`` (with a ``{number}``), operation ``name``: the paper
    ``file_of(record)`` (``sanbao.documents.registry``) of the record
    ``fetch(request, number)`` finds in the caller's scope, always saved. The page
    views' twin is ``core.web.download_view``."""

    def endpoint(request, number: str):
        return download(file_of(fetch(request, number)), attachment=True)

    endpoint.__name__ = endpoint.__qualname__ = name
    router.get(
        path,
        response=errors or COMMON_ERRORS,
        openapi_extra=binary_response(media_type, description),
    )(endpoint)


def list_export_route(
    router: Router,
    path: str,
    name: str,
    *,
    filters: type[Schema],
    select: Callable[..., Any],
    export: ListExport,
    description: str,
) -> None:
    """Declare ``GET path``, operation ``name``: the workbook of every row the API's
    list finds with the list's ``filters`` (its schema, without the paging), under
    the list page's columns (``export``, ``core.lists``), always saved. ``select``
    is the list's selector, called as the list calls it (``actor=`` and the
    filters). More than ``SANBAO_EXPORT_MAX_ROWS`` rows is a 400
    (``core.export_too_large``). The page views' twin is
    ``core.web.list_export_view``."""
    fields = {
        field: (info.annotation, info)
        for field, info in filters.model_fields.items()
        if field not in {"page", "page_size"}
    }
    schema = create_model(
        filters.__name__.removesuffix("Filters") + "ExportFilters", __base__=Schema, **fields
    )

    def endpoint(request, filters):
        rows = select(actor=request.auth, **filters.dict())
        return download(export.file(rows, request.auth), attachment=True)

    endpoint.__name__ = endpoint.__qualname__ = name
    endpoint.__annotations__ = {"filters": Query[schema]}
    router.get(
        path,
        response={400: ErrorOut, **COMMON_ERRORS},
        openapi_extra=binary_response(XLSX, description),
    )(endpoint)
