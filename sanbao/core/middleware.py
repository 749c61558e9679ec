"""Turn a DomainError raised under a page view into the error page with its status.

API requests never reach this: django-ninja's handlers answer them with the JSON
envelope. A page that wants to show the error inside a form catches it itself.
"""

from django.contrib.auth.views import redirect_to_login
from django.shortcuts import render

from sanbao.core.errors import DomainError, NotAuthenticated


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
