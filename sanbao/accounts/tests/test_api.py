"""The accounts API: who may call what, and what it answers."""

from __future__ import annotations

import pytest

from sanbao.accounts.models import Organisation
from sanbao.accounts.roles import PLATFORM_ROLES, Role
from sanbao.core.models import AuditEvent
from sanbao.testkit.cast import api_client_for, login_client_for
from sanbao.testkit.matrix import (
    Case,
    assert_envelope,
    assert_every_operation_has_a_case,
    check,
    matrix,
)

EVERYONE = set(Role.values)
PLATFORM = PLATFORM_ROLES


def _new_org(cast):
    return {"code": "AG-NEW", "kind": "agent", "name_en": "New Agent", "name_zh": "新代理"}


def _created(response, cast):
    assert response.json()["code"] == "AG-NEW"
    assert Organisation.objects.filter(code="AG-NEW").exists()


def _agent_a_url(cast):
    return f"/api/v1/organisations/{cast.agent_a.code}"


def _create_organisation(name, via=None):
    """Only an administrator creates an organisation, by token or (``via``) session."""
    return Case(
        name,
        "POST",
        "/api/v1/organisations",
        allowed_roles={Role.ADMINISTRATOR},
        expect_ok=201,
        body=_new_org,
        via=via,
        on_ok=_created,
    )


CASES = [
    Case("get_me", "GET", "/api/v1/me", allowed_roles=EVERYONE),
    Case("get_me_by_session", "GET", "/api/v1/me", allowed_roles=EVERYONE, via="session"),
    Case("list_organisations", "GET", "/api/v1/organisations", allowed_roles=PLATFORM),
    Case("get_organisation", "GET", _agent_a_url, allowed_roles=PLATFORM, owner_org="agent_a"),
    _create_organisation("create_organisation"),
    _create_organisation("create_organisation_by_session", via="session"),
]


@pytest.mark.parametrize("row", matrix(CASES))
def test_each_endpoint_answers_each_member_of_the_cast_as_declared(cast, row):
    check(cast, row)


def test_every_accounts_operation_has_a_permission_matrix_case(cast):
    assert_every_operation_has_a_case(CASES, cast, tags=["accounts"])


def test_a_refused_create_writes_no_organisation(platform_manager):
    response = api_client_for(platform_manager).post(
        "/api/v1/organisations", data=_new_org(None), content_type="application/json"
    )
    assert_envelope(response, 403, "core.permission_denied")
    assert not Organisation.objects.filter(code="AG-NEW").exists()


# /me ---------------------------------------------------------------------------


def test_me_describes_the_user_their_organisation_and_permissions(agent_a_clerk):
    body = api_client_for(agent_a_clerk).get("/api/v1/me").json()
    assert body["username"] == "agent_a_clerk"
    assert body["role"] == Role.AGENT_CLERK
    assert body["organisation"]["code"] == "AG-A"
    assert body["permissions"] == [
        "catalog.view",
        "claims.create",
        "claims.view",
        "deliveries.receive",
        "deliveries.view",
        "returns.create",
        "returns.view",
        "statements.view",
        "tokens.manage",
        "units.view",
    ]


def test_me_lists_an_administrators_permissions(administrator):
    body = api_client_for(administrator).get("/api/v1/me").json()
    assert body["permissions"] == [
        "audit.view",
        "calendar.manage",
        "calendar.view",
        "catalog.manage",
        "catalog.view",
        "claims.view",
        "dashboard.view",
        "deliveries.manage",
        "deliveries.view",
        "holds.manage",
        "organisations.manage",
        "organisations.view",
        "replacements.decide",
        "retained_parts.view",
        "returns.view",
        "statements.view",
        "tokens.manage",
        "units.import",
        "units.print_cards",
        "units.view",
    ]


def test_me_answers_the_session_user_for_a_logged_in_browser(agent_b_clerk):
    body = login_client_for(agent_b_clerk).get("/api/v1/me").json()
    assert body["username"] == "agent_b_clerk"


# Organisations -------------------------------------------------------------------


def test_organisations_can_be_filtered_by_kind(platform_staff, agent_a, agent_b, enterprise_c):
    body = api_client_for(platform_staff).get("/api/v1/organisations?kind=agent").json()
    assert [o["code"] for o in body["items"]] == ["AG-A", "AG-B"]
    assert body["count"] == 2


def test_an_unknown_organisation_kind_filter_is_a_422(platform_staff):
    response = api_client_for(platform_staff).get("/api/v1/organisations?kind=bank")
    assert_envelope(response, 422, "core.request_invalid")


def test_get_organisation_answers_its_fields(platform_staff, agent_a):
    body = api_client_for(platform_staff).get("/api/v1/organisations/AG-A").json()
    assert (body["code"], body["kind"], body["name_zh"]) == ("AG-A", "agent", agent_a.name_zh)


def test_create_organisation_writes_one_audit_event(administrator):
    response = api_client_for(administrator).post(
        "/api/v1/organisations", data=_new_org(None), content_type="application/json"
    )
    assert response.status_code == 201
    org = Organisation.objects.get(code="AG-NEW")
    assert AuditEvent.objects.for_target(org).filter(action="organisation.created").count() == 1


def test_create_organisation_with_a_taken_code_is_a_400_naming_the_code(administrator, agent_a):
    response = api_client_for(administrator).post(
        "/api/v1/organisations",
        data={**_new_org(None), "code": "AG-A"},
        content_type="application/json",
    )
    body = assert_envelope(response, 400)
    assert "code" in body["fields"]
