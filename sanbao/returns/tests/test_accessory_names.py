"""Issue 10, item 18: accessory names (IV.P1) read in the reader's language, and a
known accessory typed in Chinese counts as the same accessory."""

from __future__ import annotations

import pytest
from django.template import Context, Template
from django.utils import translation

from sanbao.catalog import accessories
from sanbao.returns.policy import LineFacts, packing_problems


@pytest.mark.parametrize(
    ("language", "expected"),
    [("zh-hans", "数据线、说明书、Spare strap"), ("en", "data cable, manual, Spare strap")],
)
def test_a_list_of_accessories_reads_in_the_readers_language(language, expected):
    page = Template("{% load catalog_labels %}{{ names|accessories }}")
    with translation.override(language):
        assert page.render(Context({"names": ["data cable", "Manual ", "Spare strap"]})) == expected


def test_a_known_accessory_typed_in_chinese_is_stored_by_its_english_name():
    assert accessories.canonical(" 数据线 ") == "data cable"
    assert accessories.canonical("DATA  cable") == "data cable"
    assert accessories.canonical("备用 挂绳") == "备用 挂绳"


@pytest.mark.clause("IV.P1")
def test_a_data_cable_listed_in_chinese_satisfies_the_power_bank_rule():
    def line(accessories_packed):
        return LineFacts(
            line_no=1,
            category="power-bank",
            quantity=1,
            box_no=1,
            accessories=frozenset(accessories_packed),
            required_accessories=frozenset({"data cable"}),
        )

    assert not [
        p
        for p in packing_problems([line({"数据线"})], freight="prepaid", home_delivery=False)
        if p.clause == "IV.P1"
    ]
    assert [
        p.clause
        for p in packing_problems([line({"说明书"})], freight="prepaid", home_delivery=False)
        if p.clause == "IV.P1"
    ] == ["IV.P1"]
