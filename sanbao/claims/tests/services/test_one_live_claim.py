"""Issue 10, item 8 (I.2, II.4): one unit, one live claim. A unit the brand kept
after replacing it cannot be claimed again (the intake names its replacement); a
second claim while one is open is refused with the open one's number; and the
replacement unit carries its own warranty start and card, not the old unit's."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from sanbao.catalog.models import Unit
from sanbao.claims import services
from sanbao.claims.models import Claim, ClaimStatus
from sanbao.claims.tests.conftest import approve_replacement, intake
from sanbao.claims.tests.factories import reload
from sanbao.core.errors import ValidationFailed


def refused(actor, unit, **extra) -> ValidationFailed:
    before = Claim.objects.count()
    with pytest.raises(ValidationFailed) as caught:
        intake(actor, unit, **extra)
    assert Claim.objects.count() == before
    return caught.value


@pytest.fixture
def replaced(covered_claim, platform_staff, pb20k):
    """The unit of agent A replaced under warranty by SBNEW0100 (new card WC-NEW-0100)."""
    approve_replacement(covered_claim, platform_staff, pb20k)
    services.claim_start_service(claim=covered_claim, actor=platform_staff)
    services.claim_resolve(
        claim=covered_claim,
        actor=platform_staff,
        outcome="replaced",
        replacement_serial="SBNEW0100",
        retained_location="Shelf B2",
        replacement_card_no="WC-NEW-0100",
    )
    return reload(covered_claim)


@pytest.mark.clause("I.2")
@pytest.mark.clause("II.4")
def test_a_replaced_unit_cannot_be_claimed_again_and_intake_names_its_replacement(
    replaced, unit_of_agent_a, platform_staff
):
    error = refused(platform_staff, unit_of_agent_a)
    assert error.fields["serial"] == [
        "This unit was replaced under warranty by unit SBNEW0100 and is kept by the brand "
        "(II.4): claim on the replacement unit instead."
    ]


@pytest.mark.clause("I.2")
def test_a_second_open_claim_on_the_same_unit_is_refused_with_the_open_ones_number(
    covered_claim, unit_of_agent_a, platform_staff
):
    error = refused(platform_staff, unit_of_agent_a)
    assert covered_claim.number in error.fields["serial"][0]


@pytest.mark.clause("I.2")
def test_the_open_claim_is_not_named_to_a_claimant_who_cannot_see_it(
    covered_claim, unit_of_agent_a, agent_a_clerk, platform_org
):
    error = refused(agent_a_clerk, unit_of_agent_a, consumer_name="", consumer_phone="")
    assert covered_claim.number not in error.fields["serial"][0]


@pytest.mark.clause("I.2")
def test_an_unregistered_serial_is_one_unit_too(platform_staff, pb10k):
    first = intake(platform_staff, None, serial="NOTREG0001")
    with pytest.raises(ValidationFailed) as caught:
        intake(platform_staff, None, serial=" notreg0001 ")
    assert first.number in caught.value.fields["serial"][0]


@pytest.mark.clause("I.2")
def test_a_unit_may_be_claimed_again_once_its_claim_is_closed(
    covered_claim, unit_of_agent_a, platform_staff
):
    services.claim_judge(
        claim=covered_claim, actor=platform_staff, failure_confirmed=False, note="No fault"
    )
    assert reload(covered_claim).status == ClaimStatus.REJECTED
    assert intake(platform_staff, unit_of_agent_a).unit == unit_of_agent_a


@pytest.mark.clause("I.2")
def test_the_database_keeps_one_live_claim_per_unit(covered_claim):
    twin = Claim.objects.get(pk=covered_claim.pk)
    twin.pk, twin.number = None, "C-TWIN"
    with pytest.raises(IntegrityError), transaction.atomic():
        twin.save()


@pytest.mark.clause("I.2")
def test_the_replacement_carries_its_own_warranty_start_and_card(replaced, unit_of_agent_a):
    new = Unit.objects.get(serial="SBNEW0100")
    assert new.replaces == unit_of_agent_a
    assert new.warranty_starts_on == timezone.localdate()
    assert new.warranty_card_no == "WC-NEW-0100" != unit_of_agent_a.warranty_card_no


@pytest.mark.clause("I.2")
def test_an_intake_that_loses_the_race_names_the_claim_that_got_in_first(
    unit_of_agent_a, platform_staff, monkeypatch
):
    """Two intakes of one unit at once: both find it free, the database lets one
    in (claim_one_live_per_unit) and the other is refused naming it, read afresh."""
    from sanbao.claims import unit_history

    look_up = unit_history.unit_with_history
    first: list[Claim] = []

    def the_other_intake_gets_in_meanwhile(serial):
        found = look_up(serial)
        monkeypatch.setattr(services, "unit_with_history", look_up)  # once
        first.append(intake(platform_staff, unit_of_agent_a))
        return found

    monkeypatch.setattr(services, "unit_with_history", the_other_intake_gets_in_meanwhile)
    with pytest.raises(ValidationFailed) as caught:
        intake(platform_staff, unit_of_agent_a)
    assert caught.value.code == "claims.intake_invalid"
    assert first[0].number in caught.value.fields["serial"][0]
    assert list(Claim.objects.filter(unit=unit_of_agent_a)) == first
