"""Issue 10 item 2 (I.2): the 30-day repair limit counts from the day the unit was
handed in, not from "start service"; with restart-on-replacement turned off, the
replacement keeps the original's repair-day extension."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from sanbao.catalog.models import Unit
from sanbao.claims import services
from sanbao.claims.models import Claim
from sanbao.claims.policy import warranty_end
from sanbao.claims.tests.conftest import intake
from sanbao.claims.tests.factories import SHELF, days_ago, in_service, reload, repaired_in_the_past
from sanbao.core.errors import DomainError
from sanbao.testkit.cast import api_client_for, login_client_for


def service_started_days_ago(claim: Claim, days: int) -> Claim:
    """The repair started ``days`` days ago (history, set as test setup)."""
    Claim.objects.filter(pk=claim.pk).update(in_service_at=timezone.now() - dt.timedelta(days=days))
    return reload(claim)


@pytest.mark.clause("I.2")
def test_a_unit_handed_in_31_days_ago_whose_repair_started_5_days_ago_may_be_refunded(
    outlet_tech, unit_of_agent_a
):
    claim = intake(
        outlet_tech,
        unit_of_agent_a,
        delivered_on=days_ago(60),
        claimed_on=days_ago(31),
        handed_in_on=days_ago(31),
    )
    in_service(claim, outlet_tech, "repair")
    claim = service_started_days_ago(claim, 5)
    assert (claim.days_in_service, claim.days_in_repair) == (5, 31)
    services.claim_resolve(
        claim=claim, actor=outlet_tech, outcome="refunded", retained_location=SHELF
    )
    assert reload(claim).outcome == "refunded"


@pytest.mark.clause("I.2")
def test_a_unit_handed_in_30_days_ago_is_only_repaired(outlet_tech, unit_of_agent_a):
    claim = intake(outlet_tech, unit_of_agent_a, delivered_on=days_ago(60), claimed_on=days_ago(30))
    assert claim.handed_in_on == days_ago(30)  # handed in with the claim by default
    in_service(claim, outlet_tech, "repair")
    with pytest.raises(DomainError) as caught:
        services.claim_resolve(
            claim=reload(claim), actor=outlet_tech, outcome="refunded", retained_location=SHELF
        )
    assert caught.value.code == "claims.outcome_not_allowed"


@pytest.mark.clause("I.2")
@pytest.mark.parametrize(
    ("handed_in", "code"),
    [(-1, "claims.date_in_future"), (6, "claims.handed_in_before_claim")],
)
def test_a_hand_in_day_in_the_future_or_before_the_claim_is_refused(
    outlet_tech, unit_of_agent_a, handed_in, code
):
    with pytest.raises(DomainError) as caught:
        intake(
            outlet_tech,
            unit_of_agent_a,
            delivered_on=days_ago(9),
            claimed_on=days_ago(5),
            handed_in_on=days_ago(handed_in),
        )
    assert caught.value.code == "claims.intake_invalid"
    assert set(caught.value.fields) == {"handed_in_on"}
    assert not Claim.objects.exists()


@pytest.mark.clause("I.2")
def test_the_api_shows_the_hand_in_day_and_the_days_in_repair(outlet_tech, unit_of_agent_a):
    claim = intake(
        outlet_tech,
        unit_of_agent_a,
        delivered_on=days_ago(20),
        claimed_on=days_ago(12),
        handed_in_on=days_ago(10),
    )
    body = api_client_for(outlet_tech).get(f"/api/v1/claims/{claim.number}").json()
    assert (body["handed_in_on"], body["days_in_repair"]) == (days_ago(10).isoformat(), 10)


@pytest.mark.clause("I.2")
def test_a_replacement_keeps_the_originals_repair_day_extension_when_no_new_warranty_starts(
    platform_staff, unit_of_agent_a, power_banks
):
    power_banks.new_warranty_on_replacement = False
    power_banks.save()
    delivered = days_ago(300)
    repaired_in_the_past(platform_staff, unit_of_agent_a, delivered_on=delivered, days_in_repair=10)
    first = intake(platform_staff, unit_of_agent_a, delivered_on=delivered)
    assert first.terms["days_in_repair_before"] == 10
    in_service(
        first, platform_staff, "replacement", replacement_model=first.model, repair_impossible=True
    )
    services.claim_resolve(
        claim=reload(first),
        actor=platform_staff,
        outcome="replaced",
        replacement_serial="SBNEW0909",
        retained_location=SHELF,
    )
    new = Unit.objects.get(serial="SBNEW0909")
    later = intake(
        platform_staff, new, delivered_on=delivered, warranty_card_no=new.warranty_card_no
    )
    assert later.terms["days_in_repair_before"] == 10
    assert later.warranty_end == warranty_end(delivered, 12, 10) == first.warranty_end


@pytest.mark.clause("I.2")
def test_a_replacement_with_a_new_warranty_starts_without_the_originals_extension(
    platform_staff, unit_of_agent_a, power_banks
):
    assert power_banks.new_warranty_on_replacement is True
    delivered = days_ago(300)
    repaired_in_the_past(platform_staff, unit_of_agent_a, delivered_on=delivered, days_in_repair=10)
    first = intake(platform_staff, unit_of_agent_a, delivered_on=delivered)
    in_service(
        first, platform_staff, "replacement", replacement_model=first.model, repair_impossible=True
    )
    services.claim_resolve(
        claim=reload(first),
        actor=platform_staff,
        outcome="replaced",
        replacement_serial="SBNEW0910",
        retained_location=SHELF,
    )
    new = Unit.objects.get(serial="SBNEW0910")
    later = intake(
        platform_staff, new, delivered_on=delivered, warranty_card_no=new.warranty_card_no
    )
    assert later.terms["days_in_repair_before"] == 0
    assert later.warranty_end == warranty_end(timezone.localdate(), 12)


@pytest.mark.clause("I.2")
def test_the_intake_page_takes_the_hand_in_day_and_the_claim_page_counts_from_it(
    outlet_tech, unit_of_agent_a
):
    from sanbao.claims.tests.test_claim_dates import intake_form

    client = login_client_for(outlet_tech, language="zh-hans")
    form = intake_form(
        unit_of_agent_a,
        delivered_on=days_ago(20).isoformat(),
        claimed_on=days_ago(12).isoformat(),
    )
    refused = client.post("/claims/new/", {**form, "handed_in_on": days_ago(13).isoformat()})
    assert refused.status_code == 400
    assert '<div data-field-error="handed_in_on">送修日期不能早于提出索赔日期。</div>' in (
        refused.content.decode()
    )
    assert (
        client.post("/claims/new/", {**form, "handed_in_on": days_ago(10).isoformat()}).status_code
        == 302
    )
    claim = Claim.objects.get()
    assert claim.handed_in_on == days_ago(10)
    page = client.get(f"/claims/{claim.number}/").content.decode()
    assert f'data-handed-in-on="{days_ago(10).isoformat()}"' in page
