"""claim_judge: who judges (II.3), which remedies are open on the judgement date
(I.2), which replacement is acceptable (II.3), and what a refusal leaves behind."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from sanbao.claims import selectors, services
from sanbao.claims.models import Claim, ClaimStatus
from sanbao.claims.policy import warranty_end
from sanbao.claims.tests.conftest import intake, photo
from sanbao.claims.tests.factories import (
    another_unit,
    days_ago,
    judged,
    reload,
    repaired_in_the_past,
)
from sanbao.core.errors import Conflict, NotFound, PermissionDenied, PolicyRefused
from sanbao.core.models import AuditEvent


def judge(claim, actor, remedy="repair", **kwargs):
    return services.claim_judge(
        claim=claim, actor=actor, failure_confirmed=True, remedy=remedy, **kwargs
    )


def events(claim) -> list[str]:
    timeline = AuditEvent.objects.for_target(claim).order_by("at", "id")
    return list(timeline.values_list("action", flat=True))


def assert_untouched(claim, status="submitted"):
    """A refusal wrote nothing: the claim is as it was and no event was added."""
    row = Claim.objects.get(pk=claim.pk)
    assert (row.status, row.remedy, row.judged_by, row.open_remedies) == (status, "", None, [])
    assert events(claim) == ["claim.submitted"]


def refused(code, fn, *args, **kwargs) -> PolicyRefused:
    with pytest.raises(PolicyRefused) as caught:
        fn(*args, **kwargs)
    assert caught.value.code == code
    assert caught.value.status == 400
    return caught.value


def remedy_refused(claim, actor, remedy, **kwargs) -> PolicyRefused:
    """Judging ``claim`` with ``remedy`` is refused: it is not open on the judgement date."""
    return refused("claims.remedy_not_open", judge, claim, actor, remedy, **kwargs)


# I.2 The windows, on the judgement date ---------------------------------------------------


@pytest.mark.clause("I.2")
@pytest.mark.parametrize(
    ("age", "open_"),
    [
        (0, ["return", "replacement", "repair"]),
        (7, ["return", "replacement", "repair"]),
        (8, ["replacement", "repair"]),
        (15, ["replacement", "repair"]),
        (16, ["repair"]),
        (200, ["repair"]),
    ],
)
def test_the_remedies_open_follow_the_windows_counted_from_delivery(
    platform_staff, unit_of_agent_a, age, open_
):
    for remedy in ("return", "replacement", "repair"):
        unit = unit_of_agent_a if remedy == "return" else another_unit(unit_of_agent_a)
        claim = intake(platform_staff, unit, delivered_on=days_ago(age))  # one a unit (I.2)
        kwargs = {"replacement_model": claim.model} if remedy == "replacement" else {}
        if remedy in open_:
            judge(claim, platform_staff, remedy, **kwargs)
            claim = reload(claim)
            assert (claim.status, claim.remedy) == ("approved", remedy)
            assert claim.open_remedies == open_
        else:
            error = remedy_refused(claim, platform_staff, remedy, **kwargs)
            assert set(error.fields) == {"remedy"}
            assert_untouched(claim)


@pytest.mark.clause("I.2")
@pytest.mark.clause("II.3")
def test_after_the_exchange_window_the_outlet_may_replace_a_unit_it_cannot_repair(
    platform_staff, unit_of_agent_a, pb10k
):
    claim = intake(platform_staff, unit_of_agent_a, delivered_on=days_ago(60))
    remedy_refused(claim, platform_staff, "replacement", replacement_model=pb10k)
    judge(claim, platform_staff, "replacement", replacement_model=pb10k, repair_impossible=True)
    claim = reload(claim)
    assert (claim.status, claim.remedy, claim.repair_impossible) == (
        "approved",
        "replacement",
        True,
    )
    assert claim.open_remedies == ["replacement", "repair"]


@pytest.mark.clause("I.2")
def test_two_earlier_repairs_of_the_same_fault_open_replacement_and_return(
    platform_staff, unit_of_agent_a
):
    delivered = days_ago(100)
    repaired_in_the_past(platform_staff, unit_of_agent_a, delivered_on=delivered)
    repaired_in_the_past(platform_staff, unit_of_agent_a, delivered_on=delivered)
    claim = intake(platform_staff, unit_of_agent_a, delivered_on=delivered)
    judge(claim, platform_staff, "return")
    claim = reload(claim)
    assert claim.remedy == "return"
    assert claim.open_remedies == ["return", "replacement", "repair"]


@pytest.mark.clause("I.2")
def test_one_earlier_repair_or_repairs_of_another_fault_open_only_repair(
    platform_staff, unit_of_agent_a
):
    delivered = days_ago(100)
    repaired_in_the_past(platform_staff, unit_of_agent_a, delivered_on=delivered)
    repaired_in_the_past(
        platform_staff, unit_of_agent_a, delivered_on=delivered, fault_kind="overheating"
    )
    claim = intake(platform_staff, unit_of_agent_a, delivered_on=delivered)
    remedy_refused(claim, platform_staff, "return")
    remedy_refused(claim, platform_staff, "replacement", replacement_model=claim.model)
    judge(claim, platform_staff, "repair")
    assert reload(claim).open_remedies == ["repair"]


@pytest.mark.clause("I.2")
def test_repairs_of_another_unit_do_not_count(platform_staff, unit_of_agent_a, unit_of_agent_b):
    delivered = days_ago(100)
    for _ in range(2):
        repaired_in_the_past(platform_staff, unit_of_agent_b, delivered_on=delivered)
    claim = intake(platform_staff, unit_of_agent_a, delivered_on=delivered)
    remedy_refused(claim, platform_staff, "return")


@pytest.mark.clause("I.2")
@pytest.mark.clause("III.9")
def test_a_claim_made_within_the_warranty_is_still_repaired_when_judged_after_it_ended(
    platform_staff, unit_of_agent_a
):
    # History: a claim made ten days ago; the warranty ended five days ago.
    delivered = next(
        days_ago(n) for n in range(360, 380) if warranty_end(days_ago(n), 12) == days_ago(5)
    )
    claim = intake(platform_staff, unit_of_agent_a, delivered_on=days_ago(30))
    Claim.objects.filter(pk=claim.pk).update(
        created_at=timezone.now() - dt.timedelta(days=10),
        claimed_on=days_ago(10),
        delivered_on=delivered,
        warranty_end=days_ago(5),
    )
    claim = reload(claim)
    assert claim.verdict == "covered"
    judge(claim, platform_staff, "repair")
    assert reload(claim).open_remedies == ["repair"]


# II.1 The stored terms decide ------------------------------------------------------------


@pytest.mark.clause("II.1")
@pytest.mark.clause("I.2")
def test_a_claim_is_judged_under_the_terms_stored_with_it_not_the_categorys_current_ones(
    platform_staff, unit_of_agent_a, power_banks
):
    claim = intake(platform_staff, unit_of_agent_a, delivered_on=days_ago(10))
    power_banks.return_window_days = 0
    power_banks.exchange_window_days = 1
    power_banks.save()
    judge(claim, platform_staff, "replacement", replacement_model=claim.model)
    claim = reload(claim)
    assert (claim.status, claim.open_remedies) == ("approved", ["replacement", "repair"])


# II.3 The replacement ------------------------------------------------------------------------


@pytest.mark.clause("II.3")
def test_a_lower_specification_replacement_is_refused_naming_what_is_lower(
    covered_claim, platform_staff, pb5k
):
    error = refused(
        "claims.replacement_lower",
        judge,
        covered_claim,
        platform_staff,
        "replacement",
        replacement_model=pb5k,
    )
    assert set(error.fields) == {"replacement_model"}
    assert (error.params["candidate"], error.params["original"]) == ("PB5K", "PB10K")
    assert error.params["shortfalls"]
    assert error.as_dict()["code"] == "claims.replacement_lower"
    assert_untouched(covered_claim)


@pytest.mark.clause("II.3")
def test_a_replacement_of_another_category_is_refused(covered_claim, platform_staff, ad65):
    refused(
        "claims.replacement_other_category",
        judge,
        covered_claim,
        platform_staff,
        "replacement",
        replacement_model=ad65,
    )
    assert_untouched(covered_claim)


@pytest.mark.clause("II.3")
def test_a_replacement_needs_its_model(covered_claim, platform_staff):
    refused(
        "claims.replacement_model_required", judge, covered_claim, platform_staff, "replacement"
    )
    assert_untouched(covered_claim)


@pytest.mark.clause("II.3")
@pytest.mark.parametrize("model", ["pb10k", "pb20k"])
def test_the_same_model_or_a_better_one_is_accepted_as_replacement(
    cast, covered_claim, platform_staff, model
):
    candidate = getattr(cast, model)
    judge(covered_claim, platform_staff, "replacement", replacement_model=candidate)
    claim = reload(covered_claim)
    assert (claim.status, claim.remedy, claim.replacement_model) == (
        "approved",
        "replacement",
        candidate,
    )


# II.3 Who judges --------------------------------------------------------------------------------


@pytest.mark.clause("II.3")
def test_an_outlet_technician_judges_a_claim_of_their_own_outlet(outlet_claim, outlet_tech):
    claim = selectors.claim_get(actor=outlet_tech, number=outlet_claim.number)
    judge(claim, outlet_tech, "repair")
    claim = reload(claim)
    assert (claim.status, claim.judged_by) == ("approved", outlet_tech)


@pytest.mark.clause("II.3")
def test_an_outlet_technician_can_neither_see_nor_judge_a_claim_of_another_outlet(
    covered_claim, outlet_tech
):
    with pytest.raises(NotFound) as caught:
        selectors.claim_get(actor=outlet_tech, number=covered_claim.number)
    assert caught.value.code == "claims.claim_not_found"
    # Handed the row directly, the service answers the same way.
    with pytest.raises(NotFound):
        judge(covered_claim, outlet_tech, "repair")
    assert_untouched(covered_claim)


@pytest.mark.clause("II.3")
@pytest.mark.parametrize("who", ["agent_a_clerk", "enterprise_clerk", "cs_commissioner"])
def test_roles_without_the_judge_permission_are_refused(cast, agent_claim, who):
    with pytest.raises(PermissionDenied):
        judge(agent_claim, getattr(cast, who), "repair")
    assert_untouched(agent_claim)


@pytest.mark.clause("II.3")
def test_the_platform_judges_any_outlets_claim(outlet_claim, platform_manager):
    judge(outlet_claim, platform_manager, "repair")
    assert reload(outlet_claim).status == "approved"


# Rejection and what cannot be judged -------------------------------------------------------------


@pytest.mark.clause("II.3")
def test_a_failure_not_confirmed_is_rejected_with_the_reason_noted(covered_claim, platform_staff):
    refused(
        "claims.note_required",
        services.claim_judge,
        claim=covered_claim,
        actor=platform_staff,
        failure_confirmed=False,
    )
    assert_untouched(covered_claim)
    services.claim_judge(
        claim=covered_claim,
        actor=platform_staff,
        failure_confirmed=False,
        note="Charges normally on the bench for 2 hours.",
    )
    claim = reload(covered_claim)
    assert (claim.status, claim.failure_confirmed, claim.remedy) == ("rejected", False, "")
    assert claim.judgement_note == "Charges normally on the bench for 2 hours."
    assert events(claim) == ["claim.submitted", "claim.rejected"]


def test_a_claim_not_covered_is_rejected_even_when_the_failure_is_confirmed(
    platform_staff, unit_of_agent_a
):
    claim = intake(platform_staff, unit_of_agent_a, delivered_on=days_ago(400))
    judge(claim, platform_staff, "repair")
    claim = reload(claim)
    assert (claim.status, claim.remedy, claim.failure_confirmed) == ("rejected", "", True)
    event = AuditEvent.objects.for_target(claim).get(action="claim.rejected")
    assert event.data["verdict"] == "not_covered"


def test_a_claim_still_missing_facts_cannot_be_judged(platform_staff, unit_of_agent_a):
    claim = intake(platform_staff, unit_of_agent_a, findings=None)
    error = refused("claims.verdict_needs_judgement", judge, claim, platform_staff, "repair")
    assert "III.4" in error.params["rules"]
    assert_untouched(claim)


def test_an_approval_writes_one_audit_event_with_the_remedy(covered_claim, platform_staff, pb20k):
    judged(covered_claim, platform_staff, "replacement", replacement_model=pb20k)
    assert events(covered_claim) == ["claim.submitted", "claim.judgement_started", "claim.approved"]
    event = AuditEvent.objects.for_target(covered_claim).get(action="claim.approved")
    assert event.actor == platform_staff
    assert event.data == {
        "from": "under_judgement",
        "to": "approved",
        "failure_confirmed": True,
        "remedy": "replacement",
        "replacement_model": "PB20K",
        "verdict": "covered",
    }


def test_a_refused_judgement_leaves_the_claim_in_memory_as_it_was(covered_claim, platform_staff):
    remedy_refused(covered_claim, platform_staff, "nonsense", repair_impossible=True)
    assert covered_claim.repair_impossible is False
    assert covered_claim.status == "submitted"


def test_a_judgement_made_on_a_verdict_changed_meanwhile_is_refused(covered_claim, platform_staff):
    stale = Claim.objects.get(pk=covered_claim.pk)  # read while covered
    services.claim_record_findings(
        claim=covered_claim,
        actor=platform_staff,
        findings=[
            services.FindingIn(rule="III.6", found=True, note="Liquid inside", photo=photo())
        ],
    )
    with pytest.raises(Conflict) as caught:
        services.claim_judge(
            claim=stale, actor=platform_staff, failure_confirmed=True, remedy="repair"
        )
    assert caught.value.code == "claims.changed_meanwhile"
    covered_claim.refresh_from_db()
    assert (covered_claim.status, covered_claim.verdict) == (ClaimStatus.SUBMITTED, "not_covered")
