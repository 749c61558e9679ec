"""The one NinjaAPI at /api/v1/, with auth and the error envelope."""

from __future__ import annotations

from django.http import Http404
from django.http.request import RawPostDataException
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from sanbao.accounts.auth import SessionAuth, TokenAuth
from sanbao.core.errors import DomainError


class SanbaoAPI(NinjaAPI):
    """The operation id of every operation is the name of its view function
    (``get_claim``): one rule instead of a copy of the name in each decorator."""

    def get_openapi_operation_id(self, operation) -> str:
        return operation.view_func.__name__


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
)


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
        request, 422, "core.request_invalid", _("The request is not well formed."), fields
    )


@api.exception_handler(RawPostDataException)
def on_unreadable_body(request, exc):
    """A form-encoded or multipart request to an operation that takes JSON: Django
    has read the body as a form already, so it is not JSON to anyone."""
    return _envelope(
        request,
        422,
        "core.request_invalid",
        _("The request is not well formed."),
        {"request": [_("Send this request's body as JSON (Content-Type: application/json).")]},
    )


@api.exception_handler(AuthenticationError)
def on_auth_error(request, exc):
    return _envelope(request, 401, "core.not_authenticated", _("Log in to continue."))


@api.exception_handler(Http404)
def on_not_found(request, exc):
    return _envelope(request, 404, "core.not_found", _("Not found."))


@api.exception_handler(HttpError)
def on_http_error(request, exc: HttpError):
    return _envelope(request, exc.status_code, "core.http_error", str(exc))


def _register_routers() -> None:
    from sanbao.accounts.api import router as accounts_router
    from sanbao.audit_trail.api import router as audit_trail_router
    from sanbao.catalog.api import router as catalog_router
    from sanbao.claims.api import router as claims_router
    from sanbao.deliveries.api import router as deliveries_router
    from sanbao.returns.api import router as returns_router
    from sanbao.statements.api import router as statements_router
    from sanbao.workdays.api import router as workdays_router

    api.add_router("/", accounts_router)
    api.add_router("/", catalog_router)
    api.add_router("/", workdays_router)
    api.add_router("/", claims_router)
    api.add_router("/", returns_router)
    api.add_router("/", deliveries_router)
    api.add_router("/", statements_router)
    api.add_router("/", audit_trail_router)


_register_routers()
