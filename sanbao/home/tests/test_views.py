"""The home page: who may open it (the permission matrix) and what it shows."""

from __future__ import annotations

import pytest
from django.urls import reverse

from sanbao.accounts.roles import Role
from sanbao.testkit.cast import login_client_for
from sanbao.testkit.matrix import Case, check, matrix

CASES = [Case("home", "GET", "/", allowed_roles=set(Role.values))]


@pytest.mark.parametrize("row", matrix(CASES))
def test_each_page_answers_each_member_of_the_cast_as_declared(cast, row):
    check(cast, row)


def test_home_counts_only_the_units_an_agent_may_see(
    agent_a_clerk, unit_of_agent_a, unit_of_agent_b, unit_of_enterprise_c
):
    response = login_client_for(agent_a_clerk).get(reverse("home"))
    assert response.context["unit_count"] == 1
    assert response.context["audience"] == "return_unit"
    assert response.context["can_import"] is False


def test_home_counts_every_unit_for_platform_staff(
    platform_staff, unit_of_agent_a, unit_of_agent_b, unit_of_enterprise_c
):
    response = login_client_for(platform_staff).get(reverse("home"))
    assert response.context["unit_count"] == 3
    assert response.context["audience"] == "platform"
    assert response.context["can_import"] is True


def test_home_for_an_outlet_technician_counts_no_units(outlet_tech, unit_of_agent_a):
    response = login_client_for(outlet_tech).get(reverse("home"))
    assert response.context["audience"] == "outlet"
    assert response.context["unit_count"] == 0
