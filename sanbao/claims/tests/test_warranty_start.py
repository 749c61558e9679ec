"""Issue 10 item 3 (I.2, III.9, II.2): the warranty runs from the delivery date on
the proof of purchase, stored with the proof's number (``proof_of_purchase_date``);
that date cannot be earlier than the registry's sale date (a 400 naming the
field); when the claimant gives none, the registry's sale date counts; a
replacement unit's own warranty start still wins. A proof number that is only
punctuation or a placeholder ("-", "/", "无", "N/A") is no proof (II.2)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from sanbao.catalog.models import Unit
from sanbao.claims import documents
from sanbao.claims.models import Claim
from sanbao.claims.tests.conftest import CONSUMER_PHONE, intake
from sanbao.claims.tests.factories import days_ago, reload
from sanbao.claims.tests.test_documents import pdf_text
from sanbao.core.errors import DomainError
from sanbao.core.models import AuditEvent
from sanbao.testkit.cast import api_client_for, login_client_for


def sold(unit: Unit, days: int, *, warranty_starts: int | None = None) -> Unit:
    """The registry says ``unit`` was sold ``days`` days ago (and, for a
    replacement, that its own warranty started ``warranty_starts`` days ago)."""
    Unit.objects.filter(pk=unit.pk).update(
        sale_date=days_ago(days),
        warranty_starts_on=days_ago(warranty_starts) if warranty_starts is not None else None,
    )
    unit.refresh_from_db()
    return unit


def refused_fields(*args, **kwargs) -> dict:
    with pytest.raises(DomainError) as caught:
        intake(*args, **kwargs)
    assert (caught.value.code, caught.value.status) == ("claims.intake_invalid", 400)
    assert not Claim.objects.exists()
    assert not AuditEvent.objects.filter(action="claim.submitted").exists()
    return caught.value.field_messages()


def rule(claim: Claim, rule_id: str) -> dict:
    return next(r for r in claim.verdict_results if r["rule"] == rule_id)


def api_intake(client, unit, **body):
    data = {
        "serial": unit.serial,
        "consumer_name": "Li Na",
        "consumer_phone": CONSUMER_PHONE,
        "proof_of_purchase_no": "INV-2026-0001",
        "warranty_card_no": unit.warranty_card_no,
        "fault_kind": "not_charging",
        "fault_description": "Does not charge.",
        **body,
    }
    return client.post("/api/v1/claims", data, content_type="application/json")


# I.2: where the warranty starts -------------------------------------------------------


@pytest.mark.clause("I.2")
def test_without_a_date_on_the_proof_the_registry_sale_date_counts(platform_staff, unit_of_agent_a):
    sold(unit_of_agent_a, 20)
    claim = reload(intake(platform_staff, unit_of_agent_a, delivered_on=None))
    assert claim.proof_of_purchase_date is None
    assert claim.delivered_on == days_ago(20)
    assert claim.terms["warranty_start"] == days_ago(20).isoformat()
    assert claim.terms["registry_sale_date"] == days_ago(20).isoformat()


@pytest.mark.clause("I.2")
def test_the_date_on_the_proof_is_stored_with_its_number_and_the_warranty_runs_from_it(
    platform_staff, unit_of_agent_a
):
    sold(unit_of_agent_a, 20)
    claim = reload(
        intake(
            platform_staff,
            unit_of_agent_a,
            delivered_on=None,
            proof_of_purchase_no="FP-8841",
            proof_of_purchase_date=days_ago(12),
        )
    )
    assert (claim.proof_of_purchase_no, claim.proof_of_purchase_date) == ("FP-8841", days_ago(12))
    assert claim.delivered_on == days_ago(12)
    assert claim.terms["warranty_start"] == days_ago(12).isoformat()


@pytest.mark.clause("I.2")
def test_a_proof_dated_before_the_registry_sale_date_is_refused_naming_the_proof_date(
    platform_staff, unit_of_agent_a
):
    sold(unit_of_agent_a, 20)
    fields = refused_fields(
        platform_staff, unit_of_agent_a, delivered_on=None, proof_of_purchase_date=days_ago(21)
    )
    assert fields == {
        "proof_of_purchase_date": [
            "The purchase cannot be earlier than the sale recorded with the serial number "
            f"({days_ago(20).isoformat()})."
        ]
    }


@pytest.mark.clause("I.2")
def test_an_unregistered_unit_needs_the_date_on_its_proof(platform_staff, pb10k):
    fields = refused_fields(platform_staff, None, delivered_on=None)
    assert list(fields) == ["delivered_on"]


@pytest.mark.clause("I.2")
def test_two_different_dates_for_the_one_proof_are_refused(platform_staff, unit_of_agent_a):
    sold(unit_of_agent_a, 20)
    fields = refused_fields(
        platform_staff,
        unit_of_agent_a,
        delivered_on=days_ago(10),
        proof_of_purchase_date=days_ago(12),
    )
    assert list(fields) == ["proof_of_purchase_date"]


@pytest.mark.clause("I.2")
def test_a_claim_dated_before_the_registry_sale_date_is_refused_when_no_proof_date_is_given(
    platform_staff, unit_of_agent_a
):
    sold(unit_of_agent_a, 5)
    fields = refused_fields(
        platform_staff, unit_of_agent_a, delivered_on=None, claimed_on=days_ago(6)
    )
    assert list(fields) == ["claimed_on"]


@pytest.mark.clause("I.2")
def test_a_replacement_units_own_warranty_start_still_wins(platform_staff, unit_of_agent_a):
    sold(unit_of_agent_a, 500, warranty_starts=10)
    claim = reload(
        intake(
            platform_staff,
            unit_of_agent_a,
            delivered_on=None,
            proof_of_purchase_date=days_ago(450),
        )
    )
    assert claim.proof_of_purchase_date == days_ago(450)
    assert claim.terms["warranty_start"] == days_ago(10).isoformat()
    assert rule(claim, "III.9")["outcome"] == "pass"


# III.9: the warranty period, counted from that start ------------------------------------


@pytest.mark.clause("III.9")
def test_a_unit_sold_over_a_year_ago_without_a_proof_date_is_out_of_warranty(
    platform_staff, unit_of_agent_a
):
    sold(unit_of_agent_a, 400)
    claim = intake(platform_staff, unit_of_agent_a, delivered_on=None)
    assert claim.verdict == "not_covered"
    assert rule(claim, "III.9")["outcome"] == "fail"
    assert claim.warranty_end < days_ago(0)


@pytest.mark.clause("III.9")
def test_the_same_unit_bought_later_by_its_proof_is_within_warranty(
    platform_staff, unit_of_agent_a
):
    sold(unit_of_agent_a, 400)
    claim = intake(
        platform_staff, unit_of_agent_a, delivered_on=None, proof_of_purchase_date=days_ago(300)
    )
    assert rule(claim, "III.9")["outcome"] == "pass"
    assert claim.verdict == "covered"


# The API and the pages -----------------------------------------------------------------


@pytest.mark.clause("I.2")
def test_the_api_takes_and_shows_the_proof_date(outlet_tech, unit_of_agent_a, unit_of_agent_b):
    sold(unit_of_agent_a, 20)
    sold(unit_of_agent_b, 25)
    client = api_client_for(outlet_tech)
    response = api_intake(client, unit_of_agent_a, proof_of_purchase_date=days_ago(12).isoformat())
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["proof_of_purchase_date"] == days_ago(12).isoformat()
    assert body["delivered_on"] == days_ago(12).isoformat()
    response = api_intake(client, unit_of_agent_b)
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["proof_of_purchase_date"], body["delivered_on"]) == (
        None,
        days_ago(25).isoformat(),
    )


@pytest.mark.clause("I.2")
def test_the_api_refuses_a_proof_dated_before_the_sale_naming_the_field_in_chinese(
    outlet_tech, unit_of_agent_a
):
    sold(unit_of_agent_a, 20)
    client = api_client_for(outlet_tech, language="zh-hans")
    response = api_intake(client, unit_of_agent_a, proof_of_purchase_date=days_ago(30).isoformat())
    assert response.status_code == 400, response.content
    assert list(response.json()["fields"]) == ["proof_of_purchase_date"]
    assert days_ago(20).isoformat() in response.json()["fields"]["proof_of_purchase_date"][0]
    assert not Claim.objects.exists()


@pytest.mark.clause("I.2")
def test_the_claim_page_shows_the_proof_date_or_says_the_registry_date_counts(
    platform_staff, unit_of_agent_a
):
    sold(unit_of_agent_a, 20)
    claim = intake(
        platform_staff, unit_of_agent_a, delivered_on=None, proof_of_purchase_date=days_ago(12)
    )
    client = login_client_for(platform_staff)
    page = client.get(reverse("claims:claim_detail", args=[claim.number])).content.decode()
    assert f'data-testid="proof-of-purchase-date" data-date="{days_ago(12).isoformat()}"' in page
    Claim.objects.all().delete()
    claim = intake(platform_staff, unit_of_agent_a, delivered_on=None)
    page = client.get(reverse("claims:claim_detail", args=[claim.number])).content.decode()
    assert 'data-testid="proof-of-purchase-date" data-date=""' in page
    assert "未提供：以登记的销售日期为准" in page


@pytest.mark.clause("I.2")
def test_the_claim_receipt_prints_the_proof_date_or_that_the_registry_date_counts(
    platform_staff, unit_of_agent_a
):
    sold(unit_of_agent_a, 20)
    claim = intake(
        platform_staff, unit_of_agent_a, delivered_on=None, proof_of_purchase_date=days_ago(12)
    )
    text = pdf_text(documents.claim_receipt_pdf(claim))
    assert "购买凭证日期" in text and "Dateontheproofofpurchase" in text
    assert days_ago(12).isoformat() in text
    Claim.objects.all().delete()
    claim = intake(platform_staff, unit_of_agent_a, delivered_on=None)
    text = pdf_text(documents.claim_receipt_pdf(claim))
    assert "未提供：以登记的销售日期为准" in text


@pytest.mark.clause("I.2")
def test_the_intake_form_asks_for_the_date_on_the_proof(platform_staff, unit_of_agent_a):
    client = login_client_for(platform_staff, language="zh-hans")
    page = client.get(reverse("claims:claim_create")).content.decode()
    assert 'name="delivered_on"' in page
    assert "购买凭证日期" in page


# II.2: a number that is no number -------------------------------------------------------


@pytest.mark.clause("II.2")
@pytest.mark.parametrize("number", ["-", "/", "无", "N/A", "none", "——", " . "])
def test_a_proof_number_that_is_only_punctuation_or_a_placeholder_is_no_proof(
    platform_staff, unit_of_agent_a, number
):
    claim = intake(platform_staff, unit_of_agent_a, proof_of_purchase_no=number)
    assert claim.verdict == "not_covered"
    assert rule(claim, "II.2")["outcome"] == "fail"
    assert rule(claim, "II.2")["reason"] == "no_proof_of_purchase"


@pytest.mark.clause("II.2")
def test_a_real_proof_number_with_punctuation_is_a_proof(platform_staff, unit_of_agent_a):
    claim = intake(platform_staff, unit_of_agent_a, proof_of_purchase_no="No. 2026/0001")
    assert rule(claim, "II.2")["outcome"] == "pass"


@pytest.mark.clause("II.2")
def test_the_api_judges_a_placeholder_proof_number_as_no_proof(outlet_tech, unit_of_agent_a):
    response = api_intake(
        api_client_for(outlet_tech),
        unit_of_agent_a,
        delivered_on=days_ago(3).isoformat(),
        proof_of_purchase_no="无",
    )
    assert response.status_code == 201, response.content
    assert "II.2" in response.json()["failed_rules"]
