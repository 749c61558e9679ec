"""/service/claims/ and /service/claims/<number>/: a consumer follows the claims of
the mobile number confirmed in the session (issue 16 item 4), and is told their
steps by SMS when they agreed to it; ``{% unit_claims %}`` lists a unit's claims
on its card page."""

from __future__ import annotations

import re
import time

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.core.cache import cache
from django.template import Context, Template
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import translation

from sanbao.catalog.tests.factories import UnitFactory
from sanbao.claims import notices, services
from sanbao.claims.reasons import reason_text
from sanbao.claims.services import FindingIn
from sanbao.claims.tests.conftest import CONSUMER_PHONE, all_clear, intake, photo
from sanbao.claims.tests.factories import another_unit
from sanbao.notifications import consumer, sms
from sanbao.notifications.models import Message
from sanbao.testkit.background import run_queued_tasks
from sanbao.testkit.cast import login_client_for
from sanbao.testkit.responses import html

pytestmark = pytest.mark.django_db

LIST = "/service/claims/"
OTHER_PHONE = "13900139000"


def confirmed(phone: str = CONSUMER_PHONE, client: Client | None = None) -> Client:
    """A browser whose session holds ``phone`` as confirmed (as /service/phone/
    leaves it after the right code)."""
    client = client or Client()
    session = client.session
    session[consumer.SESSION_KEY] = {"phone": phone, "until": time.time() + 3600}
    session.save()
    return client


def page_of(number: str) -> str:
    return f"/service/claims/{number}/"


def steps(response) -> dict[str, tuple[str, str]]:
    """step -> (state, time shown) of the claim page's steps."""
    found = re.findall(
        r'data-step="([^"]+)" data-state="([^"]+)">.*?data-testid="follow-step-time">([^<]*)<',
        html(response),
        re.S,
    )
    return {step: (state, shown.strip()) for step, state, shown in found}


def reasons(response, testid: str) -> dict[str, str]:
    """rule -> reason text of a page's verdict rows (``testid``: the reason cells)."""
    page = html(response)
    return {
        rule: re.sub(r"\s+", " ", text).strip()
        for rule, text in re.findall(
            rf'data-rule="([^"]+)".*?data-testid="{testid}">\s*([^<]*)<', page, re.S
        )
    }


def staff_reasons(actor, claim, rules) -> dict[str, str]:
    page = login_client_for(actor).get(reverse("claims:claim_detail", args=[claim.number]))
    assert page.status_code == 200
    rows = re.findall(
        r'data-testid="verdict-row" data-rule="([^"]+)".*?data-testid="verdict-reason">([^<]*)<',
        html(page),
        re.S,
    )
    language = re.search(r'<html lang="([^"]+)"', html(page)).group(1)
    found = {rule: re.sub(r"\s+", " ", text).strip() for rule, text in rows if rule in rules}
    return found, language


@pytest.fixture(autouse=True)
def _english_staff(settings):
    settings.LANGUAGE_CODE = "en"


# --- Who sees what -----------------------------------------------------------------------


def test_without_a_confirmed_number_both_pages_send_the_consumer_to_confirm_it(
    platform_staff, unit_of_agent_a
):
    claim = intake(platform_staff, unit_of_agent_a)
    for url in (LIST, page_of(claim.number)):
        answer = Client().get(url)
        assert answer.status_code == 302
        assert answer["Location"] == "/service/phone/?next=" + url.replace("/", "%2F")


def test_the_list_shows_the_confirmed_numbers_claims_newest_first_and_no_others(
    platform_staff, unit_of_agent_a, unit_of_agent_b, unit_of_enterprise_c
):
    older = intake(platform_staff, unit_of_agent_a)
    newer = intake(platform_staff, unit_of_agent_b)
    stranger = intake(platform_staff, unit_of_enterprise_c, consumer_phone=OTHER_PHONE)
    page = confirmed().get(LIST)
    assert page.status_code == 200 and page["Content-Language"] == "zh-hans"
    assert "no-cache" in page["Cache-Control"] and "no-store" in page["Cache-Control"]
    numbers = re.findall(r'data-testid="follow-claim" data-number="([^"]+)"', html(page))
    assert numbers == [newer.number, older.number]
    assert stranger.number not in html(page)
    assert unit_of_agent_a.serial not in html(page)  # masked: ••••0001


def test_another_consumers_claim_is_the_same_404_as_an_unknown_number(
    platform_staff, unit_of_agent_a, agent_claim_of_b
):
    theirs = intake(platform_staff, unit_of_agent_a, consumer_phone=OTHER_PHONE)
    client = confirmed()
    other = client.get(page_of(theirs.number))
    unknown = client.get(page_of("C2601-ZZZZZZ"))
    organisation = client.get(page_of(agent_claim_of_b.number))
    assert other.status_code == unknown.status_code == organisation.status_code == 404
    assert other.content == unknown.content == organisation.content
    assert 'data-testid="follow-not-found"' in html(other)
    assert theirs.number not in html(other)
    # Their owner sees it.
    assert confirmed(OTHER_PHONE).get(page_of(theirs.number)).status_code == 200


@pytest.fixture
def agent_claim_of_b(agent_b_clerk, unit_of_agent_b, platform_org):
    """An organisation's claim (agent B's, with a telephone noted on it), on
    another unit of agent B's than ``unit_of_agent_b``."""
    unit = another_unit(unit_of_agent_b, "SBB000002")
    return intake(agent_b_clerk, unit, consumer_phone=CONSUMER_PHONE)


@pytest.mark.clause("IV.8")
def test_an_anonymised_claim_is_not_shown(settings, platform_staff, unit_of_agent_a):
    from django.utils import timezone

    from sanbao.claims.models import Claim

    settings.SANBAO_SMS_COUNTER_CLAIMS = True
    claim = intake(platform_staff, unit_of_agent_a)
    assert notices.wants_sms(claim)
    Claim.objects.filter(pk=claim.pk).update(anonymised_at=timezone.now())
    claim.refresh_from_db()
    assert confirmed().get(page_of(claim.number)).status_code == 404
    assert confirmed().get(LIST).content.decode().count(claim.number) == 0
    assert not notices.wants_sms(claim)  # nor told by SMS


def test_the_pages_are_rate_limited_per_client(settings, platform_staff, unit_of_agent_a):
    cache.clear()
    settings.SANBAO_CLAIM_PAGES_PER_HOUR = 3
    claim = intake(platform_staff, unit_of_agent_a)
    client = confirmed()
    for _ in range(3):
        assert client.get(page_of(claim.number)).status_code == 200
    refused = client.get(page_of(claim.number))
    assert refused.status_code == 429 and int(refused["Retry-After"]) > 0
    assert 'data-testid="follow-limited"' in html(refused)
    assert claim.number not in html(refused)
    cache.clear()


# --- The steps, their times, the verdict and why ------------------------------------------


@pytest.mark.clause("II.3")
def test_the_steps_of_an_approved_claim_with_their_times_to_its_resolution(
    outlet_tech, unit_of_agent_b
):
    claim = intake(outlet_tech, unit_of_agent_b, findings=[])
    client = confirmed()
    received = client.get(page_of(claim.number))
    assert received.status_code == 200 and received["Content-Language"] == "zh-hans"
    shown = steps(received)
    assert list(shown) == ["received", "judgement", "decision", "service", "resolved", "closed"]
    assert shown["received"][0] == "current" and re.match(
        r"\d{4}-\d\d-\d\d \d\d:\d\d", shown["received"][1]
    )
    assert shown["decision"] == ("to_come", "尚未进行")
    services.claim_record_findings(claim=claim, actor=outlet_tech, findings=all_clear())
    services.claim_start_judgement(claim=claim, actor=outlet_tech)
    assert steps(client.get(page_of(claim.number)))["judgement"][0] == "current"
    services.claim_judge(claim=claim, actor=outlet_tech, failure_confirmed=True, remedy="repair")
    services.claim_start_service(claim=claim, actor=outlet_tech)
    services.claim_resolve(claim=claim, actor=outlet_tech, outcome="repaired")
    page = client.get(page_of(claim.number) + "?lang=en")
    shown = steps(page)
    assert list(shown) == ["received", "judgement", "approved", "service", "resolved", "closed"]
    assert [state for state, _ in shown.values()] == ["done"] * 4 + ["current", "to_come"]
    assert all(re.match(r"\d{4}-\d\d-\d\d \d\d:\d\d", at) for _, at in list(shown.values())[:5])
    assert shown["closed"][1] == "to come"
    text = html(page)
    assert 'data-testid="follow-remedy">Repair<' in text
    assert 'data-testid="follow-outcome">Repaired<' in text
    assert "Collect it where you handed it in." in text  # what happens next
    # Where the unit is: the outlet handling the claim.
    assert re.search(r'data-testid="follow-place-name">Service Outlet D<', text)
    for secret in ("Li Na", CONSUMER_PHONE, unit_of_agent_b.serial, "Does not charge any"):
        assert secret not in text, secret


@pytest.mark.clause("II.3")
def test_a_rejected_claim_shows_why_in_the_words_of_the_staffs_page(platform_staff, pb10k):
    # Sold in Hong Kong (I.1), and a liquid found on inspection (III.6), with a note.
    hong_kong = UnitFactory(
        serial="SBHK00001", model=pb10k, region="hong_kong", warranty_card_no="WCSBHK00001"
    )
    findings = [
        FindingIn(rule=f.rule, found=True, note="liquid-note-private", photo=photo())
        if f.rule == "III.6"
        else f
        for f in all_clear()
    ]
    claim = intake(platform_staff, hong_kong, findings=findings)
    assert claim.verdict == "not_covered"
    services.claim_judge(claim=claim, actor=platform_staff, failure_confirmed=True, note="no")
    failed = [r["rule"] for r in claim.verdict_results if r["outcome"] == "fail"]
    assert "I.1" in failed and "III.6" in failed
    staff, language = staff_reasons(platform_staff, claim, failed)
    page = confirmed().get(page_of(claim.number) + f"?lang={language}")
    assert page.status_code == 200
    shown = steps(page)
    assert list(shown) == ["received", "rejected", "closed"]
    assert shown["rejected"][0] == "current"
    consumer_reasons = reasons(page, "follow-reason")
    assert set(consumer_reasons) == set(failed)
    for rule in failed:
        if rule == "III.6":
            # The inspector's note is the staff's: the consumer reads the reason
            # as the staff's page words it without a note.
            with translation.override(language):
                assert staff[rule] == reason_text(
                    {"reason": "exclusion_found", "evidence": {"note": "liquid-note-private"}}
                )
                assert consumer_reasons[rule] == reason_text({"reason": "exclusion_found"})
        else:
            assert consumer_reasons[rule] == staff[rule], rule
    assert "liquid-note-private" not in html(page)
    assert "no</" not in html(page)  # the judgement note neither


# --- SMS at each step ---------------------------------------------------------------------


def sent() -> list[tuple[str, str, dict]]:
    run_queued_tasks()
    return [(m.phone, m.template.name, m.params) for m in sms.outbox]


@pytest.fixture
def sms_told(settings):
    """Consumers are told their claims' steps (as ``wants_sms`` says for a claim
    made on the phone pages; here a counter claim, as the setting allows)."""
    settings.SANBAO_SMS_COUNTER_CLAIMS = True


@pytest.mark.clause("II.3")
def test_an_sms_at_each_step_that_matters_exactly_once(sms_told, outlet_tech, unit_of_agent_b):
    claim = intake(outlet_tech, unit_of_agent_b)
    services.claim_start_judgement(claim=claim, actor=outlet_tech)
    services.claim_judge(claim=claim, actor=outlet_tech, failure_confirmed=True, remedy="repair")
    services.claim_start_service(claim=claim, actor=outlet_tech)
    services.claim_resolve(claim=claim, actor=outlet_tech, outcome="repaired")
    services.claim_close(claim=claim, actor=outlet_tech)
    # A step told again (a retry) writes nothing more.
    notices.notify(claim, notices.RECEIVED)
    notices.notify(claim, notices.READY)
    out = sent()
    assert [template for _, template, _ in out] == ["claim_received", "claim_judged", "unit_ready"]
    assert {phone for phone, _, _ in out} == {CONSUMER_PHONE}
    assert out[0][2] == {"number": claim.number}
    assert out[1][2] == {"number": claim.number, "result": "已批准，处理方式：维修"}
    assert out[2][2] == {"number": claim.number, "place": "丁维修网点"}
    assert Message.objects.filter(key__startswith=f"claim-sms:{claim.number}:").count() == 3


def test_a_rejection_is_told_as_not_approved(sms_told, platform_staff, unit_of_agent_a):
    claim = intake(platform_staff, unit_of_agent_a)
    services.claim_judge(claim=claim, actor=platform_staff, failure_confirmed=False, note="ok")
    out = sent()
    assert [t for _, t, _ in out] == ["claim_received", "claim_judged"]
    assert out[1][2]["result"].startswith("未获批准")


def test_a_refund_tells_nothing_to_collect(sms_told, platform_staff, unit_of_agent_a):
    claim = intake(platform_staff, unit_of_agent_a, remedy_requested="return")
    services.claim_judge(claim=claim, actor=platform_staff, failure_confirmed=True)
    services.claim_resolve(
        claim=claim, actor=platform_staff, outcome="refunded", retained_location="Shelf A1"
    )
    assert [t for _, t, _ in sent()] == ["claim_received", "claim_judged"]


def test_no_sms_without_consent_nor_for_an_organisations_claim(
    outlet_tech, unit_of_agent_b, agent_claim_of_b, platform_staff
):
    # A counter claim, the counter not telling consumers (the default).
    claim = intake(outlet_tech, unit_of_agent_b)
    services.claim_judge(claim=claim, actor=outlet_tech, failure_confirmed=True, remedy="repair")
    assert not notices.wants_sms(claim)
    judge_organisations(agent_claim_of_b, platform_staff)
    assert sent() == []
    assert not Message.objects.filter(key__startswith="claim-sms:").exists()


def judge_organisations(claim, staff):
    services.claim_record_findings(claim=claim, actor=staff, findings=all_clear())
    services.claim_judge(claim=claim, actor=staff, failure_confirmed=True, remedy="repair")


def test_an_organisations_claim_is_never_told_even_when_counters_tell(
    sms_told, agent_claim_of_b, platform_staff
):
    assert not notices.wants_sms(agent_claim_of_b)
    judge_organisations(agent_claim_of_b, platform_staff)
    assert sent() == []


def test_an_sms_that_cannot_be_written_never_fails_the_step(
    sms_told, monkeypatch, platform_staff, unit_of_agent_a
):
    def broken(**kwargs):
        raise RuntimeError("provider template missing")

    monkeypatch.setattr(notices, "sms_send", broken)
    claim = intake(platform_staff, unit_of_agent_a)
    services.claim_judge(claim=claim, actor=platform_staff, failure_confirmed=True, remedy="repair")
    claim.refresh_from_db()
    assert claim.status == "approved"
    assert sent() == []


def test_a_rolled_back_step_sends_nothing(sms_told, platform_staff, unit_of_agent_a):
    from django.db import transaction

    with pytest.raises(RuntimeError), transaction.atomic():
        intake(platform_staff, unit_of_agent_a)
        raise RuntimeError("the request failed after the claim was written")
    assert sent() == []


# --- The card page's list -----------------------------------------------------------------


def render_tag(unit, phone: str | None, path="/w/SBA000001/sig/?lang=en"):
    request = RequestFactory().get(path)
    request.session = SessionStore()
    if phone:
        request.session[consumer.SESSION_KEY] = {"phone": phone, "until": time.time() + 60}
    template = Template("{% load consumer_claims %}{% unit_claims unit %}")
    return template.render(Context({"request": request, "unit": unit}))


def test_the_unit_claims_tag_lists_the_units_claims_of_the_confirmed_number(
    platform_staff, unit_of_agent_a, unit_of_agent_b
):
    mine = intake(platform_staff, unit_of_agent_a)
    elsewhere = intake(platform_staff, unit_of_agent_b)
    for unit in (unit_of_agent_a, unit_of_agent_a.serial):
        shown = render_tag(unit, CONSUMER_PHONE)
        assert re.findall(r'data-testid="unit-claim" data-number="([^"]+)"', shown) == [mine.number]
        assert f'href="/service/claims/{mine.number}/"' in shown
        assert elsewhere.number not in shown
    assert 'data-testid="unit-claims-none"' in render_tag(unit_of_agent_a, OTHER_PHONE)


def test_the_unit_claims_tag_without_a_number_only_links_to_confirming_one(
    platform_staff, unit_of_agent_a
):
    claim = intake(platform_staff, unit_of_agent_a)
    shown = render_tag(unit_of_agent_a, None)
    assert claim.number not in shown
    assert 'href="/service/phone/?next=%2Fw%2FSBA000001%2Fsig%2F%3Flang%3Den"' in shown
