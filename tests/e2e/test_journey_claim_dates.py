"""Journey (issue 10 item 1, I.2): the windows are counted on the day the claim was
made, not the day it is judged.

In English: a consumer asks for a refund six days after delivery; the outlet takes
the claim in that day with the consumer's choice (return). Three days pass. On day 9
the claim page still shows return among the remedies open, already chosen, and the
technician approves the return. In Chinese: a consumer who filled in a paper form on
day 6 has it entered on day 9 with that day as the claim date; the page offers a
return and the technician approves it.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from sanbao.accounts.models import Organisation
from sanbao.accounts.roles import OrgKind
from sanbao.catalog.models import Unit
from sanbao.claims.models import Claim
from sanbao.claims.policy import CHECKLIST_RULES
from sanbao.testkit.uploads import pdf_bytes
from tests.e2e.people import log_in, person, platform, power_bank, power_banks

pytestmark = pytest.mark.browser

PDF = pdf_bytes()


def days_ago(days: int) -> dt.date:
    return timezone.localdate() - dt.timedelta(days=days)


@pytest.fixture
def counter(transactional_db) -> dict:
    """An authorised outlet with its technician, and two power banks sold (and
    delivered) six and nine days ago."""
    platform()
    outlet = Organisation.objects.create(
        code="SO-HZ", kind=OrgKind.SERVICE_OUTLET, name_en="Outlet Hangzhou", name_zh="杭州网点"
    )
    model = power_bank(power_banks())
    units = {
        name: Unit.objects.create(
            serial=serial, model=model, sale_date=days_ago(age), warranty_card_no=card
        )
        for name, serial, age, card in (
            ("online", "JRN-D6-0001", 6, "WC-D6"),
            ("paper", "JRN-D9-0001", 9, "WC-D9"),
        )
    }
    technician = person(outlet, "outlet_tech_hz", "outlet_technician", language="en")
    return {"technician": technician, **units}


def take_in(page, unit: Unit, *, delivered: dt.date, name: str, **extra: str) -> None:
    """The intake form for a consumer claim on ``unit``, both scans, checklist
    clear; ``extra`` fills more fields by id (``claimed_on``) or selects
    (``remedy_requested``)."""
    page.get_by_test_id("home-claim-create").click()
    expect(page.get_by_test_id("intake-form")).to_be_visible()
    page.get_by_test_id("claimant-kind-consumer").check()
    page.fill("#id_consumer_name", name)
    page.fill("#id_consumer_phone", "138 0013 8000")
    page.get_by_test_id("intake-serial").fill(unit.serial)
    expect(page.get_by_test_id("serial-hint")).to_have_attribute("data-registered", "true")
    page.fill("#id_delivered_on", delivered.isoformat())
    if "claimed_on" in extra:
        page.fill("#id_claimed_on", extra["claimed_on"])
    if "remedy_requested" in extra:
        page.select_option("#id_remedy_requested", extra["remedy_requested"])
    page.fill("#id_proof_of_purchase_no", f"INV-{unit.serial}")
    page.fill("#id_warranty_card_no", unit.warranty_card_no)
    for field in ("#id_proof_of_purchase_scan", "#id_warranty_card_scan"):
        page.set_input_files(
            field, files=[{"name": "scan.pdf", "mimeType": "application/pdf", "buffer": PDF}]
        )
    page.select_option("#id_fault_kind", "not_charging")
    page.fill("#id_fault_description", "Does not charge any phone.")
    for rule in CHECKLIST_RULES:
        page.locator(f"[data-testid='finding-{rule}-not_found'] + label").click()
    page.get_by_test_id("intake-submit").click()
    expect(page.get_by_test_id("claim-body")).to_have_attribute("data-verdict", "covered")


def expect_open(page, *remedies: str) -> None:
    chips = page.get_by_test_id("open-remedy")
    expect(chips).to_have_count(len(remedies))
    for remedy in remedies:
        expect(page.locator(f"[data-testid=open-remedy][data-remedy={remedy}]")).to_be_visible()


def approve_return(page) -> None:
    page.get_by_test_id("action-start_judgement").get_by_role("button").click()
    expect(page.get_by_test_id("claim-body")).to_have_attribute("data-status", "under_judgement")
    expect(page.get_by_test_id("judge-remedy-return")).to_have_attribute("data-open", "true")
    page.get_by_test_id("judge-failure-yes").check()
    page.get_by_test_id("judge-remedy-return").check()
    page.get_by_test_id("judge-submit").click()
    expect(page.get_by_test_id("claim-body")).to_have_attribute("data-status", "approved")
    expect(page.get_by_test_id("claim-remedy")).to_have_attribute("data-remedy", "return")


def test_a_consumer_claim_made_on_day_6_and_judged_on_day_9_is_still_offered_a_return(
    live_server, page, counter, screenshot
):
    base = live_server.url
    log_in(page, base, counter["technician"])

    # Day 6: the claim is taken in online, the consumer choosing a return.
    take_in(page, counter["online"], delivered=days_ago(6), name="Li Na", remedy_requested="return")
    claim = Claim.objects.get(unit=counter["online"])
    assert (claim.claimed_on, claim.remedy_requested) == (timezone.localdate(), "return")

    # Three days pass (history, set as arrangement): judged on day 9 after delivery.
    Claim.objects.filter(pk=claim.pk).update(
        delivered_on=days_ago(9),
        claimed_on=days_ago(3),
        created_at=timezone.now() - dt.timedelta(days=3),
    )
    page.reload()
    expect(page.get_by_test_id("claim-claimed-on")).to_have_attribute(
        "data-claimed-on", days_ago(3).isoformat()
    )
    expect(page.get_by_test_id("claim-remedy-requested")).to_have_attribute("data-remedy", "return")
    expect_open(page, "return", "replacement", "repair")
    screenshot(page, "day-9-en")
    approve_return(page)
    screenshot(page, "approved-en")
    claim.refresh_from_db()
    assert (claim.status, claim.remedy) == ("approved", "return")

    # In Chinese: a paper form filled in on day 6, entered on day 9.
    page.get_by_test_id("lang-zh-hans").click()
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    page.goto(f"{base}/")
    take_in(
        page,
        counter["paper"],
        delivered=days_ago(9),
        name="王芳",
        claimed_on=days_ago(3).isoformat(),
    )
    expect(page.get_by_test_id("claim-claimed-on")).to_have_attribute(
        "data-claimed-on", days_ago(3).isoformat()
    )
    expect(page.get_by_test_id("claim-open-remedies")).to_contain_text("按提出索赔日期计算")
    expect_open(page, "return", "replacement", "repair")
    screenshot(page, "day-9-zh-hans")
    approve_return(page)
    screenshot(page, "approved-zh-hans")
    paper = Claim.objects.get(unit=counter["paper"])
    assert (paper.claimed_on, paper.status, paper.remedy) == (days_ago(3), "approved", "return")
