"""The five claims of issue 3's "Done when": each gets the right verdict and a
reason that reads in English and in Chinese, with the evidence it rests on."""

from __future__ import annotations

import pytest
from django.utils import translation

from sanbao.catalog.exclusions import RULE_TITLES
from sanbao.catalog.models import Region
from sanbao.catalog.tests.factories import UnitFactory
from sanbao.claims.policy import CHECKLIST_RULES
from sanbao.claims.reasons import VERDICTS, reason_text
from sanbao.claims.services import FindingIn
from sanbao.claims.tests.conftest import intake, photo
from sanbao.claims.tests.factories import days_ago

LANGUAGES = ("en", "zh-hans")


def the_reason(claim, rule: str) -> dict:
    """The one failing result of ``claim``, which must be ``rule``."""
    failing = [r for r in claim.verdict_results if r["outcome"] == "fail"]
    assert [r["rule"] for r in failing] == [rule], claim.verdict_results
    return failing[0]


def readable(result: dict, *evidence: str) -> None:
    for language in LANGUAGES:
        with translation.override(language):
            text = reason_text(result)
            title = str(RULE_TITLES[result["rule"]])
            verdict = str(VERDICTS["not_covered"])
            expected = [str(e) for e in evidence]
        assert text.strip() and title.strip() and verdict.strip()
        assert "%(" not in text
        for value in expected:
            assert value in text, (language, text, value)


@pytest.mark.clause("I.1")
def test_a_unit_sold_in_hong_kong_is_not_covered_because_it_was_sold_outside_the_mainland(
    platform_staff, pb10k
):
    unit = UnitFactory(
        serial="SBHK00002", model=pb10k, region=Region.HONG_KONG, warranty_card_no="WCSBHK00002"
    )
    claim = intake(platform_staff, unit)
    assert claim.verdict == "not_covered"
    result = the_reason(claim, "I.1")
    assert result["reason"] == "sold_outside_mainland"
    readable(result, Region.HONG_KONG.label)  # the label in each language


@pytest.mark.clause("II.2")
@pytest.mark.clause("III.2")
def test_a_claim_with_no_warranty_card_is_not_covered_because_the_card_was_not_presented(
    platform_staff, unit_of_agent_a
):
    claim = intake(platform_staff, unit_of_agent_a, warranty_card_no="", warranty_card_scan=None)
    assert claim.verdict == "not_covered"
    failing = [r for r in claim.verdict_results if r["outcome"] == "fail"]
    assert [(r["rule"], r["reason"]) for r in failing] == [
        ("II.2", "no_warranty_card"),
        ("III.2", "no_warranty_card"),
    ]
    readable(failing[0])


@pytest.mark.clause("III.3")
def test_a_claim_with_a_mismatched_serial_is_not_covered_naming_both_card_numbers(
    platform_staff, unit_of_agent_a, unit_of_agent_b
):
    # The card presented is the one registered with another serial.
    claim = intake(
        platform_staff, unit_of_agent_a, warranty_card_no=unit_of_agent_b.warranty_card_no
    )
    assert claim.verdict == "not_covered"
    result = the_reason(claim, "III.3")
    assert result["reason"] == "card_mismatch"
    readable(result, unit_of_agent_b.warranty_card_no, unit_of_agent_a.warranty_card_no)


@pytest.mark.clause("III.9")
def test_a_claim_past_its_warranty_is_not_covered_naming_the_day_it_ended(
    platform_staff, unit_of_agent_a
):
    claim = intake(platform_staff, unit_of_agent_a, delivered_on=days_ago(380))
    assert claim.verdict == "not_covered"
    result = the_reason(claim, "III.9")
    assert result["reason"] == "warranty_expired"
    readable(result, claim.warranty_end.isoformat())


@pytest.mark.clause("III.6")
def test_a_unit_with_liquid_ingress_is_not_covered_with_the_inspectors_note_as_the_reason(
    platform_staff, unit_of_agent_a
):
    note = "Water marks and corrosion inside the USB-C port / USB-C 口内有水渍和腐蚀"
    findings = [
        FindingIn(rule=r, found=True, note=note, photo=photo())
        if r == "III.6"
        else FindingIn(rule=r, found=False)
        for r in CHECKLIST_RULES
    ]
    claim = intake(platform_staff, unit_of_agent_a, findings=findings)
    assert claim.verdict == "not_covered"
    result = the_reason(claim, "III.6")
    assert (result["reason"], result["evidence"]) == ("exclusion_found", {"note": note})
    readable(result, note)
