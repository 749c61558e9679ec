"""The domain error envelope: stable code, translated message, fields, params."""

from __future__ import annotations

from django.utils import translation

from sanbao.core.errors import (
    Conflict,
    DomainError,
    NotAuthenticated,
    NotFound,
    PermissionDenied,
    PolicyRefused,
    ValidationFailed,
    field_error,
)


def test_each_error_class_carries_its_http_status_and_default_code():
    assert (ValidationFailed.status, ValidationFailed().code) == (400, "core.validation_failed")
    assert (PolicyRefused.status, PolicyRefused().code) == (400, "core.policy_refused")
    assert (NotAuthenticated.status, NotAuthenticated().code) == (401, "core.not_authenticated")
    assert (PermissionDenied.status, PermissionDenied().code) == (403, "core.permission_denied")
    assert (NotFound.status, NotFound().code) == (404, "core.not_found")
    assert (Conflict.status, Conflict().code) == (409, "core.conflict")


def test_as_dict_is_the_envelope_with_params_put_into_the_message():
    error = DomainError("Serial %(serial)s is taken.", code="x.taken", params={"serial": "SB1"})
    assert error.as_dict() == {
        "code": "x.taken",
        "message": "Serial SB1 is taken.",
        "fields": {},
        "params": {"serial": "SB1"},
    }


def test_a_message_with_a_missing_param_is_shown_as_written_rather_than_failing():
    error = DomainError("Serial %(serial)s is taken.", code="x.taken", params={"other": 1})
    assert error.message == "Serial %(serial)s is taken."


def test_field_error_names_the_field_and_uses_its_message_at_the_top():
    error = field_error("name", "Give it a name.", code="x.name_required")
    body = error.as_dict()
    assert body["code"] == "x.name_required"
    assert body["fields"] == {"name": ["Give it a name."]}
    assert body["message"] == "Give it a name."


def test_the_message_is_rendered_in_the_active_language_when_read():
    # Lazy messages are translated when the envelope is built, not when raised.
    error = NotFound()
    with translation.override("en"):
        english = error.message
    with translation.override("zh-hans"):
        chinese = error.message
    assert english == "Not found."
    with translation.override("zh-hans"):
        translated = str(translation.gettext("Not found."))
    assert chinese == translated
