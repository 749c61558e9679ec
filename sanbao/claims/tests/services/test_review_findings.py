"""Fixes from the service review: who records the checklist, stale judgements,
calendar days in repair, double resolutions."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from sanbao.claims import services
from sanbao.claims.models import Claim, ClaimStatus, calendar_days
from sanbao.claims.tests.conftest import all_clear, intake
from sanbao.core.errors import Conflict, PermissionDenied

SHANGHAI = ZoneInfo("Asia/Shanghai")


def test_an_agent_cannot_record_the_inspection_checklist_at_intake(
    agent_a_clerk, platform_org, unit_of_agent_a
):
    with pytest.raises(PermissionDenied):
        intake(
            agent_a_clerk,
            unit_of_agent_a,
            consumer_name="",
            consumer_phone="",
            findings=all_clear(),
        )
    assert not Claim.objects.exists()


def test_an_agents_claim_waits_for_the_inspection(agent_a_clerk, platform_org, unit_of_agent_a):
    claim = intake(agent_a_clerk, unit_of_agent_a, consumer_name="", consumer_phone="")
    assert claim.verdict == "needs_judgement"


def test_a_judgement_made_on_a_verdict_changed_meanwhile_is_refused(covered_claim, platform_staff):
    stale = Claim.objects.get(pk=covered_claim.pk)  # read while covered
    services.claim_record_findings(
        claim=covered_claim,
        actor=platform_staff,
        findings=[services.FindingIn(rule="III.6", found=True, note="Liquid inside")],
    )
    with pytest.raises(Conflict) as caught:
        services.claim_judge(
            claim=stale, actor=platform_staff, failure_confirmed=True, remedy="repair"
        )
    assert caught.value.code == "claims.changed_meanwhile"
    covered_claim.refresh_from_db()
    assert (covered_claim.status, covered_claim.verdict) == (ClaimStatus.SUBMITTED, "not_covered")


@pytest.mark.clause("I.2")
def test_days_in_repair_are_counted_as_shanghai_calendar_days():
    start = dt.datetime(2026, 3, 1, 17, 0, tzinfo=SHANGHAI)
    end = dt.datetime(2026, 4, 1, 9, 0, tzinfo=SHANGHAI)
    assert calendar_days(start, end) == 31
    late = dt.datetime(2026, 3, 1, 23, 30, tzinfo=SHANGHAI)  # 15:30 UTC, same local day
    assert calendar_days(late, dt.datetime(2026, 3, 2, 0, 30, tzinfo=SHANGHAI)) == 1


def test_resolving_a_claim_twice_is_a_409_and_registers_one_replacement(
    covered_claim, platform_staff, pb20k
):
    from sanbao.catalog.models import Unit

    services.claim_judge(
        claim=covered_claim,
        actor=platform_staff,
        failure_confirmed=True,
        remedy="replacement",
        replacement_model=pb20k,
    )
    services.claim_start_service(claim=covered_claim, actor=platform_staff)
    first = Claim.objects.get(pk=covered_claim.pk)
    second = Claim.objects.get(pk=covered_claim.pk)
    services.claim_resolve(
        claim=first,
        actor=platform_staff,
        outcome="replaced",
        replacement_serial="SBREPL0001",
        retained_location="Shelf A",
    )
    with pytest.raises(Conflict):
        services.claim_resolve(
            claim=second,
            actor=platform_staff,
            outcome="replaced",
            replacement_serial="SBREPL0002",
            retained_location="Shelf A",
        )
    assert list(
        Unit.objects.filter(serial__startswith="SBREPL").values_list("serial", flat=True)
    ) == ["SBREPL0001"]
    first.refresh_from_db()
    assert first.replacement_unit.serial == "SBREPL0001"
