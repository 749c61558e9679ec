"""The flagging arithmetic (``insights.policy``), property-tested on plain values."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from sanbao.insights import policy

RULES = policy.Thresholds(min_faults=3, history_months=6, rise_percent=200, category_percent=200)
MONTHS = [dt.date(2026, m, 1) for m in range(1, 13)]


def _row(model, category, month, sold, faulty):
    return policy.ModelMonth(model, category, month, sold, faulty)


counts = st.tuples(st.integers(1, 500), st.integers(0, 40)).map(lambda t: (t[0], min(t[0], t[1])))
tables = st.lists(
    st.tuples(st.integers(1, 4), st.sampled_from(MONTHS), counts),
    max_size=40,
    unique_by=lambda t: (t[0], t[1]),
).map(lambda rows: [_row(m, m % 2, month, sold, faulty) for m, month, (sold, faulty) in rows])


@given(tables)
def test_a_flag_has_the_minimum_count_and_a_reason_that_holds(rows):
    for flag in policy.flags(rows, RULES):
        c = flag.counts
        assert c.faulty >= RULES.min_faults
        assert flag.reasons
        if policy.HISTORY in flag.reasons:
            assert flag.history_rate is not None
            assert c.faulty * 100 / c.sold >= 2 * float(flag.history_rate) - 0.01
        if policy.CATEGORY in flag.reasons:
            assert flag.category_rate is not None
            assert c.faulty * 100 / c.sold >= 2 * float(flag.category_rate) - 0.01


@given(st.integers(3, 50), st.integers(100, 1000), st.integers(1, 6))
def test_a_model_as_faulty_as_its_history_and_its_category_is_never_flagged(faulty, sold, n):
    rows = [_row(1, 0, MONTHS[i], sold, faulty) for i in range(n + 1)]
    rows += [_row(2, 0, MONTHS[i], sold, faulty) for i in range(n + 1)]
    assert policy.flags(rows, RULES) == []


@given(st.integers(3, 50), st.integers(100, 1000))
def test_a_rate_twice_its_history_is_flagged_and_just_below_is_not(faulty, sold):
    history = [_row(1, 0, MONTHS[i], sold, faulty) for i in range(6)]
    doubled = policy.flags([*history, _row(1, 0, MONTHS[6], sold, 2 * faulty)], RULES)
    assert [(f.month, f.reasons) for f in doubled] == [(MONTHS[6], (policy.HISTORY,))]
    below = policy.flags([*history, _row(1, 0, MONTHS[6], 2 * sold, 4 * faulty - 1)], RULES)
    assert below == []


def test_the_history_is_the_months_before_within_the_window_only():
    february = _row(1, 0, dt.date(2026, 2, 1), 100, 3)
    outside = _row(1, 0, dt.date(2025, 7, 1), 100, 1)  # 7 months before: outside
    inside = _row(1, 0, dt.date(2025, 8, 1), 100, 1)  # 6 months before: inside
    assert policy.flags([outside, february], RULES) == []  # nothing to compare with
    found = policy.flags([inside, february], RULES)
    assert [(f.history_rate, f.reasons) for f in found] == [(1, (policy.HISTORY,))]
