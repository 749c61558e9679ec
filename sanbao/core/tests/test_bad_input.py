"""Issue 13, item 1: bad input anywhere in the API is a 4xx in the one JSON error
envelope, never Django's HTML page, a guess or a 500; pages keep their HTML pages.

The probe found: an anonymous POST answered 403 "CSRF failed" instead of 401; an
oversized body answered Django's HTML 400; a broken multipart body the same; a
body in another media type than JSON read as JSON anyway; ``?submitted_to=0`` read
as 1970-01-01; an absurd page number or id let through.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.test import Client
from django.utils import timezone

from sanbao.accounts.models import Organisation
from sanbao.testkit.cast import api_client_for, login_client_for
from sanbao.testkit.matrix import assert_envelope

ORGS = "/api/v1/organisations"
BODY = {"code": "AG-NEW", "kind": "agent", "name_en": "New Trading", "name_zh": "新贸易"}


def post_json(client, url, body, content_type="application/json"):
    return client.generic("POST", url, json.dumps(body).encode(), content_type=content_type)


# --- Who is asking: 401 for nobody, 403 for a session without its CSRF token -------


def test_an_anonymous_post_is_told_to_log_in_not_that_csrf_failed(db):
    response = post_json(Client(enforce_csrf_checks=True), ORGS, BODY)
    assert_envelope(response, 401, "core.not_authenticated")


def test_an_anonymous_post_with_an_ended_session_cookie_is_a_401(db):
    client = Client(enforce_csrf_checks=True)
    client.cookies["sessionid"] = "ended-long-ago"
    assert_envelope(post_json(client, ORGS, BODY), 401, "core.not_authenticated")


def test_a_logged_in_session_without_the_csrf_token_is_a_403_in_the_envelope(administrator):
    client = Client(enforce_csrf_checks=True)
    client.force_login(administrator)
    response = post_json(client, ORGS, BODY)
    body = assert_envelope(response, 403, "core.csrf_failed")
    assert "CSRF" in body["message"]
    assert not Organisation.objects.filter(code="AG-NEW").exists()


def test_a_logged_in_session_with_the_csrf_token_may_write(administrator):
    client = Client(enforce_csrf_checks=True)
    client.force_login(administrator)
    client.get("/")  # the page sets the CSRF cookie
    token = client.cookies["csrftoken"].value
    response = client.post(
        ORGS, BODY, content_type="application/json", headers={"X-CSRFToken": token}
    )
    assert response.status_code in (200, 201), response.content
    assert Organisation.objects.filter(code="AG-NEW").exists()


# --- Bodies: too large 413, not JSON 415, unreadable 400 ----------------------------


def test_a_json_body_over_the_limit_is_a_413_in_the_envelope(administrator, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024
    response = post_json(api_client_for(administrator), ORGS, dict(BODY, name_en="x" * 2_000_000))
    body = assert_envelope(response, 413, "core.too_large")
    assert body["params"] == {"limit_mb": "1"}
    assert not Organisation.objects.filter(code="AG-NEW").exists()


def test_an_upload_over_the_limit_is_a_413_in_the_envelope(platform_staff, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024
    boundary = "BoUnDaRy"
    body = (
        (
            f"--{boundary}\r\n"
            'Content-Disposition: form-data; name="file"; filename="units.csv"\r\n'
            "Content-Type: text/csv\r\n\r\n"
        ).encode()
        + b"serial\r\n" * 200_000
        + f"\r\n--{boundary}--\r\n".encode()
    )
    response = api_client_for(platform_staff).generic(
        "POST",
        "/api/v1/unit-imports",
        body,
        content_type=f"multipart/form-data; boundary={boundary}",
    )
    assert_envelope(response, 413, "core.too_large")


def test_a_form_with_too_many_fields_is_a_413_in_the_envelope(platform_staff, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 10
    boundary = "BoUnDaRy"
    body = (
        "".join(
            f'--{boundary}\r\nContent-Disposition: form-data; name="f{i}"\r\n\r\n1\r\n'
            for i in range(50)
        )
        + f"--{boundary}--\r\n"
    )
    response = api_client_for(platform_staff).generic(
        "POST",
        "/api/v1/unit-imports",
        body.encode(),
        content_type=f"multipart/form-data; boundary={boundary}",
    )
    assert_envelope(response, 413, "core.too_large")


def test_the_413_message_is_in_the_request_language(administrator, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024
    client = api_client_for(administrator, language="zh-hans")
    response = post_json(client, ORGS, dict(BODY, name_en="x" * 2_000_000))
    assert assert_envelope(response, 413, "core.too_large")["message"] == "请求过大：最多 1 MB。"


@pytest.mark.parametrize(
    "content_type",
    ["text/plain", "application/xml", "application/x-www-form-urlencoded", ""],
)
def test_a_json_operation_refuses_another_media_type_with_a_415(administrator, content_type):
    response = post_json(api_client_for(administrator), ORGS, BODY, content_type=content_type)
    assert_envelope(response, 415, "core.unsupported_media_type")
    assert not Organisation.objects.filter(code="AG-NEW").exists()


def test_a_multipart_form_to_a_json_operation_is_a_415(administrator):
    response = api_client_for(administrator).post(ORGS, BODY)  # the client's multipart
    assert_envelope(response, 415, "core.unsupported_media_type")


@pytest.mark.parametrize("content_type", ["Application/JSON", "application/json; charset=utf-8"])
def test_json_is_json_whatever_the_case_of_its_media_type(administrator, content_type):
    response = post_json(api_client_for(administrator), ORGS, BODY, content_type=content_type)
    assert response.status_code in (200, 201), response.content


def test_a_body_that_is_not_json_is_a_400_in_the_envelope(administrator):
    response = api_client_for(administrator).generic(
        "POST", ORGS, b'{"code": "AG-NEW", ', content_type="application/json"
    )
    assert_envelope(response, 400, "core.body_unreadable")


@pytest.mark.parametrize(
    "content_type", ["Multipart/Form-Data", "multipart/form-data", "multipart/form-data; boundary="]
)
def test_a_multipart_body_django_cannot_parse_is_a_400_in_the_envelope(
    platform_staff, content_type
):
    response = api_client_for(platform_staff).generic(
        "POST", "/api/v1/unit-imports", b"junk", content_type=content_type
    )
    assert_envelope(response, 400, "core.body_unreadable")


def test_a_capitalised_multipart_media_type_is_read_as_multipart(platform_staff):
    boundary = "BoUnDaRy"
    body = (
        f"--{boundary}\r\n"
        'Content-Disposition: form-data; name="file"; filename="units.csv"\r\n'
        "Content-Type: text/csv\r\n\r\nserial,model\r\n"
        f"\r\n--{boundary}--\r\n"
    ).encode()
    response = api_client_for(platform_staff).generic(
        "POST",
        "/api/v1/unit-imports",
        body,
        content_type=f"Multipart/Form-Data; boundary={boundary}",
    )
    # Read as a form with its file: the importer judges the file (not a 400 "unreadable").
    assert response.status_code != 500
    assert response.json()["code"] != "core.body_unreadable"


# --- Addresses and methods -------------------------------------------------------------


def test_an_unknown_api_address_is_a_404_in_the_envelope(administrator):
    response = api_client_for(administrator).get("/api/v1/no-such-thing")
    assert_envelope(response, 404, "core.not_found")


def test_a_method_an_operation_does_not_take_is_a_405_in_the_envelope(administrator):
    response = api_client_for(administrator).delete(ORGS)
    assert_envelope(response, 405, "core.method_not_allowed")
    assert "GET" in response["Allow"]


def test_pages_keep_their_html_error_pages(administrator):
    response = login_client_for(administrator).get("/no-such-page/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


# --- Dates: ISO only, within bounds, named in the message -------------------------------


def batch_body(**changes):
    return {
        "declared_units": 1,
        "declared_boxes": 1,
        "packed_on": timezone.localdate().isoformat(),
        "contact_person": "Wang Fang",
        "contact_phone": "075588881234",
        **changes,
    }


@pytest.mark.parametrize(
    "packed_on", ["0001-01-01", "1999-12-31", 0, 1_700_000_000, "1700000000", "2026-02-30"]
)
def test_an_impossible_packing_date_is_a_422_naming_the_field(agent_a_clerk, packed_on):
    response = post_json(
        api_client_for(agent_a_clerk, language="en"),
        "/api/v1/batches",
        batch_body(packed_on=packed_on),
    )
    body = assert_envelope(response, 422, "core.request_invalid")
    assert list(body["fields"]) == ["packed_on"]
    assert body["fields"]["packed_on"][0].startswith("packed_on: enter a date as YYYY-MM-DD")


@pytest.mark.parametrize(
    "packed_on", ["2026-12-01T00:00:00", "12/01/2026", "2026-W48-1", "20261201"]
)
def test_a_date_in_another_spelling_than_yyyy_mm_dd_is_a_422(agent_a_clerk, packed_on):
    response = post_json(
        api_client_for(agent_a_clerk), "/api/v1/batches", batch_body(packed_on=packed_on)
    )
    assert list(assert_envelope(response, 422)["fields"]) == ["packed_on"]


def test_the_date_message_names_the_field_and_the_bounds_in_chinese(agent_a_clerk, settings):
    settings.SANBAO_LATEST_DATE_YEARS = 10
    client = api_client_for(agent_a_clerk, language="zh-hans")
    response = post_json(client, "/api/v1/batches", batch_body(packed_on="0001-01-01"))
    latest = timezone.localdate().replace(year=timezone.localdate().year + 10)
    assert assert_envelope(response, 422)["fields"] == {
        "packed_on": [
            f"packed_on：请按 YYYY-MM-DD 格式填写 2000-01-01 至 {latest.isoformat()} 之间的日期。"
        ]
    }


def test_the_date_bounds_are_settings(platform_staff, settings):
    settings.SANBAO_EARLIEST_YEAR = 2020
    settings.SANBAO_LATEST_DATE_YEARS = 1
    client = api_client_for(platform_staff)
    assert client.get("/api/v1/claims?submitted_from=2020-01-01").status_code == 200
    assert_envelope(client.get("/api/v1/claims?submitted_from=2019-12-31"), 422)
    far = timezone.localdate() + dt.timedelta(days=400)
    assert_envelope(client.get(f"/api/v1/claims?submitted_to={far.isoformat()}"), 422)


@pytest.mark.parametrize("value", ["0", "1700000000", "-1", "2026-13-01", "today"])
def test_a_date_filter_that_is_not_an_iso_date_is_a_422_naming_it(platform_staff, value):
    response = api_client_for(platform_staff).get(f"/api/v1/claims?submitted_to={value}")
    body = assert_envelope(response, 422, "core.request_invalid")
    assert list(body["fields"]) == ["submitted_to"]


def test_a_date_in_a_path_is_bounded_too(administrator):
    response = api_client_for(administrator).delete("/api/v1/calendar/days/0001-01-01")
    assert list(assert_envelope(response, 422)["fields"]) == ["day"]


@pytest.mark.parametrize("at", [0, 1_700_000_000, "1700000000", "0001-01-01T00:00:00", "yesterday"])
def test_a_moment_that_is_not_iso_8601_within_bounds_is_a_422_naming_it(administrator, at):
    from pydantic import TypeAdapter, ValidationError

    from sanbao.core.api import Moment

    with pytest.raises(ValidationError) as caught:
        TypeAdapter(Moment).validate_python(at)
    assert "enter a date and time in ISO 8601" in str(caught.value)


@pytest.mark.parametrize(
    "at", ["2026-03-01T10:00:00+08:00", "2026-03-01T02:00:00Z", "2026-03-01T10:00"]
)
def test_a_moment_in_iso_8601_is_read(db, at):
    from pydantic import TypeAdapter

    from sanbao.core.api import Moment

    assert TypeAdapter(Moment).validate_python(at).date() == dt.date(2026, 3, 1)


# --- Other query and path parameters ----------------------------------------------------


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("status=bogus", "status"),
        ("page=0", "page"),
        ("page=100000000000000000000000", "page"),
        ("page_size=501", "page_size"),
        ("page=two", "page"),
    ],
)
def test_a_query_parameter_out_of_its_range_is_a_422_naming_it(platform_staff, query, field):
    response = api_client_for(platform_staff).get(f"/api/v1/claims?{query}")
    assert list(assert_envelope(response, 422, "core.request_invalid")["fields"]) == [field]


def test_the_turnaround_queue_bounds_its_page_like_every_list(platform_staff):
    response = api_client_for(platform_staff).get("/api/v1/turnaround-queue?page=0")
    assert list(assert_envelope(response, 422)["fields"]) == ["page"]


@pytest.mark.parametrize("unit_id", ["0", str(2**70), "-5"])
def test_an_id_in_a_path_the_database_cannot_hold_is_a_422(platform_staff, unit_id):
    response = api_client_for(platform_staff).get(f"/api/v1/returned-units/{unit_id}")
    assert list(assert_envelope(response, 422)["fields"]) == ["unit_id"]
