"""Registering a purchase from the warranty card (issue 16 item 2; II.2): a
confirmed number, the consent, the delivery date and a photo of the proof of
purchase; one registration a unit; the card page shows it only to its number."""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from sanbao.consumers import consent, registration
from sanbao.consumers.cards import card_path
from sanbao.consumers.models import Registration
from sanbao.consumers.views import register_path
from sanbao.core import audit
from sanbao.core.errors import Conflict
from sanbao.core.models import AuditEvent
from sanbao.notifications import consumer
from sanbao.testkit.uploads import jpeg_bytes, jpeg_magic_then_html, png_bytes

PHONE = "13800138000"
OTHER = "13900139000"
DELIVERED = dt.date(2025, 6, 3)  # the cast's units were sold on 2025-06-01

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def stored(root: Path) -> set[str]:
    return {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}


def confirmed(phone: str | None = PHONE, *, language: str = "") -> Client:
    """A consumer's browser; with ``phone`` confirmed in its session (as the phone
    page leaves it after the right code)."""
    client = Client(REMOTE_ADDR="203.0.113.9")
    if language:
        client.get(f"/service/phone/?lang={language}")
    if phone:
        session = client.session
        session[consumer.SESSION_KEY] = {"phone": phone, "until": time.time() + 3600}
        session.save()
    return client


def photo(name="receipt.jpg", data=None):
    return SimpleUploadedFile(name, data if data is not None else jpeg_bytes(), "image/jpeg")


def post(client, unit, *, agree=True, delivered=DELIVERED, proof="default"):
    data = {"delivered_on": delivered.isoformat() if delivered else ""}
    if agree:
        data["consent"] = "on"
    if proof == "default":
        proof = photo()
    if proof is not None:
        data["proof_photo"] = proof
    return client.post(register_path(unit.serial), data)


def register(unit, phone=PHONE, delivered=DELIVERED) -> Registration:
    return registration.registration_create(
        unit=unit,
        phone=phone,
        delivered_on=delivered,
        proof_photo=photo(),
        consent_version=consent.VERSION,
    )


# --- The page ------------------------------------------------------------------------------


def test_without_a_confirmed_number_the_page_sends_the_consumer_to_confirm_one(unit_of_agent_a):
    path = register_path(unit_of_agent_a.serial)
    answer = confirmed(None).get(path)
    assert answer.status_code == 302
    assert answer["Location"] == f"/service/phone/?next={path.replace('/', '%2F')}"
    assert "no-cache" in answer["Cache-Control"]


def test_a_tampered_register_url_is_the_cards_one_not_found_page(unit_of_agent_a):
    client = confirmed()
    good = register_path(unit_of_agent_a.serial)
    tampered = good.replace("/register/", "x/register/")
    other_serial = good.replace(unit_of_agent_a.serial, "SBA000009")
    not_found = Client().get("/w/nothing-here/").content
    for path in (tampered, other_serial, f"/w/{unit_of_agent_a.serial}/register/"):
        answer = client.get(path)
        assert answer.status_code == 404
        assert answer.content == not_found
    assert not Registration.objects.exists()


def test_the_page_shows_the_consent_first_the_masked_number_and_the_camera_in_chinese(
    unit_of_agent_a,
):
    page = confirmed().get(register_path(unit_of_agent_a.serial))
    assert page.status_code == 200 and page["Content-Language"] == "zh-hans"
    assert "no-cache" in page["Cache-Control"]
    html = page.content.decode()
    assert html.index('data-testid="consent-text"') < html.index('name="delivered_on"')
    assert "138****8000" in html and PHONE not in html
    assert 'type="date"' in html
    assert 'accept="image/*"' in html and 'capture="environment"' in html
    assert "登记购买" in html
    assert "{#" not in html and "{%" not in html  # no template comment shown as text


@pytest.mark.clause("II.2")
def test_a_registration_made_goes_back_to_the_card_with_its_photo_stored_and_audited(
    unit_of_agent_a, _media
):
    proof = SimpleUploadedFile("IMG_0001.PNG", png_bytes(), "image/png")
    answer = post(confirmed(), unit_of_agent_a, proof=proof)
    assert answer.status_code == 302
    assert answer["Location"] == card_path(unit_of_agent_a.serial)
    made = Registration.objects.get()
    assert (made.unit, made.phone, made.delivered_on) == (unit_of_agent_a, PHONE, DELIVERED)
    assert made.consent_version == consent.VERSION and made.consented_at is not None
    assert stored(_media) == {made.proof_photo.name}
    assert made.proof_photo.name.startswith("consumers/proofs/")
    assert "IMG" not in made.proof_photo.name
    event = AuditEvent.objects.get(action=registration.CREATED_ACTION)
    assert event.data["phone"] == "138****8000"
    assert PHONE not in str(event.data) and PHONE not in event.target_repr


def test_the_consent_is_required_and_nothing_is_stored_without_it(unit_of_agent_a, _media):
    answer = post(confirmed(), unit_of_agent_a, agree=False)
    assert answer.status_code == 400
    assert 'data-testid="error-consent"' in answer.content.decode()
    assert not Registration.objects.exists() and stored(_media) == set()


@pytest.mark.parametrize(
    "delivered",
    [
        pytest.param(None, id="no-date"),
        pytest.param(timezone.localdate() + dt.timedelta(days=1), id="future"),
        pytest.param(dt.date(2025, 5, 31), id="before-the-sale"),
    ],
)
def test_a_bad_delivery_date_is_refused_on_its_field_with_no_row_and_no_file(
    unit_of_agent_a, _media, delivered
):
    answer = post(confirmed(), unit_of_agent_a, delivered=delivered)
    assert answer.status_code == 400
    assert 'data-testid="error-delivered_on"' in answer.content.decode()
    assert not Registration.objects.exists() and stored(_media) == set()


@pytest.mark.clause("II.2")
@pytest.mark.parametrize(
    "proof",
    [
        pytest.param(None, id="missing"),
        pytest.param(photo("receipt.jpg", jpeg_magic_then_html()), id="jpeg-only-by-its-start"),
        pytest.param(SimpleUploadedFile("receipt.pdf", b"%PDF-1.4", "application/pdf"), id="pdf"),
    ],
)
def test_a_missing_or_false_photo_is_refused_on_its_field_with_no_row_and_no_file(
    unit_of_agent_a, _media, proof
):
    answer = post(confirmed(), unit_of_agent_a, proof=proof)
    assert answer.status_code == 400
    assert 'data-testid="error-proof_photo"' in answer.content.decode()
    assert not Registration.objects.exists() and stored(_media) == set()


def test_the_errors_are_in_english_when_the_consumer_chose_it(unit_of_agent_a):
    client = confirmed(language="en")
    answer = post(client, unit_of_agent_a, proof=None)
    assert answer.status_code == 400 and answer["Content-Language"] == "en"
    assert "photo of your proof of purchase" in answer.content.decode()


def test_another_number_is_refused_without_learning_the_registered_one(unit_of_agent_a, _media):
    register(unit_of_agent_a)
    files = stored(_media)
    client = confirmed(OTHER)
    page = client.get(register_path(unit_of_agent_a.serial))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-testid="register-taken"' in html and 'name="delivered_on"' not in html
    answer = post(client, unit_of_agent_a, delivered=dt.date(2025, 7, 1))
    assert answer.status_code == 409
    html = answer.content.decode()
    assert "8000" not in html.replace("139****9000", "")
    assert Registration.objects.get().phone == PHONE and stored(_media) == files
    with pytest.raises(Conflict) as refused:
        register(unit_of_agent_a, phone=OTHER)
    assert refused.value.code == "consumers.unit_already_registered"


def test_the_same_number_is_told_the_unit_is_registered_and_nothing_changes(unit_of_agent_a):
    made = register(unit_of_agent_a)
    with pytest.raises(Conflict) as refused:
        register(unit_of_agent_a, delivered=dt.date(2025, 7, 1))
    assert refused.value.code == "consumers.registered_to_you"
    page = confirmed().get(register_path(unit_of_agent_a.serial))
    assert 'data-testid="register-done"' in page.content.decode()
    assert Registration.objects.get().delivered_on == made.delivered_on


def test_a_registration_that_fails_after_storing_its_photo_leaves_no_row_and_no_file(
    unit_of_agent_a, _media, monkeypatch
):
    def fails(**_kwargs):
        raise RuntimeError("the audit table is gone")

    monkeypatch.setattr(audit, "record", fails)
    with pytest.raises(RuntimeError):
        register(unit_of_agent_a)
    assert not Registration.objects.exists() and stored(_media) == set()


def test_the_register_page_counts_against_the_cards_allowance(unit_of_agent_a, settings):
    settings.SANBAO_CARD_VIEWS_PER_HOUR = 2
    client = confirmed()
    path = register_path(unit_of_agent_a.serial)
    assert client.get(path).status_code == 200
    assert client.get(card_path(unit_of_agent_a.serial)).status_code == 200
    limited = client.get(path)
    assert limited.status_code == 429 and int(limited["Retry-After"]) > 0


# --- The card page -----------------------------------------------------------------------


def marked(page: str, name: str) -> str:
    start = page.index(f'data-testid="{name}"')
    return page[start : page.index("</section>", start)]


def test_an_unregistered_units_card_links_to_registering_it(unit_of_agent_a):
    page = Client().get(card_path(unit_of_agent_a.serial)).content.decode()
    section = marked(page, "card-registration")
    assert 'data-registered="no"' in section
    assert f'href="{register_path(unit_of_agent_a.serial)}"' in section
    warranty_end = page.index("</section>", page.index('data-testid="card-warranty"'))
    assert page.index('data-testid="card-registration"') > warranty_end


@pytest.mark.clause("II.2")
def test_the_card_shows_the_registration_to_its_number_only(unit_of_agent_a):
    register(unit_of_agent_a)
    path = card_path(unit_of_agent_a.serial)
    mine = marked(confirmed().get(path).content.decode(), "card-registration")
    assert 'data-testid="card-delivered-on">2025-06-03<' in mine
    assert "已存档" in mine  # proof of purchase on file
    assert 'data-testid="card-claims-note"' in mine
    assert 'href="' not in mine  # no link to register again
    for client in (confirmed(OTHER), Client()):
        theirs = marked(client.get(path).content.decode(), "card-registration")
        assert 'data-registered="yes"' in theirs
        assert "2025-06-03" not in theirs and "card-delivered-on" not in theirs
        assert "card-proof" not in theirs and "card-claims-note" not in theirs
        assert "8000" not in theirs


def test_the_claims_list_spot_follows_the_warranty_section():
    source = Path("templates/consumers/card.html").read_text()
    warranty = source.index('data-testid="card-warranty"')
    spot = source.index("{% unit_claims card.serial %}")
    assert source.index("</section>", warranty) < spot < source.index("<section", warranty + 1)


@pytest.mark.clause("I.2")
def test_the_card_counts_the_warranty_from_the_registered_delivery_not_the_sale(unit_of_agent_a):
    """I.2: the warranty runs from the delivery to the consumer; a purchase registered
    with its proof says when that was (the registry knows only the sale)."""
    from sanbao.claims.policy import warranty_end
    from sanbao.consumers.selectors import card_facts

    months = unit_of_agent_a.model.category.warranty_months
    before = card_facts(unit_of_agent_a).warranty_end
    assert before == warranty_end(unit_of_agent_a.sale_date, months)
    later = unit_of_agent_a.sale_date + dt.timedelta(days=40)
    register(unit_of_agent_a, delivered=later)
    assert card_facts(unit_of_agent_a).warranty_end == warranty_end(later, months)
    assert card_facts(unit_of_agent_a).warranty_end > before
