"""Users belong to one organisation with a role its kind allows."""

from __future__ import annotations

import pytest

from sanbao.accounts.models import User
from sanbao.accounts.roles import ROLES_BY_KIND, OrgKind, Role
from sanbao.accounts.services import user_create
from sanbao.accounts.tests.factories import OrganisationFactory
from sanbao.core.errors import PermissionDenied, ValidationFailed
from sanbao.core.models import AuditEvent

WRONG_PAIRS = [
    (kind, role)
    for kind in OrgKind.values
    for role in Role.values
    if role not in ROLES_BY_KIND[kind]
]
RIGHT_PAIRS = [(kind, role) for kind in OrgKind.values for role in sorted(ROLES_BY_KIND[kind])]


@pytest.mark.parametrize(("kind", "role"), WRONG_PAIRS)
def test_user_create_refuses_a_role_not_allowed_for_the_organisation_kind(db, kind, role):
    org = OrganisationFactory(kind=kind)
    with pytest.raises(ValidationFailed) as caught:
        user_create(actor=None, organisation=org, username="u", password="pw-12345", role=role)
    assert caught.value.status == 400
    assert caught.value.code == "accounts.role_not_for_kind"
    assert caught.value.params == {"role": role, "kind": kind}
    assert list(caught.value.fields) == ["role"]
    assert not User.objects.filter(username="u").exists()


@pytest.mark.parametrize(("kind", "role"), RIGHT_PAIRS)
def test_user_create_accepts_each_role_its_organisation_kind_allows(db, kind, role):
    org = OrganisationFactory(kind=kind)
    user = user_create(actor=None, organisation=org, username="u", password="pw-12345", role=role)
    assert (user.organisation, user.role) == (org, role)
    assert user.check_password("pw-12345")


def test_user_create_by_a_system_job_writes_an_audit_event_labelled_system(agent_a):
    user = user_create(
        actor=None, organisation=agent_a, username="u", password="pw", role=Role.AGENT_CLERK
    )
    event = AuditEvent.objects.for_target(user).get()
    assert (event.action, event.actor_label, event.actor) == ("user.created", "system", None)
    assert event.data == {"role": Role.AGENT_CLERK}


def test_an_administrator_creates_users_and_is_named_in_the_audit_event(administrator, agent_a):
    user = user_create(
        actor=administrator,
        organisation=agent_a,
        username="u",
        password="pw",
        role=Role.AGENT_CLERK,
    )
    assert AuditEvent.objects.for_target(user).get().actor == administrator


@pytest.mark.parametrize("actor", ["platform_staff", "platform_manager", "agent_a_clerk"])
def test_only_an_administrator_may_create_users(cast, agent_a, actor):
    with pytest.raises(PermissionDenied):
        user_create(
            actor=getattr(cast, actor),
            organisation=agent_a,
            username="u",
            password="pw",
            role=Role.AGENT_CLERK,
        )
    assert not User.objects.filter(username="u").exists()
