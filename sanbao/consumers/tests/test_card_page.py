"""The consumer's warranty-card page at /w/<serial>/<signature>/ (issue 16 item 1)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from sanbao.catalog.policy import warranty_last_day
from sanbao.catalog.tests.factories import UnitFactory
from sanbao.claims.tests.factories import days_ago, repaired_in_the_past
from sanbao.consumers import views
from sanbao.consumers.cards import card_path, card_signature
from sanbao.core import ratelimit
from sanbao.testkit.cast import login_client_for
from sanbao.testkit.responses import html


def open_card(path, *, client=None, ip="203.0.113.7", **extra):
    return (client or Client()).get(path, REMOTE_ADDR=ip, **extra)


def marked(page: str, name: str) -> str:
    """The text of the element marked ``data-testid=name`` (its first line of markup)."""
    start = page.index(f'data-testid="{name}"')
    return page[start : page.index("</", start)]


@pytest.fixture
def recent_unit(pb10k):
    return UnitFactory(
        serial="SBR000001",
        model=pb10k,
        sale_date=timezone.localdate() - dt.timedelta(days=30),
        warranty_card_no="WC20260001",
    )


def test_the_card_path_is_w_serial_signature():
    assert card_path("SBA000001") == f"/w/SBA000001/{card_signature('SBA000001')}/"
    assert reverse("cards:card", args=["SB/1/2", "sig"]) == "/w/SB/1/2/sig/"


@pytest.mark.django_db
@pytest.mark.clause("II.2")
def test_the_card_shows_the_model_the_warranty_and_what_to_bring(recent_unit):
    response = open_card(card_path(recent_unit.serial))
    assert response.status_code == 200
    page = html(response)
    assert "PB10K" in marked(page, "card-model")
    assert 'data-in-warranty="yes"' in page
    end = warranty_last_day(recent_unit.sale_date, recent_unit.model.category.warranty_months)
    assert f"{end:%Y-%m-%d}" in marked(page, "card-warranty-end")
    assert 'data-testid="card-bring"' in page
    # The card number is shown masked, never whole.
    assert "WC20260001" not in page
    assert "••••••0001" in marked(page, "card-number")


@pytest.mark.django_db
def test_the_card_links_to_asking_for_service_from_it(recent_unit):
    path = card_path(recent_unit.serial)
    page = html(open_card(path))
    assert f'href="{path}service/" data-testid="card-ask-service"' in page


@pytest.mark.django_db
def test_the_card_shows_no_personal_data_and_no_selling_organisation(unit_of_agent_a):
    page = html(open_card(card_path(unit_of_agent_a.serial)))
    organisation = unit_of_agent_a.channel_org
    assert organisation.code not in page
    assert organisation.display_name not in page
    assert unit_of_agent_a.warranty_card_no not in page


@pytest.mark.django_db
@pytest.mark.clause("I.2")
def test_an_ended_warranty_is_shown_as_ended(pb10k):
    unit = UnitFactory(model=pb10k, sale_date=days_ago(800))
    page = html(open_card(card_path(unit.serial)))
    assert 'data-in-warranty="no"' in page


@pytest.mark.django_db
@pytest.mark.clause("I.2")
def test_the_end_date_includes_the_days_in_warranty_repair(platform_staff, unit_of_agent_a):
    delivered = days_ago(300)
    repaired_in_the_past(platform_staff, unit_of_agent_a, delivered_on=delivered, days_in_repair=40)
    page = html(open_card(card_path(unit_of_agent_a.serial)))
    months = unit_of_agent_a.model.category.warranty_months
    end = warranty_last_day(delivered, months) + dt.timedelta(days=40)
    assert f"{end:%Y-%m-%d}" in marked(page, "card-warranty-end")
    assert "40" in marked(page, "card-days-in-repair")


@pytest.mark.django_db
@pytest.mark.clause("III.1")
def test_a_unit_sold_outside_the_authorised_channels_says_so(pb10k):
    unit = UnitFactory(model=pb10k, authorised_channel=False)
    page = html(open_card(card_path(unit.serial)))
    assert 'data-testid="card-channel" data-ok="no"' in page
    assert 'data-testid="card-region" data-ok="yes"' in page


@pytest.mark.django_db
@pytest.mark.clause("I.1")
def test_a_unit_sold_outside_the_mainland_says_so(pb10k):
    unit = UnitFactory(model=pb10k, region="hong_kong")
    page = html(open_card(card_path(unit.serial)))
    assert 'data-testid="card-region" data-ok="no"' in page
    assert 'data-testid="card-channel" data-ok="yes"' in page


# --- No oracle: every refusal is the same 404 ---------------------------------------


@pytest.mark.django_db
@pytest.mark.clause("III.3")
def test_tampered_unsigned_truncated_foreign_and_unknown_card_urls_get_one_identical_404(
    pb10k,
):
    unit = UnitFactory(serial="SBK000001", model=pb10k)
    other = UnitFactory(serial="SBK000002", model=pb10k)
    signature = card_signature(unit.serial)
    tampered = ("A" if signature[3] != "A" else "B").join([signature[:3], signature[4:]])
    urls = [
        f"/w/{unit.serial}/{tampered}/",  # tampered
        f"/w/{unit.serial}/",  # unsigned
        f"/w/{unit.serial}",  # unsigned, no slash
        f"/w/{unit.serial}/{signature[:-2]}/",  # truncated
        f"/w/{unit.serial}/{signature}",  # the slash cut off
        f"/w/{unit.serial}/{card_signature(other.serial)}/",  # another serial's
        f"/w/SBK999999/{card_signature('SBK999999')[:-1]}x/",  # unknown, forged
        f"/w/{other.serial[:-1]}3/{card_signature(other.serial)}/",  # serial tampered
        "/w/",
    ]
    answers = [open_card(url) for url in urls]
    assert [a.status_code for a in answers] == [404] * len(urls)
    bodies = {a.content for a in answers}
    assert len(bodies) == 1
    assert 'data-testid="card-not-found"' in html(answers[0])
    assert unit.serial.encode() not in answers[0].content
    # The real card opens.
    assert open_card(f"/w/{unit.serial}/{signature}/").status_code == 200


@pytest.mark.django_db
def test_a_validly_signed_serial_that_is_not_registered_gets_the_same_404(pb10k):
    unit = UnitFactory(serial="SBK000001", model=pb10k)
    forged = open_card(f"/w/{unit.serial}/{card_signature(unit.serial)[:-1]}A/")
    gone = open_card(card_path("SBK000404"))  # a signed URL, its unit never registered
    assert gone.status_code == forged.status_code == 404
    assert gone.content == forged.content


@pytest.mark.django_db
def test_a_unit_whose_serial_has_slashes_opens(pb10k):
    unit = UnitFactory(serial="SB/2025/0001", model=pb10k)
    assert open_card(card_path(unit.serial)).status_code == 200


@pytest.mark.django_db
def test_the_page_and_the_refusal_are_never_cached(recent_unit):
    for response in (open_card(card_path(recent_unit.serial)), open_card("/w/x/y/")):
        assert "no-store" in response["Cache-Control"]


@pytest.mark.django_db
def test_only_get_and_head_are_answered(recent_unit):
    assert Client().post(card_path(recent_unit.serial)).status_code == 405


# --- Language --------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_page_is_in_chinese_by_default_whatever_the_browser_asks(recent_unit):
    response = open_card(card_path(recent_unit.serial), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    page = html(response)
    assert '<html lang="zh-hans">' in page
    assert response["Content-Language"] == "zh-hans"
    assert "保修" in page
    assert 'href="?lang=en"' in page


@pytest.mark.django_db
def test_the_consumer_switches_to_english_and_stays_on_the_page(recent_unit):
    response = open_card(card_path(recent_unit.serial) + "?lang=en")
    page = html(response)
    assert response.status_code == 200
    assert '<html lang="en">' in page
    assert "When you ask for service" in page
    assert 'href="?lang=zh-hans"' in page


@pytest.mark.django_db
def test_a_staff_users_language_does_not_change_the_card(recent_unit, platform_staff):
    platform_staff.language = "en"
    platform_staff.save()
    page = html(login_client_for(platform_staff).get(card_path(recent_unit.serial)))
    assert '<html lang="zh-hans">' in page
    assert 'data-testid="search-form"' not in page  # no staff navigation


@pytest.mark.django_db
def test_an_unknown_language_falls_back_to_chinese(recent_unit):
    page = html(open_card(card_path(recent_unit.serial) + "?lang=fr"))
    assert '<html lang="zh-hans">' in page


# --- Rate limit ------------------------------------------------------------------------


@pytest.fixture
def clock(monkeypatch):
    class Clock:
        now = 1_800_000_060.0

    fixed = Clock()
    monkeypatch.setattr(ratelimit, "_now", lambda: fixed.now)
    return fixed


@pytest.mark.django_db
@override_settings(SANBAO_CARD_VIEWS_PER_HOUR=3)
def test_past_the_limit_a_client_gets_429_in_chinese_and_recovers_after_the_window(
    recent_unit, clock
):
    path = card_path(recent_unit.serial)
    for _ in range(2):
        assert open_card(path).status_code == 200
    assert open_card("/w/forged/AAAAAAAAAAAAAA/").status_code == 404  # forged ones count too
    limited = open_card(path)
    assert limited.status_code == 429
    assert int(limited["Retry-After"]) == 3600 - 60
    assert '<html lang="zh-hans">' in html(limited)
    assert 'data-testid="card-limited"' in html(limited)
    assert "no-store" in limited["Cache-Control"]
    # Another client is not held back, and the window's end frees this one.
    assert open_card(path, ip="198.51.100.9").status_code == 200
    clock.now += 3600
    assert open_card(path).status_code == 200


@pytest.mark.django_db
@override_settings(SANBAO_CARD_VIEWS_PER_HOUR=1)
def test_the_429_page_is_in_english_when_asked(recent_unit, clock):
    open_card(card_path(recent_unit.serial))
    limited = open_card(card_path(recent_unit.serial) + "?lang=en")
    assert limited.status_code == 429
    assert "Too many requests" in html(limited)


@pytest.mark.django_db
@override_settings(SANBAO_CARD_VIEWS_PER_HOUR=2, SANBAO_STATUS_LOOKUPS_PER_HOUR=2)
def test_the_card_page_and_the_status_page_count_apart(recent_unit, clock):
    for _ in range(2):
        open_card(card_path(recent_unit.serial))
    status = Client().get(reverse("public:claim_status"), REMOTE_ADDR="203.0.113.7")
    assert status.status_code == 200
    assert views.CACHE_PREFIX != "sanbao:status-lookups"
