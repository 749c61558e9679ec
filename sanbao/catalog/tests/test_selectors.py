"""Who sees which units: platform all, a return unit its own, an outlet one serial
at a time."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from sanbao.catalog import selectors
from sanbao.catalog.models import Unit
from sanbao.catalog.tests.factories import UnitFactory
from sanbao.core.errors import NotAuthenticated, NotFound


@pytest.fixture
def units(unit_of_agent_a, unit_of_agent_b, unit_of_enterprise_c, pb10k):
    unsold = UnitFactory(serial="SBX000001", model=pb10k, channel_org=None)
    return {
        "agent_a": unit_of_agent_a,
        "agent_b": unit_of_agent_b,
        "enterprise_c": unit_of_enterprise_c,
        "none": unsold,
    }


def serials(qs):
    return sorted(qs.values_list("serial", flat=True))


@pytest.mark.parametrize(
    "who", ["platform_staff", "platform_manager", "administrator", "cs_commissioner"]
)
def test_platform_users_list_every_unit(cast, units, who):
    assert serials(selectors.unit_list(actor=getattr(cast, who))) == serials(Unit.objects.all())


def test_an_agent_lists_only_the_units_sold_through_it(agent_a_clerk, units):
    assert serials(selectors.unit_list(actor=agent_a_clerk)) == ["SBA000001"]


def test_an_enterprise_lists_only_the_units_sold_to_it(enterprise_clerk, units):
    assert serials(selectors.unit_list(actor=enterprise_clerk)) == ["SBC000001"]


def test_an_outlet_technician_lists_no_units(outlet_tech, units):
    assert serials(selectors.unit_list(actor=outlet_tech)) == []


def test_filters_never_widen_an_agents_view(agent_a_clerk, units):
    assert serials(selectors.unit_list(actor=agent_a_clerk, channel_org="AG-B")) == []
    assert serials(selectors.unit_list(actor=agent_a_clerk, serial="SB")) == ["SBA000001"]


def test_unit_list_filters_by_serial_prefix_model_category_region_and_dates(
    platform_staff, units, pb20k
):
    def listed(**filters):
        return serials(selectors.unit_list(actor=platform_staff, **filters))

    assert listed(serial="sbb") == ["SBB000001"]
    assert listed(model="PB20K") == ["SBC000001"]
    assert listed(category="power-bank") == serials(Unit.objects.all())
    assert listed(region="hong_kong") == []
    assert listed(channel_org="EN-C") == ["SBC000001"]
    assert listed(authorised=False) == []
    assert listed(sold_from="2025-06-01", sold_to="2025-06-01") == [
        "SBA000001",
        "SBB000001",
        "SBC000001",
    ]
    assert listed(sold_to="2025-05-31") == ["SBX000001"]  # the factory's sale date


def test_an_agent_gets_its_own_unit_by_serial(agent_a_clerk, units):
    assert selectors.unit_get(actor=agent_a_clerk, serial="SBA000001") == units["agent_a"]


@pytest.mark.parametrize("who", ["agent_a_clerk", "enterprise_clerk"])
def test_another_return_units_serial_is_not_found(cast, units, who):
    with pytest.raises(NotFound) as caught:
        selectors.unit_get(actor=getattr(cast, who), serial="SBB000001")
    assert caught.value.code == "catalog.unit_not_found"


def test_an_outlet_technician_gets_any_unit_by_its_exact_serial(outlet_tech, units):
    for unit in units.values():
        assert selectors.unit_get(actor=outlet_tech, serial=f" {unit.serial} ") == unit


def test_an_outlet_technician_cannot_find_a_unit_by_a_prefix(outlet_tech, units):
    with pytest.raises(NotFound):
        selectors.unit_get(actor=outlet_tech, serial="SBA")


def test_an_unknown_serial_is_not_found_even_for_the_platform(platform_staff, units):
    with pytest.raises(NotFound) as caught:
        selectors.unit_get(actor=platform_staff, serial="NOPE0000")
    assert caught.value.code == "catalog.unit_not_found"


def test_anonymous_readers_are_refused_as_not_authenticated(db):
    with pytest.raises(NotAuthenticated):
        selectors.unit_list(actor=AnonymousUser())
    assert not Unit.objects.visible_to(AnonymousUser()).exists()


def test_categories_are_listed_with_their_model_count(agent_a_clerk, pb10k, pb20k, ad65):
    counts = {c.code: c.model_count for c in selectors.category_list(actor=agent_a_clerk)}
    assert counts == {"adapter": 1, "power-bank": 2}


def test_category_and_model_codes_are_found_case_insensitively(agent_a_clerk, pb10k):
    assert selectors.category_get(actor=agent_a_clerk, code="POWER-BANK") == pb10k.category
    assert selectors.product_model_get(actor=agent_a_clerk, code="pb10k") == pb10k


def test_product_models_are_searched_by_code_or_name(agent_a_clerk, pb10k, pb20k, ad65):
    def found(**kwargs):
        return [m.code for m in selectors.product_model_list(actor=agent_a_clerk, **kwargs)]

    assert found(q="20k") == ["PB20K"]
    assert found(q="氮化镓") == ["AD65"]
    assert found(category="power-bank") == ["PB10K", "PB20K"]


def test_home_figures_count_only_what_the_actor_may_see(agent_b_clerk, outlet_tech, units):
    assert selectors.home_figures(actor=agent_b_clerk)["unit_count"] == 1
    assert selectors.home_figures(actor=outlet_tech)["unit_count"] == 0
