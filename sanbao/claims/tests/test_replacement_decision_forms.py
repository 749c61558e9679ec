"""Issue 10, item 6 (II.3) in the pages and the API, and item 8 (I.2): the judge
and resolve forms and their API bodies take a manager's reason for replacing a
model that has no performance specifications with another (offered in the page
only to users who may decide; the service checks the permission), and the resolve
form and body take the replacement unit's own warranty card number."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from sanbao.catalog.models import Unit
from sanbao.catalog.tests.factories import UnitFactory, model_without_specs
from sanbao.claims.models import ClaimStatus
from sanbao.claims.tests.conftest import intake
from sanbao.claims.tests.factories import in_service, reload, set_days_in_service
from sanbao.core.models import AuditEvent
from sanbao.testkit.cast import api_client_for, login_client_for
from sanbao.testkit.matrix import assert_envelope

REASON = "PB-BARE discontinued; PB20K is its successor."


@pytest.fixture
def bare_claim(pb10k, agent_a, platform_staff):
    """A covered claim on a unit of a power bank entered without any specification."""
    bare = model_without_specs(pb10k.category)
    unit = UnitFactory(
        serial="SBBARE0002",
        model=bare,
        channel_org=agent_a,
        sale_date=dt.date.today() - dt.timedelta(days=3),
        warranty_card_no="WCSBBARE0002",
    )
    return intake(platform_staff, unit, delivered_on=unit.sale_date)


def page(user, claim):
    response = login_client_for(user).get(reverse("claims:claim_detail", args=[claim.number]))
    assert response.status_code == 200
    return response.content.decode()


def judge_page(user, claim, **more):
    body = {"failure_confirmed": "yes", "remedy": "replacement", "replacement_model": "PB20K"}
    url = reverse("claims:claim_judge", args=[claim.number])
    return login_client_for(user).post(url, {**body, **more})


def judge_api(user, claim, **more):
    body = {
        "failure_confirmed": True,
        "remedy": "replacement",
        "replacement_model_code": "PB20K",
        **more,
    }
    url = f"/api/v1/claims/{claim.number}/judge"
    return api_client_for(user).post(url, body, content_type="application/json")


def approved_audit(claim) -> AuditEvent:
    return AuditEvent.objects.get(action="claim.approved", target_id=str(claim.pk))


@pytest.mark.clause("II.3")
def test_only_a_manager_is_offered_the_decision_on_the_judge_form(
    bare_claim, platform_manager, platform_staff, pb20k
):
    assert 'name="replacement_decision"' in page(platform_manager, bare_claim)
    assert 'name="replacement_decision"' not in page(platform_staff, bare_claim)


@pytest.mark.clause("II.3")
def test_a_manager_approves_another_model_with_a_reason_through_the_page(
    bare_claim, platform_manager, pb20k
):
    response = judge_page(platform_manager, bare_claim, replacement_decision=REASON)
    assert response.status_code == 302, response.content[:500]
    claim = reload(bare_claim)
    assert (claim.status, claim.replacement_model) == (ClaimStatus.APPROVED, pb20k)
    assert approved_audit(claim).data["replacement_decision"] == REASON


@pytest.mark.clause("II.3")
def test_staff_sending_a_reason_through_the_page_is_refused_by_the_field(
    bare_claim, platform_staff, pb20k
):
    response = judge_page(platform_staff, bare_claim, replacement_decision=REASON)
    assert response.status_code == 400
    assert 'data-field-error="replacement_model"' in response.content.decode()
    assert reload(bare_claim).status == ClaimStatus.SUBMITTED


@pytest.mark.clause("II.3")
def test_a_manager_approves_another_model_with_a_reason_through_the_api(
    bare_claim, platform_manager, pb20k
):
    response = judge_api(platform_manager, bare_claim, replacement_decision=REASON)
    assert response.status_code == 200, response.content
    assert response.json()["replacement_model"] == "PB20K"
    assert approved_audit(reload(bare_claim)).data["replacement_decision"] == REASON


@pytest.mark.clause("II.3")
def test_staff_sending_a_reason_through_the_api_is_refused(bare_claim, platform_staff, pb20k):
    response = judge_api(platform_staff, bare_claim, replacement_decision=REASON)
    body = assert_envelope(response, 400, "claims.replacement_unspecified")
    assert "replacement_model" in body["fields"]
    assert reload(bare_claim).status == ClaimStatus.SUBMITTED


@pytest.mark.clause("II.3")
def test_a_reason_longer_than_500_characters_is_a_422_from_the_api(
    bare_claim, platform_manager, pb20k
):
    response = judge_api(platform_manager, bare_claim, replacement_decision="x" * 501)
    assert response.status_code == 422
    assert reload(bare_claim).status == ClaimStatus.SUBMITTED


@pytest.mark.clause("II.3")
def test_a_manager_resolves_a_too_long_repair_by_another_model_through_the_api(
    bare_claim, platform_manager, platform_staff, pb20k
):
    in_service(bare_claim, platform_staff, "repair")
    claim = set_days_in_service(bare_claim, 31)
    body = {
        "outcome": "replaced",
        "replacement_serial": "SBNEW0200",
        "replacement_model_code": "PB20K",
        "retained_location": "Shelf A3",
    }
    url = f"/api/v1/claims/{claim.number}/resolve"
    refused = api_client_for(platform_staff).post(
        url, {**body, "replacement_decision": REASON}, content_type="application/json"
    )
    assert_envelope(refused, 400, "claims.replacement_unspecified")
    response = api_client_for(platform_manager).post(
        url,
        {**body, "replacement_decision": REASON, "replacement_card_no": "WC-0200"},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    new = Unit.objects.get(serial="SBNEW0200")
    assert (new.model.code, new.warranty_card_no) == ("PB20K", "WC-0200")


@pytest.mark.clause("I.2")
def test_the_resolve_form_takes_the_replacements_own_card_number(
    covered_claim, platform_staff, pb20k, unit_of_agent_a
):
    in_service(covered_claim, platform_staff, "replacement", replacement_model=pb20k)
    html = page(platform_staff, covered_claim)
    assert html.index('name="replacement_serial"') < html.index('name="replacement_card_no"')
    url = reverse("claims:claim_resolve", args=[covered_claim.number])
    response = login_client_for(platform_staff).post(
        url,
        {
            "outcome": "replaced",
            "replacement_serial": "SBNEW0201",
            "replacement_card_no": "WC-0201",
            "retained_location": "Shelf A3",
        },
    )
    assert response.status_code == 302, response.content[:500]
    new = Unit.objects.get(serial="SBNEW0201")
    assert new.warranty_card_no == "WC-0201" != unit_of_agent_a.warranty_card_no
