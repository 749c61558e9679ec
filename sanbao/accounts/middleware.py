"""Activate the logged-in user's remembered language.

LocaleMiddleware has already picked a language from the cookie or the browser;
for a logged-in user the saved preference wins, so the choice follows the user
from device to device.
"""

from django.utils import translation


class UserLanguageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.language:
            translation.activate(user.language)
            request.LANGUAGE_CODE = translation.get_language()
        return self.get_response(request)
