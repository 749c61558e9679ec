"""Issue 10, item 6 (II.3): when the original model has no performance
specifications recorded, nothing shows another model is not lower: only the same
model replaces it, unless an after-sales manager decides otherwise with a reason,
and the decision is in the audit trail."""

from __future__ import annotations

import datetime as dt

import pytest

from sanbao.catalog.models import ProductModel
from sanbao.catalog.policy import ModelSpecs, is_not_lower
from sanbao.catalog.tests.factories import UnitFactory, model_without_specs
from sanbao.claims import services
from sanbao.claims.models import ClaimStatus
from sanbao.claims.tests.conftest import intake
from sanbao.claims.tests.factories import reload
from sanbao.core.errors import PolicyRefused
from sanbao.core.models import AuditEvent


@pytest.fixture
def bare(pb10k) -> ProductModel:
    """A power bank entered without any specification."""
    return model_without_specs(pb10k.category)


@pytest.fixture
def bare_claim(bare, agent_a, platform_staff):
    unit = UnitFactory(
        serial="SBBARE0001",
        model=bare,
        channel_org=agent_a,
        sale_date=dt.date.today() - dt.timedelta(days=3),
        warranty_card_no="WCSBBARE0001",
    )
    return intake(platform_staff, unit, delivered_on=unit.sale_date)


def approve(claim, actor, model, **extra):
    services.claim_judge(
        claim=claim,
        actor=actor,
        failure_confirmed=True,
        remedy="replacement",
        replacement_model=model,
        **extra,
    )


@pytest.mark.clause("II.3")
def test_a_model_without_specifications_is_only_not_lower_than_itself(bare, pb20k):
    assert is_not_lower(ModelSpecs.of(bare), ModelSpecs.of(bare)).ok
    verdict = is_not_lower(ModelSpecs.of(bare), ModelSpecs.of(pb20k))
    assert (verdict.ok, verdict.reason) == (False, "no_specs")


@pytest.mark.clause("II.3")
@pytest.mark.parametrize("who", ["platform_staff", "platform_manager"])
def test_another_model_is_refused_without_a_managers_reason(request, bare_claim, pb20k, who):
    actor = request.getfixturevalue(who)
    with pytest.raises(PolicyRefused) as refused:
        approve(bare_claim, actor, pb20k)
    assert refused.value.code == "claims.replacement_unspecified"
    assert "replacement_model" in refused.value.fields
    assert reload(bare_claim).status == ClaimStatus.SUBMITTED


@pytest.mark.clause("II.3")
def test_staff_cannot_decide_even_with_a_reason(bare_claim, pb20k, platform_staff):
    with pytest.raises(PolicyRefused) as refused:
        approve(bare_claim, platform_staff, pb20k, replacement_decision="Bigger is better")
    assert refused.value.code == "claims.replacement_unspecified"


@pytest.mark.clause("II.3")
def test_a_manager_decides_with_a_reason_and_it_is_audited(bare_claim, pb20k, platform_manager):
    approve(
        bare_claim,
        platform_manager,
        pb20k,
        replacement_decision="PB-BARE discontinued; PB20K is its successor.",
    )
    claim = reload(bare_claim)
    assert (claim.status, claim.replacement_model) == (ClaimStatus.APPROVED, pb20k)
    event = AuditEvent.objects.get(action="claim.approved", target_id=str(claim.pk))
    assert event.data["replacement_decision"] == "PB-BARE discontinued; PB20K is its successor."


@pytest.mark.clause("II.3")
def test_the_same_model_needs_no_decision(bare_claim, bare, platform_staff):
    approve(bare_claim, platform_staff, bare)
    assert reload(bare_claim).status == ClaimStatus.APPROVED
