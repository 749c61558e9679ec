"""IV.8: a warranty claim is kept half a year after it is done with, then purged
of the consumer's data, its notes and its scans and photos; its statistics stay."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.utils import timezone

from sanbao.accounts.holds import hold_set
from sanbao.claims.models import Claim, InspectionFinding
from sanbao.claims.policy import CHECKLIST_RULES
from sanbao.claims.services import FindingIn, claim_close, claim_judge
from sanbao.claims.tests.conftest import intake, photo
from sanbao.core.retention import REDACTED, purge_expired

NOW = timezone.now()
KEPT = NOW - dt.timedelta(days=183)
GONE = NOW - dt.timedelta(days=184)


def purge():
    return purge_expired(now=NOW, kinds=["claims"])[0]


def rejected(actor, unit, *, closed=GONE):
    """A consumer claim not covered (III.6 found, with its note and photo), rejected
    and closed ``closed``."""
    findings = [
        FindingIn(r, True, "Wet inside; Li Na says her son dropped it", photo())
        if r == "III.6"
        else FindingIn(r, False)
        for r in CHECKLIST_RULES
    ]
    claim = intake(actor, unit, findings=findings)
    claim_judge(claim=claim, actor=actor, failure_confirmed=False, note="Told Li Na by phone")
    claim_close(claim=Claim.objects.get(pk=claim.pk), actor=actor)
    Claim.objects.filter(pk=claim.pk).update(closed_at=closed, judged_at=closed)
    return Claim.objects.get(pk=claim.pk)


def files_in(root: Path) -> set[str]:
    return {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}


@pytest.mark.clause("IV.8")
def test_a_claim_closed_more_than_six_months_ago_loses_the_consumers_data_and_keeps_its_figures(
    platform_staff,
    unit_of_agent_a,
    settings,
    tmp_path,
    django_capture_on_commit_callbacks,
):
    settings.MEDIA_ROOT = tmp_path
    claim = rejected(platform_staff, unit_of_agent_a)
    scans = {claim.proof_of_purchase_scan.name, claim.warranty_card_scan.name}
    scans.add(InspectionFinding.objects.get(claim=claim, rule="III.6").photo.name)
    before = files_in(tmp_path)
    assert scans <= before
    with django_capture_on_commit_callbacks(execute=True):
        report = purge()
    assert (report.anonymised, report.files) == (1, 3)
    assert files_in(tmp_path) == before - scans
    after = Claim.objects.get(pk=claim.pk)
    assert (after.consumer_name, after.consumer_phone, after.fault_description) == (
        "",
        REDACTED,
        "",
    )
    assert (after.judgement_note, after.proof_of_purchase_scan.name) == ("", "")
    assert after.findings.get(rule="III.6").note == ""
    assert "Li Na" not in str(after.verdict_results)
    # The figures stay: model, serial, fault kind, dates, verdict and rule outcomes.
    kept = ("status", "model_id", "unit_id", "fault_kind", "claimed_on", "verdict", "closed_at")
    assert [getattr(after, f) for f in kept] == [getattr(claim, f) for f in kept]
    assert [r["outcome"] for r in after.verdict_results] == [
        r["outcome"] for r in claim.verdict_results
    ]


@pytest.mark.clause("IV.8")
def test_claims_closed_183_days_ago_open_or_held_are_kept_and_a_rerun_changes_nothing(
    platform_staff, platform_manager, unit_of_agent_a, agent_a_clerk
):
    from sanbao.claims.tests.factories import another_unit

    kept = rejected(platform_staff, unit_of_agent_a, closed=KEPT)
    open_one = intake(platform_staff, another_unit(unit_of_agent_a, "SBA000002"))
    Claim.objects.filter(pk=open_one.pk).update(created_at=NOW - dt.timedelta(days=900))
    held = rejected(platform_staff, another_unit(unit_of_agent_a, "SBA000003"))
    hold_set(actor=platform_manager, kind="claims", reference=held.number, reason="Court")
    agents = intake(
        agent_a_clerk,
        another_unit(unit_of_agent_a, "SBA000004"),
        consumer_name="",
        consumer_phone="",
    )
    Claim.objects.filter(pk=agents.pk).update(created_at=NOW - dt.timedelta(days=900))
    gone = rejected(platform_staff, another_unit(unit_of_agent_a, "SBA000005"))
    report = purge()
    assert (report.anonymised, report.held) == (1, 1)
    for claim in (kept, open_one, held, agents):
        assert Claim.objects.get(pk=claim.pk).anonymised_at is None
    assert Claim.objects.get(pk=gone.pk).consumer_name == ""
    assert Claim.objects.get(pk=kept.pk).consumer_name == "Li Na"
    rows = list(Claim.objects.order_by("pk").values())
    again = purge()
    assert (again.anonymised, again.files) == (0, 0)
    assert list(Claim.objects.order_by("pk").values()) == rows


@pytest.mark.clause("IV.8")
def test_a_claim_of_a_return_unit_on_hold_is_kept(
    agent_a_clerk, platform_staff, platform_manager, unit_of_agent_a
):
    claim = intake(agent_a_clerk, unit_of_agent_a, consumer_name="", consumer_phone="")
    Claim.objects.filter(pk=claim.pk).update(status="closed", closed_at=GONE)
    hold_set(actor=platform_manager, kind="organisation", reference="AG-A", reason="Audit")
    report = purge()
    assert (report.anonymised, report.held) == (0, 1)
    assert Claim.objects.get(pk=claim.pk).anonymised_at is None
