"""Issue 10 item 1 (I.2): the return and exchange windows are counted on the day
the claim is made, not the day it is judged; the consumer's choice of remedy is
recorded at intake and honoured at judgement; the remedies open to a claim are
visible as stable codes before anyone judges it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from sanbao.claims import services
from sanbao.claims.models import Claim
from sanbao.claims.tests.conftest import intake
from sanbao.claims.tests.factories import actions_of, another_unit, days_ago, reload
from sanbao.core.errors import DomainError
from sanbao.testkit.cast import api_client_for, login_client_for


def days_pass(claim: Claim, days: int) -> Claim:
    """``days`` days pass after the intake (history, set as test setup): the claim
    was made, and the unit delivered, ``days`` days earlier than recorded."""
    Claim.objects.filter(pk=claim.pk).update(
        delivered_on=claim.delivered_on - dt.timedelta(days=days),
        claimed_on=claim.claimed_on - dt.timedelta(days=days),
        created_at=claim.created_at - dt.timedelta(days=days),
    )
    return reload(claim)


def judge(claim, actor, remedy="", **kwargs):
    return services.claim_judge(
        claim=claim, actor=actor, failure_confirmed=True, remedy=remedy, **kwargs
    )


def refused(code, fn, *args, **kwargs) -> DomainError:
    with pytest.raises(DomainError) as caught:
        fn(*args, **kwargs)
    assert caught.value.code == code
    assert caught.value.status == 400
    return caught.value


# The windows are counted on the claim date ------------------------------------------------


@pytest.mark.clause("I.2")
def test_a_consumer_claim_made_on_day_6_and_judged_on_day_9_is_still_offered_a_return(
    platform_staff, unit_of_agent_a
):
    claim = intake(platform_staff, unit_of_agent_a, delivered_on=days_ago(6))
    assert claim.claimed_on == timezone.localdate()
    claim = days_pass(claim, 3)  # judged on day 9 after delivery
    judge(claim, platform_staff, "return")
    claim = reload(claim)
    assert (claim.status, claim.remedy) == ("approved", "return")
    assert claim.open_remedies == ["return", "replacement", "repair"]


@pytest.mark.clause("I.2")
def test_a_claim_made_on_day_14_and_judged_on_day_20_is_still_offered_a_replacement(
    platform_staff, unit_of_agent_a
):
    claim = days_pass(intake(platform_staff, unit_of_agent_a, delivered_on=days_ago(14)), 6)
    refused("claims.remedy_not_open", judge, claim, platform_staff, "return")
    judge(claim, platform_staff, "replacement", replacement_model=claim.model)
    assert reload(claim).open_remedies == ["replacement", "repair"]


@pytest.mark.clause("I.2")
def test_an_outlet_enters_on_day_9_a_paper_claim_made_on_day_6_and_a_return_is_open(
    outlet_tech, unit_of_agent_a
):
    claim = intake(outlet_tech, unit_of_agent_a, delivered_on=days_ago(9), claimed_on=days_ago(3))
    assert reload(claim).claimed_on == days_ago(3)
    judge(claim, outlet_tech, "return")
    assert reload(claim).remedy == "return"


@pytest.mark.clause("I.2")
@pytest.mark.parametrize(
    ("claimed", "code"),
    [(-1, "claims.date_in_future"), (10, "claims.claimed_before_delivery")],
)
def test_a_claim_date_in_the_future_or_before_the_delivery_is_refused_and_nothing_written(
    outlet_tech, unit_of_agent_a, claimed, code
):
    error = refused(
        "claims.intake_invalid",
        intake,
        outlet_tech,
        unit_of_agent_a,
        delivered_on=days_ago(9),
        claimed_on=days_ago(claimed),
    )
    assert set(error.fields) == {"claimed_on"}
    assert Claim.objects.count() == 0


@pytest.mark.clause("I.2")
def test_an_agent_claiming_for_itself_cannot_date_its_claim_earlier_than_today(
    agent_a_clerk, unit_of_agent_a, platform_org
):
    error = refused(
        "claims.intake_invalid",
        intake,
        agent_a_clerk,
        unit_of_agent_a,
        consumer_name="",
        consumer_phone="",
        claimed_on=days_ago(1),
    )
    assert set(error.fields) == {"claimed_on"}
    assert Claim.objects.count() == 0


@pytest.mark.clause("III.9")
def test_a_claim_made_on_the_last_day_of_the_warranty_is_covered_when_entered_later(
    outlet_tech, unit_of_agent_a
):
    months = unit_of_agent_a.model.category.warranty_months
    delivered = days_ago(31 * months + 20)
    last = services.policy.warranty_end(delivered, months)
    assert last < timezone.localdate()
    claim = intake(outlet_tech, unit_of_agent_a, delivered_on=delivered, claimed_on=last)
    assert claim.verdict == "covered"
    # The same unit has one live claim (I.2): a twin unit, claimed today, is too late.
    later = intake(outlet_tech, another_unit(unit_of_agent_a), delivered_on=delivered)
    assert later.verdict == "not_covered"


# The consumer's choice of remedy ------------------------------------------------------------


@pytest.mark.clause("I.2")
def test_the_remedy_the_consumer_chose_within_7_days_is_honoured_at_judgement(
    platform_staff, unit_of_agent_a
):
    claim = intake(
        platform_staff, unit_of_agent_a, delivered_on=days_ago(5), remedy_requested="return"
    )
    assert reload(claim).remedy_requested == "return"
    claim = days_pass(claim, 10)
    error = refused("claims.remedy_not_requested", judge, claim, platform_staff, "repair")
    assert set(error.fields) == {"remedy"}
    assert reload(claim).status == "submitted"
    judge(claim, platform_staff)  # no remedy given: the consumer's
    claim = reload(claim)
    assert (claim.status, claim.remedy) == ("approved", "return")
    assert actions_of(claim)[-1] == "claim.approved"


@pytest.mark.clause("I.2")
def test_a_remedy_not_open_on_the_claim_date_cannot_be_chosen_at_intake(
    platform_staff, unit_of_agent_a
):
    error = refused(
        "claims.intake_invalid",
        intake,
        platform_staff,
        unit_of_agent_a,
        delivered_on=days_ago(10),
        remedy_requested="return",
    )
    assert set(error.fields) == {"remedy_requested"}
    assert Claim.objects.count() == 0


@pytest.mark.clause("I.2")
def test_a_repair_judged_impossible_after_the_exchange_window_may_replace_the_chosen_repair(
    platform_staff, unit_of_agent_a
):
    """The consumer's choice binds the outlet within the windows; after them the
    outlet's judgement that repair is impossible opens a replacement instead."""
    claim = intake(
        platform_staff, unit_of_agent_a, delivered_on=days_ago(60), remedy_requested="repair"
    )
    judge(
        claim,
        platform_staff,
        "replacement",
        replacement_model=claim.model,
        repair_impossible=True,
    )
    assert reload(claim).remedy == "replacement"


# Visible before judgement, as stable codes ------------------------------------------------


@pytest.mark.clause("I.2")
def test_the_api_takes_the_claim_date_and_choice_and_shows_the_open_remedies_before_judgement(
    outlet_tech, unit_of_agent_a
):
    client = api_client_for(outlet_tech)
    response = client.post(
        "/api/v1/claims",
        {
            "serial": unit_of_agent_a.serial,
            "delivered_on": days_ago(9).isoformat(),
            "claimed_on": days_ago(3).isoformat(),
            "remedy_requested": "return",
            "consumer_name": "Li Na",
            "consumer_phone": "13800138000",
            "proof_of_purchase_no": "INV-1",
            "warranty_card_no": unit_of_agent_a.warranty_card_no,
            "fault_kind": "not_charging",
            "fault_description": "Does not charge.",
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["claimed_on"] == days_ago(3).isoformat()
    assert body["remedy_requested"] == "return"
    assert body["open_remedies"] == ["return", "replacement", "repair"]
    assert body["judged_at"] is None


@pytest.mark.clause("I.2")
def test_the_api_answers_a_claim_date_in_the_future_with_a_field_message_in_chinese(
    outlet_tech, unit_of_agent_a
):
    client = api_client_for(outlet_tech, language="zh-hans")
    response = client.post(
        "/api/v1/claims",
        {
            "serial": unit_of_agent_a.serial,
            "delivered_on": days_ago(3).isoformat(),
            "claimed_on": days_ago(-2).isoformat(),
            "consumer_name": "Li Na",
            "consumer_phone": "13800138000",
            "fault_kind": "not_charging",
            "fault_description": "Does not charge.",
        },
        content_type="application/json",
    )
    assert response.status_code == 400
    fields = response.json()["fields"]
    assert set(fields) == {"claimed_on"}
    assert fields["claimed_on"] == ["日期不能晚于今天。"]
    assert Claim.objects.count() == 0


@pytest.mark.clause("I.2")
def test_the_claim_page_shows_the_claim_date_the_choice_and_the_open_remedy_codes(
    outlet_tech, unit_of_agent_a
):
    claim = intake(
        outlet_tech,
        unit_of_agent_a,
        delivered_on=days_ago(12),
        claimed_on=days_ago(4),
        remedy_requested="replacement",
    )
    page = login_client_for(outlet_tech).get(f"/claims/{claim.number}/")
    html = page.content.decode()
    assert page.status_code == 200
    assert f'data-claimed-on="{days_ago(4).isoformat()}"' in html
    assert 'data-testid="claim-remedy-requested" data-remedy="replacement"' in html
    assert 'data-testid="open-remedy" data-remedy="replacement"' in html
    assert 'data-testid="open-remedy" data-remedy="repair"' in html
    assert 'data-testid="open-remedy" data-remedy="return"' not in html


def intake_form(unit, **overrides) -> dict:
    """The intake page filled in for a consumer claim on ``unit`` (no inspection)."""
    return {
        "claimant_kind": "consumer",
        "consumer_name": "Li Na",
        "consumer_phone": "138 0013 8000",
        "serial": unit.serial,
        "proof_of_purchase_no": "INV-2026-0001",
        "warranty_card_no": unit.warranty_card_no,
        "fault_kind": "not_charging",
        "fault_description": "Does not charge any phone since yesterday.",
        **overrides,
    }


@pytest.mark.clause("I.2")
def test_the_intake_page_takes_a_paper_claims_date_and_marks_one_before_the_delivery(
    outlet_tech, unit_of_agent_a
):
    client = login_client_for(outlet_tech, language="zh-hans")
    refused_page = client.post(
        "/claims/new/",
        intake_form(
            unit_of_agent_a,
            delivered_on=days_ago(9).isoformat(),
            claimed_on=days_ago(10).isoformat(),
        ),
    )
    assert refused_page.status_code == 400
    assert '<div data-field-error="claimed_on">提出索赔的日期不能早于交付或购买日期。</div>' in (
        refused_page.content.decode()
    )
    assert Claim.objects.count() == 0
    response = client.post(
        "/claims/new/",
        intake_form(
            unit_of_agent_a,
            delivered_on=days_ago(9).isoformat(),
            claimed_on=days_ago(3).isoformat(),
            remedy_requested="return",
        ),
    )
    assert response.status_code == 302
    claim = Claim.objects.get()
    assert (claim.claimed_on, claim.remedy_requested) == (days_ago(3), "return")


@pytest.mark.clause("I.2")
def test_the_receipt_gives_the_claim_date_and_the_hand_in_day_in_both_languages(
    outlet_tech, unit_of_agent_a
):
    import io

    import pypdf

    from sanbao.claims import documents

    claim = intake(
        outlet_tech,
        unit_of_agent_a,
        delivered_on=days_ago(9),
        claimed_on=days_ago(3),
        handed_in_on=days_ago(2),
    )
    reader = pypdf.PdfReader(io.BytesIO(documents.claim_receipt_pdf(reload(claim))))
    text = "".join(page.extract_text() for page in reader.pages).replace(" ", "")
    for label in ("Claimmadeon", "提出索赔日期", "Unithandedinon", "送修日期"):
        assert label in text.replace("\n", "")
    assert days_ago(3).isoformat() in text
    assert days_ago(2).isoformat() in text
