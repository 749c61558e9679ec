"""``core.sorting``: a list's orders, the ORDER BY each means, and what an unknown
one answers (issue 15 item 2)."""

from __future__ import annotations

import pytest
from django.db.models import F

from sanbao.core.errors import ValidationFailed
from sanbao.core.sorting import Sorting, SortKey

SORTS = Sorting(
    SortKey("submitted", "Submitted", "created_at"),
    SortKey("number", "Claim", "number", unique=True),
    SortKey("model", "Model", "model__code", "created_at"),
    default="-submitted",
)


def test_each_key_is_offered_ascending_and_descending():
    assert SORTS.values() == ["submitted", "-submitted", "number", "-number", "model", "-model"]


def test_an_order_ends_with_the_unique_tiebreak_in_the_same_direction():
    assert SORTS.order_by("submitted") == [
        F("created_at").asc(nulls_last=True),
        F("pk").asc(nulls_last=True),
    ]
    assert SORTS.order_by("-model") == [
        F("model__code").desc(nulls_first=True),
        F("created_at").desc(nulls_first=True),
        F("pk").desc(nulls_first=True),
    ]


def test_a_unique_key_needs_no_tiebreak():
    assert SORTS.order_by("-number") == [F("number").desc(nulls_first=True)]


def test_no_order_is_the_default_one():
    assert SORTS.order_by(None) == SORTS.order_by("") == SORTS.order_by("-submitted")


@pytest.mark.parametrize("value", ["bogus", "--number", "number ", "created_at", "-pk"])
def test_an_unknown_order_is_refused_about_the_sort_field(value):
    with pytest.raises(ValidationFailed) as raised:
        SORTS.order_by(value)
    assert raised.value.code == "core.sort_unknown"
    assert list(raised.value.field_messages()) == ["sort"]


def test_the_select_offers_the_default_first_then_every_other_order():
    values = [value for value, _label in SORTS.choices()]
    assert values[0] == "-submitted"
    assert sorted(values) == sorted(SORTS.values())


def test_a_declaration_with_a_default_not_among_its_keys_is_refused():
    with pytest.raises(ValueError):
        Sorting(SortKey("a", "A", "a"), default="b")
    with pytest.raises(ValueError):
        Sorting(SortKey("a", "A", "a"), SortKey("a", "B", "b"), default="a")


def test_the_apis_type_lists_every_order():
    from pydantic import TypeAdapter, ValidationError

    adapter = TypeAdapter(SORTS.literal())
    assert adapter.validate_python("-model") == "-model"
    with pytest.raises(ValidationError):
        adapter.validate_python("bogus")
