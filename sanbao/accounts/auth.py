"""How an API request says who it is: a Bearer token or the browser session.

``config/api.py`` hands both to the one ``NinjaAPI``; the first that answers a
user wins."""

from __future__ import annotations

from django.conf import settings
from django.utils import timezone, translation
from ninja.security import APIKeyCookie, HttpBearer

from sanbao.accounts.services import token_authenticate


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
    """The browser session (CSRF-checked on writes), as used by htmx pages."""

    param_name = settings.SESSION_COOKIE_NAME

    def authenticate(self, request, key):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            _activate_user_zone(user)
            return user
        return None
