"""Journey: an outlet technician takes in warranty claims at the counter.

In English: a consumer brings a registered power bank bought three days ago; the
technician takes the claim in with both scans and the inspection checklist all
clear, sees it is covered, judges it (repair), starts the repair, resolves it as
repaired and closes it. Then, in Chinese, a unit sold in Hong Kong: the claim
reads "not covered" with the I.1 reason, is judged (rejected) and closed.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone, translation
from playwright.sync_api import expect

from sanbao.accounts.models import Organisation
from sanbao.accounts.roles import OrgKind
from sanbao.catalog.models import Unit
from sanbao.claims.models import Claim
from sanbao.claims.policy import CHECKLIST_RULES
from sanbao.claims.reasons import reason_text
from sanbao.claims.tests.factories import WHOLE_LIFE
from sanbao.core.models import AuditEvent
from sanbao.testkit.uploads import pdf_bytes, png_bytes
from tests.e2e.people import log_in, person, platform, power_bank, power_banks

pytestmark = pytest.mark.browser

PDF = pdf_bytes()
PNG = png_bytes()


@pytest.fixture
def counter(transactional_db) -> dict:
    """An authorised outlet with its technician, and two power banks sold three
    days ago: one in mainland China, one in Hong Kong."""
    platform()
    outlet = Organisation.objects.create(
        code="SO-GZ", kind=OrgKind.SERVICE_OUTLET, name_en="Outlet Guangzhou", name_zh="广州网点"
    )
    model = power_bank(power_banks())
    sold = timezone.localdate() - dt.timedelta(days=3)
    mainland, hong_kong = (
        Unit.objects.create(
            serial=serial, model=model, sale_date=sold, region=region, warranty_card_no=card
        )
        for serial, region, card in (
            ("JRN-ML-0001", "mainland", "WC-1"),
            ("JRN-HK-0001", "hong_kong", "WC-2"),
        )
    )
    technician = person(outlet, "outlet_tech", "outlet_technician", language="en")
    return {"technician": technician, "mainland": mainland, "hong_kong": hong_kong, "sold": sold}


def switch_language(page, code: str) -> None:
    page.get_by_test_id(f"lang-{code}").click()
    expect(page.locator("html")).to_have_attribute("lang", code)


def take_in(page, unit: Unit, *, sold: dt.date, name: str, phone: str) -> None:
    """Fill the intake form for a consumer claim on ``unit``, checklist all clear."""
    page.get_by_test_id("home-claim-create").click()
    expect(page.get_by_test_id("intake-form")).to_be_visible()
    page.get_by_test_id("claimant-kind-consumer").check()
    page.fill("#id_consumer_name", name)
    page.fill("#id_consumer_phone", phone)
    page.get_by_test_id("intake-serial").fill(unit.serial)
    hint = page.get_by_test_id("serial-hint")
    expect(hint).to_have_attribute("data-registered", "true")
    expect(hint).to_contain_text(unit.model.code)
    page.fill("#id_delivered_on", sold.isoformat())
    page.fill("#id_proof_of_purchase_no", f"INV-{unit.serial}")
    page.set_input_files(
        "#id_proof_of_purchase_scan",
        files=[{"name": "invoice.pdf", "mimeType": "application/pdf", "buffer": PDF}],
    )
    page.fill("#id_warranty_card_no", unit.warranty_card_no)
    page.set_input_files(
        "#id_warranty_card_scan",
        files=[{"name": "card.png", "mimeType": "image/png", "buffer": PNG}],
    )
    page.select_option("#id_fault_kind", "not_charging")
    page.fill("#id_fault_description", "Does not charge any phone.")
    for rule in CHECKLIST_RULES:
        # The answers are toggle buttons: the label is what a person clicks.
        page.locator(f"[data-testid='finding-{rule}-not_found'] + label").click()
        expect(page.get_by_test_id(f"finding-{rule}-not_found")).to_be_checked()


def submit_intake(page) -> None:
    page.get_by_test_id("intake-submit").click()
    expect(page.get_by_test_id("claim-body")).to_be_visible()


def expect_status(page, status: str) -> None:
    expect(page.get_by_test_id("claim-body")).to_have_attribute("data-status", status)


def test_an_outlet_technician_takes_in_judges_repairs_and_closes_claims_in_both_languages(
    live_server, page, counter, screenshot
):
    base = live_server.url
    technician = counter["technician"]
    log_in(page, base, technician)
    expect(page.locator("html")).to_have_attribute("lang", "en")

    # A covered claim, taken in with both scans and the checklist all clear.
    take_in(page, counter["mainland"], sold=counter["sold"], name="Li Na", phone="138 0013 8000")
    screenshot(page, "intake-en")
    submit_intake(page)
    body = page.get_by_test_id("claim-body")
    expect(body).to_have_attribute("data-verdict", "covered")
    expect(page.get_by_test_id("verdict-row")).to_have_count(12)
    expect(page.locator("[data-testid=verdict-row][data-outcome=pass]")).to_have_count(12)
    expect(page.get_by_test_id("scan-warranty-card")).to_be_visible()
    screenshot(page, "covered-en")
    claim = Claim.objects.get(unit=counter["mainland"])
    assert claim.handling_org == technician.organisation
    assert claim.consumer_phone == "13800138000"

    # Judge: the failure is confirmed, repair is chosen among the open remedies.
    page.get_by_test_id("action-start_judgement").get_by_role("button").click()
    expect_status(page, "under_judgement")
    expect(page.get_by_test_id("judge-remedy-repair")).to_have_attribute("data-open", "true")
    page.get_by_test_id("judge-failure-yes").check()
    page.get_by_test_id("judge-remedy-repair").check()
    page.get_by_test_id("judge-submit").click()
    expect_status(page, "approved")
    expect(page.get_by_test_id("claim-remedy")).to_have_attribute("data-remedy", "repair")

    # The repair: started, resolved as repaired, closed.
    page.get_by_test_id("action-start_service").get_by_role("button").click()
    expect_status(page, "in_service")
    expect(page.get_by_test_id("resolve-outcome-repaired")).to_be_checked()
    page.get_by_test_id("resolve-submit").click()
    expect_status(page, "resolved")
    expect(page.get_by_test_id("claim-outcome")).to_have_attribute("data-outcome", "repaired")
    page.get_by_test_id("close-submit").click()
    expect_status(page, "closed")
    expect(page.get_by_test_id("claim-actions")).to_have_count(0)
    actions = page.get_by_test_id("timeline-event")
    expect(actions).to_have_count(6)
    screenshot(page, "closed-en")
    claim.refresh_from_db()
    assert (claim.status, claim.outcome) == ("closed", "repaired")
    assert [e.action for e in audit_events(claim)] == WHOLE_LIFE

    # In Chinese: a unit sold in Hong Kong is out of the policy's scope (I.1).
    switch_language(page, "zh-hans")
    page.goto(f"{base}/")
    take_in(page, counter["hong_kong"], sold=counter["sold"], name="黄先生", phone="85291234567")
    screenshot(page, "intake-zh-hans")
    submit_intake(page)
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    expect(body).to_have_attribute("data-verdict", "not_covered")
    scope = page.locator("[data-testid=verdict-row][data-rule='I.1']")
    expect(scope).to_have_attribute("data-outcome", "fail")
    expect(page.locator("[data-testid=verdict-row][data-outcome=fail]")).to_have_count(1)
    hong_kong_claim = Claim.objects.get(unit=counter["hong_kong"])
    result = next(r for r in hong_kong_claim.verdict_results if r["rule"] == "I.1")
    with translation.override("zh-hans"):
        reason = reason_text(result)
        region = str(Unit._meta.get_field("region").flatchoices[1][1])
    assert region in reason
    expect(scope.get_by_test_id("verdict-reason")).to_contain_text(reason)
    expect(page.get_by_test_id("claim-region")).to_have_attribute("data-region", "hong_kong")
    screenshot(page, "not-covered-zh-hans")

    # Judged (the claim is not covered: rejected whatever is found), then closed.
    page.get_by_test_id("judge-failure-yes").check()
    page.get_by_test_id("judge-submit").click()
    expect_status(page, "rejected")
    page.get_by_test_id("close-submit").click()
    expect_status(page, "closed")
    screenshot(page, "closed-zh-hans")
    hong_kong_claim.refresh_from_db()
    assert (hong_kong_claim.status, hong_kong_claim.remedy) == ("closed", "")


def audit_events(claim):
    return AuditEvent.objects.for_target(claim).order_by("at", "id")
