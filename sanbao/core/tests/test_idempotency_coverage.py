"""Every creating operation of the API honours an ``Idempotency-Key`` (issue 13):
found from the OpenAPI document and from the operations the API serves, so an
operation added later is checked without anyone listing it."""

from __future__ import annotations

from config.api import api
from sanbao.core.idempotency import CREATING_METHODS, HEADER

SCHEMA = api.get_openapi_schema()


def creating_operations_documented():
    return [
        (method.upper(), path, operation)
        for path, operations in SCHEMA["paths"].items()
        for method, operation in operations.items()
        if method.upper() in CREATING_METHODS
    ]


def creating_operations_served():
    return [
        (method, prefix + path, operation)
        for bound in api._get_bound_routers()
        for prefix in [bound.prefix]
        for path, path_view in bound.path_operations.items()
        for operation in path_view.operations
        for method in operation.methods
        if method in CREATING_METHODS
    ]


def test_the_api_has_creating_operations_to_check():
    assert len(creating_operations_documented()) >= 40
    assert len(creating_operations_served()) == len(creating_operations_documented())


def test_every_creating_operation_documents_the_header_and_its_refusals():
    missing = [
        f"{method} {path}"
        for method, path, operation in creating_operations_documented()
        if not any(
            p["in"] == "header" and p["name"] == HEADER and not p.get("required")
            for p in operation.get("parameters", [])
        )
        or not {409, 422} <= set(operation["responses"])
    ]
    assert missing == []


def test_no_reading_operation_documents_the_header():
    readers = [
        f"{method.upper()} {path}"
        for path, operations in SCHEMA["paths"].items()
        for method, operation in operations.items()
        if method.upper() not in CREATING_METHODS
        and any(p["name"] == HEADER for p in operation.get("parameters", []))
    ]
    assert readers == []


def test_every_creating_operation_served_runs_through_the_key_check():
    unguarded = [
        f"{method} {path}"
        for method, path, operation in creating_operations_served()
        if not getattr(operation.run, "idempotent", False)
    ]
    assert unguarded == []


def multipart(boundary: str, content: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import RequestFactory
    from django.test.client import encode_multipart

    body = encode_multipart(
        boundary, {"note": "scan", "file": SimpleUploadedFile("a.jpg", content, "image/jpeg")}
    )
    return RequestFactory().post(
        "/api/v1/x", data=body, content_type=f"multipart/form-data; boundary={boundary}"
    )


def test_a_multipart_body_is_known_by_its_fields_and_files_not_its_boundary():
    from sanbao.core.idempotency import fingerprint

    first = fingerprint(multipart("AAAA", b"\xff\xd8one"))
    assert fingerprint(multipart("BBBB", b"\xff\xd8one")) == first
    assert fingerprint(multipart("AAAA", b"\xff\xd8two")) != first
