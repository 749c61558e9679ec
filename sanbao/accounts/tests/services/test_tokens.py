"""API tokens: created with a name, shown once, stored hashed, revoked never deleted."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from sanbao.accounts.models import ApiToken
from sanbao.accounts.services import (
    TOKEN_PREFIX,
    hash_token,
    token_authenticate,
    token_create,
    token_revoke,
)
from sanbao.core.errors import Conflict, NotAuthenticated, PermissionDenied, ValidationFailed
from sanbao.core.models import AuditEvent
from sanbao.testkit.queries import count_queries

# token_create -------------------------------------------------------------------


def test_token_create_returns_the_plain_token_once_and_stores_only_its_hash(agent_a_clerk):
    token, raw = token_create(actor=agent_a_clerk, name="ERP")
    assert raw.startswith(TOKEN_PREFIX)
    token.refresh_from_db()
    assert token.key_hash == hash_token(raw)
    assert raw not in {token.key_hash, token.prefix, token.name}
    assert raw.startswith(token.prefix)
    assert token.user == agent_a_clerk
    assert token.revoked_at is None


def test_token_create_writes_an_audit_event(agent_a_clerk):
    token, _raw = token_create(actor=agent_a_clerk, name="ERP")
    event = AuditEvent.objects.for_target(token).get()
    assert event.action == "api_token.created"
    assert event.actor == agent_a_clerk
    assert event.data == {"name": "ERP"}


def test_token_create_strips_the_name(agent_a_clerk):
    token, _raw = token_create(actor=agent_a_clerk, name="  ERP  ")
    assert token.name == "ERP"


@pytest.mark.parametrize("name", ["", "   ", None])
def test_token_create_refuses_a_blank_name(agent_a_clerk, name):
    with pytest.raises(ValidationFailed) as caught:
        token_create(actor=agent_a_clerk, name=name)
    assert caught.value.code == "accounts.token_name_required"
    assert caught.value.status == 400
    assert list(caught.value.fields) == ["name"]
    assert not ApiToken.objects.exists()


def test_token_create_refuses_a_name_longer_than_80_characters(agent_a_clerk):
    with pytest.raises(ValidationFailed) as caught:
        token_create(actor=agent_a_clerk, name="x" * 81)
    assert caught.value.code == "accounts.token_name_too_long"


def test_token_create_refuses_a_second_active_token_with_the_same_name(agent_a_clerk):
    token_create(actor=agent_a_clerk, name="ERP")
    with pytest.raises(ValidationFailed) as caught:
        token_create(actor=agent_a_clerk, name="ERP")
    assert caught.value.status == 400
    assert caught.value.code == "accounts.token_name_taken"
    assert caught.value.params == {"name": "ERP"}
    assert list(caught.value.fields) == ["name"]
    assert ApiToken.objects.filter(user=agent_a_clerk).count() == 1
    assert AuditEvent.objects.filter(action="api_token.created").count() == 1


def test_a_revoked_tokens_name_can_be_used_again(agent_a_clerk):
    first, _raw = token_create(actor=agent_a_clerk, name="ERP")
    token_revoke(token=first, actor=agent_a_clerk)
    second, _raw = token_create(actor=agent_a_clerk, name="ERP")
    assert second.pk != first.pk


def test_two_users_may_each_have_a_token_with_the_same_name(agent_a_clerk, agent_b_clerk):
    token_create(actor=agent_a_clerk, name="ERP")
    token_create(actor=agent_b_clerk, name="ERP")
    assert ApiToken.objects.filter(name="ERP").count() == 2


def test_an_anonymous_actor_cannot_create_a_token(db):
    with pytest.raises(NotAuthenticated):
        token_create(actor=AnonymousUser(), name="ERP")


def test_a_deactivated_user_cannot_create_a_token(agent_a_clerk):
    agent_a_clerk.is_active = False
    with pytest.raises(PermissionDenied):
        token_create(actor=agent_a_clerk, name="ERP")


# token_revoke ------------------------------------------------------------------


def test_token_revoke_stamps_the_token_and_writes_an_audit_event(agent_a_clerk):
    token, _raw = token_create(actor=agent_a_clerk, name="ERP")
    token_revoke(token=token, actor=agent_a_clerk)
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert AuditEvent.objects.for_target(token).filter(action="api_token.revoked").count() == 1


def test_revoking_a_revoked_token_is_a_409(agent_a_clerk):
    token, _raw = token_create(actor=agent_a_clerk, name="ERP")
    token_revoke(token=token, actor=agent_a_clerk)
    with pytest.raises(Conflict) as caught:
        token_revoke(token=token, actor=agent_a_clerk)
    assert caught.value.status == 409
    assert caught.value.code == "accounts.token_already_revoked"
    assert AuditEvent.objects.for_target(token).filter(action="api_token.revoked").count() == 1


def test_a_user_cannot_revoke_another_users_token(agent_a_clerk, agent_b_clerk):
    token, raw = token_create(actor=agent_a_clerk, name="ERP")
    with pytest.raises(Conflict):
        token_revoke(token=token, actor=agent_b_clerk)
    token.refresh_from_db()
    assert token.revoked_at is None
    assert token_authenticate(raw) == agent_a_clerk


# token_authenticate ---------------------------------------------------------------


def test_token_authenticate_returns_the_tokens_user(agent_a_clerk):
    _token, raw = token_create(actor=agent_a_clerk, name="ERP")
    assert token_authenticate(raw) == agent_a_clerk


@pytest.mark.parametrize("raw", ["", "sbk_", "sbk_nope", "Bearer sbk_x", "not-a-token"])
def test_token_authenticate_refuses_unknown_tokens(agent_a_clerk, raw):
    token_create(actor=agent_a_clerk, name="ERP")
    assert token_authenticate(raw) is None


def test_token_authenticate_refuses_a_revoked_token(agent_a_clerk):
    token, raw = token_create(actor=agent_a_clerk, name="ERP")
    token_revoke(token=token, actor=agent_a_clerk)
    assert token_authenticate(raw) is None


def test_token_authenticate_refuses_a_deactivated_users_token(agent_a_clerk):
    _token, raw = token_create(actor=agent_a_clerk, name="ERP")
    agent_a_clerk.is_active = False
    agent_a_clerk.save(update_fields=["is_active"])
    assert token_authenticate(raw) is None


def test_token_authenticate_records_use_at_most_once_a_minute(agent_a_clerk):
    token, raw = token_create(actor=agent_a_clerk, name="ERP")
    first, _user = count_queries(lambda: token_authenticate(raw))
    token.refresh_from_db()
    stamped = token.last_used_at
    assert stamped is not None
    again, _user = count_queries(lambda: token_authenticate(raw))
    assert again == first - 1  # no write the second time
    token.refresh_from_db()
    assert token.last_used_at == stamped


def test_token_authenticate_records_use_again_after_a_minute(agent_a_clerk):
    token, raw = token_create(actor=agent_a_clerk, name="ERP")
    long_ago = timezone.now() - dt.timedelta(minutes=5)
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=long_ago)
    token_authenticate(raw)
    token.refresh_from_db()
    assert token.last_used_at > long_ago
