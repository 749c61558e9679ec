"""Organisations are created by an administrator, validated, and audited."""

from __future__ import annotations

import pytest

from sanbao.accounts.models import Organisation
from sanbao.accounts.services import organisation_create
from sanbao.core.errors import PermissionDenied, ValidationFailed
from sanbao.core.models import AuditEvent

FIELDS = {"code": "AG-NEW", "kind": "agent", "name_en": "New Agent", "name_zh": "新代理"}


def test_an_administrator_creates_an_organisation_and_an_audit_event(administrator):
    org = organisation_create(actor=administrator, **FIELDS)
    assert Organisation.objects.get(code="AG-NEW") == org
    event = AuditEvent.objects.for_target(org).get()
    assert (event.action, event.actor) == ("organisation.created", administrator)


@pytest.mark.parametrize("actor", ["platform_manager", "platform_staff", "agent_a_clerk"])
def test_only_an_administrator_creates_organisations(cast, actor):
    with pytest.raises(PermissionDenied):
        organisation_create(actor=getattr(cast, actor), **FIELDS)
    assert not Organisation.objects.filter(code="AG-NEW").exists()


def test_an_organisation_with_an_unknown_kind_is_refused_naming_the_field(administrator):
    with pytest.raises(ValidationFailed) as caught:
        organisation_create(actor=administrator, **{**FIELDS, "kind": "bank"})
    assert caught.value.status == 400
    assert "kind" in caught.value.fields
    assert not Organisation.objects.filter(code="AG-NEW").exists()


def test_a_taken_code_is_refused_naming_the_field_and_writes_nothing(administrator, agent_a):
    events = AuditEvent.objects.count()
    with pytest.raises(ValidationFailed) as caught:
        organisation_create(actor=administrator, **{**FIELDS, "code": agent_a.code})
    assert caught.value.status == 400
    assert "code" in caught.value.fields
    assert Organisation.objects.filter(code=agent_a.code).count() == 1
    assert AuditEvent.objects.count() == events


def test_a_taken_code_is_refused_with_its_own_stable_code(administrator, agent_a):
    with pytest.raises(ValidationFailed) as caught:
        organisation_create(actor=administrator, **{**FIELDS, "code": agent_a.code})
    assert caught.value.code == "accounts.organisation_code_taken"
