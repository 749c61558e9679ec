"""The pure rules of returns to the factory (policy.py): the packing rules checked
before a batch is submitted (IV.P1, IV.P3-IV.P6), the receipt arithmetic where the
physical count prevails (IV.1, IV.4), the fault-label codes (IV.3) and the page
count of the repair list (IV.2). No database."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sanbao.returns import policy
from sanbao.returns.policy import COD, PREPAID, LineCount, LineFacts


def power_bank(line_no=1, box_no=1, accessories=("data cable",), quantity=1):
    return LineFacts(
        line_no=line_no,
        category="power-bank",
        quantity=quantity,
        box_no=box_no,
        accessories=frozenset(accessories),
        required_accessories=frozenset({"data cable"}),
    )


def adapter(line_no=1, box_no=1, bundled=True):
    return LineFacts(
        line_no=line_no,
        category="adapter",
        quantity=5,
        box_no=box_no,
        must_be_bundled=True,
        bundled=bundled,
    )


def problems(lines, freight=PREPAID, home_delivery=True):
    return policy.packing_problems(lines, freight=freight, home_delivery=home_delivery)


def codes(found) -> list[tuple[str, str, int | None]]:
    return [(p.clause, p.code, p.line_no) for p in found]


def test_a_well_packed_prepaid_home_delivered_batch_has_no_problem():
    lines = [power_bank(1, box_no=1), power_bank(2, box_no=1), adapter(3, box_no=2)]
    assert problems(lines) == []


def test_a_packing_list_without_lines_is_refused():
    assert codes(problems([])) == [("IV.1", "returns.no_lines", None)]


# IV.P1 Accessories --------------------------------------------------------------------


@pytest.mark.clause("IV.P1")
def test_a_power_bank_line_without_its_data_cable_is_a_problem_on_that_line():
    found = problems([power_bank(1), power_bank(2, accessories=("manual",))])
    assert codes(found) == [("IV.P1", "returns.accessories_missing", 2)]
    assert found[0].params == {"missing": "data cable"}
    assert found[0].blocking


@pytest.mark.clause("IV.P1")
@pytest.mark.parametrize(
    "written", [("Data Cable",), (" DATA CABLE ",), ("data cable", "Box"), ("data  cable",)]
)
def test_required_accessories_are_matched_without_regard_to_case_or_spacing(written):
    assert problems([power_bank(accessories=written)]) == []


@pytest.mark.clause("IV.P1")
@pytest.mark.parametrize("written", [(), ("cable",), ("data cables",), ("",), ("manual",)])
def test_anything_but_the_required_accessory_leaves_it_missing(written):
    found = problems([power_bank(accessories=written)])
    assert codes(found) == [("IV.P1", "returns.accessories_missing", 1)]


@pytest.mark.clause("IV.P1")
def test_every_missing_accessory_is_named_in_order():
    line = LineFacts(
        line_no=4,
        category="power-bank",
        quantity=1,
        box_no=1,
        accessories=frozenset({"Pouch"}),
        required_accessories=frozenset({"data cable", "pouch", "Charger"}),
    )
    (found,) = problems([line])
    assert found.params == {"missing": "charger, data cable"}


@pytest.mark.clause("IV.P1")
@given(
    required=st.sets(st.sampled_from(["data cable", "pouch", "charger", "manual"])),
    included=st.sets(st.sampled_from(["Data Cable", "POUCH", "charger ", "manual", "box"])),
)
def test_a_line_has_an_accessory_problem_exactly_when_a_required_one_is_absent(required, included):
    line = LineFacts(
        line_no=1,
        category="power-bank",
        quantity=1,
        box_no=1,
        accessories=frozenset(included),
        required_accessories=frozenset(required),
    )
    absent = {r.casefold() for r in required} - {i.strip().casefold() for i in included}
    found = [p for p in problems([line]) if p.clause == "IV.P1"]
    assert bool(found) == bool(absent)
    if found:
        assert found[0].params["missing"] == ", ".join(sorted(absent))


# IV.P3 One category per box ---------------------------------------------------------------


@pytest.mark.clause("IV.P3")
def test_a_box_mixing_categories_is_one_problem_naming_the_box_and_its_categories():
    lines = [power_bank(1, box_no=1), adapter(2, box_no=1), adapter(3, box_no=2)]
    found = problems(lines)
    assert codes(found) == [("IV.P3", "returns.box_mixes_categories", None)]
    assert found[0].params == {"box": 1, "categories": "adapter, power-bank"}
    assert found[0].blocking


@pytest.mark.clause("IV.P3")
def test_one_category_spread_over_several_boxes_is_fine():
    assert problems([power_bank(n, box_no=n) for n in range(1, 5)]) == []


@pytest.mark.clause("IV.P3")
@given(
    st.lists(
        st.tuples(st.sampled_from(["power-bank", "adapter", "cable"]), st.integers(1, 4)),
        min_size=1,
        max_size=12,
    )
)
def test_there_is_one_mixing_problem_per_box_holding_more_than_one_category(placed):
    lines = [
        LineFacts(line_no=n, category=category, quantity=1, box_no=box)
        for n, (category, box) in enumerate(placed, start=1)
    ]
    boxes: dict[int, set[str]] = {}
    for category, box in placed:
        boxes.setdefault(box, set()).add(category)
    mixed = sorted(box for box, cats in boxes.items() if len(cats) > 1)
    found = [p for p in problems(lines) if p.clause == "IV.P3"]
    assert [p.params["box"] for p in found] == mixed


# IV.P4 Bundling ------------------------------------------------------------------------------


@pytest.mark.clause("IV.P4")
def test_an_adapter_line_not_bundled_with_a_tie_is_a_problem_on_that_line():
    found = problems([adapter(1), adapter(2, bundled=False)])
    assert codes(found) == [("IV.P4", "returns.not_bundled", 2)]
    assert found[0].blocking


@pytest.mark.clause("IV.P4")
def test_a_category_that_need_not_be_bundled_is_not_asked_to_be():
    assert problems([power_bank(1)]) == []  # power_bank's bundled is False


# IV.P5 Cash on delivery ---------------------------------------------------------------------


@pytest.mark.clause("IV.P5")
def test_cash_on_delivery_is_a_blocking_problem_of_the_batch():
    found = problems([power_bank()], freight=COD)
    assert codes(found) == [("IV.P5", "returns.cash_on_delivery_refused", None)]
    assert found[0].blocking


# IV.P6 Home delivery -------------------------------------------------------------------------


@pytest.mark.clause("IV.P6")
def test_no_home_delivery_is_allowed_but_recorded_as_the_shippers_extra_cost():
    found = problems([power_bank()], home_delivery=False)
    assert codes(found) == [("IV.P6", "returns.extra_cost_to_shipper", None)]
    assert not found[0].blocking


@pytest.mark.clause("IV.P5")
@pytest.mark.clause("IV.P6")
def test_every_rule_broken_at_once_is_reported_at_once():
    lines = [power_bank(1, accessories=()), adapter(2, box_no=1, bundled=False)]
    found = problems(lines, freight=COD, home_delivery=False)
    assert sorted(p.clause for p in found) == ["IV.P1", "IV.P3", "IV.P4", "IV.P5", "IV.P6"]
    assert [p.clause for p in found if not p.blocking] == ["IV.P6"]


# IV.1, IV.4 Receipt --------------------------------------------------------------------------


def test_a_receipt_that_matches_the_list_has_no_difference():
    counts = [LineCount(1, 5, 5), LineCount(2, 3, 3)]
    assert policy.receipt_differences(counts, declared_boxes=2, received_boxes=2) == []


@pytest.mark.clause("IV.4")
def test_each_kind_of_difference_is_reported_with_its_line_and_figures():
    counts = [
        LineCount(1, 5, 4),
        LineCount(2, 3, 4),
        LineCount(3, 2, 2, frozenset({"pouch", "data cable"})),
    ]
    diffs = policy.receipt_differences(
        counts, declared_boxes=3, received_boxes=2, unlisted=2, unlabelled=1
    )
    assert [(d.kind, d.line_no, d.expected, d.found, d.detail) for d in diffs] == [
        ("missing_units", 1, 5, 4, ""),
        ("extra_units", 2, 3, 4, ""),
        ("accessories", 3, 0, 0, "data cable, pouch"),
        ("unlisted_units", None, 0, 2, ""),
        ("unlabelled_units", None, 0, 1, ""),
        ("boxes", None, 3, 2, ""),
    ]


line_counts = st.lists(
    st.builds(
        LineCount,
        line_no=st.integers(1, 500),
        declared=st.integers(1, 999),
        counted=st.integers(0, 1200),
    ),
    max_size=30,
)


@pytest.mark.clause("IV.1")
@given(counts=line_counts, unlisted=st.integers(0, 50), unplaced=st.integers(0, 50))
def test_the_received_total_is_every_unit_counted_listed_or_not_whatever_was_declared(
    counts, unlisted, unplaced
):
    total = policy.received_total(counts, unlisted=unlisted, unplaced=unplaced)
    assert total == sum(c.counted for c in counts) + unlisted + unplaced
    redeclared = [LineCount(c.line_no, c.declared + 7, c.counted) for c in counts]
    assert policy.received_total(redeclared, unlisted=unlisted, unplaced=unplaced) == total


@pytest.mark.clause("IV.4")
@given(counts=line_counts, declared_boxes=st.integers(1, 9), received_boxes=st.integers(0, 9))
def test_a_line_differs_exactly_when_its_count_differs_from_its_declared_quantity(
    counts, declared_boxes, received_boxes
):
    diffs = policy.receipt_differences(
        counts, declared_boxes=declared_boxes, received_boxes=received_boxes
    )
    by_line = [(d.kind, d.line_no) for d in diffs if d.kind in ("missing_units", "extra_units")]
    expected = [
        ("missing_units" if c.counted < c.declared else "extra_units", c.line_no)
        for c in counts
        if c.counted != c.declared
    ]
    assert by_line == expected
    assert any(d.kind == "boxes" for d in diffs) == (declared_boxes != received_boxes)


# IV.3 Label codes ----------------------------------------------------------------------------

batch_numbers = st.from_regex(r"R[0-9]{4}-[A-HJ-NP-Z2-9]{6}", fullmatch=True)


@pytest.mark.clause("IV.3")
@given(number=batch_numbers, line_no=st.integers(1, 999), seq=st.integers(1, 999))
def test_a_label_code_reads_back_as_its_batch_line_and_unit(number, line_no, seq):
    code = policy.label_code(number, line_no, seq)
    assert policy.parse_label_code(code) == (number, line_no, seq)
    # what a keyboard-wedge scanner types: lower case with Caps Lock on, and Enter
    assert policy.parse_label_code(f"  {code.lower()}\r\n") == (number, line_no, seq)


@pytest.mark.clause("IV.3")
@given(
    a=st.tuples(batch_numbers, st.integers(1, 999), st.integers(1, 999)),
    b=st.tuples(batch_numbers, st.integers(1, 999), st.integers(1, 999)),
)
def test_two_units_never_share_a_label_code(a, b):
    assert (policy.label_code(*a) == policy.label_code(*b)) == (a == b)


@pytest.mark.parametrize(
    "code",
    [
        "",
        None,
        "R2601-ABCDEF",
        "R2601-ABCDEF-001",
        "R2601-ABCDEF-1-1",
        "R2601-ABCDEF-0001-001",
        "R2601-ABCDEF-001-1000",
        "R2601-ABCDEF-000-001",
        "R2601-ABCDEF-001-000",
        "-001-001",
        "R2601--001-001",
        "R2601-ABCDEF-001-00²",
        "R2601-ABCDEF-١٢٣-001",
        "R2601-ABCDEF-001-001-",
        "R2601 ABCDEF-001-001",
        "R2601-ABCDEF-001-001\nX",
        "充电宝-001-001",
        "R2601-ABCDEF-00A-001",
    ],
)
def test_anything_that_is_not_a_label_code_is_refused_without_an_error(code):
    assert policy.parse_label_code(code) is None


@given(st.text(max_size=40))
def test_parsing_any_text_answers_a_label_or_none_and_never_raises(text):
    parsed = policy.parse_label_code(text)
    if parsed is not None:
        number, line_no, seq = parsed
        assert policy.label_code(number, line_no, seq) == text.strip().upper()


@pytest.mark.parametrize(("line_no", "seq"), [(0, 1), (1, 0), (1000, 1), (1, 1000)])
def test_a_label_code_is_not_made_outside_its_three_digits(line_no, seq):
    with pytest.raises(ValueError):
        policy.label_code("R2601-ABCDEF", line_no, seq)


# IV.2 Pages of the repair list ---------------------------------------------------------------


@pytest.mark.clause("IV.2")
@pytest.mark.parametrize(
    ("lines", "pages"), [(0, 1), (1, 1), (20, 1), (21, 2), (40, 2), (41, 3), (500, 25)]
)
def test_the_repair_list_prints_twenty_lines_a_page_and_at_least_one_page(lines, pages):
    assert policy.REPAIR_LIST_LINES_PER_PAGE == 20
    assert policy.repair_list_pages(lines) == pages


@given(st.integers(0, 10_000))
def test_the_repair_list_has_just_enough_pages_for_its_lines(lines):
    pages = policy.repair_list_pages(lines)
    per_page = policy.REPAIR_LIST_LINES_PER_PAGE
    assert pages >= 1
    assert pages * per_page >= lines
    assert (pages - 1) * per_page < max(lines, 1)
