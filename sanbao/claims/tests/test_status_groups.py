"""The claims list's status filter takes a group of states: "to judge" (submitted
or under judgement), the outlet technician's home page link (II.3)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from sanbao.claims import selectors
from sanbao.claims.models import Claim
from sanbao.claims.tests.conftest import intake
from sanbao.testkit.cast import login_client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def claims(cast):
    """One claim of outlet D in each state (set as test setup on claims taken in)."""
    cast.pb10k  # noqa: B018 (the model the claims are about)
    made = {}
    for status in ("submitted", "under_judgement", "approved", "in_service"):
        claim = intake(cast.outlet_tech)
        Claim.objects.filter(pk=claim.pk).update(status=status)
        made[status] = claim.number
    return made


def test_to_judge_lists_the_claims_submitted_or_under_judgement(cast, claims):
    listed = selectors.claim_list(actor=cast.outlet_tech, status=selectors.TO_JUDGE)
    assert set(listed.values_list("number", flat=True)) == {
        claims["submitted"],
        claims["under_judgement"],
    }


def test_the_list_page_offers_to_judge_among_the_states_and_filters_by_it(cast, claims):
    response = login_client_for(cast.outlet_tech).get(
        reverse("claims:claim_list"), {"status": "to_judge"}
    )
    assert response.status_code == 200
    assert not response.context["form"].errors
    assert {c.number for c in response.context["page"].object_list} == {
        claims["submitted"],
        claims["under_judgement"],
    }


def test_one_state_still_filters_by_that_state_alone(cast, claims):
    listed = selectors.claim_list(actor=cast.outlet_tech, status="approved")
    assert list(listed.values_list("number", flat=True)) == [claims["approved"]]
