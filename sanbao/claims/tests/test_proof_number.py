"""II.2 (issue 10 item 3): a proof-of-purchase number that is only punctuation or
a placeholder ("-", "/", "——", "无", "N/A", "none") is no proof, decided by the
pure ``policy.proof_number_given``; with it rule II.2 fails."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sanbao.claims import policy
from sanbao.claims.policy import FAIL, NO_NUMBER_PLACEHOLDERS, PASS, proof_number_given

# Punctuation, symbols and spaces of any script: "-", "/", "——", "。", "※", " ".
no_letters = st.text(st.characters(whitelist_categories=("P", "S", "Z")), max_size=12)


def documents(proof_no: str) -> policy.RuleResult:
    facts = policy.ClaimFacts(
        on=dt.date(2026, 6, 1),
        region="mainland",
        unit_registered=True,
        authorised_channel=True,
        proof_no=proof_no,
        proof_scan=True,
        card_no="WC1",
        card_scan=True,
    )
    return next(r for r in policy.evaluate(facts).results if r.rule == "II.2")


@pytest.mark.clause("II.2")
@given(no_letters)
def test_a_number_of_punctuation_symbols_or_spaces_only_is_no_proof(number):
    assert not proof_number_given(number)
    assert (documents(number).outcome, documents(number).reason) == (
        FAIL,
        "no_proof_of_purchase",
    )


@pytest.mark.clause("II.2")
@given(no_letters, st.sampled_from(sorted(NO_NUMBER_PLACEHOLDERS)), no_letters, st.booleans())
def test_a_placeholder_in_any_case_and_wrapping_is_no_proof(before, word, after, upper):
    number = before + (word.upper() if upper else word) + after
    assert not proof_number_given(number)
    assert documents(number).outcome == FAIL


@pytest.mark.clause("II.2")
@given(no_letters, st.text("0123456789ABCDEFGHJKX", min_size=3, max_size=12), no_letters)
def test_a_number_with_letters_or_digits_that_is_no_placeholder_is_a_proof(before, core, after):
    number = before + "FP" + core + after
    assert proof_number_given(number)
    assert documents(number).outcome == PASS


@pytest.mark.clause("II.2")
@pytest.mark.parametrize("number", ["-", "/", "无", "N/A", "n/a", "none", "——", "—", "", " "])
def test_the_placeholders_named_in_the_issue_are_no_proof(number):
    assert not proof_number_given(number)
