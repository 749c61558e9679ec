"""Tenant-scoped reads: who sees which claim, the list filters, the timeline and
the public status look-up (number AND phone, nothing else)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser

from sanbao.claims import selectors
from sanbao.claims.models import Claim
from sanbao.claims.tests.conftest import CONSUMER_PHONE, intake
from sanbao.claims.tests.factories import another_unit, days_ago, judged
from sanbao.core.errors import NotAuthenticated, NotFound


@pytest.fixture
def claims_of_everyone(
    covered_claim, outlet_claim, agent_claim, enterprise_clerk, unit_of_enterprise_c
):
    enterprise_claim = intake(enterprise_clerk, unit_of_enterprise_c)
    return {
        "platform": covered_claim,
        "outlet": outlet_claim,
        "agent_a": agent_claim,
        "enterprise": enterprise_claim,
    }


def numbers(qs) -> set[str]:
    return set(qs.values_list("number", flat=True))


@pytest.mark.parametrize(
    ("who", "sees"),
    [
        ("platform_staff", {"platform", "outlet", "agent_a", "enterprise"}),
        ("administrator", {"platform", "outlet", "agent_a", "enterprise"}),
        ("cs_commissioner", {"platform", "outlet", "agent_a", "enterprise"}),
        ("outlet_tech", {"outlet"}),
        ("agent_a_clerk", {"agent_a"}),
        ("agent_b_clerk", set()),
        ("enterprise_clerk", {"enterprise"}),
    ],
)
def test_each_user_lists_exactly_the_claims_of_their_organisation(
    cast, claims_of_everyone, who, sees
):
    actor = getattr(cast, who)
    expected = {claims_of_everyone[k].number for k in sees}
    assert numbers(selectors.claim_list(actor=actor)) == expected
    for key, claim in claims_of_everyone.items():
        if key in sees:
            assert selectors.claim_get(actor=actor, number=claim.number) == claim
        else:
            with pytest.raises(NotFound) as caught:
                selectors.claim_get(actor=actor, number=claim.number)
            assert caught.value.code == "claims.claim_not_found"


@pytest.mark.clause("II.3")
def test_an_outlet_technician_does_not_see_a_claim_of_another_outlet_even_by_number(
    claims_of_everyone, outlet_tech
):
    with pytest.raises(NotFound):
        selectors.claim_get(actor=outlet_tech, number=claims_of_everyone["platform"].number)


def test_a_claim_of_another_organisation_reads_exactly_like_one_that_does_not_exist(
    claims_of_everyone, agent_b_clerk
):
    with pytest.raises(NotFound) as other:
        selectors.claim_get(actor=agent_b_clerk, number=claims_of_everyone["agent_a"].number)
    with pytest.raises(NotFound) as missing:
        selectors.claim_get(actor=agent_b_clerk, number="C0000-NOSUCH")
    assert other.value.as_dict() == missing.value.as_dict()


def test_the_claim_number_is_found_whatever_its_case_and_spacing(covered_claim, platform_staff):
    found = selectors.claim_get(actor=platform_staff, number=f"  {covered_claim.number.lower()} ")
    assert found == covered_claim


def test_an_anonymous_visitor_reads_no_claim(covered_claim):
    with pytest.raises(NotAuthenticated):
        selectors.claim_list(actor=AnonymousUser())
    with pytest.raises(NotAuthenticated):
        selectors.claim_get(actor=AnonymousUser(), number=covered_claim.number)


def test_the_list_filters_by_state_verdict_model_outlet_serial_and_dates(
    claims_of_everyone, platform_staff, unit_of_agent_a
):
    # One live claim a unit (I.2): the expired claim is on another unit of agent A.
    expired = intake(platform_staff, another_unit(unit_of_agent_a), delivered_on=days_ago(400))
    judged(claims_of_everyone["platform"], platform_staff, "repair")
    everyone = {c.number for c in claims_of_everyone.values()} | {expired.number}

    def listed(**filters):
        return numbers(selectors.claim_list(actor=platform_staff, **filters))

    assert listed() == everyone
    assert listed(status="approved") == {claims_of_everyone["platform"].number}
    assert listed(verdict="not_covered") == {expired.number}
    assert listed(model="PB20K") == {claims_of_everyone["enterprise"].number}
    assert listed(outlet="SO-D") == {claims_of_everyone["outlet"].number}
    assert listed(serial="sbb") == {claims_of_everyone["outlet"].number}
    today = days_ago(0)
    assert listed(submitted_from=today, submitted_to=today) == everyone
    assert listed(submitted_to=today - dt.timedelta(days=1)) == set()
    assert listed(submitted_from=today + dt.timedelta(days=1)) == set()


def test_the_timeline_lists_the_claims_events_oldest_first(covered_claim, platform_staff):
    judged(covered_claim, platform_staff, "repair")
    timeline = selectors.claim_timeline(claim=covered_claim)
    assert [e.action for e in timeline] == [
        "claim.submitted",
        "claim.judgement_started",
        "claim.approved",
    ]
    assert {e.actor for e in timeline} == {platform_staff}


# The public status look-up -------------------------------------------------------------------


def test_the_public_look_up_needs_the_number_and_the_phone_on_the_claim(covered_claim):
    assert selectors.claim_public_status(number=covered_claim.number, phone=CONSUMER_PHONE) == (
        covered_claim
    )
    assert (
        selectors.claim_public_status(number=covered_claim.number.lower(), phone="138-0013-8000")
        == covered_claim
    )


@pytest.mark.parametrize(
    ("number", "phone"),
    [
        ("WRONG", CONSUMER_PHONE),
        (None, "13900139000"),
        (None, ""),
        ("", CONSUMER_PHONE),
        (None, CONSUMER_PHONE[:-1]),
    ],
)
def test_the_public_look_up_finds_nothing_unless_both_match(covered_claim, number, phone):
    number = covered_claim.number if number is None else number
    assert selectors.claim_public_status(number=number, phone=phone) is None


def test_an_organisations_claim_has_no_public_look_up(agent_claim):
    assert agent_claim.consumer_phone == ""
    assert selectors.claim_public_status(number=agent_claim.number, phone="") is None


def test_claims_are_listed_newest_first(platform_staff, unit_of_agent_a):
    first = intake(platform_staff, unit_of_agent_a)
    second = intake(platform_staff, another_unit(unit_of_agent_a))  # one a unit (I.2)
    listed = list(selectors.claim_list(actor=platform_staff))
    assert listed == [second, first]
    assert Claim.objects.count() == 2
