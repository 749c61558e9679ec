"""Turn a DomainError raised under a page view into the error page with its status.

API requests never reach this: django-ninja's handlers answer them with the JSON
envelope. A page that wants to show the error inside a form catches it itself.
"""

import json

from django.contrib.auth.views import redirect_to_login
from django.http import JsonResponse
from django.shortcuts import render

from sanbao.core.errors import ERRORS, DomainError, NotAuthenticated


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
        message = ERRORS.message("core.request_invalid")
        if request.path.startswith("/api/"):
            return JsonResponse(
                {"code": "core.request_invalid", "message": message, "fields": {}, "params": {}},
                status=422,
            )
        return render(
            request,
            "core/error.html",
            {"error": {"code": "core.request_invalid", "message": message}, "status": 422},
            status=422,
        )
