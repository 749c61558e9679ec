"""Turn a DomainError raised under a page view into the error page with its status;
send the Content-Security-Policy built once; and, for the benchmark only, count
each request's SQL statements.

API requests never reach this: django-ninja's handlers answer them with the JSON
envelope. A page that wants to show the error inside a form catches it itself.
"""

import contextlib
import json

from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.middleware import CheckableLazyObject
from csp.middleware import CSPMiddleware as BuildingCSPMiddleware
from csp.utils import build_policy
from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import (
    MiddlewareNotUsed,
    RequestDataTooBig,
    TooManyFieldsSent,
    TooManyFilesSent,
)
from django.core.signals import setting_changed
from django.db import connections
from django.http import JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _lazy

from sanbao.core.errors import ERRORS, DomainError, NotAuthenticated

API_PREFIX = "/api/"


QUERY_COUNT_HEADER = "X-Sanbao-Queries"


# What a view can set on its response (django-csp's decorators) to change its policy.
_PER_RESPONSE = tuple(
    f"_csp_{what}{ro}" for what in ("config", "update", "replace", "exempt") for ro in ("", "_ro")
)
_BUILT: dict[str, tuple] = {}


def _forget_built_policies(*, setting, **kwargs) -> None:
    if setting.startswith("CONTENT_SECURITY_POLICY"):
        _BUILT.clear()


setting_changed.connect(_forget_built_policies)


class CSPMiddleware(BuildingCSPMiddleware):
    """django-csp's middleware, with the policy built once instead of per response
    (copying and joining the directives was a tenth of a receipt scan's CPU, issue
    14). Sanbao's pages use no nonce and no per-view policy; a response that has
    either, and a response under ``DEBUG``, is handed to django-csp as it is."""

    def process_response(self, request, response):
        if (
            settings.DEBUG
            or getattr(request, "_csp_nonce", None) is not None
            or any(hasattr(response, name) for name in _PER_RESPONSE)
        ):
            return super().process_response(request, response)
        if not _BUILT:
            for header, name, report_only in (
                (HEADER, "CONTENT_SECURITY_POLICY", False),
                (HEADER_REPORT_ONLY, "CONTENT_SECURITY_POLICY_REPORT_ONLY", True),
            ):
                prefixes = tuple(
                    (getattr(settings, name, None) or {}).get("EXCLUDE_URL_PREFIXES") or ()
                )
                _BUILT[header] = (build_policy(report_only=report_only), prefixes)
        for header, (policy, prefixes) in _BUILT.items():
            if policy and header not in response and not request.path_info.startswith(prefixes):
                response[header] = policy
        request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)
        return response


class QueryCountMiddleware:
    """``X-Sanbao-Queries``: the SQL statements the request ran, on every database
    connection, from the first middleware to the response (bench/suite.py reads it).
    Only when ``SANBAO_QUERY_COUNT_HEADER`` is on; off (the default) Django drops
    the middleware at start-up, so a deployment pays nothing for it."""

    def __init__(self, get_response):
        if not settings.SANBAO_QUERY_COUNT_HEADER:
            raise MiddlewareNotUsed
        self.get_response = get_response

    def __call__(self, request):
        count = 0

        def counted(execute, sql, params, many, context):
            nonlocal count
            count += 1
            return execute(sql, params, many, context)

        with contextlib.ExitStack() as stack:
            for alias in connections:
                stack.enter_context(connections[alias].execute_wrapper(counted))
            response = self.get_response(request)
        response[QUERY_COUNT_HEADER] = str(count)
        return response


class DomainErrorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, DomainError):
            return None
        if isinstance(exception, NotAuthenticated):
            return redirect_to_login(request.get_full_path())
        return render(
            request,
            "core/error.html",
            {"error": exception.as_dict(), "status": exception.status},
            status=exception.status,
        )


NUL_REFUSED = _lazy("The request contains a NUL character, which is not allowed in text.")


def _holds_nul(value) -> bool:
    """Whether a parsed JSON document has a NUL in any key or string."""
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_holds_nul(k) or _holds_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_holds_nul(v) for v in value)
    return False


class RejectNulMiddleware:
    """Refuse text containing a NUL character with 422 instead of letting it reach
    the database: PostgreSQL cannot store NUL in text and would raise (a 500).

    Looks at the path, the query string, url-encoded and JSON bodies, and the text
    fields of multipart forms (uploaded files may contain NUL bytes: XLSX does).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if self._has_nul(request):
            return self._refuse(request)
        return self.get_response(request)

    @staticmethod
    def _has_nul(request) -> bool:
        if "\x00" in request.path or "%00" in request.META.get("QUERY_STRING", ""):
            return True
        if request.method in ("GET", "HEAD", "OPTIONS"):
            return False
        # Whatever the body claims to be: the API reads JSON sent as text/plain,
        # as Application/JSON or with no type at all (issue 13).
        content_type = request.META.get("CONTENT_TYPE", "").lower()
        if content_type.startswith("multipart/form-data"):
            return any("\x00" in v for _k, values in request.POST.lists() for v in values)
        body = request.body
        if b"\x00" in body or b"%00" in body:
            return True
        if b"\\u0000" in body.lower():
            try:
                return _holds_nul(json.loads(body))
            except ValueError:  # not JSON, so the escape is plain text
                return False
        return False

    @staticmethod
    def _refuse(request):
        # The code's one message, and why under ``request`` (what a field would say).
        message = ERRORS.message("core.request_invalid")
        why = str(NUL_REFUSED)
        if request.path.startswith("/api/"):
            return JsonResponse(
                {
                    "code": "core.request_invalid",
                    "message": message,
                    "fields": {"request": [why]},
                    "params": {},
                },
                status=422,
            )
        return render(
            request,
            "core/error.html",
            {
                "error": {"code": "core.request_invalid", "message": f"{message} {why}"},
                "status": 422,
            },
            status=422,
        )


def envelope_response(status: int, code: str, *, fields=None, **params) -> JsonResponse:
    """The API's error envelope for ``code`` of the core catalogue, in the active language."""
    return JsonResponse(
        {
            "code": code,
            "message": ERRORS.message(code, **params),
            "fields": fields or {},
            "params": {k: str(v) for k, v in params.items()},
        },
        status=status,
    )


# An error that reached the API without the envelope (Django's own 404 and 400
# pages, django-ninja's 405): the code it is answered with.
_STATUS_CODES = {
    400: "core.bad_request",
    401: "core.not_authenticated",
    403: "core.permission_denied",
    404: "core.not_found",
    405: "core.method_not_allowed",
    413: "core.too_large",
    415: "core.unsupported_media_type",
}


def _limit_mb() -> int:
    return max(1, settings.DATA_UPLOAD_MAX_MEMORY_SIZE // (1024 * 1024))


class ApiEnvelopeMiddleware:
    """Every error the API answers is the JSON envelope, whatever raised it (issue 13).

    Under ``/api/`` it reads the body before anything else does, so that a body too
    large (``DATA_UPLOAD_MAX_MEMORY_SIZE``, whatever its type, uploads included;
    too many fields or files) is a 413 and a body Django cannot parse (a broken
    multipart) a 400, each in the envelope instead of Django's HTML 400. A media
    type is case-insensitive, so ``Multipart/Form-Data`` is read as multipart.
    Then any error answer that is not JSON (an unknown address, a method the
    operation does not take, a server error) becomes the envelope with its status.
    Pages keep their HTML error pages.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith(API_PREFIX):
            return self.get_response(request)
        refusal = self._read_body(request)
        if refusal is not None:
            return refusal
        return self._as_envelope(self.get_response(request))

    @staticmethod
    def _read_body(request):
        content_type = request.META.get("CONTENT_TYPE", "")
        media_type, sep, params = content_type.partition(";")
        if media_type.strip().lower() != media_type.strip():
            request.META["CONTENT_TYPE"] = media_type.strip().lower() + sep + params
            request._set_content_type_params(request.META)
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.DATA_UPLOAD_MAX_MEMORY_SIZE:
            return envelope_response(413, "core.too_large", limit_mb=_limit_mb())
        if request.method in ("GET", "HEAD", "OPTIONS"):
            return None
        try:
            if request.content_type == "multipart/form-data":
                request.POST  # noqa: B018 - parsed now, so that its errors are answered here
            else:
                request.body  # noqa: B018
        except (RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent):
            return envelope_response(413, "core.too_large", limit_mb=_limit_mb())
        except MultiPartParserError:
            return envelope_response(400, "core.body_unreadable")
        return None

    @staticmethod
    def _as_envelope(response):
        status = response.status_code
        if status < 400 or response.get("Content-Type", "").startswith("application/json"):
            return response
        if status >= 500 and settings.DEBUG:
            return response  # the developer's traceback page
        code = _STATUS_CODES.get(
            status, "core.server_error" if status >= 500 else "core.bad_request"
        )
        params = {"limit_mb": _limit_mb()} if code == "core.too_large" else {}
        answer = envelope_response(status, code, **params)
        if response.has_header("Allow"):
            answer["Allow"] = response["Allow"]
        return answer
