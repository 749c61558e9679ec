"""What a claim shows to whom: registry data of other channels, uploads, storage."""

from __future__ import annotations

import pytest
from django.urls import reverse

from sanbao.claims.tests.conftest import intake, scan
from sanbao.core.errors import ValidationFailed
from sanbao.testkit.cast import anonymous_client, login_client_for


@pytest.mark.parametrize(
    ("filed_by", "on_behalf_of_agent_a"),
    [
        ("agent_a_clerk", {}),
        ("platform_staff", {"claimant_kind": "organisation", "claimant_org_code": "AG-A"}),
    ],
    ids=["by-agent-a", "by-staff-for-agent-a"],
)
def test_agent_as_claim_with_agent_bs_serial_links_no_registry_unit_and_learns_nothing_of_it(
    cast, platform_org, agent_a, unit_of_agent_b, filed_by, on_behalf_of_agent_a
):
    claim = intake(
        getattr(cast, filed_by),
        unit_of_agent_b,
        consumer_name="",
        consumer_phone="",
        model_code="PB10K",
        region="mainland",
        warranty_card_no="WC-TYPED",
        **on_behalf_of_agent_a,
    )
    assert claim.unit is None
    assert claim.serial_reported == unit_of_agent_b.serial
    assert claim.terms["registry_sale_date"] is None
    evidence = [r["evidence"] for r in claim.verdict_results]
    assert all("registered_model" not in e and "registered_card_no" not in e for e in evidence)
    assert unit_of_agent_b.warranty_card_no not in str(claim.verdict_results)


def test_a_consumer_claim_filed_by_an_outlet_still_links_the_registered_unit(
    outlet_tech, platform_org, unit_of_agent_b
):
    claim = intake(outlet_tech, unit_of_agent_b)
    assert claim.unit == unit_of_agent_b


def test_an_outlet_cannot_file_a_claim_in_an_agents_name(
    outlet_tech, platform_org, agent_a, unit_of_agent_a
):
    with pytest.raises(ValidationFailed) as caught:
        intake(
            outlet_tech,
            unit_of_agent_a,
            claimant_kind="organisation",
            claimant_org_code=agent_a.code,
            consumer_name="",
            consumer_phone="",
        )
    assert "claimant_kind" in caught.value.fields


def test_uploaded_scans_get_unguessable_names_and_no_public_url(platform_staff, unit_of_agent_a):
    claim = intake(platform_staff, unit_of_agent_a, proof_of_purchase_scan=scan("invoice.pdf"))
    name = claim.proof_of_purchase_scan.name
    assert name.startswith("claims/documents/") and "invoice" not in name
    assert anonymous_client().get(f"/media/{name}").status_code == 404


def test_the_claimant_sees_its_unit_was_kept_but_not_where(
    agent_a_clerk, platform_org, platform_staff, unit_of_agent_a
):
    from sanbao.catalog.models import RetainedPart

    claim = intake(agent_a_clerk, unit_of_agent_a, consumer_name="", consumer_phone="")
    RetainedPart.objects.create(
        source_type="claims.claim",
        source_id=str(claim.pk),
        source_repr=claim.number,
        kind="unit",
        description="PB10K",
        serial=unit_of_agent_a.serial,
        held_by=platform_org,
        location="Shelf Z9",
    )
    url = reverse("claims:claim_detail", args=[claim.number])
    agent_page = login_client_for(agent_a_clerk).get(url).content.decode()
    assert 'data-testid="claim-retained-part"' in agent_page and "Shelf Z9" not in agent_page
    staff_page = login_client_for(platform_staff).get(url).content.decode()
    assert "Shelf Z9" in staff_page
