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
    status = 400
    default_code = "core.validation_failed"
    default_message = _("Some fields are not valid.")


class PolicyRefused(DomainError):
    status = 400
    default_code = "core.policy_refused"
    default_message = _("The after-sales policy does not allow this.")


class PermissionDenied(DomainError):
    status = 403
    default_code = "core.permission_denied"
    default_message = _("Your role does not allow this action.")


class NotFound(DomainError):
    status = 404
    default_code = "core.not_found"
    default_message = _("Not found.")


class Conflict(DomainError):
    status = 409
    default_code = "core.conflict"
    default_message = _(
        "The record was changed by someone else or is not in a state that allows this."
    )


class NotAuthenticated(DomainError):
    status = 401
    default_code = "core.not_authenticated"
    default_message = _("Log in to continue.")


def field_error(field: str, message: Any, *, code: str, **params: Any) -> ValidationFailed:
    """A validation error about one field, with the message also as the top-level one."""
    return ValidationFailed(message, code=code, fields={field: [message]}, params=params)
