"""The test cast and the permission-matrix helper are themselves right."""

from __future__ import annotations

import pytest

from sanbao.accounts.roles import ROLES_BY_KIND, Role
from sanbao.core.models import AuditEvent
from sanbao.testkit.cast import CAST_ORGS, CAST_USERS
from sanbao.testkit.matrix import Case, Row, matrix


@pytest.mark.parametrize("name", list(CAST_USERS))
def test_every_cast_member_has_the_declared_role_in_the_declared_organisation(cast, name):
    user = getattr(cast, name)
    member = CAST_USERS[name]
    assert user.username == name
    assert user.role == member.role
    assert user.organisation == getattr(cast, member.org)
    assert user.role in ROLES_BY_KIND[user.organisation.kind]
    assert user.check_password("cast-password-2026")


def test_cast_users_are_made_by_the_user_create_service(cast):
    user = cast.agent_a_clerk
    assert AuditEvent.objects.for_target(user).filter(action="user.created").count() == 1


def test_the_cast_has_one_user_per_role():
    assert sorted(m.role for m in CAST_USERS.values() if m.role != Role.AGENT_CLERK) == sorted(
        set(Role.values) - {Role.AGENT_CLERK}
    )
    assert sum(m.role == Role.AGENT_CLERK for m in CAST_USERS.values()) == 2
    assert {m.org for m in CAST_USERS.values()} == set(CAST_ORGS)


UNIT = Case(
    "get_unit",
    "GET",
    "/api/v1/units/X",
    allowed_roles={Role.AGENT_CLERK, Role.AFTERSALES_STAFF, Role.OUTLET_TECHNICIAN},
    owner_org="agent_a",
    cross_org_roles={Role.AFTERSALES_STAFF, Role.OUTLET_TECHNICIAN},
)


def test_a_right_role_in_the_owning_organisation_expects_success():
    assert UNIT.expected("agent_a_clerk") == 200


def test_a_right_role_in_another_organisation_expects_404_not_403():
    assert UNIT.expected("agent_b_clerk") == 404


def test_a_wrong_role_expects_403_whatever_its_organisation():
    assert UNIT.expected("enterprise_clerk") == 403
    assert UNIT.expected("administrator") == 403


def test_cross_organisation_roles_expect_success_on_any_record():
    assert UNIT.expected("platform_staff") == 200
    assert UNIT.expected("outlet_tech") == 200


def test_without_an_owner_organisation_no_one_expects_404():
    case = Case("list", "GET", "/api/v1/units", allowed_roles=set(Role.values))
    assert {case.expected(name) for name in CAST_USERS} == {200}


def test_matrix_has_anonymous_and_every_cast_member_for_every_case():
    params = matrix([UNIT])
    assert len(params) == 1 + len(CAST_USERS)
    assert params[0].values[0] == Row(UNIT, None)
    assert "get_unit-agent_b_clerk-404" in {p.id for p in params}


def test_matrix_refuses_two_cases_with_one_name():
    with pytest.raises(ValueError):
        matrix([UNIT, UNIT])


def test_matrix_refuses_a_case_no_role_may_use():
    with pytest.raises(ValueError):
        matrix([Case("nobody", "GET", "/x", allowed_roles=set())])


def test_the_query_count_helper_catches_a_query_per_row(pb10k):
    from sanbao.catalog.models import Unit
    from sanbao.catalog.tests.factories import UnitFactory
    from sanbao.testkit.queries import assert_list_queries_flat

    def one_query_per_row():
        return [unit.model.category.code for unit in Unit.objects.all()]

    with pytest.raises(AssertionError, match="grew"):
        assert_list_queries_flat(one_query_per_row, UnitFactory.create_batch, ceiling=100)


def test_the_query_count_helper_enforces_its_ceiling(pb10k):
    from sanbao.catalog.models import Unit
    from sanbao.catalog.tests.factories import UnitFactory
    from sanbao.testkit.queries import assert_list_queries_flat

    def two_queries():
        return Unit.objects.count(), list(Unit.objects.select_related("model__category"))

    with pytest.raises(AssertionError, match="ceiling"):
        assert_list_queries_flat(two_queries, UnitFactory.create_batch, ceiling=1)
