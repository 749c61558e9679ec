"""Retries of a creating API call: the ``Idempotency-Key`` header (issue 13).

A client that lost an answer sends its request again with the same key; the
second request gets the first one's answer and writes nothing. ``idempotent`` is
registered once on the ``NinjaAPI`` (``config.api``) and wraps every POST, PUT and
PATCH operation, so a new endpoint is covered without anyone adding it;
``document`` adds the header to each of them in the OpenAPI document.

- No header: the request runs as it always did.
- A key is 1 to 255 printable ASCII characters, else 422
  ``core.idempotency_key_invalid``.
- Keys belong to the authenticated caller (another user's same key is another key)
  and are stored in the database, so they hold across workers and servers.
- The first request claims the key (a unique row, committed before the operation
  runs), then runs the operation and stores its answer in one transaction with
  the operation's writes. A request arriving while the key's row has no answer yet
  gets 409 ``core.idempotency_in_progress``. A claim left by a request that never
  finished (a crash) is taken over: on PostgreSQL at once, since the running
  request holds its key's row lock until it answers and a killed server's locks
  go with its connections; elsewhere after ``SANBAO_IDEMPOTENCY_STALE_SECONDS``.
- A repeat with the same method, path and body gets the stored answer (status,
  body, media type) with ``Idempotency-Replayed: true``; the same key with another
  request is 422 ``core.idempotency_key_reused``.
- Stored: every answer below 500 except 409 and 429, which say "not now" and
  invite a retry that must run again; a 5xx (or an exception) releases the key.
- Keys expire after ``SANBAO_IDEMPOTENCY_HOURS``: an expired key is ignored (the
  request runs again) and the daily job ``idempotency_keys_expire`` deletes them.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
from typing import Any

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.http import HttpResponse, JsonResponse, StreamingHttpResponse
from django.utils import timezone

from sanbao.core.errors import ERRORS
from sanbao.core.models import IdempotencyKey

HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotency-Replayed"
MAX_LENGTH = 255
CREATING_METHODS = frozenset({"POST", "PUT", "PATCH"})
# Answers that are not remembered: "not now", so the retry must run again.
NOT_STORED = frozenset({409, 429})


def _envelope(status: int, code: str, **params: Any) -> JsonResponse:
    message = ERRORS.message(code, **params)
    return JsonResponse(
        {
            "code": code,
            "message": message,
            "fields": {HEADER: [message]},
            "params": {k: str(v) for k, v in params.items()},
        },
        status=status,
    )


def key_is_valid(key: str) -> bool:
    return 0 < len(key) <= MAX_LENGTH and key.strip() != "" and all(" " <= c <= "~" for c in key)


def fingerprint(request) -> str:
    """SHA-256 of what the request asks: method, path, query and body. A multipart
    body is read as its fields and files (names, contents), not its bytes, since a
    client retrying it may draw a new boundary."""
    digest = hashlib.sha256()
    for part in (request.method, request.path, request.META.get("QUERY_STRING", "")):
        digest.update(part.encode() + b"\0")
    if request.content_type == "multipart/form-data":
        for name, values in sorted(request.POST.lists()):
            for value in values:
                digest.update(f"field\0{name}\0{value}\0".encode())
        for name, files in sorted(request.FILES.lists()):
            for upload in files:
                digest.update(f"file\0{name}\0{upload.name}\0{upload.size}\0".encode())
                for chunk in upload.chunks():
                    digest.update(chunk)
                upload.seek(0)
    else:
        digest.update(request.body)
    return digest.hexdigest()


def _expiry_cutoff() -> dt.datetime:
    return timezone.now() - dt.timedelta(hours=settings.SANBAO_IDEMPOTENCY_HOURS)


def _claim(user, key: str, request, body_hash: str):
    """The row this request now holds, or the answer it gets instead."""
    for _attempt in range(2):
        try:
            with transaction.atomic():
                return IdempotencyKey.objects.create(
                    user=user,
                    key=key,
                    method=request.method,
                    path=request.path,
                    body_hash=body_hash,
                    created_at=timezone.now(),
                ), None
        except IntegrityError:
            pass
        existing = IdempotencyKey.objects.filter(user=user, key=key).first()
        if existing is None:  # released meanwhile: claim it again
            continue
        if existing.created_at < _expiry_cutoff():  # expired: as if never sent
            IdempotencyKey.objects.filter(pk=existing.pk, created_at=existing.created_at).delete()
            continue
        if existing.body_hash != body_hash:
            return None, _envelope(422, "core.idempotency_key_reused")
        if existing.is_done:
            return None, replay(existing)
        stale = timezone.now() - dt.timedelta(seconds=settings.SANBAO_IDEMPOTENCY_STALE_SECONDS)
        if existing.created_at < stale or _holder_is_gone(existing):
            taken = IdempotencyKey.objects.filter(
                pk=existing.pk, status_code__isnull=True, created_at=existing.created_at
            ).update(created_at=timezone.now())
            if taken:
                existing.refresh_from_db()
                return existing, None
        return None, _envelope(409, "core.idempotency_in_progress")
    return None, _envelope(409, "core.idempotency_in_progress")


def _holder_is_gone(row: IdempotencyKey) -> bool:
    """Whether no request holds the unanswered ``row`` any more. A request holds
    its key's row locked from before its operation runs until its answer is
    stored (``_hold``); a server killed mid-request takes its connections, and so
    that lock, with it, so a row no one has locked belongs to a request that died.
    Only where the database can skip locked rows (PostgreSQL); elsewhere (SQLite,
    which has no row locks) the stale timer alone decides."""
    if not connection.features.has_select_for_update_skip_locked:
        return False
    with transaction.atomic():
        return (
            IdempotencyKey.objects.select_for_update(skip_locked=True)
            .filter(pk=row.pk, status_code__isnull=True, created_at=row.created_at)
            .exists()
        )


def _hold(row: IdempotencyKey) -> bool:
    """Lock the claimed ``row`` for the life of the operation's transaction, so
    that a retry can tell this running request from a dead one (``_holder_is_gone``).
    False when another request has taken the claim over meanwhile (its
    ``created_at`` moved): then this one must not run."""
    return (
        IdempotencyKey.objects.select_for_update()
        .filter(pk=row.pk, status_code__isnull=True, created_at=row.created_at)
        .exists()
    )


def replay(row: IdempotencyKey) -> HttpResponse:
    response = HttpResponse(
        bytes(row.response_body), status=row.status_code, content_type=row.content_type or None
    )
    response[REPLAYED_HEADER] = "true"
    return response


def _storable(response) -> bool:
    return (
        response.status_code < 500
        and response.status_code not in NOT_STORED
        and not isinstance(response, StreamingHttpResponse)
        and not getattr(response, "streaming", False)
    )


def _operation_of(run):
    while run is not None:
        operation = getattr(run, "__self__", None)
        if operation is not None:
            return operation
        run = getattr(run, "__wrapped__", None)
    return None


def idempotent(run):
    """The ``view`` decorator ``config.api`` registers for every operation: wraps
    the operation's ``run`` (authentication included) when it creates or changes."""
    operation = _operation_of(run)
    if operation is None or not CREATING_METHODS & set(operation.methods):
        return run

    @functools.wraps(run)
    def run_once(request, **kwargs):
        key = request.headers.get(HEADER)
        if key is None or request.method not in CREATING_METHODS:
            return run(request, **kwargs)
        refusal = operation._run_checks(request)  # who is asking: keys are per user
        if refusal is not None:
            return refusal
        if not key_is_valid(key):
            return _envelope(422, "core.idempotency_key_invalid", max_length=MAX_LENGTH)
        row, answer = _claim(request.auth, key, request, fingerprint(request))
        if answer is not None:
            return answer
        try:
            with transaction.atomic():
                if not _hold(row):
                    return _envelope(409, "core.idempotency_in_progress")
                response = run(request, **kwargs)
                if _storable(response):
                    IdempotencyKey.objects.filter(pk=row.pk).update(
                        status_code=response.status_code,
                        content_type=response.get("Content-Type", ""),
                        response_body=response.content,
                    )
                else:
                    IdempotencyKey.objects.filter(pk=row.pk).delete()
        except BaseException:
            IdempotencyKey.objects.filter(pk=row.pk, status_code__isnull=True).delete()
            raise
        return response

    run_once.idempotent = True
    return run_once


def document(schema: dict) -> dict:
    """Declare the header, and the answers it may bring (409, 422), on every
    creating operation of the OpenAPI document."""
    parameter = {
        "in": "header",
        "name": HEADER,
        "required": False,
        "description": (
            "Send the same key again to retry this request safely: a repeat with the "
            "same body gets the first answer (with `Idempotency-Replayed: true`) and "
            f"writes nothing. Kept {settings.SANBAO_IDEMPOTENCY_HOURS} hours, per user."
        ),
        "schema": {
            "type": "string",
            "minLength": 1,
            "maxLength": MAX_LENGTH,
            "pattern": "^[ -~]*[!-~][ -~]*$",
        },
    }
    error = {"$ref": "#/components/schemas/ErrorOut"}
    for operations in schema.get("paths", {}).values():
        for method, operation in operations.items():
            if method.upper() not in CREATING_METHODS:
                continue
            parameters = operation.setdefault("parameters", [])
            if not any(p.get("name") == HEADER for p in parameters):
                parameters.append(dict(parameter))
            responses = operation.setdefault("responses", {})
            for status, description in ((409, "Conflict"), (422, "Unprocessable Content")):
                responses.setdefault(
                    status,
                    {
                        "description": description,
                        "content": {"application/json": {"schema": error}},
                    },
                )
    return schema


def purge_expired_keys() -> int:
    """The daily job: delete the keys older than ``SANBAO_IDEMPOTENCY_HOURS``."""
    deleted, _kinds = IdempotencyKey.objects.filter(created_at__lt=_expiry_cutoff()).delete()
    return deleted
