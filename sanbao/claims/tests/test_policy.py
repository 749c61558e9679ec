"""The three guarantees as pure rules: eligibility (I.1, II.2, III), the remedies
open on a day (I.2, II.3) and the warranty's last day (I.2). No database."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest
from django.utils import translation
from hypothesis import assume, given
from hypothesis import strategies as st

from sanbao.claims import policy
from sanbao.claims.policy import (
    ALL_RULES,
    CHECKLIST_RULES,
    COVERED,
    FAIL,
    NEEDS_JUDGEMENT,
    NOT_COVERED,
    PASS,
    REPAIR,
    REPLACEMENT,
    RETURN,
    UNKNOWN,
    ClaimFacts,
    RemedyWindow,
    evaluate,
    open_remedies,
    warranty_end,
)
from sanbao.claims.reasons import REASONS, reason_text

TODAY = dt.date(2026, 11, 24)
OUTCOMES = (PASS, FAIL, UNKNOWN)
REGIONS = ["mainland", "hong_kong", "macau", "taiwan", "overseas"]


def clear_facts(**overrides) -> ClaimFacts:
    """A registered, authorised mainland unit with matching documents, inspected
    and found clear, well within its warranty: every rule passes."""
    values = {
        "on": TODAY,
        "region": "mainland",
        "unit_registered": True,
        "authorised_channel": True,
        "proof_no": "INV-1",
        "proof_scan": True,
        "card_no": "WC1",
        "card_scan": True,
        "claimed_model": "PB10K",
        "registered_model": "PB10K",
        "registered_card_no": "WC1",
        "warranty_end": TODAY + dt.timedelta(days=200),
        "findings": {rule: False for rule in CHECKLIST_RULES},
    }
    values.update(overrides)
    return ClaimFacts(**values)


def unregistered_facts(*, channel_found, card_found) -> ClaimFacts:
    """Clear facts for a unit the registry does not know: the person judging
    answers the channel (III.1) and the card (III.3) questions."""
    return clear_facts(
        unit_registered=False,
        authorised_channel=None,
        registered_model=None,
        registered_card_no="",
        findings={
            "III.1": channel_found,
            "III.3": card_found,
            **dict.fromkeys(CHECKLIST_RULES, False),
        },
    )


def outcome_of(verdict, rule):
    return next(r for r in verdict.results if r.rule == rule)


def evidence_of_failing_alone(facts: ClaimFacts, rule: str, reason: str) -> dict:
    """Check that ``facts`` fail ``rule``, and only it, for ``reason``: the claim is
    not covered. Answers the evidence the result gives."""
    verdict = evaluate(facts)
    result = outcome_of(verdict, rule)
    assert (result.outcome, result.reason) == (FAIL, reason)
    assert verdict.status == NOT_COVERED and verdict.failed == (rule,)
    return result.evidence


# Facts built so that each rule gives a chosen outcome. II.2 and III.2 read the
# same documents, so they share one outcome. III.1 and III.3 are decided by the
# person judging (the unit is not registered) so that they can also be unknown.


def _documents(outcome: str) -> dict:
    if outcome == PASS:
        return {"proof_no": "INV-1", "proof_scan": True, "card_no": "WC1", "card_scan": True}
    if outcome == UNKNOWN:
        return {"proof_no": "INV-1", "proof_scan": False, "card_no": "WC1", "card_scan": True}
    return {"proof_no": "INV-1", "proof_scan": True, "card_no": "", "card_scan": False}


FOUND = {PASS: False, FAIL: True, UNKNOWN: None}


@st.composite
def chosen_outcomes(draw, outcomes=OUTCOMES) -> dict[str, str]:
    chosen = {rule: draw(st.sampled_from(outcomes)) for rule in ALL_RULES}
    chosen["III.2"] = chosen["II.2"]
    return chosen


def rules_with(chosen: dict[str, str], outcome: str) -> tuple[str, ...]:
    """The rules ``chosen`` gives ``outcome``, in the policy's order."""
    return tuple(r for r in ALL_RULES if chosen[r] == outcome)


def facts_for(chosen: dict[str, str]) -> ClaimFacts:
    region = {PASS: "mainland", FAIL: "hong_kong", UNKNOWN: None}[chosen["I.1"]]
    end = {
        PASS: TODAY,  # the last day is still covered
        FAIL: TODAY - dt.timedelta(days=1),
        UNKNOWN: None,
    }[chosen["III.9"]]
    findings = {r: FOUND[chosen[r]] for r in (*CHECKLIST_RULES, "III.1", "III.3")}
    return ClaimFacts(
        on=TODAY,
        region=region,
        unit_registered=False,
        authorised_channel=None,
        claimed_model="PB10K",
        warranty_end=end,
        findings=findings,
        **_documents(chosen["II.2"]),
    )


# evaluate -------------------------------------------------------------------------


@given(chosen_outcomes())
def test_each_rule_gives_the_outcome_its_facts_call_for(chosen):
    verdict = evaluate(facts_for(chosen))
    assert {r.rule: r.outcome for r in verdict.results} == chosen


@given(chosen_outcomes())
def test_any_failing_rule_makes_the_claim_not_covered_naming_exactly_the_failing_rules(chosen):
    assume(FAIL in chosen.values())
    verdict = evaluate(facts_for(chosen))
    assert verdict.status == NOT_COVERED
    assert verdict.failed == rules_with(chosen, FAIL)


@given(chosen_outcomes(outcomes=(PASS, UNKNOWN)))
def test_no_failure_and_a_missing_fact_needs_judgement_naming_the_missing_rules(chosen):
    assume(UNKNOWN in chosen.values())
    verdict = evaluate(facts_for(chosen))
    assert verdict.status == NEEDS_JUDGEMENT
    assert verdict.missing == rules_with(chosen, UNKNOWN)
    assert verdict.failed == ()


def test_a_claim_whose_every_rule_passes_is_covered():
    verdict = evaluate(clear_facts())
    assert verdict.status == COVERED
    assert {r.outcome for r in verdict.results} == {PASS}


def test_a_claim_decided_by_the_person_judging_is_covered_when_every_answer_is_clear():
    verdict = evaluate(facts_for(dict.fromkeys(ALL_RULES, PASS)))
    assert verdict.status == COVERED


facts_strategy = st.builds(
    ClaimFacts,
    on=st.dates(dt.date(2020, 1, 1), dt.date(2030, 12, 31)),
    region=st.none() | st.sampled_from(REGIONS),
    unit_registered=st.booleans(),
    authorised_channel=st.none() | st.booleans(),
    proof_no=st.sampled_from(["", "INV-1"]),
    proof_scan=st.booleans(),
    card_no=st.sampled_from(["", "WC1", "WC2"]),
    card_scan=st.booleans(),
    claimed_model=st.none() | st.sampled_from(["PB10K", "PB20K"]),
    registered_model=st.none() | st.sampled_from(["PB10K", "PB20K"]),
    registered_card_no=st.sampled_from(["", "WC1", "WC2"]),
    warranty_end=st.none() | st.dates(dt.date(2020, 1, 1), dt.date(2030, 12, 31)),
    findings=st.dictionaries(
        st.sampled_from(policy.FINDING_RULES), st.none() | st.booleans(), max_size=8
    ),
    finding_notes=st.dictionaries(
        st.sampled_from(policy.FINDING_RULES), st.sampled_from(["", "water marks"]), max_size=3
    ),
)


@given(facts_strategy)
def test_the_results_always_cover_every_rule_in_the_policys_order(facts):
    verdict = evaluate(facts)
    assert tuple(r.rule for r in verdict.results) == ALL_RULES
    assert {r.outcome for r in verdict.results} <= set(OUTCOMES)


@given(facts_strategy)
def test_the_verdict_follows_from_the_rule_outcomes(facts):
    verdict = evaluate(facts)
    outcomes = {r.outcome for r in verdict.results}
    expected = COVERED
    if UNKNOWN in outcomes:
        expected = NEEDS_JUDGEMENT
    if FAIL in outcomes:
        expected = NOT_COVERED
    assert verdict.status == expected


@given(facts_strategy, st.sampled_from(["en", "zh-hans"]))
def test_every_reason_reads_as_a_sentence_with_its_evidence_filled_in(facts, language):
    for result in evaluate(facts).results:
        assert result.reason in REASONS
        with translation.override(language):
            text = reason_text(result.as_dict())
        assert text.strip()
        assert "%(" not in text
        if result.evidence.get("note"):
            assert result.evidence["note"] in text


@given(facts_strategy)
def test_stored_results_are_plain_json_values(facts):
    import json

    for result in evaluate(facts).results:
        assert json.loads(json.dumps(result.as_dict())) == result.as_dict()


# Each rule on its own ------------------------------------------------------------


@pytest.mark.clause("I.1")
@pytest.mark.parametrize("region", ["hong_kong", "macau", "taiwan", "overseas"])
def test_a_unit_sold_outside_the_mainland_fails_the_scope_rule(region):
    evidence = evidence_of_failing_alone(clear_facts(region=region), "I.1", "sold_outside_mainland")
    assert evidence == {"region": region}


@pytest.mark.clause("I.1")
def test_an_unknown_region_of_sale_needs_judgement():
    verdict = evaluate(clear_facts(region=None))
    assert verdict.status == NEEDS_JUDGEMENT and verdict.missing == ("I.1",)


@pytest.mark.clause("II.2")
@pytest.mark.parametrize(
    ("documents", "reason"),
    [
        ({"proof_no": "", "card_no": ""}, "no_card_no_proof"),
        ({"proof_no": ""}, "no_proof_of_purchase"),
        ({"card_no": ""}, "no_warranty_card"),
    ],
)
def test_a_missing_card_or_proof_fails_the_documents_rules(documents, reason):
    verdict = evaluate(clear_facts(**documents, registered_card_no=""))
    assert verdict.status == NOT_COVERED
    assert verdict.failed == ("II.2", "III.2")
    assert outcome_of(verdict, "II.2").reason == reason
    assert outcome_of(verdict, "III.2").reason == reason


@pytest.mark.clause("II.2")
@pytest.mark.parametrize(
    ("proof_scan", "card_scan"), [(False, True), (True, False), (False, False)]
)
def test_documents_without_their_scans_need_judgement(proof_scan, card_scan):
    verdict = evaluate(clear_facts(proof_scan=proof_scan, card_scan=card_scan))
    assert verdict.status == NEEDS_JUDGEMENT
    assert verdict.missing == ("II.2", "III.2")
    assert outcome_of(verdict, "II.2").reason == "scan_missing"


@pytest.mark.clause("III.1")
def test_a_unit_the_registry_shows_as_unauthorised_fails_the_channel_rule():
    verdict = evaluate(clear_facts(authorised_channel=False))
    assert verdict.failed == ("III.1",)
    assert outcome_of(verdict, "III.1").reason == "unauthorised_channel"


@pytest.mark.clause("III.1")
@pytest.mark.parametrize(
    ("found", "outcome", "reason"),
    [
        (True, FAIL, "unauthorised_channel_confirmed"),
        (False, PASS, "channel_confirmed"),
        (None, UNKNOWN, "unit_not_registered"),
    ],
)
def test_the_person_judging_decides_the_channel_of_an_unregistered_unit(found, outcome, reason):
    result = outcome_of(
        evaluate(unregistered_facts(channel_found=found, card_found=False)), "III.1"
    )
    assert (result.outcome, result.reason) == (outcome, reason)


@pytest.mark.clause("III.1")
def test_the_registry_decides_the_channel_of_a_registered_unit_whatever_the_inspector_says():
    facts = clear_facts(findings={"III.1": True, **{r: False for r in CHECKLIST_RULES}})
    assert outcome_of(evaluate(facts), "III.1").outcome == PASS


@pytest.mark.clause("III.2")
def test_no_warranty_card_and_no_proof_is_not_covered_under_the_exclusion_too():
    verdict = evaluate(clear_facts(proof_no="", card_no="", registered_card_no=""))
    assert outcome_of(verdict, "III.2").outcome == FAIL
    assert verdict.status == NOT_COVERED


@pytest.mark.clause("III.3")
def test_a_unit_registered_as_another_model_fails_the_card_rule():
    evidence = evidence_of_failing_alone(
        clear_facts(claimed_model="PB20K"), "III.3", "model_mismatch"
    )
    assert evidence["registered_model"] == "PB10K"


@pytest.mark.clause("III.3")
def test_a_warranty_card_registered_with_another_serial_fails_the_card_rule():
    evidence = evidence_of_failing_alone(clear_facts(card_no="WC2"), "III.3", "card_mismatch")
    assert (evidence["card_no"], evidence["registered_card_no"]) == ("WC2", "WC1")


@pytest.mark.clause("III.3")
@pytest.mark.parametrize(("found", "outcome"), [(True, FAIL), (False, PASS), (None, UNKNOWN)])
def test_the_person_judging_decides_the_card_of_an_unregistered_unit(found, outcome):
    facts = unregistered_facts(channel_found=False, card_found=found)
    assert outcome_of(evaluate(facts), "III.3").outcome == outcome


@pytest.mark.clause("III.4", "III.5", "III.6", "III.7", "III.8", "III.10")
@pytest.mark.parametrize("rule", CHECKLIST_RULES)
def test_a_checklist_item_found_fails_exactly_its_rule_and_one_not_inspected_needs_judgement(
    rule,
):
    others_clear = {r: False for r in CHECKLIST_RULES if r != rule}

    found = others_clear | {rule: True}
    verdict = evaluate(clear_facts(findings=found, finding_notes={rule: "seen"}))
    assert verdict.status == NOT_COVERED
    assert verdict.failed == (rule,)
    result = outcome_of(verdict, rule)
    assert (result.reason, result.evidence) == ("exclusion_found", {"note": "seen"})

    not_inspected = evaluate(clear_facts(findings=others_clear))
    assert not_inspected.status == NEEDS_JUDGEMENT and not_inspected.missing == (rule,)


@pytest.mark.clause("III.9")
def test_the_last_day_of_the_warranty_is_covered_and_the_day_after_is_not():
    assert outcome_of(evaluate(clear_facts(warranty_end=TODAY)), "III.9").outcome == PASS
    day_after = clear_facts(warranty_end=TODAY - dt.timedelta(days=1))
    evidence = evidence_of_failing_alone(day_after, "III.9", "warranty_expired")
    assert evidence["warranty_end"] == "2026-11-23"


@pytest.mark.clause("III.9")
def test_an_unknown_warranty_start_needs_judgement():
    verdict = evaluate(clear_facts(warranty_end=None))
    assert verdict.missing == ("III.9",)


# open_remedies ---------------------------------------------------------------------

DELIVERED = dt.date(2026, 3, 1)


def window(age: int, **overrides) -> RemedyWindow:
    """The default windows (7 and 15 days, a 12-month warranty), ``age`` days after
    delivery."""
    default = RemedyWindow(
        delivered_on=DELIVERED,
        on=DELIVERED + dt.timedelta(days=age),
        return_days=7,
        exchange_days=15,
        warranty_end=warranty_end(DELIVERED, 12),
    )
    return replace(default, **overrides)


@st.composite
def windows(draw, **fixed) -> RemedyWindow:
    return_days = draw(st.integers(0, 30))
    exchange_days = draw(st.integers(return_days, 60))
    delivered = draw(st.dates(dt.date(2022, 1, 1), dt.date(2027, 12, 31)))
    months = draw(st.integers(1, 36))
    values = {
        "delivered_on": delivered,
        "on": delivered + dt.timedelta(days=draw(st.integers(0, 1200))),
        "return_days": return_days,
        "exchange_days": exchange_days,
        "warranty_end": warranty_end(delivered, months, draw(st.integers(0, 90))),
        "same_fault_repairs": draw(st.integers(0, 4)),
        "repair_attempts_limit": draw(st.integers(1, 3)),
        "days_in_repair": draw(st.integers(0, 60)),
        "repair_days_limit": draw(st.integers(1, 45)),
        "repair_impossible": draw(st.booleans()),
    }
    values.update(fixed)
    return RemedyWindow(**values)


def _no_escalation(w: RemedyWindow) -> RemedyWindow:
    return replace(w, same_fault_repairs=0, days_in_repair=0, repair_impossible=False)


@pytest.mark.clause("I.2")
@given(windows(), st.integers(0, 1200))
def test_a_later_day_never_opens_more_remedies_than_an_earlier_one(w, later_by):
    later = replace(w, on=w.on + dt.timedelta(days=later_by))
    assert set(open_remedies(later)) <= set(open_remedies(w))


@pytest.mark.clause("I.2")
@given(windows())
def test_remedies_are_listed_in_the_policys_order_without_repeats(w):
    remedies = open_remedies(w)
    assert list(remedies) == [r for r in (RETURN, REPLACEMENT, REPAIR) if r in remedies]


def _on_day(w: RemedyWindow, data, low: int, high: int) -> RemedyWindow:
    """``w`` on a day ``low``..``high`` days after delivery, within the warranty."""
    high = min(high, (w.warranty_end - w.delivered_on).days)
    assume(low <= high)
    age = data.draw(st.integers(low, high))
    return replace(_no_escalation(w), on=w.delivered_on + dt.timedelta(days=age))


@pytest.mark.clause("I.2")
@given(windows(), st.data())
def test_within_the_return_window_all_three_remedies_are_open(w, data):
    w = _on_day(w, data, 0, w.return_days)
    assert open_remedies(w) == (RETURN, REPLACEMENT, REPAIR)


@pytest.mark.clause("I.2")
@given(windows(), st.data())
def test_between_the_return_and_exchange_windows_replacement_and_repair_are_open(w, data):
    w = _on_day(w, data, w.return_days + 1, w.exchange_days)
    assert open_remedies(w) == (REPLACEMENT, REPAIR)


@pytest.mark.clause("I.2")
@pytest.mark.clause("II.3")
@given(windows(), st.data())
def test_after_the_exchange_window_only_repair_is_open_unless_repair_is_impossible(w, data):
    w = _on_day(w, data, w.exchange_days + 1, 5000)
    assert open_remedies(w) == (REPAIR,)
    assert open_remedies(replace(w, repair_impossible=True)) == (REPLACEMENT, REPAIR)


@pytest.mark.clause("I.2")
@pytest.mark.parametrize(
    ("count", "limit", "extra"),
    [
        # as many repairs of the same fault as the limit, or more
        ("same_fault_repairs", "repair_attempts_limit", st.integers(0, 3)),
        # more days in repair than the limit
        ("days_in_repair", "repair_days_limit", st.integers(1, 30)),
    ],
    ids=["repeated-repairs-of-the-same-fault", "a-repair-taking-too-long"],
)
@given(windows(), st.data())
def test_repairs_beyond_their_limit_open_replacement_and_return(count, limit, extra, w, data):
    w = _on_day(w, data, 0, 5000)
    w = replace(w, **{count: getattr(w, limit) + data.draw(extra)})
    assert open_remedies(w) == (RETURN, REPLACEMENT, REPAIR)


@pytest.mark.clause("I.2")
def test_one_repair_fewer_than_the_limit_or_exactly_thirty_days_opens_nothing_more():
    after_exchange = 100
    assert open_remedies(window(after_exchange, same_fault_repairs=1)) == (REPAIR,)
    assert open_remedies(window(after_exchange, same_fault_repairs=2)) == (
        RETURN,
        REPLACEMENT,
        REPAIR,
    )
    assert open_remedies(window(after_exchange, days_in_repair=30)) == (REPAIR,)
    assert open_remedies(window(after_exchange, days_in_repair=31)) == (
        RETURN,
        REPLACEMENT,
        REPAIR,
    )


@pytest.mark.clause("I.2")
@pytest.mark.clause("III.9")
@given(windows(), st.integers(1, 400))
def test_nothing_is_open_after_the_warranty_ends(w, after):
    w = replace(w, on=w.warranty_end + dt.timedelta(days=after))
    assert open_remedies(w) == ()


@pytest.mark.clause("I.2")
@given(windows(), st.integers(1, 400))
def test_a_claim_made_within_the_warranty_keeps_its_repair_when_judged_after_the_end(w, after):
    assume(w.delivered_on <= w.warranty_end)
    w = replace(w, claimed_on=w.warranty_end, on=w.warranty_end + dt.timedelta(days=after))
    assert REPAIR in open_remedies(w)


@pytest.mark.clause("I.2")
@pytest.mark.parametrize(
    ("age", "expected"),
    [
        (0, (RETURN, REPLACEMENT, REPAIR)),
        (7, (RETURN, REPLACEMENT, REPAIR)),
        (8, (REPLACEMENT, REPAIR)),
        (15, (REPLACEMENT, REPAIR)),
        (16, (REPAIR,)),
        (364, (REPAIR,)),
    ],
)
def test_the_default_windows_count_day_seven_and_day_fifteen_in(age, expected):
    assert open_remedies(window(age)) == expected


@pytest.mark.clause("I.2")
def test_the_last_day_of_the_warranty_still_opens_repair_and_the_next_day_nothing():
    last = warranty_end(DELIVERED, 12)
    assert open_remedies(window((last - DELIVERED).days)) == (REPAIR,)
    assert open_remedies(window((last - DELIVERED).days + 1)) == ()


def test_nothing_is_open_before_the_delivery_day():
    assert open_remedies(window(-1)) == ()


# warranty_end ------------------------------------------------------------------------

STARTS = st.dates(dt.date(2000, 1, 1), dt.date(2090, 12, 31))
MONTHS = st.integers(1, 120)
DAYS = st.integers(0, 400)


@pytest.mark.clause("I.2")
@given(STARTS, MONTHS, DAYS)
def test_days_in_repair_extend_the_warranty_day_for_day(start, months, days):
    assert warranty_end(start, months, days) == warranty_end(start, months) + dt.timedelta(
        days=days
    )


@pytest.mark.clause("I.2")
@given(STARTS, MONTHS)
def test_negative_days_in_repair_do_not_shorten_the_warranty(start, months):
    assert warranty_end(start, months, -5) == warranty_end(start, months)


@pytest.mark.clause("I.2")
@given(STARTS, DAYS, MONTHS)
def test_a_later_start_never_ends_the_warranty_earlier(start, later_by, months):
    later = start + dt.timedelta(days=later_by)
    assert warranty_end(later, months) >= warranty_end(start, months)


@pytest.mark.clause("I.2")
@given(STARTS, MONTHS)
def test_the_warranty_lasts_the_months_within_a_few_days(start, months):
    end = warranty_end(start, months)
    assert start <= end
    # months of 28 to 31 days: never fewer days than 28 a month, never more than 31
    assert 28 * months - 2 <= (end - start).days <= 31 * months


@pytest.mark.clause("I.2")
@pytest.mark.parametrize(
    ("start", "months", "last"),
    [
        # PRC Civil Code art. 201-202: the corresponding day of the last month, or
        # that month's last day when it has none.
        (dt.date(2024, 3, 15), 12, dt.date(2025, 3, 15)),
        (dt.date(2025, 1, 31), 1, dt.date(2025, 2, 28)),  # no 31 Feb: the month's end
        (dt.date(2024, 1, 31), 1, dt.date(2024, 2, 29)),  # 29 Feb in a leap year
        (dt.date(2024, 2, 29), 12, dt.date(2025, 2, 28)),
        (dt.date(2023, 3, 1), 12, dt.date(2024, 3, 1)),
        (dt.date(2025, 12, 31), 2, dt.date(2026, 2, 28)),
        (dt.date(2025, 11, 30), 3, dt.date(2026, 2, 28)),
        (dt.date(2025, 12, 1), 1, dt.date(2026, 1, 1)),
    ],
)
def test_month_arithmetic_at_month_ends(start, months, last):
    assert warranty_end(start, months) == last


def test_no_start_date_gives_no_warranty_end():
    assert warranty_end(None, 12, 10) is None
