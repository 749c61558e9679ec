"""How an API request says who it is: a Bearer token or the browser session.

``config/api.py`` hands both to the one ``NinjaAPI``; the first that answers a
user wins."""

from __future__ import annotations

from django.conf import settings
from django.utils import timezone, translation
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf

from sanbao.accounts.services import token_authenticate
from sanbao.core.errors import ERRORS, PermissionDenied


def _activate_user_language(request, user) -> None:
    # An explicit Accept-Language from an integration wins over the saved preference.
    if "HTTP_ACCEPT_LANGUAGE" not in request.META and user.language:
        translation.activate(user.language)
        request.LANGUAGE_CODE = user.language


def _activate_user_zone(user) -> None:
    # Messages (a refusal saying when a window closed) read in the caller's zone;
    # accounts.middleware.UserTimeZoneMiddleware deactivates it after the response.
    timezone.activate(user.zone)


class TokenAuth(HttpBearer):
    """``Authorization: Bearer sbk_…`` with a token the user created in the UI."""

    def authenticate(self, request, token):
        user = token_authenticate(token)
        if user is None:
            return None
        request.user = user
        _activate_user_language(request, user)
        _activate_user_zone(user)
        return user


class SessionAuth(APIKeyCookie):
    """The browser session (CSRF-checked on writes), as used by htmx pages.

    Only a logged-in session is asked for its CSRF token: a request without one
    (anonymous, or a session that has ended) is not authenticated by it, so the
    API answers 401, not "CSRF failed" (issue 13). A logged-in session's write
    without the token is a 403 in the envelope (``core.csrf_failed``)."""

    param_name = settings.SESSION_COOKIE_NAME

    def _get_key(self, request):
        key = request.COOKIES.get(self.param_name)
        user = getattr(request, "user", None)
        if not key or user is None or not user.is_authenticated:
            return None
        if (
            self.csrf
            and not getattr(request, "_ninja_csrf_exempt", False)
            and check_csrf(request) is not None
        ):
            raise PermissionDenied(ERRORS.messages["core.csrf_failed"], code="core.csrf_failed")
        return key

    def authenticate(self, request, key):
        if key is None:
            return None
        _activate_user_zone(request.user)
        return request.user
