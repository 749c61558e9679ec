"""Activate the logged-in user's remembered language and time zone.

LocaleMiddleware has already picked a language from the cookie or the browser;
for a logged-in user the saved preference wins, so the choice follows the user
from device to device. Times are shown, and ``datetime-local`` inputs read, in
the user's own time zone (the platform's, ``TIME_ZONE``, when they have none).
"""

from django.utils import timezone, translation


class UserLanguageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.language:
            translation.activate(user.language)
            request.LANGUAGE_CODE = translation.get_language()
        return self.get_response(request)


class UserTimeZoneMiddleware:
    """After ``AuthenticationMiddleware``: the signed-in user's zone for the
    request, the platform's otherwise; never left active after the response (an
    API token's user has theirs activated by ``accounts.auth``)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            timezone.activate(user.zone)
        else:
            timezone.deactivate()
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()
