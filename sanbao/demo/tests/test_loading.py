"""The demo data: loading twice creates everything once, and the demo claims are
in the states and verdicts a newcomer is promised."""

from __future__ import annotations

import io

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.test import Client

from sanbao.catalog.models import RetainedPart
from sanbao.claims.models import Claim
from sanbao.demo.claims import DEMO_CLAIMS, status_example
from sanbao.demo.loading import load


@pytest.fixture
def loaded(db):
    return load()


def _claims() -> dict[str, Claim]:
    by_text = {spec.fault_description: spec.name for spec in DEMO_CLAIMS}
    return {by_text[c.fault_description]: c for c in Claim.objects.select_related("created_by")}


def _failed(claim: Claim) -> list[str]:
    return [r["rule"] for r in claim.verdict_results if r["outcome"] == "fail"]


def test_loading_twice_creates_the_demo_claims_once(loaded):
    assert len(loaded.claims_created) == len(DEMO_CLAIMS) == 8
    assert loaded.claims_skipped == []
    again = load()
    assert again.claims_created == [] and again.claims_skipped == []
    assert Claim.objects.count() == 8
    assert RetainedPart.objects.filter(source_type="claims.claim").count() == 1


def test_the_demo_claims_have_the_promised_states_and_verdicts(loaded):
    claims = _claims()
    expected = {
        "repair_in_service": ("in_service", "covered", []),
        "replaced": ("resolved", "covered", []),
        "hong_kong": ("rejected", "not_covered", ["I.1"]),
        "no_warranty_card": ("submitted", "not_covered", ["II.2", "III.2"]),
        "mismatched_card": ("submitted", "not_covered", ["III.3"]),
        "past_warranty": ("submitted", "not_covered", ["III.9"]),
        "liquid": ("under_judgement", "not_covered", ["III.6"]),
        "needs_judgement": ("submitted", "needs_judgement", []),
    }
    actual = {name: (claim.status, claim.verdict, _failed(claim)) for name, claim in claims.items()}
    assert actual == expected
    assert claims["repair_in_service"].remedy == "repair"
    replaced = claims["replaced"]
    assert replaced.outcome == "replaced" and replaced.replacement_unit is not None
    assert RetainedPart.objects.get(source_type="claims.claim").source_id == str(replaced.pk)
    # The replacement carries its own card, not the old unit's (I.2, issue 10 item 8).
    card = replaced.replacement_unit.warranty_card_no
    assert card and card != replaced.unit.warranty_card_no


def test_the_demo_claims_are_taken_in_by_staff_the_outlet_and_agents(loaded):
    takers = {c.created_by.username for c in _claims().values()}
    assert takers == {"staff", "outlet", "agent_sz", "agent_cd"}
    kinds = {c.claimant_kind for c in _claims().values()}
    assert kinds == {"consumer", "organisation"}


def test_print_demo_logins_names_a_claim_that_the_status_page_shows(loaded):
    out = io.StringIO()
    call_command("print_demo_logins", stdout=out)
    example = status_example()
    assert example is not None
    cache.clear()  # the status page counts look-ups
    assert f"claim number {example.number}, telephone {example.phone}" in out.getvalue()
    response = Client().post("/status/", {"number": example.number, "phone": example.phone})
    assert response.status_code == 200
    assert 'data-testid="status-result" data-status="resolved"' in response.content.decode()


@pytest.mark.django_db
def test_there_is_no_status_example_before_the_demo_is_loaded():
    assert status_example() is None


def test_the_demo_return_batches_show_every_state_once(loaded):
    from sanbao.returns.models import ReturnBatch

    states = dict(ReturnBatch.objects.values_list("note", "status"))
    assert states == {
        "demo-draft": "draft",
        "demo-in-transit": "submitted",
        "demo-on-hold": "on_hold",
        "demo-received": "received",
        "demo-cash-on-delivery": "draft",
        "demo-testing": "testing",
        "demo-ready": "ready",
        "demo-delayed": "delayed",
        "demo-shipped": "shipped",
    }
    on_hold = ReturnBatch.objects.get(note="demo-on-hold")
    assert (on_hold.declared_units, on_hold.received_units) == (6, 5)
    assert list(on_hold.anomalies.values_list("kind", flat=True)) == ["missing_units"]
    assert load().batches_created == []
    assert ReturnBatch.objects.count() == 9
    delayed = ReturnBatch.objects.get(note="demo-delayed")
    assert delayed.units.exclude(delay_reason="").count() == 1
    assert delayed.units.filter(shipment__isnull=False).count() == 2
    shipped = ReturnBatch.objects.get(note="demo-shipped")
    assert shipped.units.filter(disposition="charged").count() == 1
