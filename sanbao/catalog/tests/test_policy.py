"""Pure catalog rules: "not lower" replacements (II.3) and the scope of sale (I.1)."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from sanbao.catalog.models import Region
from sanbao.catalog.policy import SPEC_FIELDS, ModelSpecs, is_not_lower, region_in_scope

CATEGORIES = ["power-bank", "adapter", "cable", "headphones"]

spec_values = {
    "capacity_mah": st.none() | st.integers(min_value=0, max_value=50_000),
    "rated_output_w": st.none()
    | st.decimals(min_value=0, max_value=300, places=1, allow_nan=False, allow_infinity=False),
    "port_count": st.none() | st.integers(min_value=0, max_value=8),
    "battery_life_h": st.none()
    | st.decimals(min_value=0, max_value=100, places=1, allow_nan=False, allow_infinity=False),
}


@st.composite
def models(draw, category=None, code=None):
    return ModelSpecs(
        code=code or draw(st.text("ABCDEFGHKMNPRSTWXYZ0123456789", min_size=2, max_size=8)),
        category=category or draw(st.sampled_from(CATEGORIES)),
        **{name: draw(strategy) for name, strategy in spec_values.items()},
    )


def raised(specs: ModelSpecs, code: str, data) -> ModelSpecs:
    """A model of the same category with every spec at least as high (some may be
    stated where the original states none)."""
    values = {}
    for name in SPEC_FIELDS:
        value = getattr(specs, name)
        if value is None:
            values[name] = data.draw(spec_values[name])
        else:
            bump = data.draw(st.integers(min_value=0, max_value=1000))
            values[name] = type(value)(value + bump)
    return replace(specs, code=code, **values)


@pytest.mark.clause("II.3")
@given(models())
def test_a_model_is_not_lower_than_itself(original):
    assert is_not_lower(original, original).ok


@pytest.mark.clause("II.3")
@given(models())
def test_the_same_model_is_always_an_acceptable_replacement(original):
    verdict = is_not_lower(original, replace(original))
    assert (verdict.ok, verdict.reason, verdict.shortfalls) == (True, "same_model", ())


@pytest.mark.clause("II.3")
@given(models(code="ORIG"), st.data())
def test_a_model_with_every_spec_at_least_as_high_is_not_lower(original, data):
    assume(states_a_spec(original))
    candidate = raised(original, "CAND", data)
    verdict = is_not_lower(original, candidate)
    assert (verdict.ok, verdict.reason) == (True, "not_lower")


@pytest.mark.clause("II.3")
@given(models(code="A"), st.data())
def test_not_lower_is_transitive(a, data):
    assume(states_a_spec(a))
    b = raised(a, "B", data)
    c = raised(b, "C", data)
    assert is_not_lower(a, b).ok and is_not_lower(b, c).ok
    assert is_not_lower(a, c).ok


@pytest.mark.clause("II.3")
@given(models(code="A"), models(code="B"), models(code="C"))
def test_not_lower_is_transitive_over_any_three_models(a, b, c):
    if is_not_lower(a, b).ok and is_not_lower(b, c).ok:
        assert is_not_lower(a, c).ok


def states_a_spec(model) -> bool:
    return any(getattr(model, name) is not None for name in SPEC_FIELDS)


@pytest.mark.clause("II.3")
@given(models(code="ORIG"), models(code="CAND"))
def test_no_other_model_is_not_lower_than_one_stating_no_specs(original, candidate):
    """Issue 10, item 6: with nothing to compare, only the same model will do."""
    original = replace(original, **dict.fromkeys(SPEC_FIELDS))
    candidate = replace(candidate, category=original.category)
    verdict = is_not_lower(original, candidate)
    assert (verdict.ok, verdict.reason) == (False, "no_specs")


@pytest.mark.clause("II.3")
@given(models(code="ORIG"), st.sampled_from(CATEGORIES), st.data())
def test_a_model_of_another_category_is_refused_whatever_its_specs(original, other, data):
    assume(other != original.category)
    candidate = replace(raised(original, "CAND", data), category=other)
    verdict = is_not_lower(original, candidate)
    assert (verdict.ok, verdict.reason) == (False, "other_category")


@pytest.mark.clause("II.3")
@given(models(code="ORIG"), st.data())
def test_lowering_any_stated_spec_is_refused_naming_exactly_the_lowered_specs(original, data):
    stated = [name for name in SPEC_FIELDS if getattr(original, name) is not None]
    assume(stated)
    lowered = data.draw(st.sets(st.sampled_from(stated), min_size=1))
    assume(all(getattr(original, name) > 0 for name in lowered))
    candidate = replace(original, code="CAND")
    for name in lowered:
        value = getattr(original, name)
        step = Decimal("0.1") if isinstance(value, Decimal) else 1
        candidate = replace(candidate, **{name: value - step})
    verdict = is_not_lower(original, candidate)
    assert (verdict.ok, verdict.reason) == (False, "lower_spec")
    assert set(verdict.shortfalls) == lowered
    assert list(verdict.shortfalls) == [n for n in SPEC_FIELDS if n in lowered]


@pytest.mark.clause("II.3")
@given(models(code="ORIG"), st.data())
def test_a_candidate_that_does_not_state_a_spec_the_original_states_is_refused(original, data):
    stated = [name for name in SPEC_FIELDS if getattr(original, name) is not None]
    assume(stated)
    missing = data.draw(st.sampled_from(stated))
    candidate = replace(raised(original, "CAND", data), **{missing: None})
    verdict = is_not_lower(original, candidate)
    assert not verdict.ok
    assert missing in verdict.shortfalls


@pytest.mark.clause("II.3")
def test_a_spec_the_original_does_not_state_is_not_compared():
    original = ModelSpecs("AD30", "adapter", rated_output_w=Decimal("30"))
    candidate = ModelSpecs("AD65", "adapter", rated_output_w=Decimal("65"), port_count=0)
    assert is_not_lower(original, candidate).ok


@pytest.mark.clause("II.3")
def test_model_specs_are_read_from_a_product_model(pb10k):
    specs = ModelSpecs.of(pb10k)
    assert specs == ModelSpecs("PB10K", "power-bank", 10000, Decimal("22.5"), 2, None)


@pytest.mark.clause("I.1")
def test_a_unit_sold_in_mainland_china_is_in_scope():
    assert region_in_scope(Region.MAINLAND)
    assert region_in_scope("mainland")


@pytest.mark.clause("I.1")
@pytest.mark.parametrize("region", ["hong_kong", "macau", "taiwan", "overseas"])
def test_a_unit_sold_outside_the_mainland_is_out_of_scope(region):
    assert not region_in_scope(region)


@pytest.mark.clause("I.1")
@pytest.mark.parametrize("region", Region.values)
def test_a_units_in_scope_flag_follows_its_region_of_sale(region):
    from sanbao.catalog.models import Unit

    assert Unit(region=region).in_scope is (region == "mainland")
