"""Domain errors: one envelope for API and UI.

Every refusal a service makes is a ``DomainError`` with a stable machine code
(``<app>.<snake_case>``), a message translated into the active language, the
fields it concerns and the parameters used in the message. The HTTP status is
part of the class: 400 policy/validation, 403 wrong role, 404 missing or not
yours, 409 invalid transition or a concurrent change.
"""

from __future__ import annotations

import contextlib
from typing import Any

from django.utils.encoding import force_str
from django.utils.translation import gettext_lazy as _


class DomainError(Exception):
    status = 400
    default_code = "core.invalid"
    default_message = _("The request could not be carried out.")

    def __init__(
        self,
        message: Any = None,
        *,
        code: str | None = None,
        fields: dict[str, list[Any]] | None = None,
        params: dict[str, Any] | None = None,
    ) -> None:
        self.code = code or self.default_code
        self._message = message if message is not None else self.default_message
        self.fields = fields or {}
        self.params = params or {}
        super().__init__(self.code)

    def _format(self, text: Any) -> str:
        text = force_str(text)
        if self.params:
            with contextlib.suppress(KeyError, TypeError, ValueError):
                text = text % self.params
        return text

    @property
    def message(self) -> str:
        return self._format(self._message)

    def field_messages(self) -> dict[str, list[str]]:
        """Per-field messages in the active language, with the params filled in."""
        return {name: [self._format(m) for m in msgs] for name, msgs in self.fields.items()}

    def as_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "message": self.message,
            "fields": self.field_messages(),
            "params": {k: force_str(v) for k, v in self.params.items()},
        }

    def __str__(self) -> str:  # pragma: no cover - debugging aid
        return f"{self.code}: {self.message}"


class ValidationFailed(DomainError):
    """A value in the request is not valid, e.g. a field of a form; an app raises
    it through its catalogue (``ERRORS.invalid``)."""

    status = 400
    default_code = "core.validation_failed"
    default_message = _("Some fields are not valid.")


class PolicyRefused(DomainError):
    """Valid, but the after-sales policy does not allow it: an exclusion, a packing
    rule. An app raises it through its catalogue (``ERRORS.refused``)."""

    status = 400
    default_code = "core.policy_refused"
    default_message = _("The after-sales policy does not allow this.")


class PermissionDenied(DomainError):
    """The actor's role may never do this, whichever record it names
    (``accounts.roles.require``)."""

    status = 403
    default_code = "core.permission_denied"
    default_message = _("Your role does not allow this action.")


class NotFound(DomainError):
    """Missing, or outside the actor's organisation: existence does not leak
    (``ERRORS.not_found``)."""

    status = 404
    default_code = "core.not_found"
    default_message = _("Not found.")


class Conflict(DomainError):
    """Not in a state that allows this, or changed by someone meanwhile
    (``ERRORS.conflict``)."""

    status = 409
    default_code = "core.conflict"
    default_message = _(
        "The record was changed by someone else or is not in a state that allows this."
    )


class NotAuthenticated(DomainError):
    """No user: the pages send them to log in, the API answers 401
    (``accounts.roles.require``)."""

    status = 401
    default_code = "core.not_authenticated"
    default_message = _("Log in to continue.")


def field_error(field: str, message: Any, *, code: str, **params: Any) -> ValidationFailed:
    """A validation error about one field, with the message also as the top-level one."""
    return ValidationFailed(message, code=code, fields={field: [message]}, params=params)


class ErrorCatalog:
    """An app's error codes with their translated messages, in one place.

    Every refusal a service makes is built here, so each code raised has a
    message (``sanbao/core/tests/test_errors.py`` checks that each code written in
    the source is in its app's catalogue, in both languages). ``app`` is the codes'
    prefix (``claims`` for ``claims.note_required``); codes are always written in
    full so that they can be found with grep.
    """

    registry: dict[str, ErrorCatalog] = {}

    def __init__(self, app: str, messages: dict[str, Any]) -> None:
        for code in messages:
            if not code.startswith(f"{app}."):
                raise ValueError(f"error code {code!r} is not of the {app!r} app")
        self.app = app
        self.messages = messages
        ErrorCatalog.registry[app] = self

    def code(self, name: str) -> str:
        """The full code of ``name`` in this app: ``claims.note_required`` for ``note_required``."""
        return f"{self.app}.{name}"

    def message(self, code: str, /, **params: Any) -> str:
        """The message of ``code`` in the active language, filled in. (The code is
        positional-only: several messages have a ``code`` placeholder.)"""
        text = str(self.messages[code])
        return text % params if params else text

    def _build(
        self, cls: type[DomainError], code: str, field: str | None, params: dict, fields=None
    ):
        text = self.messages[code]
        if field:
            fields = {field: [text]}
        return cls(text, code=code, fields=fields, params=params)

    def invalid(
        self, code: str, /, field: str | None = None, *, fields=None, **params: Any
    ) -> ValidationFailed:
        """400: a value is not valid (about ``field``, or the messages ``fields``)."""
        return self._build(ValidationFailed, code, field, params, fields)

    def refused(
        self, code: str, /, field: str | None = None, *, fields=None, **params: Any
    ) -> PolicyRefused:
        """400: the after-sales policy does not allow it (about ``field``, or the
        messages ``fields``)."""
        return self._build(PolicyRefused, code, field, params, fields)

    def conflict(self, code: str, /, **params: Any) -> Conflict:
        """409: not in a state that allows it, or changed by someone meanwhile."""
        return self._build(Conflict, code, None, params)

    def not_found(self, code: str, /, **params: Any) -> NotFound:
        """404: missing, or outside the actor's organisation."""
        return self._build(NotFound, code, None, params)

    def collect(self) -> FieldErrors:
        """A collector of field errors, for services that report every bad field at once."""
        return FieldErrors(self)


class FieldErrors:
    """Field errors gathered while checking a whole form, raised together.

    ``errors.add("phone", "returns.phone_invalid")`` files a message under a field;
    ``errors.raise_if_any("returns.batch_invalid")`` raises one ValidationFailed
    whose message is the summary code's and whose fields are all those filed."""

    def __init__(self, catalog: ErrorCatalog) -> None:
        self.catalog = catalog
        self.fields: dict[str, list[str]] = {}

    def add(self, field: str, code: str, /, **params: Any) -> None:
        self.fields.setdefault(field, []).append(self.catalog.message(code, **params))

    def __contains__(self, field: str) -> bool:
        return field in self.fields

    def __bool__(self) -> bool:
        return bool(self.fields)

    def raise_if_any(self, code: str, /, **params: Any) -> None:
        if self.fields:
            raise self.catalog.invalid(code, fields=self.fields, **params)


ERRORS = ErrorCatalog(
    "core",
    {
        cls.default_code: cls.default_message
        for cls in (
            DomainError,
            ValidationFailed,
            PolicyRefused,
            PermissionDenied,
            NotFound,
            Conflict,
            NotAuthenticated,
        )
    }
    | {
        "core.request_invalid": _("The request is not well formed."),
        # The API's answers to a request it cannot read (issue 13): each in the envelope.
        "core.bad_request": _("The request cannot be understood."),
        "core.body_unreadable": _(
            "The request's body cannot be read: check its Content-Type and that it is well formed."
        ),
        "core.csrf_failed": _(
            "The CSRF token of this browser session is missing or wrong: reload the "
            "page, or send the X-CSRFToken header."
        ),
        "core.method_not_allowed": _("This address does not accept this method."),
        "core.too_large": _("The request is too large: at most %(limit_mb)s MB."),
        "core.unsupported_media_type": _(
            "Send this request's body as JSON (Content-Type: application/json)."
        ),
        "core.server_error": _("Something went wrong on our side. Please try again later."),
        # A list page's export past SANBAO_EXPORT_MAX_ROWS (core.lists).
        "core.export_too_large": _(
            "These filters match %(rows)s rows; an export holds at most %(limit)s. "
            "Narrow the filters and export again."
        ),
        # A list's ``?sort=`` naming none of its orders (core.sorting).
        "core.sort_unknown": _(
            "%(value)s is not an order of this list: choose one of %(choices)s."
        ),
        # Retries of a creating call (issue 13, core.idempotency).
        "core.idempotency_key_invalid": _(
            "The Idempotency-Key header must be 1 to %(max_length)s printable ASCII characters."
        ),
        "core.idempotency_key_reused": _(
            "This Idempotency-Key was already used with another request: send a new key "
            "for a different request."
        ),
        "core.idempotency_in_progress": _(
            "A request with this Idempotency-Key is still being processed: retry in a moment."
        ),
    },
)
