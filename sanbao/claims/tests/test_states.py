"""The claim's life (states.py): which action moves it from which state, who may
act, and what the services do when the state is wrong or changes underneath them:
a 409 with a stable code, no audit event and nothing half-written."""

from __future__ import annotations

import pytest
from django.utils import timezone

from sanbao.catalog.models import Unit
from sanbao.catalog.selectors import retained_part_list_for
from sanbao.claims import services
from sanbao.claims.models import Claim, ClaimStatus, InspectionFinding
from sanbao.claims.states import MOVES, allowed_actions
from sanbao.claims.tests.conftest import all_clear, scan
from sanbao.claims.tests.factories import SHELF, actions_of, in_service, judged, reload
from sanbao.core.errors import Conflict
from sanbao.testkit.records import refused_writing_nothing, stored_fields

# One valid call of each action, given a claim in a state the action accepts.
CALLS = {
    "start_judgement": lambda claim, actor: services.claim_start_judgement(
        claim=claim, actor=actor
    ),
    "record_findings": lambda claim, actor: services.claim_record_findings(
        claim=claim, actor=actor, findings=all_clear()
    ),
    "attach_scans": lambda claim, actor: services.claim_attach_scans(
        claim=claim, actor=actor, proof_of_purchase_scan=scan()
    ),
    "judge": lambda claim, actor: services.claim_judge(
        claim=claim, actor=actor, failure_confirmed=True, remedy="repair"
    ),
    "start_service": lambda claim, actor: services.claim_start_service(claim=claim, actor=actor),
    "resolve": lambda claim, actor: services.claim_resolve(
        claim=claim,
        actor=actor,
        outcome="replaced",
        replacement_serial="SBNEW0900",
        retained_location=SHELF,
        retained_parts=[{"description": "Battery cell"}],
    ),
    "close": lambda claim, actor: services.claim_close(claim=claim, actor=actor),
}
# attach_scans is guarded by the same move as record_findings.
MOVE_OF = {name: ("record_findings" if name == "attach_scans" else name) for name in CALLS}

WRONG_STATES = [
    pytest.param(action, status, id=f"{action}-from-{status}")
    for action in CALLS
    for status in ClaimStatus.values
    if status not in MOVES[MOVE_OF[action]].sources
]


def put_in(claim: Claim, status: str) -> Claim:
    """Set the state directly (test setup: the action under test reads only it)."""
    values = {"status": status}
    if status in ("resolved", "closed"):
        values["outcome"] = "repaired"
    Claim.objects.filter(pk=claim.pk).update(**values)
    return reload(claim)


def snapshot(claim: Claim) -> dict:
    return {
        "claim": stored_fields(Claim, claim.pk),
        "findings": list(InspectionFinding.objects.filter(claim=claim).values()),
        "parts": retained_part_list_for(source=claim).count(),
        "units": Unit.objects.count(),
        "events": actions_of(claim),
    }


# The table ------------------------------------------------------------------------------


def test_every_state_is_reachable_and_closed_is_the_end():
    targets = {m.target for m in MOVES.values() if m.target} | {"approved", "rejected"}
    assert targets | {"submitted"} == set(ClaimStatus.values)
    assert not [name for name, m in MOVES.items() if "closed" in m.sources]


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        ("submitted", ["start_judgement", "record_findings", "judge"]),
        ("under_judgement", ["record_findings", "judge"]),
        ("approved", ["start_service", "resolve"]),
        ("rejected", ["close"]),
        ("in_service", ["resolve"]),
        ("resolved", ["close"]),
        ("closed", []),
    ],
)
def test_allowed_actions_follow_the_state_for_someone_who_judges_and_are_none_for_the_rest(
    cast, covered_claim, status, expected
):
    claim = put_in(covered_claim, status)
    for judge in ("platform_staff", "outlet_tech"):
        assert allowed_actions(claim, getattr(cast, judge)) == expected
    for other in ("agent_a_clerk", "enterprise_clerk", "cs_commissioner"):
        assert allowed_actions(claim, getattr(cast, other)) == []


# Wrong state ----------------------------------------------------------------------------


@pytest.mark.parametrize(("action", "status"), WRONG_STATES)
def test_every_action_from_a_state_that_does_not_allow_it_is_a_conflict_writing_nothing(
    covered_claim, platform_staff, action, status
):
    claim = put_in(covered_claim, status)
    with refused_writing_nothing(
        Conflict, "claims.move_not_allowed", lambda: snapshot(claim), status=409
    ) as caught:
        CALLS[action](claim, platform_staff)
    assert set(caught.value.params) == {"status", "action"}


def test_a_judged_claim_cannot_be_judged_again(covered_claim, platform_staff):
    judged(covered_claim, platform_staff, "repair")
    with pytest.raises(Conflict) as caught:
        CALLS["judge"](covered_claim, platform_staff)
    assert caught.value.code == "claims.move_not_allowed"
    assert actions_of(covered_claim).count("claim.approved") == 1


# A concurrent move ----------------------------------------------------------------------

# action -> (how to bring the claim to a state it accepts, what the other user did)
RACES = {
    "start_judgement": (lambda c, a: c, "under_judgement"),
    "record_findings": (lambda c, a: c, "rejected"),
    "attach_scans": (lambda c, a: c, "under_judgement"),
    "judge": (lambda c, a: c, "rejected"),
    "start_service": (lambda c, a: judged(c, a, "repair"), "in_service"),
    "resolve": (
        lambda c, a: in_service(c, a, "replacement", replacement_model=c.model),
        "resolved",
    ),
    "close": (
        lambda c, a: services.claim_resolve(
            claim=judged(c, a, "return"), actor=a, outcome="refunded", retained_location=SHELF
        ),
        "closed",
    ),
}


@pytest.mark.parametrize("action", list(RACES))
def test_a_move_made_meanwhile_by_someone_else_refuses_the_second_one_writing_nothing(
    covered_claim, platform_staff, action
):
    prepare, other_users_state = RACES[action]
    claim = reload(prepare(covered_claim, platform_staff))  # loaded by this user
    assert claim.status in MOVES[MOVE_OF[action]].sources
    put_in(claim, other_users_state)  # ...and moved by another one before this acts
    with refused_writing_nothing(
        Conflict, "claims.changed_meanwhile", lambda: snapshot(claim), status=409
    ):
        CALLS[action](claim, platform_staff)


# Audit: exactly one event per action -------------------------------------------------------


def test_each_action_writes_exactly_one_audit_event_on_the_claim(covered_claim, platform_staff):
    claim = covered_claim
    services.claim_start_judgement(claim=claim, actor=platform_staff)
    services.claim_attach_scans(claim=claim, actor=platform_staff, warranty_card_scan=scan("c.png"))
    services.claim_record_findings(claim=claim, actor=platform_staff, findings=all_clear())
    services.claim_judge(claim=claim, actor=platform_staff, failure_confirmed=True, remedy="repair")
    services.claim_start_service(claim=claim, actor=platform_staff)
    services.claim_resolve(claim=claim, actor=platform_staff, outcome="repaired")
    services.claim_close(claim=claim, actor=platform_staff)
    assert actions_of(claim) == [
        "claim.submitted",
        "claim.judgement_started",
        "claim.scans_attached",
        "claim.inspected",
        "claim.approved",
        "claim.service_started",
        "claim.resolved",
        "claim.closed",
    ]
    claim = reload(claim)
    assert claim.status == "closed"
    assert claim.closed_at is not None and claim.closed_at <= timezone.now()


def test_a_rejected_claim_is_closed_without_service(covered_claim, platform_staff):
    services.claim_judge(
        claim=covered_claim, actor=platform_staff, failure_confirmed=False, note="No fault found."
    )
    services.claim_close(claim=covered_claim, actor=platform_staff)
    assert reload(covered_claim).status == "closed"
    assert actions_of(covered_claim) == ["claim.submitted", "claim.rejected", "claim.closed"]


def test_the_service_start_is_recorded_for_the_time_in_repair(covered_claim, platform_staff):
    in_service(covered_claim, platform_staff, "repair")
    claim = reload(covered_claim)
    assert claim.in_service_at is not None
    assert claim.days_in_service == 0
