"""Every state and verdict of a claim has a tone of its own, and the badge tags
render it."""

from __future__ import annotations

from types import SimpleNamespace

from django.template import Context, Template

from sanbao.claims import ui
from sanbao.claims.models import ClaimStatus, Verdict


def test_every_claim_state_and_verdict_has_a_tone():
    assert ui.CLAIM.states() == set(ClaimStatus.values)
    assert ui.PUBLIC_STATUS.states() <= set(ClaimStatus.values)
    assert ui.VERDICT.states() <= set(Verdict.values)


def test_a_resolved_claim_badge_names_its_outcome():
    claim = SimpleNamespace(
        status="resolved",
        outcome="repaired",
        get_status_display=lambda: "Resolved",
        get_outcome_display=lambda: "Repaired",
    )
    html = Template("{% load claims_ui %}{% claim_badge claim %}").render(Context({"claim": claim}))
    assert "text-bg-success" in html and 'data-status="resolved"' in html
    assert "Resolved · Repaired" in html


def test_a_verdict_not_yet_given_is_a_warning():
    html = Template(
        '{% load claims_ui %}{% verdict_badge "needs_judgement" "Needs judgement" %}'
        "|{{ 'not_covered'|verdict_tone }}"
    ).render(Context())
    assert "text-bg-warning" in html and html.endswith("|danger")
