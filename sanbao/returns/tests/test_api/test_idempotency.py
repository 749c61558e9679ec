"""Retries of a creating call with an ``Idempotency-Key`` (issue 13, item 6), on the
probe's example: ``POST /batches/{number}/units`` sent again after a lost answer."""

from __future__ import annotations

import datetime as dt
import json
import threading
from contextlib import contextmanager

import pytest
from django.db import connection, connections, transaction
from django.test import Client, RequestFactory
from django.utils import timezone

from sanbao.core import idempotency
from sanbao.core.jobs import run_daily
from sanbao.core.models import IdempotencyKey
from sanbao.returns.tests.test_api.conftest import post
from sanbao.testkit.cast import api_client_for, login_client_for
from sanbao.testkit.matrix import assert_envelope

UNIT = {"kind": "unlisted", "box_no": 2, "model_code": "PB10K", "note": "No label"}


def send(client, batch, key, body=UNIT, **headers):
    return client.post(
        f"/api/v1/batches/{batch.number}/units",
        data=json.dumps(body),
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY=key,
        **headers,
    )


def unlisted(client, batch) -> int:
    return client.get(f"/api/v1/batches/{batch.number}/counts").json()["unlisted"]


def test_a_retried_unit_with_the_same_key_is_counted_once_and_answered_as_the_first_time(
    platform_staff, receiving_of_agent_a
):
    client = api_client_for(platform_staff)
    first = send(client, receiving_of_agent_a, "retry-7f3a")
    assert first.status_code == 201, first.content
    again = send(client, receiving_of_agent_a, "retry-7f3a")
    assert again.status_code == 201
    assert again.json() == first.json()
    assert again["Content-Type"] == first["Content-Type"]
    assert again["Idempotency-Replayed"] == "true"
    assert not first.has_header("Idempotency-Replayed")
    assert unlisted(client, receiving_of_agent_a) == 1


def test_without_a_key_a_repeat_is_a_second_request(platform_staff, receiving_of_agent_a):
    client = api_client_for(platform_staff)
    url = f"/api/v1/batches/{receiving_of_agent_a.number}/units"
    assert post(client, url, UNIT).status_code == 201
    assert post(client, url, UNIT).status_code == 201
    assert unlisted(client, receiving_of_agent_a) == 2
    assert not IdempotencyKey.objects.exists()


def test_the_same_key_with_another_body_is_refused_naming_the_header(
    platform_staff, receiving_of_agent_a
):
    client = api_client_for(platform_staff)
    assert send(client, receiving_of_agent_a, "k-1").status_code == 201
    other = send(client, receiving_of_agent_a, "k-1", {**UNIT, "box_no": 3})
    body = assert_envelope(other, 422, "core.idempotency_key_reused")
    assert list(body["fields"]) == ["Idempotency-Key"]
    assert unlisted(client, receiving_of_agent_a) == 1


def test_the_same_key_on_another_address_is_refused(platform_staff, receiving_of_agent_a):
    client = api_client_for(platform_staff)
    assert send(client, receiving_of_agent_a, "k-2").status_code == 201
    scan = client.post(
        f"/api/v1/batches/{receiving_of_agent_a.number}/scans",
        data=json.dumps({"code": "nothing"}),
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY="k-2",
    )
    assert_envelope(scan, 422, "core.idempotency_key_reused")


def test_the_refusal_is_in_chinese_for_a_chinese_client(platform_staff, receiving_of_agent_a):
    client = api_client_for(platform_staff, language="zh-hans")
    assert send(client, receiving_of_agent_a, "k-3").status_code == 201
    other = send(client, receiving_of_agent_a, "k-3", {**UNIT, "box_no": 3})
    body = assert_envelope(other, 422, "core.idempotency_key_reused")
    assert "Idempotency-Key" in body["message"]
    assert any("\u4e00" <= c <= "\u9fff" for c in body["message"])


def test_two_users_sending_the_same_key_are_two_requests(
    platform_staff, platform_manager, receiving_of_agent_a
):
    assert send(api_client_for(platform_staff), receiving_of_agent_a, "same").status_code == 201
    second = send(api_client_for(platform_manager), receiving_of_agent_a, "same")
    assert second.status_code == 201
    assert not second.has_header("Idempotency-Replayed")
    assert unlisted(api_client_for(platform_staff), receiving_of_agent_a) == 2


def test_an_expired_key_is_ignored_and_the_request_runs_again(
    platform_staff, receiving_of_agent_a, settings
):
    client = api_client_for(platform_staff)
    assert send(client, receiving_of_agent_a, "old").status_code == 201
    aged = IdempotencyKey.objects.get(key="old")
    aged.created_at -= dt.timedelta(hours=settings.SANBAO_IDEMPOTENCY_HOURS, seconds=1)
    aged.save(update_fields=["created_at"])
    again = send(client, receiving_of_agent_a, "old")
    assert again.status_code == 201
    assert not again.has_header("Idempotency-Replayed")
    assert unlisted(client, receiving_of_agent_a) == 2
    assert IdempotencyKey.objects.filter(key="old").count() == 1


def test_the_daily_job_deletes_expired_keys_only(platform_staff, receiving_of_agent_a, settings):
    client = api_client_for(platform_staff)
    for key in ("expired", "fresh"):
        assert send(client, receiving_of_agent_a, key).status_code == 201
    IdempotencyKey.objects.filter(key="expired").update(
        created_at=dt.datetime(2020, 1, 1, tzinfo=dt.UTC)
    )
    assert run_daily(["idempotency_keys_expire"]) == {"idempotency_keys_expire": 1}
    assert list(IdempotencyKey.objects.values_list("key", flat=True)) == ["fresh"]


ROW_LOCKS = connection.features.has_select_for_update_skip_locked


@contextmanager
def running_request_holding(key: str):
    """As the database stands while a request with ``key`` runs: its row claimed
    with no answer yet and, where there are row locks (PostgreSQL), locked by the
    request's open transaction, here on a connection of its own."""
    IdempotencyKey.objects.filter(key=key).update(status_code=None, response_body=b"")
    if not ROW_LOCKS:
        yield
        return
    locked, done = threading.Event(), threading.Event()

    def run():
        try:
            with transaction.atomic():
                list(IdempotencyKey.objects.select_for_update().filter(key=key))
                locked.set()
                done.wait(timeout=30)
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    try:
        assert locked.wait(timeout=30)
        yield
    finally:
        done.set()
        thread.join()


@pytest.mark.django_db(transaction=True)
def test_a_request_still_running_makes_a_repeat_wait_with_a_409(
    platform_staff, receiving_of_agent_a
):
    client = api_client_for(platform_staff)
    assert send(client, receiving_of_agent_a, "busy").status_code == 201
    with running_request_holding("busy"):
        repeat = send(client, receiving_of_agent_a, "busy")
    body = assert_envelope(repeat, 409, "core.idempotency_in_progress")
    assert list(body["fields"]) == ["Idempotency-Key"]
    assert unlisted(client, receiving_of_agent_a) == 1


@pytest.mark.skipif(not ROW_LOCKS, reason="without row locks the stale timer decides")
@pytest.mark.django_db(transaction=True)
def test_a_claim_whose_request_died_with_its_server_is_taken_over_at_once(
    platform_staff, receiving_of_agent_a
):
    # A server killed mid-request: the key's row, committed first, stays claimed
    # with no answer; the write was rolled back, and the lock its request held went
    # with its connection (tests/crash/).
    url = f"/api/v1/batches/{receiving_of_agent_a.number}/units"
    sent = RequestFactory().post(url, data=json.dumps(UNIT), content_type="application/json")
    IdempotencyKey.objects.create(
        user=platform_staff,
        key="killed",
        method="POST",
        path=url,
        body_hash=idempotency.fingerprint(sent),
        created_at=timezone.now(),
    )
    client = api_client_for(platform_staff)
    again = send(client, receiving_of_agent_a, "killed")
    assert again.status_code == 201
    assert not again.has_header("Idempotency-Replayed")
    assert IdempotencyKey.objects.get(key="killed").status_code == 201
    assert unlisted(client, receiving_of_agent_a) == 1


def test_a_claim_left_by_a_request_that_never_finished_is_taken_over(
    platform_staff, receiving_of_agent_a, settings
):
    client = api_client_for(platform_staff)
    assert send(client, receiving_of_agent_a, "crashed").status_code == 201
    row = IdempotencyKey.objects.get(key="crashed")
    IdempotencyKey.objects.filter(pk=row.pk).update(
        status_code=None,
        created_at=row.created_at
        - dt.timedelta(seconds=settings.SANBAO_IDEMPOTENCY_STALE_SECONDS + 1),
    )
    again = send(client, receiving_of_agent_a, "crashed")
    assert again.status_code == 201
    assert not again.has_header("Idempotency-Replayed")
    assert IdempotencyKey.objects.get(key="crashed").status_code == 201


def test_a_refusal_is_remembered_and_replayed(platform_staff, receiving_of_agent_a):
    client = api_client_for(platform_staff)
    wrong = {**UNIT, "model_code": "XX9"}
    first = send(client, receiving_of_agent_a, "bad", wrong)
    assert_envelope(first, 400, "returns.model_unknown")
    again = send(client, receiving_of_agent_a, "bad", wrong)
    assert (again.status_code, again.json()) == (400, first.json())
    assert again["Idempotency-Replayed"] == "true"


def test_a_server_error_is_not_remembered_and_the_retry_runs(
    platform_staff, receiving_of_agent_a, monkeypatch
):
    from sanbao.returns import services

    recorded = services.receipt_record_unit

    def broken(**kwargs):
        recorded(**kwargs)  # written, then the request fails: nothing of it may stay
        raise RuntimeError("the server broke")

    client = api_client_for(platform_staff)
    client.raise_request_exception = False
    monkeypatch.setattr(services, "receipt_record_unit", broken)
    assert send(client, receiving_of_agent_a, "flaky").status_code == 500
    assert not IdempotencyKey.objects.filter(key="flaky").exists()
    assert unlisted(client, receiving_of_agent_a) == 0
    monkeypatch.setattr(services, "receipt_record_unit", recorded)
    retry = send(client, receiving_of_agent_a, "flaky")
    assert retry.status_code == 201
    assert not retry.has_header("Idempotency-Replayed")
    assert unlisted(client, receiving_of_agent_a) == 1


@pytest.mark.parametrize("key", ["", "   ", "x" * 256, "caf\u00e9"])
def test_a_key_empty_too_long_or_not_ascii_is_a_422_naming_the_header(
    platform_staff, receiving_of_agent_a, key
):
    client = api_client_for(platform_staff)
    answer = send(client, receiving_of_agent_a, key)
    body = assert_envelope(answer, 422, "core.idempotency_key_invalid")
    assert list(body["fields"]) == ["Idempotency-Key"]
    assert unlisted(client, receiving_of_agent_a) == 0


def test_a_key_of_255_characters_is_accepted(platform_staff, receiving_of_agent_a):
    assert send(api_client_for(platform_staff), receiving_of_agent_a, "k" * 255).status_code == 201


def test_an_anonymous_request_with_a_key_is_told_to_log_in(receiving_of_agent_a):
    assert_envelope(send(Client(), receiving_of_agent_a, "anon"), 401, "core.not_authenticated")
    assert not IdempotencyKey.objects.exists()


def test_a_browser_session_retry_is_remembered_too(platform_staff, receiving_of_agent_a):
    client = login_client_for(platform_staff)
    client.handler.enforce_csrf_checks = False
    assert send(client, receiving_of_agent_a, "web").status_code == 201
    assert send(client, receiving_of_agent_a, "web")["Idempotency-Replayed"] == "true"
    assert unlisted(client, receiving_of_agent_a) == 1


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="concurrent writers need PostgreSQL's row locks"
)
@pytest.mark.django_db(transaction=True)
def test_concurrent_requests_with_one_key_write_once(platform_staff, receiving_of_agent_a):
    clients = [api_client_for(platform_staff) for _ in range(6)]
    barrier = threading.Barrier(len(clients))
    answers: list[int] = []

    def send_at_once(client):
        try:
            barrier.wait()
            answers.append(send(client, receiving_of_agent_a, "together").status_code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=send_at_once, args=(c,)) for c in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(answers) == len(clients) and set(answers) <= {201, 409}
    assert answers.count(201) >= 1
    assert unlisted(clients[0], receiving_of_agent_a) == 1
    assert send(clients[0], receiving_of_agent_a, "together")["Idempotency-Replayed"] == "true"
