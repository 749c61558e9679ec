"""claim_resolve: the outcome follows the remedy (or a repair that took too long,
I.2); a replacement is registered with its warranty (I.2); what is taken in goes
into the retained-parts ledger (II.4); a refusal writes nothing."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from sanbao.catalog.models import RetainedPart, Unit
from sanbao.catalog.policy import warranty_last_day
from sanbao.catalog.selectors import retained_part_list_for
from sanbao.claims import services, warranty
from sanbao.claims.models import Claim, calendar_days
from sanbao.claims.tests.conftest import (
    all_clear,
    approve_replacement,
    intake,
    resolve_replaced,
)
from sanbao.claims.tests.factories import (
    SHELF,
    actions_of,
    days_ago,
    in_service,
    judged,
    reload,
    repaired_in_the_past,
    set_days_in_service,
)
from sanbao.core.errors import Conflict, PolicyRefused, ValidationFailed

SHANGHAI = ZoneInfo("Asia/Shanghai")


def resolve(claim, actor, outcome, **kwargs):
    return services.claim_resolve(claim=claim, actor=actor, outcome=outcome, **kwargs)


def refused(code, claim, actor, outcome, **kwargs) -> PolicyRefused:
    with pytest.raises(PolicyRefused) as caught:
        resolve(claim, actor, outcome, **kwargs)
    assert caught.value.code == code
    return caught.value


def assert_nothing_resolved(claim, status="in_service"):
    row = Claim.objects.get(pk=claim.pk)
    assert (row.status, row.outcome, row.resolved_at, row.replacement_unit) == (
        status,
        "",
        None,
        None,
    )
    assert not retained_part_list_for(source=claim).exists()
    assert "claim.resolved" not in actions_of(claim)


# Repairs ------------------------------------------------------------------------------------


@pytest.mark.clause("II.4")
def test_a_repair_puts_the_parts_taken_out_into_the_ledger(covered_claim, platform_staff):
    in_service(covered_claim, platform_staff, "repair")
    resolve(
        covered_claim,
        platform_staff,
        "repaired",
        retained_location=SHELF,
        retained_parts=[
            {"description": "Battery cell 3.7 V", "serial": "CELL-77"},
            {"description": "  "},  # an empty line of the form is ignored
            {"description": "Charging board"},
        ],
    )
    claim = reload(covered_claim)
    assert (claim.status, claim.outcome) == ("resolved", "repaired")
    parts = retained_part_list_for(source=claim).order_by("id")
    assert [(p.kind, p.description, p.serial, p.location) for p in parts] == [
        ("part", "Battery cell 3.7 V", "CELL-77", SHELF),
        ("part", "Charging board", "", SHELF),
    ]
    assert {p.held_by_id for p in parts} == {claim.handling_org_id}
    assert {p.disposal for p in parts} == {""}
    assert actions_of(claim)[-1] == "claim.resolved"


def test_a_repair_that_kept_nothing_needs_no_location(covered_claim, platform_staff):
    in_service(covered_claim, platform_staff, "repair")
    resolve(covered_claim, platform_staff, "repaired")
    assert reload(covered_claim).status == "resolved"
    assert not RetainedPart.objects.exists()


@pytest.mark.clause("II.4")
def test_parts_kept_without_saying_where_are_refused(covered_claim, platform_staff):
    in_service(covered_claim, platform_staff, "repair")
    error = refused(
        "claims.location_required",
        covered_claim,
        platform_staff,
        "repaired",
        retained_parts=[{"description": "Battery cell"}],
    )
    assert set(error.fields) == {"retained_location"}
    assert_nothing_resolved(covered_claim)


@pytest.mark.parametrize("outcome", ["replaced", "refunded", "lost"])
def test_a_repair_within_the_time_limit_can_only_end_repaired(
    covered_claim, platform_staff, pb10k, outcome
):
    in_service(covered_claim, platform_staff, "repair")
    claim = set_days_in_service(covered_claim, 30)
    refused(
        "claims.outcome_not_allowed",
        claim,
        platform_staff,
        outcome,
        retained_location=SHELF,
        replacement_model=pb10k,
        replacement_serial="SBNEW0100",
    )
    assert_nothing_resolved(claim)


# I.2 More than 30 days in repair -----------------------------------------------------------------


@pytest.mark.clause("I.2")
@pytest.mark.clause("II.4")
def test_a_repair_taking_more_than_thirty_days_may_end_in_a_refund(covered_claim, platform_staff):
    in_service(covered_claim, platform_staff, "repair")
    claim = set_days_in_service(covered_claim, 31)
    resolve(claim, platform_staff, "refunded", retained_location=SHELF)
    claim = reload(claim)
    assert (claim.status, claim.outcome) == ("resolved", "refunded")
    part = retained_part_list_for(source=claim).get()
    assert (part.kind, part.serial) == ("unit", claim.unit.serial)


@pytest.mark.clause("I.2")
@pytest.mark.clause("II.3")
def test_a_repair_taking_more_than_thirty_days_may_end_in_a_replacement_not_lower(
    covered_claim, platform_staff, pb5k, pb20k
):
    in_service(covered_claim, platform_staff, "repair")
    claim = set_days_in_service(covered_claim, 31)
    with pytest.raises(PolicyRefused) as caught:
        resolve(
            claim,
            platform_staff,
            "replaced",
            retained_location=SHELF,
            replacement_model=pb5k,
            replacement_serial="SBNEW0101",
        )
    assert caught.value.code == "claims.replacement_lower"
    assert_nothing_resolved(claim)
    resolve(
        claim,
        platform_staff,
        "replaced",
        retained_location=SHELF,
        replacement_model=pb20k,
        replacement_serial="SBNEW0101",
    )
    claim = reload(claim)
    assert (claim.outcome, claim.replacement_model, claim.replacement_unit.serial) == (
        "replaced",
        pb20k,
        "SBNEW0101",
    )


@pytest.mark.clause("I.2")
def test_a_consumer_given_a_refund_after_a_long_repair_resolves_from_the_stored_terms(
    covered_claim, platform_staff, power_banks
):
    in_service(covered_claim, platform_staff, "repair")
    power_banks.repair_days_limit = 60  # edited afterwards: the claim's terms decide (II.1)
    power_banks.save()
    claim = set_days_in_service(covered_claim, 31)
    resolve(claim, platform_staff, "refunded", retained_location=SHELF)
    assert reload(claim).outcome == "refunded"


# Replacement: the new unit and its warranty -------------------------------------------------------


@pytest.mark.clause("II.3")
@pytest.mark.clause("II.4")
def test_a_replacement_is_registered_as_a_unit_and_the_old_unit_retained(
    covered_claim, platform_staff, pb20k
):
    in_service(covered_claim, platform_staff, "replacement", replacement_model=pb20k)
    resolve(
        covered_claim,
        platform_staff,
        "replaced",
        replacement_serial="SBNEW0001",
        retained_location=SHELF,
    )
    claim = reload(covered_claim)
    new = Unit.objects.get(serial="SBNEW0001")
    assert claim.replacement_unit == new
    assert (new.model, new.replaces, new.region, new.channel_org) == (
        pb20k,
        claim.unit,
        claim.unit.region,
        claim.unit.channel_org,
    )
    part = retained_part_list_for(source=claim).get()
    assert (part.kind, part.serial, part.location, part.disposal) == (
        "unit",
        claim.unit.serial,
        SHELF,
        "",
    )


@pytest.mark.clause("I.2")
def test_a_replacement_unit_starts_a_new_warranty_period_when_the_category_says_so(
    platform_staff, unit_of_agent_a
):
    delivered = days_ago(300)
    first = intake(platform_staff, unit_of_agent_a, delivered_on=delivered)
    in_service(
        first, platform_staff, "replacement", replacement_model=first.model, repair_impossible=True
    )
    resolve(
        first,
        platform_staff,
        "replaced",
        replacement_serial="SBNEW0002",
        retained_location=SHELF,
        replacement_card_no="WCSBNEW0002",
    )
    new = Unit.objects.get(serial="SBNEW0002")
    assert new.warranty_starts_on == days_ago(0)
    # The consumer presents the replacement's own warranty card, issued with it (I.2).
    later = intake(
        platform_staff, new, delivered_on=delivered, warranty_card_no=new.warranty_card_no
    )
    assert later.warranty_end == warranty_last_day(days_ago(0), 12)
    assert later.verdict == "covered"


@pytest.mark.clause("I.2")
def test_a_replacement_unit_continues_the_old_warranty_when_the_setting_is_off(
    platform_staff, unit_of_agent_a, power_banks
):
    power_banks.new_warranty_on_replacement = False
    power_banks.save()
    delivered = days_ago(300)
    first = intake(platform_staff, unit_of_agent_a, delivered_on=delivered)
    assert first.terms["category"]["new_warranty_on_replacement"] is False
    in_service(
        first, platform_staff, "replacement", replacement_model=first.model, repair_impossible=True
    )
    resolve(
        first,
        platform_staff,
        "replaced",
        replacement_serial="SBNEW0003",
        retained_location=SHELF,
        replacement_card_no="WCSBNEW0003",
    )
    new = Unit.objects.get(serial="SBNEW0003")
    # It continues the warranty the claim was judged under: from the consumer's
    # delivery, not from the registry's sale date to the agent.
    assert new.warranty_starts_on == delivered
    # The consumer presents the replacement's own warranty card, issued with it (I.2).
    later = intake(
        platform_staff, new, delivered_on=delivered, warranty_card_no=new.warranty_card_no
    )
    assert later.warranty_end == first.warranty_end
    assert later.verdict == "covered"


@pytest.mark.clause("I.2")
@pytest.mark.clause("III.9")
def test_time_in_repair_extends_the_warranty_of_a_later_claim(platform_staff, unit_of_agent_a):
    delivered = days_ago(380)  # the plain 12 months ended about two weeks ago
    earlier = repaired_in_the_past(
        platform_staff, unit_of_agent_a, delivered_on=days_ago(300), days_in_repair=40
    )
    Claim.objects.filter(pk=earlier.pk).update(delivered_on=delivered)  # its real history
    claim = intake(platform_staff, unit_of_agent_a, delivered_on=delivered)
    plain_end = warranty_last_day(delivered, 12)
    assert plain_end < days_ago(0)
    assert claim.terms["days_in_repair_before"] == 40
    assert claim.warranty_end == plain_end + (days_ago(0) - days_ago(40))
    assert claim.verdict == "covered"
    result = next(r for r in claim.verdict_results if r["rule"] == "III.9")
    assert result["reason"] == "within_warranty"


@pytest.mark.clause("I.2")
def test_only_finished_warranty_repairs_extend_the_warranty(platform_staff, unit_of_agent_a, pb10k):
    earlier = intake(platform_staff, unit_of_agent_a, delivered_on=days_ago(300))
    in_service(earlier, platform_staff, "repair")
    set_days_in_service(earlier, 20)  # still in repair: not counted yet
    # While it is in repair the unit cannot be claimed again (one live claim, I.2);
    # what a new intake would count as days in repair before is still none.
    with pytest.raises(ValidationFailed):
        intake(platform_staff, unit_of_agent_a, delivered_on=days_ago(300))
    assert warranty.days_in_repair_before(unit_of_agent_a) == 0
    resolve(earlier, platform_staff, "repaired")
    assert warranty.days_in_repair_before(unit_of_agent_a) == 20


def test_a_replacement_needs_the_serial_of_the_new_unit(covered_claim, platform_staff, pb10k):
    in_service(covered_claim, platform_staff, "replacement", replacement_model=pb10k)
    error = refused(
        "claims.replacement_serial_required",
        covered_claim,
        platform_staff,
        "replaced",
        retained_location=SHELF,
    )
    assert set(error.fields) == {"replacement_serial"}
    assert_nothing_resolved(covered_claim)


@pytest.mark.clause("II.4")
def test_a_replacement_keeps_the_old_unit_so_the_location_is_required(
    covered_claim, platform_staff, pb10k
):
    in_service(covered_claim, platform_staff, "replacement", replacement_model=pb10k)
    refused(
        "claims.location_required",
        covered_claim,
        platform_staff,
        "replaced",
        replacement_serial="SBNEW0004",
    )
    assert_nothing_resolved(covered_claim)
    assert not Unit.objects.filter(serial="SBNEW0004").exists()


def test_a_replacement_serial_already_registered_writes_nothing(
    covered_claim, platform_staff, pb10k, unit_of_agent_b
):
    in_service(covered_claim, platform_staff, "replacement", replacement_model=pb10k)
    units_before = Unit.objects.count()
    with pytest.raises(ValidationFailed) as caught:
        resolve(
            covered_claim,
            platform_staff,
            "replaced",
            replacement_serial=unit_of_agent_b.serial,
            retained_location=SHELF,
        )
    assert caught.value.code == "catalog.serial_taken"
    assert set(caught.value.fields) == {"replacement_serial"}
    assert_nothing_resolved(covered_claim)
    assert Unit.objects.count() == units_before


# Refunds ------------------------------------------------------------------------------


@pytest.mark.clause("II.4")
def test_an_approved_return_is_refunded_at_once_and_the_unit_retained(
    covered_claim, platform_staff
):
    judged(covered_claim, platform_staff, "return")
    resolve(covered_claim, platform_staff, "refunded", retained_location=SHELF)
    claim = reload(covered_claim)
    assert (claim.status, claim.outcome, claim.in_service_at) == ("resolved", "refunded", None)
    assert retained_part_list_for(source=claim).get().kind == "unit"
    assert actions_of(claim) == [
        "claim.submitted",
        "claim.judgement_started",
        "claim.approved",
        "claim.resolved",
    ]


@pytest.mark.clause("II.4")
def test_an_outlets_retained_unit_is_held_by_the_outlet(outlet_claim, outlet_tech, outlet_d):
    judged(outlet_claim, outlet_tech, "return")
    resolve(outlet_claim, outlet_tech, "refunded", retained_location="Back room, bin 2")
    assert retained_part_list_for(source=outlet_claim).get().held_by == outlet_d


def test_an_unregistered_unit_replaced_gets_its_replacement_registered(platform_staff, pb10k):
    from sanbao.claims.services import FindingIn

    claim = intake(
        platform_staff,
        None,
        serial="UNREAD01",
        findings=[*all_clear(), FindingIn("III.1", False), FindingIn("III.3", False)],
    )
    in_service(claim, platform_staff, "replacement", replacement_model=pb10k)
    resolve(
        claim, platform_staff, "replaced", replacement_serial="SBNEW0005", retained_location=SHELF
    )
    new = Unit.objects.get(serial="SBNEW0005")
    assert (new.replaces, new.sale_date, new.region) == (None, claim.delivered_on, "mainland")
    assert retained_part_list_for(source=claim).get().serial == "UNREAD01"


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

    approve_replacement(covered_claim, platform_staff, pb20k)
    services.claim_start_service(claim=covered_claim, actor=platform_staff)
    first = Claim.objects.get(pk=covered_claim.pk)
    second = Claim.objects.get(pk=covered_claim.pk)
    resolve_replaced(first, platform_staff, "SBREPL0001", "Shelf A")
    with pytest.raises(Conflict):
        resolve_replaced(second, platform_staff, "SBREPL0002", "Shelf A")
    assert list(
        Unit.objects.filter(serial__startswith="SBREPL").values_list("serial", flat=True)
    ) == ["SBREPL0001"]
    first.refresh_from_db()
    assert first.replacement_unit.serial == "SBREPL0001"
