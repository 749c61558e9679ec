"""Issue 10 item 5 (III.3): the warranty card number is compared without regard to
case and surrounding spaces; a mistyped card number can be corrected before
judgement (audited), and the claim is evaluated again."""

from __future__ import annotations

import pytest

from sanbao.claims import services
from sanbao.claims.tests.conftest import intake
from sanbao.claims.tests.factories import reload
from sanbao.core.errors import Conflict, DomainError, PermissionDenied
from sanbao.core.models import AuditEvent
from sanbao.testkit.cast import api_client_for, login_client_for


def card_rule(claim) -> dict:
    return next(r for r in reload(claim).verdict_results if r["rule"] == "III.3")


def correct(claim, actor, card_no):
    return services.claim_correct_card_no(claim=claim, actor=actor, warranty_card_no=card_no)


@pytest.mark.clause("III.3")
@pytest.mark.parametrize("typed", ["wcsba000001", "  WCSBA000001 ", "\tWcSbA000001"])
def test_the_card_number_matches_whatever_its_case_and_surrounding_spaces(
    platform_staff, unit_of_agent_a, typed
):
    assert unit_of_agent_a.warranty_card_no == "WCSBA000001"
    claim = intake(platform_staff, unit_of_agent_a, warranty_card_no=typed)
    assert card_rule(claim)["outcome"] == "pass"
    assert reload(claim).verdict == "covered"


@pytest.mark.clause("III.3")
def test_another_card_number_still_fails_the_card_rule(platform_staff, unit_of_agent_a):
    claim = intake(platform_staff, unit_of_agent_a, warranty_card_no="WCSBA000010")
    assert (card_rule(claim)["outcome"], card_rule(claim)["reason"]) == ("fail", "card_mismatch")


@pytest.mark.clause("III.3")
def test_a_mistyped_card_number_corrected_before_judgement_makes_the_claim_covered(
    outlet_tech, unit_of_agent_a
):
    claim = intake(outlet_tech, unit_of_agent_a, warranty_card_no="WCSBA000010")
    assert reload(claim).verdict == "not_covered"
    correct(claim, outlet_tech, " WCSBA000001 ")
    claim = reload(claim)
    assert (claim.warranty_card_no, claim.verdict) == ("WCSBA000001", "covered")
    event = AuditEvent.objects.for_target(claim).get(action="claim.card_corrected")
    assert event.actor == outlet_tech
    assert event.data == {"from": "WCSBA000010", "to": "WCSBA000001", "verdict": "covered"}
    services.claim_judge(claim=claim, actor=outlet_tech, failure_confirmed=True, remedy="repair")
    assert reload(claim).status == "approved"


@pytest.mark.clause("III.3")
def test_a_card_number_cannot_be_corrected_after_judgement(platform_staff, covered_claim):
    services.claim_judge(
        claim=covered_claim, actor=platform_staff, failure_confirmed=True, remedy="repair"
    )
    with pytest.raises(Conflict) as caught:
        correct(covered_claim, platform_staff, "WC-OTHER")
    assert caught.value.code == "claims.move_not_allowed"
    assert reload(covered_claim).warranty_card_no == "WCSBA000001"


@pytest.mark.clause("III.3")
def test_an_empty_or_too_long_card_number_is_a_field_error_and_nothing_changes(
    platform_staff, covered_claim
):
    for value in ("  ", "X" * 41):
        with pytest.raises(DomainError) as caught:
            correct(covered_claim, platform_staff, value)
        assert caught.value.status == 400
        assert set(caught.value.fields) == {"warranty_card_no"}
    assert reload(covered_claim).warranty_card_no == "WCSBA000001"
    assert not AuditEvent.objects.filter(action="claim.card_corrected").exists()


@pytest.mark.clause("III.3")
def test_the_claimant_may_not_correct_the_card_number_itself(agent_a_clerk, agent_claim):
    with pytest.raises(PermissionDenied):
        correct(agent_claim, agent_a_clerk, "WCSBA000001")


@pytest.mark.clause("III.3")
def test_the_api_corrects_the_card_number_and_answers_the_claim_evaluated_again(
    outlet_tech, unit_of_agent_a
):
    claim = intake(outlet_tech, unit_of_agent_a, warranty_card_no="WCSBA000010")
    client = api_client_for(outlet_tech)
    url = f"/api/v1/claims/{claim.number}/warranty-card-no"
    blank = client.post(url, {"warranty_card_no": " "}, content_type="application/json")
    assert blank.status_code == 400
    assert set(blank.json()["fields"]) == {"warranty_card_no"}
    response = client.post(
        url, {"warranty_card_no": "wcsba000001"}, content_type="application/json"
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["warranty_card_no"], body["verdict"]) == ("wcsba000001", "covered")


@pytest.mark.clause("III.3")
def test_an_outlet_cannot_correct_a_claim_another_organisation_handles(outlet_tech, covered_claim):
    response = api_client_for(outlet_tech).post(
        f"/api/v1/claims/{covered_claim.number}/warranty-card-no",
        {"warranty_card_no": "X"},
        content_type="application/json",
    )
    assert response.status_code == 404
    assert response.json()["code"] == "claims.claim_not_found"
    assert reload(covered_claim).warranty_card_no == "WCSBA000001"


@pytest.mark.clause("III.3")
def test_the_claim_page_corrects_the_card_number_in_chinese(outlet_tech, unit_of_agent_a):
    claim = intake(outlet_tech, unit_of_agent_a, warranty_card_no="WCSBA000010")
    client = login_client_for(outlet_tech, language="zh-hans")
    page = client.get(f"/claims/{claim.number}/")
    assert 'data-testid="correct-card-no"' in page.content.decode()
    url = f"/claims/{claim.number}/warranty-card-no/"
    refused = client.post(url, {"warranty_card_no": ""})
    assert refused.status_code == 400
    assert '<div data-field-error="warranty_card_no">' in refused.content.decode()
    response = client.post(url, {"warranty_card_no": "WCSBA000001"})
    assert response.status_code == 302
    assert reload(claim).verdict == "covered"
