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


@pytest.mark.parametrize(
    ("who", "unit_count", "audience", "can_import"),
    [
        ("agent_a_clerk", 1, "return_unit", False),  # only the units sold through agent A
        ("platform_staff", 3, "platform", True),  # every unit
        ("outlet_tech", 0, "outlet", False),  # an outlet counts none
    ],
)
def test_home_counts_the_units_the_user_may_see_and_offers_the_import_to_platform_staff(
    cast,
    unit_of_agent_a,
    unit_of_agent_b,
    unit_of_enterprise_c,
    who,
    unit_count,
    audience,
    can_import,
):
    context = login_client_for(getattr(cast, who)).get(reverse("home")).context
    assert context["unit_count"] == unit_count
    assert context["audience"] == audience
    assert context["can_import"] is can_import
