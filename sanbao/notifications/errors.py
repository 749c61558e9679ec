"""Stable codes and messages of the notifications app's refusals."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from sanbao.core.errors import DomainError, ErrorCatalog

MESSAGES = {
    "notifications.outcome_invalid": _("This outcome does not fit the channel."),
    "notifications.task_closed": _("This contact task is already done."),
    "notifications.no_email": _("The organisation has no e-mail address."),
    "notifications.task_not_found": _("No such contact task."),
    # SMS and one-time codes (issue 16 item 2).
    "notifications.too_many_requests": _("Too many requests. Try again later."),
    "notifications.sms_phone_invalid": _(
        "Enter a mobile number: 11 digits, or + and the country code for a number abroad."
    ),
    "notifications.otp_code_invalid": _("Enter the 6-digit code from the SMS."),
    "notifications.otp_code_wrong": _(
        "This code is not the one we sent. %(tries_left)s more tries, then ask for a new code."
    ),
    "notifications.otp_code_burnt": _(
        "Too many wrong codes: this code no longer works. Ask for a new code."
    ),
    "notifications.otp_code_expired": _(
        "No valid code for this number: it has expired or was already used. Ask for a new code."
    ),
    "notifications.otp_resend_wait": _(
        "A code was just sent to this number. Wait %(seconds)s seconds before asking again."
    ),
    "notifications.otp_phone_limit": _(
        "Too many codes were sent to this number. Try again in %(minutes)s minutes."
    ),
    "notifications.otp_client_limit": _(
        "Too many codes were asked for from your connection. Try again in %(minutes)s minutes."
    ),
    "notifications.otp_tries_limit": _(
        "Too many codes were tried from your connection. Try again in %(minutes)s minutes."
    ),
}

ERRORS = ErrorCatalog("notifications", MESSAGES)


class TooManyRequests(DomainError):
    """429: a limit on how often something may be asked for was reached (sending a
    one-time code, trying one); ``retry_after`` says in how many seconds it may be
    asked again (a page sets the Retry-After header from it)."""

    status = 429
    default_code = "notifications.too_many_requests"
    default_message = MESSAGES["notifications.too_many_requests"]

    def __init__(self, *args: Any, retry_after: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.retry_after = retry_after


def too_many(code: str, /, *, field: str, retry_after: int, **params: Any) -> TooManyRequests:
    """The 429 of ``code`` about ``field`` (its message filled with ``params``)."""
    text = MESSAGES[code]
    return TooManyRequests(
        text, code=code, fields={field: [text]}, params=params, retry_after=retry_after
    )
