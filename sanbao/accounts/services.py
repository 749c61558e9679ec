"""Writes on organisations, users and API tokens."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from sanbao.accounts.errors import ERRORS
from sanbao.accounts.models import ApiToken, Organisation, User, validate_time_zone
from sanbao.accounts.roles import ROLES_BY_KIND, require
from sanbao.core import audit
from sanbao.core.prepared import Prepared

TOKEN_PREFIX = "sbk_"


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def _token_expiry(expires_on: dt.date | None) -> dt.datetime | None:
    """The moment a token given ``expires_on`` stops working: the end of that day in
    the current time zone. None (no expiry) when no date is given; the date must be
    after today and at most ``SANBAO_API_TOKEN_MAX_DAYS`` ahead."""
    if expires_on is None:
        return None
    today = timezone.localdate()
    if expires_on <= today:
        raise ERRORS.invalid("accounts.token_expiry_not_future", "expires_on")
    latest = today + dt.timedelta(days=settings.SANBAO_API_TOKEN_MAX_DAYS)
    if expires_on > latest:
        raise ERRORS.invalid(
            "accounts.token_expiry_too_far", "expires_on", latest=latest.isoformat()
        )
    next_day = dt.datetime.combine(expires_on + dt.timedelta(days=1), dt.time.min)
    return timezone.make_aware(next_day)


def token_create(
    *, actor: User, name: str, expires_on: dt.date | None = None
) -> tuple[ApiToken, str]:
    """Create a named API token for ``actor``, working until revoked or, given
    ``expires_on``, until the end of that day; returns the row and the plain token,
    which is never stored and cannot be shown again."""
    require(actor, "tokens.manage")
    name = (name or "").strip()
    if not name:
        raise ERRORS.invalid("accounts.token_name_required", "name")
    if len(name) > 80:
        raise ERRORS.invalid("accounts.token_name_too_long", "name")
    expires_at = _token_expiry(expires_on)
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    data = {"name": name}
    if expires_at is not None:
        data["expires_at"] = expires_at.isoformat()
    try:
        with transaction.atomic():
            token = ApiToken.objects.create(
                user=actor,
                name=name,
                prefix=raw[: len(TOKEN_PREFIX) + 6],
                key_hash=hash_token(raw),
                expires_at=expires_at,
            )
            audit.record(actor=actor, action="api_token.created", target=token, data=data)
    except IntegrityError:
        raise ERRORS.invalid("accounts.token_name_taken", "name", name=name) from None
    return token, raw


def token_revoke(*, token: ApiToken, actor: User) -> ApiToken:
    """Revoke one of the actor's own tokens. A token is never deleted, only revoked."""
    require(actor, "tokens.manage")
    with transaction.atomic():
        now = timezone.now()
        updated = ApiToken.objects.filter(pk=token.pk, user=actor, revoked_at__isnull=True).update(
            revoked_at=now
        )
        if not updated:
            raise ERRORS.conflict("accounts.token_already_revoked")
        token.revoked_at = now
        audit.record(actor=actor, action="api_token.revoked", target=token)
    return token


# Every API request reads its token: compiled once per process (core.prepared).
USABLE_TOKEN = Prepared(
    lambda p: (
        ApiToken.objects.usable(p.now)
        .select_related("user", "user__organisation")
        .filter(key_hash=p.key_hash)[:1]
    ),
    key_hash=str,
    now=dt.datetime,
)


def token_authenticate(raw: str) -> User | None:
    """The active user owning a token neither revoked nor expired, or None (the API
    answers 401)."""
    if not raw or not raw.startswith(TOKEN_PREFIX):
        return None
    now = timezone.now()
    found = USABLE_TOKEN(key_hash=hash_token(raw), now=now)
    token = found[0] if found else None
    if token is None or not token.user.is_active:
        return None
    # Touch last_used at most once a minute: a busy integration must not write per request.
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


def user_set_language(*, user: User, language: str) -> User:
    """Remember the user's interface language (used at every later login)."""
    codes = {code for code, _name in settings.LANGUAGES}
    if language not in codes:
        raise ERRORS.invalid("accounts.language_unknown", "language", language=language)
    if getattr(user, "pk", None) and user.language != language:
        with transaction.atomic():
            before = user.language
            User.objects.filter(pk=user.pk).update(language=language)
            user.language = language
            audit.record(
                actor=user,
                action="user.language_set",
                target=user,
                data={"from": before, "to": language},
            )
    return user


def user_set_time_zone(*, user: User, time_zone: str) -> User:
    """Remember the zone the user reads and types times in: an IANA name such as
    ``Europe/Berlin``, or blank for the platform's (``TIME_ZONE``)."""
    time_zone = (time_zone or "").strip()
    try:
        validate_time_zone(time_zone)
    except DjangoValidationError:
        raise ERRORS.invalid("accounts.time_zone_unknown", "time_zone", zone=time_zone) from None
    if getattr(user, "pk", None) and user.time_zone != time_zone:
        with transaction.atomic():
            before = user.time_zone
            User.objects.filter(pk=user.pk).update(time_zone=time_zone)
            user.time_zone = time_zone
            audit.record(
                actor=user,
                action="user.time_zone_set",
                target=user,
                data={"from": before, "to": time_zone},
            )
    return user


def organisation_create(*, actor: User, **fields) -> Organisation:
    """Create an organisation (administrator only)."""
    require(actor, "organisations.manage")
    code = fields.get("code", "")
    taken = ERRORS.invalid("accounts.organisation_code_taken", "code", code_value=code)
    if code and Organisation.objects.filter(code=code).exists():
        raise taken
    org = Organisation(**fields)
    try:
        org.full_clean()
    except DjangoValidationError as exc:
        raise ERRORS.invalid("accounts.organisation_invalid", fields=exc.message_dict) from None
    try:
        with transaction.atomic():
            org.save()
            audit.record(actor=actor, action="organisation.created", target=org)
    except IntegrityError:  # created by someone else between the check and the insert
        raise taken from None
    return org


def user_create(
    *,
    actor: User | None,
    organisation: Organisation,
    username: str,
    password: str,
    role: str,
    **extra,
) -> User:
    """Create a user in ``organisation`` with a role allowed for its kind. ``actor``
    None means a system job (demo data, management command)."""
    if actor is not None:
        require(actor, "organisations.manage")
    if role not in ROLES_BY_KIND[organisation.kind]:
        raise ERRORS.invalid(
            "accounts.role_not_for_kind", "role", role=role, kind=organisation.kind
        )
    with transaction.atomic():
        user = User.objects.create_user(
            username=username, password=password, organisation=organisation, role=role, **extra
        )
        audit.record(actor=actor, action="user.created", target=user, data={"role": role})
    return user
