"""One claim through its whole life, as a first proof that the pieces fit."""

import pytest

from sanbao.catalog.models import Unit
from sanbao.catalog.selectors import retained_part_list_for
from sanbao.claims import services
from sanbao.claims.models import ClaimStatus
from sanbao.claims.tests.conftest import approve_replacement, resolve_replaced
from sanbao.claims.tests.factories import WHOLE_LIFE, actions_of


@pytest.mark.clause("II.4")
def test_a_covered_claim_is_judged_replaced_resolved_and_closed_with_the_old_unit_retained(
    covered_claim, platform_staff, pb20k
):
    claim = covered_claim
    assert claim.verdict == "covered", claim.verdict_results
    services.claim_start_judgement(claim=claim, actor=platform_staff)
    approve_replacement(claim, platform_staff, pb20k)
    services.claim_start_service(claim=claim, actor=platform_staff)
    resolve_replaced(claim, platform_staff, "SBNEW0001", "Shenzhen returns shelf A3")
    services.claim_close(claim=claim, actor=platform_staff)
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.CLOSED
    new = Unit.objects.get(serial="SBNEW0001")
    assert new.replaces == claim.unit and new.model == pb20k
    part = retained_part_list_for(source=claim).get()
    assert part.serial == claim.unit.serial and part.disposal == ""
    assert actions_of(claim) == WHOLE_LIFE


def test_attaching_the_missing_scans_turns_a_claim_needing_judgement_into_a_covered_one(
    platform_staff, unit_of_agent_a
):
    from sanbao.claims.tests.conftest import intake, scan

    claim = intake(
        platform_staff, unit_of_agent_a, proof_of_purchase_scan=None, warranty_card_scan=None
    )
    assert claim.verdict == "needs_judgement"
    services.claim_attach_scans(
        claim=claim,
        actor=platform_staff,
        proof_of_purchase_scan=scan("i.pdf"),
        warranty_card_scan=scan("c.png"),
    )
    claim.refresh_from_db()
    assert claim.verdict == "covered"
    assert claim.proof_of_purchase_scan.name.endswith(".pdf")
