"""claim_create for a consumer asking from their phone (issue 16 item 3): a
``ConsumerActor`` (the confirmed number), no user account; the same evaluation
as any claim, made today, handled by an active outlet or the after-sales
department, and nobody else's open claim named."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from sanbao.claims.errors import MESSAGES
from sanbao.claims.models import ClaimChannel
from sanbao.claims.services import ConsumerActor, FindingIn
from sanbao.claims.tests.conftest import intake
from sanbao.core.errors import DomainError, NotAuthenticated

pytestmark = pytest.mark.django_db

PHONE = "13800138000"


def by_consumer(unit, phone=PHONE, **overrides):
    overrides.setdefault("consent_version", "2026-12-07")
    return intake(ConsumerActor(phone=phone), unit, **overrides)


def refused_on(exc: DomainError, field: str, code: str) -> bool:
    """Whether ``exc`` refuses ``field`` with the catalogue's message of ``code``
    (a message without parameters)."""
    return str(MESSAGES[code]) in [str(m) for m in exc.fields.get(field, [])]


def test_a_consumers_claim_is_theirs_made_online_with_nobody_who_took_it_in(
    unit_of_agent_a, platform_org
):
    claim = by_consumer(unit_of_agent_a, consumer_phone="13912345678")
    assert claim.consumer_phone == PHONE  # the confirmed number, whatever was typed
    assert claim.channel == ClaimChannel.CONSUMER and claim.created_by is None
    assert claim.handling_org == platform_org and claim.claimant_org is None
    assert claim.verdict == "needs_judgement"


def test_a_staff_claim_is_taken_in_by_its_user(platform_staff, unit_of_agent_a):
    claim = intake(platform_staff, unit_of_agent_a)
    assert claim.channel == ClaimChannel.INTAKE and claim.created_by == platform_staff


def test_a_consumer_chooses_an_active_outlet_never_an_agent(unit_of_agent_a, outlet_d, agent_a):
    assert by_consumer(unit_of_agent_a, handling_org_code="SO-D").handling_org == outlet_d
    with pytest.raises(DomainError) as refused:
        by_consumer(unit_of_agent_a, handling_org_code=agent_a.code)
    assert refused_on(refused.value, "handling_org_code", "claims.handling_org_invalid")


@pytest.mark.clause("I.2")
def test_a_consumer_claims_today_only_and_after_consenting(unit_of_agent_a, platform_org):
    with pytest.raises(DomainError) as refused:
        by_consumer(
            unit_of_agent_a,
            claimed_on=timezone.localdate() - dt.timedelta(days=1),
            consent_version="",
        )
    assert refused_on(refused.value, "claimed_on", "claims.claimed_on_today_only")
    assert refused_on(refused.value, "consent", "claims.value_required")


def test_a_consumer_cannot_record_the_inspection(unit_of_agent_a, platform_org):
    with pytest.raises(NotAuthenticated):
        by_consumer(unit_of_agent_a, findings=[FindingIn("III.6", False)])


def test_an_open_claim_is_named_to_its_own_consumer_only(unit_of_agent_a, platform_org):
    first = by_consumer(unit_of_agent_a)
    with pytest.raises(DomainError) as mine:
        by_consumer(unit_of_agent_a)
    assert first.number in str(mine.value.fields["serial"][0])
    with pytest.raises(DomainError) as theirs:
        by_consumer(unit_of_agent_a, phone="13900139000")
    assert refused_on(theirs.value, "serial", "claims.claim_open_elsewhere")
    assert first.number not in str(theirs.value.fields["serial"][0])
