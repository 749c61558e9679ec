"""The one NinjaAPI at /api/v1/, with auth and the error envelope."""

from __future__ import annotations

import json

from django.http import Http404
from django.http.request import RawPostDataException
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.parser import Parser

from sanbao.accounts.auth import SessionAuth, TokenAuth
from sanbao.core import idempotency
from sanbao.core.errors import ERRORS, DomainError


class SanbaoAPI(NinjaAPI):
    """The operation id of every operation is the name of its view function
    (``get_claim``): one rule instead of a copy of the name in each decorator."""

    def get_openapi_operation_id(self, operation) -> str:
        return operation.view_func.__name__

    def get_openapi_schema(self, *args, **kwargs):
        """Every creating operation documents the ``Idempotency-Key`` header."""
        return idempotency.document(super().get_openapi_schema(*args, **kwargs))


class UnsupportedMediaType(Exception):
    """A body sent to an operation that reads JSON, under another media type."""


def is_json(media_type: str) -> bool:
    media_type = media_type.lower()
    return media_type == "application/json" or (
        media_type.startswith("application/") and media_type.endswith("+json")
    )


class JsonParser(Parser):
    """An operation that reads a JSON body reads only a body sent as JSON: a form,
    ``text/plain`` (what a cross-site form may send without asking) or no type at
    all is a 415, not a guess."""

    def parse_body(self, request):
        if not is_json(request.content_type or ""):
            raise UnsupportedMediaType(request.content_type)
        return json.loads(request.body)


api = SanbaoAPI(
    title="Sanbao API",
    version="1",
    description=(
        "After-sales platform: organisations, catalog and the unit registry. "
        "Authenticate with `Authorization: Bearer <token>` (create a token under "
        "*API tokens* in the web UI) or with the browser session. Errors share one "
        "envelope: `code` (stable), `message` (in the request's language), `fields`, `params`."
    ),
    auth=[TokenAuth(), SessionAuth()],
    urls_namespace="api",
    parser=JsonParser(),
)
# Every POST, PUT and PATCH honours an Idempotency-Key (issue 13): one registration
# here, so an operation added later is covered too.
api.add_decorator(idempotency.idempotent, mode="view")


def _envelope(request, status: int, code: str, message: str, fields=None, params=None):
    return api.create_response(
        request,
        {"code": code, "message": message, "fields": fields or {}, "params": params or {}},
        status=status,
    )


@api.exception_handler(DomainError)
def on_domain_error(request, exc: DomainError):
    return api.create_response(request, exc.as_dict(), status=exc.status)


_LOCATIONS = {"body", "query", "path", "form", "file", "header", "cookie"}


@api.exception_handler(NinjaValidationError)
def on_validation_error(request, exc: NinjaValidationError):
    fields: dict[str, list[str]] = {}
    for err in exc.errors:
        loc = [str(p) for p in err.get("loc", [])]
        # "body/query/path/form/file, then the parameter": drop where it came from,
        # and the name of a JSON body parameter (always `payload`), keeping the field.
        if loc and loc[0] in _LOCATIONS:
            loc = loc[1:]
        if len(loc) > 1 and loc[0] == "payload":
            loc = loc[1:]
        fields.setdefault(".".join(loc) or "request", []).append(err.get("msg", ""))
    return _envelope(
        request, 422, "core.request_invalid", ERRORS.message("core.request_invalid"), fields
    )


def _catalogued(request, status: int, code: str, **params):
    return _envelope(
        request,
        status,
        code,
        ERRORS.message(code, **params),
        params={k: str(v) for k, v in params.items()},
    )


@api.exception_handler(RawPostDataException)
def on_unreadable_body(request, exc):
    """A multipart form sent to an operation that takes JSON: Django has read the
    body as a form already, so it is not JSON to anyone."""
    return _catalogued(request, 415, "core.unsupported_media_type")


@api.exception_handler(AuthenticationError)
def on_auth_error(request, exc):
    return _envelope(request, 401, "core.not_authenticated", _("Log in to continue."))


@api.exception_handler(Http404)
def on_not_found(request, exc):
    return _envelope(request, 404, "core.not_found", _("Not found."))


@api.exception_handler(HttpError)
def on_http_error(request, exc: HttpError):
    # django-ninja wraps what the parser raised into "400 Cannot parse request body".
    if isinstance(exc.__cause__, UnsupportedMediaType):
        return _catalogued(request, 415, "core.unsupported_media_type")
    if isinstance(exc.__cause__, ValueError):  # not JSON, or not UTF-8
        return _catalogued(request, 400, "core.body_unreadable")
    return _envelope(request, exc.status_code, "core.http_error", str(exc))


def _register_routers() -> None:
    from sanbao.accounts.api import router as accounts_router
    from sanbao.audit_trail.api import router as audit_trail_router
    from sanbao.catalog.api import router as catalog_router
    from sanbao.claims.api import router as claims_router
    from sanbao.consumers.api import router as consumers_router
    from sanbao.deliveries.api import router as deliveries_router
    from sanbao.returns.api import router as returns_router
    from sanbao.statements.api import router as statements_router
    from sanbao.workdays.api import router as workdays_router

    api.add_router("/", accounts_router)
    api.add_router("/", catalog_router)
    api.add_router("/", workdays_router)
    api.add_router("/", claims_router)
    api.add_router("/", consumers_router)
    api.add_router("/", returns_router)
    api.add_router("/", deliveries_router)
    api.add_router("/", statements_router)
    api.add_router("/", audit_trail_router)


_register_routers()
