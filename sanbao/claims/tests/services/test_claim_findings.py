"""claim_record_findings and claim_attach_scans: the inspection checklist
(III.4–III.8, III.10; III.1 and III.3 when the registry cannot decide) and the
scans of the documents (II.2), each evaluating the claim again."""

from __future__ import annotations

import pytest

from sanbao.claims import services
from sanbao.claims.models import Claim, InspectionFinding
from sanbao.claims.policy import CHECKLIST_RULES
from sanbao.claims.services import FindingIn
from sanbao.claims.tests.conftest import all_clear, intake, photo, scan
from sanbao.claims.tests.factories import actions_of, judged, reload
from sanbao.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from sanbao.core.models import AuditEvent


@pytest.fixture
def uninspected(platform_staff, unit_of_agent_a):
    """A claim with complete documents whose unit has not been inspected yet."""
    return intake(platform_staff, unit_of_agent_a, findings=None)


def record(claim, actor, findings):
    return services.claim_record_findings(claim=claim, actor=actor, findings=findings)


def test_a_clear_inspection_makes_a_claim_needing_judgement_covered(uninspected, platform_staff):
    assert uninspected.verdict == "needs_judgement"
    record(uninspected, platform_staff, all_clear())
    claim = reload(uninspected)
    assert claim.verdict == "covered"
    assert {r["outcome"] for r in claim.verdict_results} == {"pass"}
    assert InspectionFinding.objects.filter(claim=claim, found=False).count() == 6


@pytest.mark.clause("III.4", "III.5", "III.6", "III.7", "III.8", "III.10")
@pytest.mark.parametrize("rule", CHECKLIST_RULES)
def test_an_exclusion_found_on_inspection_makes_the_claim_not_covered_and_it_is_rejected(
    uninspected, platform_staff, rule
):
    services.claim_start_judgement(claim=uninspected, actor=platform_staff)
    findings = [
        FindingIn(rule=r, found=True, note="seen on the bench", photo=photo())
        if r == rule
        else FindingIn(rule=r, found=False)
        for r in CHECKLIST_RULES
    ]
    record(uninspected, platform_staff, findings)
    claim = reload(uninspected)
    assert claim.verdict == "not_covered"
    assert [r["rule"] for r in claim.verdict_results if r["outcome"] == "fail"] == [rule]
    services.claim_judge(claim=claim, actor=platform_staff, failure_confirmed=True)
    assert reload(claim).status == "rejected"


def test_a_later_answer_replaces_the_earlier_one(uninspected, platform_staff):
    record(uninspected, platform_staff, [*all_clear(), FindingIn("III.6", True, "wet", photo())])
    assert reload(uninspected).verdict == "not_covered"
    record(uninspected, platform_staff, [FindingIn("III.6", False, "dry after all")])
    claim = reload(uninspected)
    assert claim.verdict == "covered"
    finding = InspectionFinding.objects.get(claim=claim, rule="III.6")
    assert (finding.found, finding.note) == (False, "dry after all")


def test_answers_left_open_keep_the_claim_needing_judgement(uninspected, platform_staff):
    record(uninspected, platform_staff, [FindingIn("III.4", False), FindingIn("III.5", None)])
    claim = reload(uninspected)
    assert claim.verdict == "needs_judgement"
    missing = [r["rule"] for r in claim.verdict_results if r["outcome"] == "unknown"]
    assert missing == ["III.5", "III.6", "III.7", "III.8", "III.10"]


def test_recording_findings_writes_one_audit_event_with_the_answers(uninspected, platform_staff):
    found = FindingIn("III.6", True, "wet", photo())
    record(uninspected, platform_staff, [FindingIn("III.4", False), found])
    assert actions_of(uninspected) == ["claim.submitted", "claim.inspected"]
    event = AuditEvent.objects.for_target(uninspected).get(action="claim.inspected")
    assert event.data == {"findings": {"III.4": False, "III.6": True}, "verdict": "not_covered"}


def test_a_rule_outside_the_checklist_is_refused_and_nothing_is_recorded(
    uninspected, platform_staff
):
    with pytest.raises(ValidationFailed) as caught:
        record(uninspected, platform_staff, [FindingIn("III.4", True), FindingIn("III.9", True)])
    assert caught.value.code == "claims.finding_rule_invalid"
    assert set(caught.value.fields) == {"findings"}
    assert not InspectionFinding.objects.filter(claim=uninspected).exists()
    assert actions_of(uninspected) == ["claim.submitted"]


def test_findings_cannot_be_recorded_once_the_claim_is_judged(covered_claim, platform_staff):
    judged(covered_claim, platform_staff, "repair")
    with pytest.raises(Conflict) as caught:
        record(covered_claim, platform_staff, [FindingIn("III.6", True)])
    assert caught.value.code == "claims.move_not_allowed"
    assert reload(covered_claim).verdict == "covered"
    assert not InspectionFinding.objects.filter(claim=covered_claim, found=True).exists()


def test_an_agent_cannot_record_findings(agent_claim, agent_a_clerk):
    with pytest.raises(PermissionDenied):
        record(agent_claim, agent_a_clerk, all_clear())


def test_an_outlet_cannot_record_findings_on_a_claim_it_does_not_handle(uninspected, outlet_tech):
    with pytest.raises(NotFound):
        record(uninspected, outlet_tech, all_clear())
    assert not InspectionFinding.objects.filter(claim=uninspected).exists()


def test_findings_recorded_while_someone_else_moves_the_claim_are_not_kept(
    uninspected, platform_staff
):
    Claim.objects.filter(pk=uninspected.pk).update(status="rejected")  # the other user
    with pytest.raises(Conflict) as caught:
        record(uninspected, platform_staff, all_clear())
    assert caught.value.code == "claims.changed_meanwhile"
    assert not InspectionFinding.objects.filter(claim=uninspected).exists()
    assert reload(uninspected).verdict == "needs_judgement"
    assert actions_of(uninspected) == ["claim.submitted"]


# Scans (II.2) ----------------------------------------------------------------------------


@pytest.mark.clause("II.2")
def test_attaching_the_one_missing_scan_makes_the_claim_covered(platform_staff, unit_of_agent_a):
    claim = intake(platform_staff, unit_of_agent_a, warranty_card_scan=None)
    assert claim.verdict == "needs_judgement"
    services.claim_attach_scans(claim=claim, actor=platform_staff, warranty_card_scan=scan("c.png"))
    claim = reload(claim)
    assert claim.verdict == "covered"
    assert claim.warranty_card_scan.name.endswith(".png")
    assert claim.proof_of_purchase_scan.name.endswith(".pdf")  # kept
    assert actions_of(claim) == ["claim.submitted", "claim.scans_attached"]
    event = AuditEvent.objects.for_target(claim).get(action="claim.scans_attached")
    assert event.data == {"documents": ["warranty_card_scan"], "verdict": "covered"}


@pytest.mark.clause("II.2")
def test_a_scan_does_not_make_up_for_a_document_not_presented(platform_staff, unit_of_agent_a):
    claim = intake(platform_staff, unit_of_agent_a, warranty_card_no="", warranty_card_scan=None)
    services.claim_attach_scans(claim=claim, actor=platform_staff, warranty_card_scan=scan("c.png"))
    assert reload(claim).verdict == "not_covered"


def test_attaching_nothing_is_refused_naming_the_field(uninspected, platform_staff):
    with pytest.raises(ValidationFailed) as caught:
        services.claim_attach_scans(claim=uninspected, actor=platform_staff)
    assert caught.value.code == "claims.intake_invalid"
    assert set(caught.value.fields) == {"proof_of_purchase_scan"}
    assert actions_of(uninspected) == ["claim.submitted"]


def test_attaching_a_file_that_is_not_a_scan_is_refused(uninspected, platform_staff):
    from django.core.files.uploadedfile import SimpleUploadedFile

    bad = SimpleUploadedFile("card.html", b"<html>", content_type="text/html")
    with pytest.raises(ValidationFailed) as caught:
        services.claim_attach_scans(claim=uninspected, actor=platform_staff, warranty_card_scan=bad)
    assert set(caught.value.fields) == {"warranty_card_scan"}


def test_scans_cannot_be_attached_after_judgement(covered_claim, platform_staff):
    judged(covered_claim, platform_staff, "repair")
    with pytest.raises(Conflict) as caught:
        services.claim_attach_scans(
            claim=covered_claim, actor=platform_staff, proof_of_purchase_scan=scan()
        )
    assert caught.value.code == "claims.move_not_allowed"
