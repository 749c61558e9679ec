"""Journey (issue 10 item 8, I.2 and II.4): one unit, one live claim.

A power bank was replaced under warranty: the brand kept the old unit and the
consumer went home with JRN-NEW-0001, which has its own warranty card. In English,
the outlet technician tries to take in a new claim on the old unit's serial: the
intake is refused, the serial field naming the replacement unit, and no claim is
written. In Chinese the same attempt is refused with the message in Chinese,
naming the replacement too; the claim on the replacement itself is taken in.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from sanbao.accounts.models import Organisation
from sanbao.accounts.roles import OrgKind
from sanbao.catalog.models import Unit
from sanbao.claims import services
from sanbao.claims.models import Claim
from sanbao.claims.policy import CHECKLIST_RULES
from sanbao.testkit.uploads import pdf_bytes
from tests.e2e.people import log_in, person, platform, power_bank, power_banks

pytestmark = pytest.mark.browser

PDF = pdf_bytes()
NEW = "JRN-NEW-0001"


def days_ago(days: int) -> dt.date:
    return timezone.localdate() - dt.timedelta(days=days)


@pytest.fixture
def replaced(transactional_db) -> dict:
    """An outlet whose technician replaced power bank JRN-OLD-0001 (delivered five
    days ago) by JRN-NEW-0001 with its own card, through the services."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    platform()
    outlet = Organisation.objects.create(
        code="SO-NJ", kind=OrgKind.SERVICE_OUTLET, name_en="Outlet Nanjing", name_zh="南京网点"
    )
    model = power_bank(power_banks())
    old = Unit.objects.create(
        serial="JRN-OLD-0001", model=model, sale_date=days_ago(5), warranty_card_no="WC-OLD"
    )
    technician = person(outlet, "outlet_tech_nj", "outlet_technician", language="en")

    def scan(name):
        return SimpleUploadedFile(name, PDF, content_type="application/pdf")

    claim = services.claim_create(
        actor=technician,
        serial=old.serial,
        delivered_on=days_ago(5),
        claimant_kind="consumer",
        consumer_name="Li Na",
        consumer_phone="13800138000",
        proof_of_purchase_no="INV-OLD",
        proof_of_purchase_scan=scan("invoice.pdf"),
        warranty_card_no="WC-OLD",
        warranty_card_scan=scan("card.pdf"),
        fault_kind="not_charging",
        fault_description="Does not charge any phone.",
        findings=[services.FindingIn(rule=r, found=False, note="") for r in CHECKLIST_RULES],
    )
    services.claim_judge(
        claim=claim,
        actor=technician,
        failure_confirmed=True,
        remedy="replacement",
        replacement_model=model,
    )
    services.claim_start_service(claim=claim, actor=technician)
    services.claim_resolve(
        claim=claim,
        actor=technician,
        outcome="replaced",
        replacement_serial=NEW,
        replacement_card_no="WC-NEW",
        retained_location="Shelf N1",
    )
    return {"technician": technician, "old": old, "claim": claim}


def try_intake(page, serial: str, card: str) -> None:
    """The intake form for a consumer claim on ``serial``, filled and sent."""
    page.get_by_test_id("home-claim-create").click()
    expect(page.get_by_test_id("intake-form")).to_be_visible()
    page.get_by_test_id("claimant-kind-consumer").check()
    page.fill("#id_consumer_name", "Li Na")
    page.fill("#id_consumer_phone", "138 0013 8000")
    page.get_by_test_id("intake-serial").fill(serial)
    expect(page.get_by_test_id("serial-hint")).to_have_attribute("data-registered", "true")
    page.fill("#id_delivered_on", days_ago(5).isoformat())
    page.fill("#id_proof_of_purchase_no", "INV-OLD")
    page.fill("#id_warranty_card_no", card)
    for field in ("#id_proof_of_purchase_scan", "#id_warranty_card_scan"):
        page.set_input_files(
            field, files=[{"name": "scan.pdf", "mimeType": "application/pdf", "buffer": PDF}]
        )
    page.select_option("#id_fault_kind", "not_charging")
    page.fill("#id_fault_description", "Stopped charging again.")
    for rule in CHECKLIST_RULES:
        page.locator(f"[data-testid='finding-{rule}-not_found'] + label").click()
    page.get_by_test_id("intake-submit").click()


def test_a_claim_on_a_replaced_unit_is_refused_at_intake_naming_the_replacement(
    live_server, page, replaced, screenshot
):
    base = live_server.url
    log_in(page, base, replaced["technician"])
    before = Claim.objects.count()

    # English: the old unit's serial is refused, the message names the replacement.
    try_intake(page, replaced["old"].serial, "WC-OLD")
    error = page.locator("[data-field-error=serial]")
    expect(error).to_contain_text(f"replaced under warranty by unit {NEW}")
    screenshot(page, "refused-en")
    assert Claim.objects.count() == before

    # Chinese: the same attempt, refused in Chinese, naming the replacement too.
    page.get_by_test_id("lang-zh-hans").click()
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    page.goto(f"{base}/")
    try_intake(page, replaced["old"].serial, "WC-OLD")
    error = page.locator("[data-field-error=serial]")
    expect(error).to_contain_text(f"该产品已在保修期内更换为 {NEW}")
    screenshot(page, "refused-zh-hans")
    assert Claim.objects.count() == before

    # The replacement, with its own card, is claimed normally.
    page.goto(f"{base}/")
    try_intake(page, NEW, "WC-NEW")
    expect(page.get_by_test_id("claim-body")).to_have_attribute("data-verdict", "covered")
    assert Claim.objects.filter(unit__serial=NEW).count() == 1
