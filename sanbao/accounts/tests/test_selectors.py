"""Reads on organisations and tokens are scoped to the actor."""

from __future__ import annotations

import pytest

from sanbao.accounts import selectors
from sanbao.accounts.models import ApiToken, Organisation
from sanbao.accounts.services import token_create
from sanbao.core.errors import NotFound, PermissionDenied

ALL_ORGS = ["platform_org", "agent_a", "agent_b", "enterprise_c", "outlet_d"]


@pytest.fixture
def all_orgs(cast):
    return [getattr(cast, name) for name in ALL_ORGS]


@pytest.mark.parametrize(
    "who",
    ["platform_staff", "platform_manager", "administrator", "commercial_commissioner"],
)
def test_platform_users_list_every_organisation(cast, all_orgs, who):
    assert set(selectors.organisation_list(actor=getattr(cast, who))) == set(all_orgs)


def test_organisation_list_filters_by_kind(platform_staff, all_orgs, agent_a, agent_b):
    assert set(selectors.organisation_list(actor=platform_staff, kind="agent")) == {
        agent_a,
        agent_b,
    }


@pytest.mark.parametrize("who", ["agent_a_clerk", "enterprise_clerk", "outlet_tech"])
def test_other_roles_may_not_list_organisations(cast, who):
    with pytest.raises(PermissionDenied):
        selectors.organisation_list(actor=getattr(cast, who))


def test_organisation_get_finds_by_code_and_reports_a_missing_one_as_not_found(
    platform_staff, agent_a
):
    assert selectors.organisation_get(actor=platform_staff, code="AG-A") == agent_a
    with pytest.raises(NotFound) as caught:
        selectors.organisation_get(actor=platform_staff, code="AG-ZZ")
    assert caught.value.code == "accounts.organisation_not_found"


def test_a_non_platform_user_sees_only_their_own_organisation(agent_a_clerk, all_orgs, agent_a):
    assert list(Organisation.objects.visible_to(agent_a_clerk)) == [agent_a]


def test_a_user_lists_only_their_own_tokens(agent_a_clerk, agent_b_clerk, platform_manager):
    mine, _raw = token_create(actor=agent_a_clerk, name="ERP")
    token_create(actor=agent_b_clerk, name="ERP")
    token_create(actor=platform_manager, name="BI")
    assert list(selectors.token_list(actor=agent_a_clerk)) == [mine]


def test_even_a_manager_cannot_get_another_users_token(agent_a_clerk, platform_manager):
    token, _raw = token_create(actor=agent_a_clerk, name="ERP")
    with pytest.raises(NotFound) as caught:
        selectors.token_get(actor=platform_manager, pk=token.pk)
    assert caught.value.code == "accounts.token_not_found"
    assert selectors.token_get(actor=agent_a_clerk, pk=token.pk) == token
    assert ApiToken.objects.count() == 1
