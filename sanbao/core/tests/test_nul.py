"""A NUL character never reaches the database (PostgreSQL refuses it in text,
which would be a 500): whatever content type the body claims, the request gets a
422 in the envelope and nothing is written. Issue 13: a probe sent JSON as
``text/plain``, as ``Application/JSON`` and with no content type at all."""

from __future__ import annotations

import json

import pytest

from sanbao.accounts.models import Organisation
from sanbao.testkit.cast import api_client_for
from sanbao.testkit.matrix import assert_envelope

BODY = {"code": "AG-NUL", "kind": "agent", "name_en": "Nul\u0000Trading", "name_zh": "X"}


@pytest.mark.parametrize(
    "content_type",
    ["application/json", "Application/JSON", "text/plain", "", "application/x-www-form-urlencoded"],
)
def test_a_nul_in_a_json_body_is_refused_whatever_the_content_type(administrator, content_type):
    client = api_client_for(administrator)
    response = client.generic(
        "POST", "/api/v1/organisations", json.dumps(BODY).encode(), content_type=content_type
    )
    assert_envelope(response, 422, "core.request_invalid")
    assert not Organisation.objects.filter(code="AG-NUL").exists()


def test_a_raw_nul_byte_is_refused_whatever_the_content_type(administrator):
    raw = json.dumps(BODY).replace("\\u0000", "\x00").encode()
    response = api_client_for(administrator).generic(
        "POST", "/api/v1/organisations", raw, content_type="TEXT/PLAIN"
    )
    assert_envelope(response, 422, "core.request_invalid")


def test_a_nul_in_a_multipart_text_field_is_refused(administrator):
    client = api_client_for(administrator)
    boundary = "BoUnDaRy"
    body = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="name_en"\r\n\r\n'
        f"A\x00B\r\n--{boundary}--\r\n"
    ).encode()
    response = client.generic(
        "POST",
        "/api/v1/organisations",
        body,
        content_type=f"multipart/form-data; boundary={boundary}",
    )
    assert_envelope(response, 422, "core.request_invalid")


def test_text_that_merely_mentions_the_escape_is_stored(administrator):
    """A backslash followed by u0000 is text, not a NUL: JSON escapes the backslash."""
    body = dict(BODY, name_en="see \\u0000 in the manual")
    response = api_client_for(administrator).post(
        "/api/v1/organisations", data=body, content_type="application/json"
    )
    assert response.status_code in (200, 201), response.content
    assert Organisation.objects.get(code="AG-NUL").name_en == "see \\u0000 in the manual"


def test_the_code_has_one_message_and_the_nul_is_named_under_request(administrator):
    """`core.request_invalid` said "NUL character" in the catalogue and "not well
    formed" where the API used it: one code, one message; the NUL is the reason."""
    from sanbao.core.errors import ERRORS

    raw = json.dumps(BODY).replace("\\u0000", "\x00").encode()
    nul = api_client_for(administrator, language="en").generic(
        "POST", "/api/v1/organisations", raw, content_type="application/json"
    )
    malformed = api_client_for(administrator, language="en").post(
        "/api/v1/organisations", data={"code": "bad code!"}, content_type="application/json"
    )
    nul_body = assert_envelope(nul, 422, "core.request_invalid")
    malformed_body = assert_envelope(malformed, 422, "core.request_invalid")
    assert nul_body["message"] == malformed_body["message"] == "The request is not well formed."
    assert nul_body["message"] == str(ERRORS.message("core.request_invalid"))
    assert "NUL" in nul_body["fields"]["request"][0]
