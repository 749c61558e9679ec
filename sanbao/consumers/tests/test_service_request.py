"""A consumer asks for service from the card (issue 16 item 3): a confirmed number
first, the remedies open today and why, the form with photos or a video, the
claim made through the intake (the same rules), and the verdict shown at once,
worded as the outlet's claim page words it."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from sanbao.catalog.tests.factories import UnitFactory
from sanbao.claims.models import Claim, ClaimChannel, FaultFile
from sanbao.consumers import consent
from sanbao.consumers.cards import card_path
from sanbao.core.models import AuditEvent
from sanbao.notifications import consumer
from sanbao.testkit.cast import login_client_for
from sanbao.testkit.uploads import jpeg_bytes

pytestmark = pytest.mark.django_db

PHONE = "13800138000"
IP = "203.0.113.9"
MP4 = b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 64


def confirmed(phone: str = PHONE) -> Client:
    """A browser whose session holds ``phone`` as confirmed by a one-time code."""
    client = Client(REMOTE_ADDR=IP)
    session = client.session

    class Request:
        pass

    request = Request()
    request.session = session
    consumer.confirm_phone(request, phone)
    session.save()
    client.cookies[settings.SESSION_COOKIE_NAME] = session.session_key
    return client


def unit_sold(days: int, serial: str, model):
    return UnitFactory(
        serial=serial,
        model=model,
        sale_date=timezone.localdate() - dt.timedelta(days=days),
        warranty_card_no=f"WC-{serial}",
    )


def photo(name="fault.jpg"):
    return SimpleUploadedFile(name, jpeg_bytes(), content_type="image/jpeg")


def form_data(**overrides) -> dict:
    data = {
        "consumer_name": "Li Wei",
        "fault_kind": "not_charging",
        "fault_description": "The power bank does not charge any more.",
        "fault_files": [photo(), SimpleUploadedFile("clip.mp4", MP4, content_type="video/mp4")],
        "warranty_card_scan": photo("card.jpg"),
        "proof_of_purchase_scan": photo("proof.jpg"),
        "proof_of_purchase_no": "FP-2026-0001",
        "remedy_requested": "repair",
        "route": "post",
        "consent": "on",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def service_path(unit) -> str:
    return f"{card_path(unit.serial)}service/"


def submit(client, unit, **overrides):
    return client.post(service_path(unit), form_data(**overrides))


def rows(page: str) -> list[tuple[str, str, str]]:
    """(rule, outcome, reason) of every verdict row a page shows."""
    found = []
    for match in re.finditer(
        r'data-testid="verdict-row" data-rule="([^"]*)" data-outcome="([^"]*)"', page
    ):
        start = page.index('data-testid="verdict-reason">', match.end())
        reason = page[start + len('data-testid="verdict-reason">') :].split("<", 1)[0]
        found.append((match.group(1), match.group(2), " ".join(reason.split())))
    return found


def stored_files() -> set[Path]:
    return {p for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file()}


@pytest.fixture
def places(cast):
    """The after-sales department (posted units go there) and outlet D with hours."""
    cast.platform_org.address = "1 Keji South Road, Shenzhen"
    cast.platform_org.save()
    outlet = cast.outlet_d
    outlet.address, outlet.phone = "101 Tianhe Road, Guangzhou", "020-12345678"
    outlet.opening_hours_en, outlet.opening_hours_zh = (
        "Mon–Sat 09:00–18:00",
        "周一至周六 9:00–18:00",
    )
    outlet.save()
    return cast


# --- The DONE-WHEN test: the consumer's verdict is the outlet's -----------------------


@pytest.mark.clause("I.1", "I.2", "II.2", "III.1", "III.2", "III.3", "III.9")
@pytest.mark.parametrize(
    ("days", "remedy", "verdict", "failed"),
    [
        pytest.param(3, "return", "needs_judgement", [], id="covered-so-far"),
        pytest.param(20, "repair", "needs_judgement", [], id="past-the-return-window"),
        pytest.param(400, None, "not_covered", ["III.9"], id="past-the-warranty"),
    ],
)
def test_the_verdict_a_consumer_sees_at_submission_is_the_one_the_outlet_sees(
    places, days, remedy, verdict, failed
):
    unit = unit_sold(days, f"SBS{days:06d}", places.pb10k)
    client = confirmed()
    answer = submit(client, unit, remedy_requested=remedy, route="SO-D")
    assert answer.status_code == 302, answer.content.decode()[:3000]
    claim = Claim.objects.get(unit=unit)
    assert answer["Location"] == reverse("service:submitted", args=[claim.number])

    # Both in Chinese: the consumer's default, and the outlet technician's own.
    mine = client.get(answer["Location"]).content.decode()
    staff = (
        login_client_for(places.outlet_tech)
        .get(reverse("claims:claim_detail", args=[claim.number]))
        .content.decode()
    )
    assert f'data-verdict="{verdict}"' in mine and f'data-verdict="{verdict}"' in staff
    assert claim.verdict == verdict
    assert rows(mine) == rows(staff)
    assert len(rows(mine)) == len(claim.verdict_results) > 0
    assert [rule for rule, outcome, _ in rows(mine) if outcome == "fail"] == failed
    # The document and registry rules all pass: only the inspection is left.
    if verdict == "needs_judgement":
        assert {o for r, o, _ in rows(mine) if r in ("I.1", "II.2", "III.1", "III.3")} == {"pass"}
    assert "101 Tianhe Road" in mine and "周一至周六 9:00–18:00" in mine
    assert f'href="/service/claims/{claim.number}/"' in mine


@pytest.mark.clause("I.2")
def test_the_remedies_open_today_are_shown_with_why(places):
    inside = unit_sold(3, "SBS100003", places.pb10k)
    page = confirmed().get(service_path(inside) + "?lang=en").content.decode()
    assert 'data-remedy="return" data-open="true"' in page
    late = unit_sold(20, "SBS100020", places.pb10k)
    page = confirmed().get(service_path(late) + "?lang=en").content.decode()
    assert 'data-remedy="return" data-open="false"' in page
    assert 'data-remedy="repair" data-open="true"' in page
    # The delivery date the consumer gives counts instead of the sale date.
    given = (timezone.localdate() - dt.timedelta(days=2)).isoformat()
    page = confirmed().get(service_path(late) + f"?lang=en&delivered={given}").content.decode()
    assert 'data-remedy="return" data-open="true"' in page


@pytest.mark.clause("I.2")
def test_a_remedy_past_its_window_is_refused_and_nothing_is_stored(places):
    unit = unit_sold(20, "SBS200020", places.pb10k)
    before = stored_files()
    answer = submit(confirmed(), unit, remedy_requested="return")
    assert answer.status_code == 400
    assert not Claim.objects.exists() and stored_files() == before


def test_the_outlets_are_listed_with_address_telephone_and_hours_and_the_post_with_packing(
    places,
):
    places.power_banks.packing_en = "Lithium battery: ship by ground only."
    places.power_banks.packing_zh = "锂电池：仅限陆运。"
    places.power_banks.save()
    unit = unit_sold(3, "SBS300003", places.pb10k)
    page = confirmed().get(service_path(unit)).content.decode()
    assert "020-12345678" in page and "周一至周六 9:00–18:00" in page
    assert "锂电池：仅限陆运。" in page
    done = submit(confirmed(), unit, route="post", remedy_requested="repair")
    claim = Claim.objects.get(unit=unit)
    assert claim.handling_org == places.platform_org
    mine = confirmed().get(done["Location"]).content.decode()
    assert "1 Keji South Road, Shenzhen" in mine and "锂电池：仅限陆运。" in mine


# --- A confirmed number, consent, files -------------------------------------------


def test_both_ways_in_need_a_confirmed_number(places):
    unit = unit_sold(3, "SBS400003", places.pb10k)
    for path in (service_path(unit), reverse("service:request")):
        answer = Client().get(path)
        assert answer.status_code == 302
        assert answer["Location"].startswith(reverse("service:phone") + "?next=")
    answer = Client().post(service_path(unit), form_data())
    assert answer.status_code == 302 and not Claim.objects.exists()


def test_a_tampered_card_url_is_the_cards_one_not_found(places):
    unit = unit_sold(3, "SBS500003", places.pb10k)
    path = service_path(unit)
    answer = confirmed().get(path.replace(path.split("/")[-3], "x" * 10))
    assert answer.status_code == 404
    assert 'data-testid="card-not-found"' in answer.content.decode()


def test_nothing_is_stored_without_consent(places):
    unit = unit_sold(3, "SBS600003", places.pb10k)
    before = stored_files()
    answer = submit(confirmed(), unit, consent=None)
    assert answer.status_code == 400
    assert 'data-testid="error-consent"' in answer.content.decode()
    assert not Claim.objects.exists() and stored_files() == before


@pytest.mark.parametrize(
    "files",
    [
        pytest.param(
            {"fault_files": [SimpleUploadedFile("x.jpg", b"<html>", "image/jpeg")]}, id="fake-photo"
        ),
        pytest.param(
            {"fault_files": [SimpleUploadedFile("x.mp4", b"<html>" * 9, "video/mp4")]},
            id="fake-video",
        ),
        pytest.param(
            {"warranty_card_scan": SimpleUploadedFile("c.jpg", b"GIF89a", "image/jpeg")}, id="card"
        ),
    ],
)
def test_bad_files_are_refused_on_their_fields_with_no_claim_and_no_file_left(places, files):
    unit = unit_sold(3, "SBS700003", places.pb10k)
    before = stored_files()
    answer = submit(confirmed(), unit, **files)
    assert answer.status_code == 400
    field = next(iter(files))
    assert f'data-testid="error-{field}"' in answer.content.decode()
    assert not Claim.objects.exists() and not FaultFile.objects.exists()
    assert stored_files() == before


@override_settings(SANBAO_VIDEO_MAX_MB=0)
def test_a_video_over_the_size_set_is_refused(places):
    unit = unit_sold(3, "SBS800003", places.pb10k)
    answer = submit(confirmed(), unit, fault_files=[SimpleUploadedFile("v.mp4", MP4, "video/mp4")])
    assert answer.status_code == 400 and not Claim.objects.exists()


# --- The claim as recorded --------------------------------------------------------


def test_the_claim_is_the_consumers_made_online_with_its_files_and_audit_event(places):
    unit = unit_sold(3, "SBS900003", places.pb10k)
    submit(confirmed(), unit, route="SO-D", remedy_requested="return")
    claim = Claim.objects.get(unit=unit)
    assert claim.channel == ClaimChannel.CONSUMER and claim.created_by is None
    assert claim.consumer_phone == PHONE and claim.claimant_kind == "consumer"
    assert claim.consent_version == consent.VERSION and claim.consent_at is not None
    assert claim.handling_org == places.outlet_d and claim.remedy_requested == "return"
    assert claim.warranty_card_no == unit.warranty_card_no
    assert sorted(FaultFile.objects.filter(claim=claim).values_list("kind", flat=True)) == [
        "photo",
        "video",
    ]
    event = AuditEvent.objects.get(action="claim.submitted", target_id=str(claim.pk))
    assert event.actor is None and event.actor_label == "consumer 138****8000"
    assert event.data["channel"] == "consumer"


def test_the_claim_enters_the_outlets_list_to_judge(places):
    unit = unit_sold(3, "SBS110003", places.pb10k)
    submit(confirmed(), unit, route="SO-D")
    claim = Claim.objects.get(unit=unit)
    listed = login_client_for(places.outlet_tech, language="en").get(
        reverse("claims:claim_list"), {"status": "to_judge"}
    )
    assert claim.number in listed.content.decode()
    detail = login_client_for(places.outlet_tech, language="en").get(
        reverse("claims:claim_detail", args=[claim.number])
    )
    assert 'data-testid="claim-made-by-consumer"' in detail.content.decode()


def test_the_answer_page_is_only_for_the_consumer_whose_claim_it_is(places):
    unit = unit_sold(3, "SBS120003", places.pb10k)
    done = submit(confirmed(), unit)
    assert confirmed().get(done["Location"]).status_code == 200
    assert confirmed("13900139000").get(done["Location"]).status_code == 404


# --- By serial and card number ----------------------------------------------------


def test_serial_and_card_number_lead_to_the_cards_service_page(places):
    unit = unit_sold(3, "SBS130003", places.pb10k)
    answer = confirmed().post(
        reverse("service:request"), {"serial": unit.serial, "card_no": unit.warranty_card_no}
    )
    assert answer.status_code == 302 and answer["Location"] == service_path(unit)


def test_a_wrong_pair_gets_one_message_that_names_neither(places):
    unit = unit_sold(3, "SBS140003", places.pb10k)
    pages = [
        confirmed().post(reverse("service:request"), data)
        for data in (
            {"serial": unit.serial, "card_no": "WC-WRONG"},
            {"serial": "SBS-NOPE", "card_no": unit.warranty_card_no},
        )
    ]
    assert [p.status_code for p in pages] == [400, 400]
    texts = [p.content.decode().replace("SBS-NOPE", "").replace("WC-WRONG", "") for p in pages]
    texts = [t.replace(unit.warranty_card_no, "").replace(unit.serial, "") for t in texts]
    assert 'data-testid="lookup-wrong"' in texts[0]
    assert re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", texts[0]) == re.sub(
        r'name="csrfmiddlewaretoken" value="[^"]*"', "", texts[1]
    )


@override_settings(SANBAO_SERVICE_LOOKUPS_PER_HOUR=2)
def test_look_ups_by_serial_and_card_are_rate_limited(places):
    client = confirmed()
    answers = [
        client.post(reverse("service:request"), {"serial": f"X{i}", "card_no": "Y"})
        for i in range(3)
    ]
    assert [a.status_code for a in answers] == [400, 400, 429]
    assert int(answers[-1]["Retry-After"]) > 0


# --- The files, to the outlet and until the purge -----------------------------------


def test_the_outlet_downloads_the_fault_files_and_nobody_else_does(places):
    unit = unit_sold(3, "SBS150003", places.pb10k)
    submit(confirmed(), unit, route="SO-D")
    claim = Claim.objects.get(unit=unit)
    first = claim.fault_files.order_by("pk").first()
    url = reverse("claims:claim_fault_file", args=[claim.number, first.pk])
    got = login_client_for(places.outlet_tech).get(url)
    assert got.status_code == 200 and "attachment" in got["Content-Disposition"]
    assert got["X-Content-Type-Options"] == "nosniff"
    assert login_client_for(places.agent_b_clerk).get(url).status_code == 404
    assert Client().get(url).status_code == 302  # to the login


@pytest.mark.clause("IV.8")
def test_the_purge_deletes_the_consumers_photos_and_videos(
    places, settings, tmp_path, django_capture_on_commit_callbacks
):
    from sanbao.claims.services import claim_close, claim_judge
    from sanbao.core.retention import purge_expired

    settings.MEDIA_ROOT = tmp_path
    unit = unit_sold(400, "SBS160400", places.pb10k)
    submit(confirmed(), unit, route="SO-D", remedy_requested=None)
    claim = Claim.objects.get(unit=unit)
    assert len([p for p in tmp_path.rglob("*") if p.is_file()]) == 4
    claim_judge(
        claim=claim, actor=places.outlet_tech, failure_confirmed=False, note="Out of warranty"
    )
    claim_close(claim=Claim.objects.get(pk=claim.pk), actor=places.outlet_tech)
    gone = timezone.now() - dt.timedelta(days=400)
    Claim.objects.filter(pk=claim.pk).update(closed_at=gone, judged_at=gone)
    with django_capture_on_commit_callbacks(execute=True):
        purge_expired(now=timezone.now(), kinds=["claims"])
    assert not [p for p in tmp_path.rglob("*") if p.is_file()]
    assert set(FaultFile.objects.filter(claim=claim).values_list("file", flat=True)) == {""}


def test_the_form_is_in_chinese_by_default_and_in_english_on_request(places):
    unit = unit_sold(3, "SBS170003", places.pb10k)
    zh = confirmed().get(service_path(unit))
    assert zh["Content-Language"] == "zh-hans"
    page = zh.content.decode()
    assert "申请报修" in page and "您今天可以要求的服务" in page and "邮寄至售后服务中心" in page
    assert 'accept="image/*,video/*"' in page and 'capture="environment"' in page
    en = confirmed().get(service_path(unit) + "?lang=en").content.decode()
    assert "Ask for service" in en and "What you can ask for today" in en


def test_the_staff_list_filters_the_claims_consumers_made(places):
    unit = unit_sold(3, "SBS180003", places.pb10k)
    submit(confirmed(), unit, route="SO-D")
    online = Claim.objects.get(unit=unit)
    from sanbao.claims.tests.conftest import intake

    taken = intake(places.outlet_tech, unit_sold(3, "SBS180004", places.pb10k))
    page = (
        login_client_for(places.outlet_tech)
        .get(reverse("claims:claim_list"), {"channel": "consumer"})
        .content.decode()
    )
    assert online.number in page and taken.number not in page


def test_the_form_keeps_the_delivery_date_given_never_the_registrys_sale_date(places):
    unit = unit_sold(20, "SBS190020", places.pb10k)
    page = confirmed().get(service_path(unit)).content.decode()
    assert unit.sale_date.isoformat() not in page.split('data-testid="service-form"')[1]
    given = (timezone.localdate() - dt.timedelta(days=2)).isoformat()
    page = confirmed().get(service_path(unit) + f"?delivered={given}").content.decode()
    assert f'value="{given}"' in page.split('data-testid="service-form"')[1]


@override_settings(SANBAO_CARD_VIEWS_PER_HOUR=1)
def test_the_request_and_its_answer_are_counted_per_client(places):
    unit = unit_sold(3, "SBS210003", places.pb10k)
    client = confirmed()
    assert client.get(service_path(unit)).status_code == 200
    assert client.get(service_path(unit)).status_code == 429
    done = confirmed().get(reverse("service:submitted", args=["C0000-NONE"]))
    assert done.status_code == 404
    assert confirmed().get(reverse("service:submitted", args=["C0000-NONE"])).status_code == 429


def test_a_claim_the_consumer_made_is_told_its_steps_by_sms_without_the_counter_setting(
    places, settings
):
    """The consumer agreed on the phone pages (consent): ``claims.notices.wants_sms``
    reads the claim's channel; a counter claim stays silent by default."""
    from sanbao.claims import services as claim_services
    from sanbao.claims.models import Claim
    from sanbao.notifications import sms
    from sanbao.testkit.background import run_queued_tasks

    settings.SANBAO_SMS_COUNTER_CLAIMS = False
    unit = unit_sold(3, "SBSMS0001", places.pb10k)
    assert submit(confirmed(), unit).status_code == 302
    claim = Claim.objects.get(unit=unit)
    run_queued_tasks()
    assert [(m.phone, m.template.name) for m in sms.outbox] == [(PHONE, "claim_received")]
    from sanbao.claims.tests.conftest import all_clear

    staff = places.platform_staff
    claim_services.claim_record_findings(claim=claim, actor=staff, findings=all_clear())
    claim_services.claim_judge(claim=claim, actor=staff, failure_confirmed=True, remedy="repair")
    run_queued_tasks()
    assert [m.template.name for m in sms.outbox] == ["claim_received", "claim_judged"]


@pytest.mark.parametrize("waybill", ["SF1234567890", ""])
def test_a_unit_the_consumer_posted_is_told_sent_back_with_its_waybill_never_ready_to_collect(
    places, waybill
):
    """A consumer who posted the unit gets it back by post: the SMS at resolution
    names the waybill, and without one it says nothing rather than "ready for
    collection" at a centre they never visit (issue 16 item 4)."""
    from sanbao.claims import services as claim_services
    from sanbao.claims.models import Claim
    from sanbao.claims.tests.conftest import all_clear
    from sanbao.notifications import sms
    from sanbao.testkit.background import run_queued_tasks

    unit = unit_sold(3, f"SBPOST{len(waybill):02d}", places.pb10k)
    client = confirmed()
    assert submit(client, unit, route="post").status_code == 302
    claim = Claim.objects.get(unit=unit)
    assert claim.by_post
    staff = places.platform_staff
    claim_services.claim_record_findings(claim=claim, actor=staff, findings=all_clear())
    claim_services.claim_judge(claim=claim, actor=staff, failure_confirmed=True, remedy="repair")
    claim_services.claim_start_service(claim=claim, actor=staff)
    claim_services.claim_resolve(
        claim=claim, actor=staff, outcome="repaired", return_waybill=f" {waybill} "
    )
    run_queued_tasks()
    told = [(m.template.name, m.params) for m in sms.outbox]
    assert [name for name, _ in told][:2] == ["claim_received", "claim_judged"]
    if waybill:
        assert told[2:] == [("unit_sent_back", {"number": claim.number, "tracking": waybill})]
        page = client.get(f"/service/claims/{claim.number}/").content.decode()
        assert 'data-testid="follow-return-waybill">SF1234567890<' in page
    else:
        assert told[2:] == []
