"""Uploads on S3-compatible storage (issue 13 item 8), as the production profile
stores them when SANBAO_S3_BUCKET is set: the storage is built by the profile's own
``config.storage.s3_storage`` and talks to a real S3 server (moto's, on this
machine), not to a mock. A claim's scan goes up through the claim page's form,
comes back through the permission-checked download, is kept from another
organisation, and the scan a new one replaces is deleted from the bucket."""

from __future__ import annotations

import os
import socket
from contextlib import closing

import boto3
import pytest
from django.test import override_settings
from django.urls import reverse
from moto.server import ThreadedMotoServer

from config.storage import S3_BACKEND, s3_storage
from sanbao.claims.models import Claim
from sanbao.claims.tests.conftest import intake, pdf_bytes
from sanbao.testkit.cast import login_client_for

BUCKET = "sanbao-uploads"
PREFIX = "uploads"
REGION = "us-east-1"
PORTS = range(18150, 18200)  # this suite's share of the machine's ports


def free_port() -> int:
    """A free port of PORTS, each pytest-xdist worker starting at its own (gw0, gw1…)
    so that workers starting at once do not pick the same one."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0")
    start = int(worker.removeprefix("gw") or 0) % len(PORTS)
    for port in [*PORTS[start:], *PORTS[:start]]:
        with closing(socket.socket(socket.AF_INET, socket.SOCK_STREAM)) as probe:
            if probe.connect_ex(("127.0.0.1", port)) != 0:
                return port
    pytest.fail(f"no free port in {PORTS}")


@pytest.fixture(scope="session")
def s3_server():
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.stop()


@pytest.fixture
def bucket(s3_server, monkeypatch):
    """An empty bucket, the environment a deployment gives the profile, and the
    default storage the profile builds from it."""
    for name, value in {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "SANBAO_S3_BUCKET": BUCKET,
        "SANBAO_S3_ENDPOINT_URL": s3_server,
        "SANBAO_S3_REGION": REGION,
        "SANBAO_S3_PREFIX": PREFIX,
    }.items():
        monkeypatch.setenv(name, value)
    client = boto3.client(
        "s3",
        endpoint_url=s3_server,
        region_name=REGION,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    client.create_bucket(Bucket=BUCKET)
    storage = s3_storage()
    assert storage["BACKEND"] == S3_BACKEND
    from django.conf import settings

    with override_settings(STORAGES={**settings.STORAGES, "default": storage}):
        yield client
    listed = client.list_objects_v2(Bucket=BUCKET).get("Contents", [])
    for item in listed:
        client.delete_object(Bucket=BUCKET, Key=item["Key"])
    client.delete_bucket(Bucket=BUCKET)


def keys(client) -> set[str]:
    return {o["Key"] for o in client.list_objects_v2(Bucket=BUCKET).get("Contents", [])}


def card(content: bytes, name: str = "card.pdf"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content, content_type="application/pdf")


def attach(user, claim, upload):
    url = reverse("claims:claim_attach_scans", args=[claim.number])
    return login_client_for(user).post(url, {"warranty_card_scan": upload})


def test_the_profile_builds_no_s3_storage_without_a_bucket(monkeypatch):
    monkeypatch.delenv("SANBAO_S3_BUCKET", raising=False)
    assert s3_storage() is None


def test_the_s3_storage_keeps_objects_private_and_never_overwrites(bucket):
    options = s3_storage()["OPTIONS"]
    assert options["default_acl"] is None
    assert options["querystring_auth"] is True
    assert options["file_overwrite"] is False
    assert options["location"] == PREFIX


def test_a_scan_uploaded_from_the_claim_page_is_stored_in_the_bucket_and_served_to_its_owner(
    bucket, platform_org, platform_staff, agent_a_clerk, agent_b_clerk, unit_of_agent_a
):
    # Agent A's claim (handled by the platform, which must exist), without its card.
    claim = intake(
        agent_a_clerk, unit_of_agent_a, warranty_card_scan=None, consumer_name="", consumer_phone=""
    )
    content = pdf_bytes()
    response = attach(platform_staff, claim, card(content))
    assert response.status_code == 302
    claim = Claim.objects.get(pk=claim.pk)
    stored = f"{PREFIX}/{claim.warranty_card_scan.name}"
    assert stored in keys(bucket)
    # The bytes in the bucket are the bytes sent.
    assert bucket.get_object(Bucket=BUCKET, Key=stored)["Body"].read() == content

    url = reverse("claims:claim_scan", args=[claim.number, "warranty-card"])
    download = login_client_for(agent_a_clerk).get(url)
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == content
    assert download["Content-Disposition"].startswith("attachment;")
    assert download["X-Content-Type-Options"] == "nosniff"
    assert login_client_for(agent_b_clerk).get(url).status_code == 404


def test_the_object_is_private_in_the_bucket(bucket, platform_staff, unit_of_agent_a):
    claim = intake(platform_staff, unit_of_agent_a, warranty_card_scan=None)
    attach(platform_staff, claim, card(pdf_bytes()))
    claim = Claim.objects.get(pk=claim.pk)
    acl = bucket.get_object_acl(Bucket=BUCKET, Key=f"{PREFIX}/{claim.warranty_card_scan.name}")
    public = [
        g
        for g in acl["Grants"]
        if g["Grantee"].get("URI", "").endswith(("/AllUsers", "/AuthenticatedUsers"))
    ]
    assert public == []


def test_a_replaced_scan_is_deleted_from_the_bucket(
    bucket, platform_staff, unit_of_agent_a, django_capture_on_commit_callbacks
):
    claim = intake(platform_staff, unit_of_agent_a, warranty_card_scan=None)
    with django_capture_on_commit_callbacks(execute=True):
        attach(platform_staff, claim, card(pdf_bytes(), "first.pdf"))
    first = f"{PREFIX}/{Claim.objects.get(pk=claim.pk).warranty_card_scan.name}"
    assert first in keys(bucket)

    with django_capture_on_commit_callbacks(execute=True):
        response = attach(platform_staff, claim, card(pdf_bytes(), "second.pdf"))
    assert response.status_code == 302
    second = f"{PREFIX}/{Claim.objects.get(pk=claim.pk).warranty_card_scan.name}"
    assert second != first
    assert second in keys(bucket)
    assert first not in keys(bucket)
