"""Shared API pieces: the error envelope schema, pagination, binary answers. (The
authentication classes know users, so they live in ``accounts.auth``.)"""

from __future__ import annotations

from typing import Generic, TypeVar

from django.conf import settings
from ninja import Schema

T = TypeVar("T")


class ErrorOut(Schema):
    code: str
    message: str
    fields: dict[str, list[str]] = {}
    params: dict[str, str] = {}


# Every operation declares these so the OpenAPI document is honest.
COMMON_ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}
WRITE_ERRORS = {400: ErrorOut, 409: ErrorOut, **COMMON_ERRORS}


class Page(Schema, Generic[T]):
    count: int
    page: int
    page_size: int
    items: list[T]


def paginate(queryset, *, page: int, page_size: int | None) -> dict:
    size = page_size or settings.SANBAO_API_PAGE_SIZE
    size = max(1, min(size, settings.SANBAO_API_MAX_PAGE_SIZE))
    page = max(1, page)
    count = queryset.count()
    start = (page - 1) * size
    # A page past the end is empty, not an error (and never a huge OFFSET).
    items = list(queryset[start : start + size]) if start < count else []
    return {"count": count, "page": page, "page_size": size, "items": items}


def paginate_filtered(select, request, filters) -> dict:
    """One page of what ``select`` finds for the caller with ``filters`` (a query
    schema whose ``page`` and ``page_size`` choose the page)."""
    data = filters.dict(exclude={"page", "page_size"})
    qs = select(actor=request.auth, **data)
    return paginate(qs, page=filters.page, page_size=filters.page_size)


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
