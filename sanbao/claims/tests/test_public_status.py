"""The consumer's public status page (/status/): what it shows, what it never
shows, that it gives no way to enumerate claims, and its rate limit."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from sanbao.catalog.tests.factories import UnitFactory
from sanbao.claims import services
from sanbao.claims.services import FindingIn
from sanbao.claims.tests.conftest import (
    CONSUMER_PHONE,
    all_clear,
    approve_replacement,
    intake,
    photo,
    resolve_replaced,
)
from sanbao.claims.tests.factories import in_service, judged
from sanbao.core import ratelimit
from sanbao.testkit.responses import html

URL = "/status/"
# 1 800 000 000 is the start of an hour; the tests' clock starts a minute into it.
HOUR_START = 1_800_000_000
T0 = HOUR_START + 60


@pytest.fixture(autouse=True)
def _fresh_counters(db):
    # The counters live in the database's cache table.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def clock(monkeypatch):
    """A fixed clock for the rate-limit windows; ``clock.now = ...`` moves it."""

    class Clock:
        now = float(T0)

    fixed = Clock()
    monkeypatch.setattr(ratelimit, "_now", lambda: fixed.now)
    return fixed


def look_up(number, phone, *, client=None, ip="203.0.113.7", **headers):
    client = client or Client()
    return client.post(URL, {"number": number, "phone": phone}, REMOTE_ADDR=ip, **headers)


def shown_status(response) -> str | None:
    found = re.search(r'data-testid="status-result" data-status="([^"]*)"', html(response))
    return found.group(1) if found else None


def is_not_found(response) -> bool:
    return 'data-testid="status-not-found"' in html(response)


def is_limited(response) -> bool:
    return response.status_code == 429 and 'data-testid="status-limited"' in html(response)


def without_echo_and_tokens(response, *echoed: str) -> bytes:
    """The body without the values the visitor typed and without the CSRF tokens
    (masked afresh on every response, so they differ even for the same page)."""
    body = response.content
    body = re.sub(rb'name="csrfmiddlewaretoken" value="[^"]*"', b"", body)
    body = re.sub(rb'"X-CSRFToken": "[^"]*"', b"", body)
    for value in echoed:
        body = body.replace(value.encode(), b"")
    return body


# The form ------------------------------------------------------------------------------


def test_the_page_is_named_public_claim_status_and_lives_at_status():
    assert reverse("public:claim_status") == URL


@pytest.mark.django_db
def test_get_shows_the_empty_form_without_a_login():
    response = Client().get(URL)
    assert response.status_code == 200
    page = html(response)
    assert 'data-testid="status-form"' in page
    assert 'method="post"' in page
    assert 'name="csrfmiddlewaretoken"' in page
    assert 'data-testid="status-result"' not in page
    assert not is_not_found(response)


@pytest.mark.django_db
def test_the_page_is_never_cached():
    for response in (Client().get(URL), look_up("C2611-AAAAAA", CONSUMER_PHONE)):
        assert "no-store" in response["Cache-Control"]
        assert "private" in response["Cache-Control"]


@pytest.mark.django_db
def test_other_methods_are_refused():
    assert Client().put(URL).status_code == 405
    assert Client().delete(URL).status_code == 405


@pytest.mark.django_db
def test_a_post_without_the_csrf_token_is_refused(covered_claim):
    client = Client(enforce_csrf_checks=True)
    response = look_up(covered_claim.number, CONSUMER_PHONE, client=client)
    assert response.status_code == 403
    assert shown_status(response) is None


@pytest.mark.django_db
def test_a_post_with_the_csrf_token_from_the_form_is_accepted(covered_claim):
    client = Client(enforce_csrf_checks=True)
    form = client.get(URL)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html(form)).group(1)
    response = client.post(
        URL, {"number": covered_claim.number, "phone": CONSUMER_PHONE, "csrfmiddlewaretoken": token}
    )
    assert response.status_code == 200
    assert shown_status(response) == "submitted"


@pytest.mark.django_db
def test_missing_values_are_form_errors_and_no_lookup(covered_claim, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = look_up("", "")
    assert response.status_code == 200
    assert html(response).count("is-invalid") == 2
    assert shown_status(response) is None and not is_not_found(response)


@pytest.mark.django_db
def test_a_phone_without_enough_digits_is_a_form_error(covered_claim):
    response = look_up(covered_claim.number, "12-34")
    assert response.status_code == 200
    assert "is-invalid" in html(response)
    assert shown_status(response) is None and not is_not_found(response)


# What it shows -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_right_number_and_phone_show_the_status(covered_claim):
    response = look_up(covered_claim.number, CONSUMER_PHONE)
    assert response.status_code == 200
    assert shown_status(response) == "submitted"
    page = html(response)
    assert f'data-testid="status-claim-number">{covered_claim.number}<' in page
    assert "PB10K" in page
    assert 'data-verdict="covered"' in page
    assert page.count('data-testid="status-next"') == 1
    assert re.search(r'data-testid="status-steps">\s*<li', page), "the submission date is listed"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "typed", ["138-0013-8000", "138 0013 8000", " 13800138000 ", "(138) 0013.8000"]
)
def test_phone_formats_are_normalised(covered_claim, typed):
    assert shown_status(look_up(covered_claim.number, typed)) == "submitted"


@pytest.mark.django_db
def test_the_claim_number_is_read_without_regard_to_case_or_surrounding_spaces(covered_claim):
    typed = f"  {covered_claim.number.lower()} "
    assert shown_status(look_up(typed, CONSUMER_PHONE)) == "submitted"


@pytest.mark.django_db
def test_nothing_personal_appears(platform_staff, unit_of_agent_a, platform_org):
    findings = [
        FindingIn(rule=f.rule, found=False, note=f"finding-note-{f.rule}") for f in all_clear()
    ]
    claim = intake(
        platform_staff,
        unit_of_agent_a,
        consumer_name="Wang Xiaoming",
        fault_description="Secret fault words about the kitchen",
        proof_of_purchase_no="INV-PRIVATE-77",
        findings=findings,
    )
    in_service(claim, platform_staff, "repair", note="judgement-note-private")
    services.claim_resolve(
        claim=claim, actor=platform_staff, outcome="repaired", note="resolution-note-private"
    )
    # Typed with dashes: the stored form of the phone must not come back either.
    response = look_up(claim.number, "138-0013-8000")
    assert shown_status(response) == "resolved"
    page = html(response)
    for secret in (
        "Wang Xiaoming",
        unit_of_agent_a.serial,
        "Secret fault words",
        "INV-PRIVATE-77",
        unit_of_agent_a.warranty_card_no,
        "finding-note-",
        "judgement-note-private",
        "resolution-note-private",
        CONSUMER_PHONE,
        platform_staff.username,
        platform_org.name_en,
    ):
        assert secret not in page, f"{secret!r} is on the public page"
    assert page.count("138-0013-8000") == 1  # only the form field's echo


@pytest.mark.django_db
def test_the_page_shows_the_remedy_the_outcome_and_every_status_change_in_order(
    covered_claim, platform_staff
):
    claim = covered_claim
    judged(claim, platform_staff, "repair")
    approved = look_up(claim.number, CONSUMER_PHONE)
    assert shown_status(approved) == "approved"
    assert 'data-testid="status-remedy"' in html(approved)
    assert 'data-testid="status-outcome"' not in html(approved)

    services.claim_start_service(claim=claim, actor=platform_staff)
    services.claim_resolve(claim=claim, actor=platform_staff, outcome="repaired")
    services.claim_close(claim=claim, actor=platform_staff)
    closed = look_up(claim.number, CONSUMER_PHONE)
    assert shown_status(closed) == "closed"
    page = html(closed)
    assert 'data-testid="status-remedy"' in page and 'data-testid="status-outcome"' in page
    steps = re.search(r'data-testid="status-steps">(.*?)</ol>', page, re.S).group(1)
    assert steps.count("<li") == 6  # submitted, under judgement, approved, in service,
    # resolved, closed


@pytest.mark.django_db
def test_a_status_change_lists_no_inspection_or_scan_event(platform_staff, unit_of_agent_a):
    claim = intake(platform_staff, unit_of_agent_a, findings=[])
    services.claim_record_findings(claim=claim, actor=platform_staff, findings=all_clear())
    page = html(look_up(claim.number, CONSUMER_PHONE))
    steps = re.search(r'data-testid="status-steps">(.*?)</ol>', page, re.S).group(1)
    assert steps.count("<li") == 1


@pytest.mark.django_db
def test_a_claim_not_covered_names_the_failing_clauses(platform_staff, pb10k):
    hong_kong = UnitFactory(
        serial="SBHK00001", model=pb10k, region="hong_kong", warranty_card_no="WCSBHK00001"
    )
    claim = intake(platform_staff, hong_kong)
    assert claim.verdict == "not_covered"
    services.claim_judge(
        claim=claim, actor=platform_staff, failure_confirmed=True, note="outside scope"
    )
    response = look_up(claim.number, CONSUMER_PHONE)
    assert shown_status(response) == "rejected"
    rules = re.findall(
        r'data-rule="([^"]+)"',
        re.search(r'data-testid="status-failed-rules">(.*?)</ul>', html(response), re.S).group(1),
    )
    assert rules == ["I.1"]


@pytest.mark.django_db
def test_an_exclusion_found_is_named_without_the_inspectors_note(platform_staff, unit_of_agent_a):
    findings = [
        FindingIn(rule=f.rule, found=True, note="liquid-note-private", photo=photo())
        if f.rule == "III.6"
        else FindingIn(rule=f.rule, found=False, note="liquid-note-private")
        for f in all_clear()
    ]
    claim = intake(platform_staff, unit_of_agent_a, findings=findings)
    assert claim.verdict == "not_covered"
    page = html(look_up(claim.number, CONSUMER_PHONE))
    failed = re.search(r'data-testid="status-failed-rules">(.*?)</ul>', page, re.S).group(1)
    assert re.findall(r'data-rule="([^"]+)"', failed) == ["III.6"]
    assert "liquid-note-private" not in page


@pytest.mark.django_db
def test_a_claim_needing_judgement_names_what_is_still_to_be_checked(
    platform_staff, unit_of_agent_a
):
    claim = intake(
        platform_staff, unit_of_agent_a, proof_of_purchase_scan=None, warranty_card_scan=None
    )
    response = look_up(claim.number, CONSUMER_PHONE)
    assert 'data-verdict="needs_judgement"' in html(response)
    questions = re.search(r'data-testid="status-open-questions">(.*?)</ul>', html(response), re.S)
    assert re.findall(r'data-rule="([^"]+)"', questions.group(1)) == ["II.2", "III.2"]


@pytest.mark.django_db
def test_a_replacement_mentions_the_new_warranty_when_the_category_gives_one(
    covered_claim, platform_staff, pb20k
):
    claim = covered_claim
    approve_replacement(claim, platform_staff, pb20k)
    resolve_replaced(claim, platform_staff, "SBNEWPUB01", "Shelf A1")
    response = look_up(claim.number, CONSUMER_PHONE)
    assert shown_status(response) == "resolved"
    page = html(response)
    assert page.count('data-testid="status-next"') == 2
    assert "SBNEWPUB01" not in page  # the replacement's serial is not shown either


@pytest.mark.django_db
def test_the_page_follows_the_language_cookie_of_an_anonymous_visitor(covered_claim):
    client = Client()
    client.cookies["sanbao_language"] = "zh-hans"
    response = look_up(covered_claim.number, CONSUMER_PHONE, client=client)
    assert response.status_code == 200
    assert '<html lang="zh-hans">' in html(response)
    assert shown_status(response) == "submitted"


# No enumeration ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_wrong_number_and_a_wrong_phone_give_the_same_answer(covered_claim):
    wrong_number = "C2601-ZZZZZZ"
    wrong_phone = "13900139000"
    by_number = look_up(wrong_number, CONSUMER_PHONE)
    by_phone = look_up(covered_claim.number, wrong_phone)
    assert by_number.status_code == by_phone.status_code == 200
    assert is_not_found(by_number) and is_not_found(by_phone)
    assert without_echo_and_tokens(
        by_number, wrong_number, CONSUMER_PHONE
    ) == without_echo_and_tokens(by_phone, covered_claim.number, wrong_phone)
    assert dict(by_number.items()).keys() == dict(by_phone.items()).keys()


@pytest.mark.django_db
def test_a_wrong_number_and_a_wrong_phone_run_the_same_queries(covered_claim):
    def queries(number, phone):
        with CaptureQueriesContext(connection) as ctx:
            look_up(number, phone)
        # The statements, with the typed values taken out; the rate limit's counting
        # (the cache table, with its savepoints) is the same for both and left out.
        return [
            q["sql"].replace(number, "?").replace(covered_claim.number, "?").replace(phone, "?")
            for q in ctx.captured_queries
            if "sanbao_cache" not in q["sql"] and "SAVEPOINT" not in q["sql"]
        ]

    by_number = queries("C2601-ZZZZZZ", CONSUMER_PHONE)
    by_phone = queries(covered_claim.number, "13900139000")
    assert by_number == by_phone
    assert len(by_number) == 1


@pytest.mark.django_db
def test_an_organisation_claim_can_never_be_looked_up(platform_org, agent_claim):
    # platform_org first: an agent's claim is handled by the platform, which must exist.
    assert agent_claim.consumer_phone == ""
    for phone in ("0000000", "13800138000", agent_claim.number):
        response = look_up(agent_claim.number, phone)
        assert response.status_code == 200
        assert shown_status(response) is None
    # An empty phone is not even a look-up.
    assert shown_status(look_up(agent_claim.number, "")) is None


@pytest.mark.django_db
def test_an_organisation_claim_is_not_found_even_with_a_phone_noted_on_it(
    platform_org, agent_a_clerk, unit_of_agent_a
):
    claim = intake(agent_a_clerk, unit_of_agent_a, consumer_name="", consumer_phone=CONSUMER_PHONE)
    assert claim.claimant_kind == "organisation" and claim.consumer_phone == CONSUMER_PHONE
    response = look_up(claim.number, CONSUMER_PHONE)
    assert is_not_found(response)
    assert without_echo_and_tokens(response, claim.number) == without_echo_and_tokens(
        look_up("C2601-ZZZZZZ", CONSUMER_PHONE), "C2601-ZZZZZZ"
    )


@pytest.mark.django_db
def test_a_claim_is_not_found_with_the_phone_of_another_claim(
    covered_claim, outlet_claim, platform_staff, unit_of_enterprise_c
):
    other = intake(platform_staff, unit_of_enterprise_c, consumer_phone="13700137000")
    assert is_not_found(look_up(covered_claim.number, "13700137000"))
    assert shown_status(look_up(other.number, "13700137000")) == "submitted"


# Rate limit ---------------------------------------------------------------------------------


@pytest.fixture
def limit_of_three(settings):
    settings.SANBAO_STATUS_LOOKUPS_PER_HOUR = 3
    return 3


@pytest.mark.django_db
def test_the_limit_per_client_gives_429_and_recovers_after_the_window(
    covered_claim, limit_of_three, clock
):
    for n in range(limit_of_three):
        response = look_up(f"C2601-AAAAA{n}", CONSUMER_PHONE)
        assert response.status_code == 200 and is_not_found(response)
    refused = look_up(covered_claim.number, CONSUMER_PHONE)
    assert is_limited(refused)
    assert shown_status(refused) is None
    assert refused["Retry-After"] == str(3600 - 60)
    assert covered_claim.number not in html(refused)  # nothing echoed either

    assert is_limited(look_up(covered_claim.number, CONSUMER_PHONE, ip="203.0.113.7"))
    other_client = look_up(covered_claim.number, CONSUMER_PHONE, ip="198.51.100.20")
    assert shown_status(other_client) == "submitted"

    clock.now = HOUR_START + 3600
    assert shown_status(look_up(covered_claim.number, CONSUMER_PHONE)) == "submitted"


@pytest.fixture
def three_per_claim(settings):
    settings.SANBAO_STATUS_LOOKUPS_PER_CLAIM_PER_HOUR = 3
    return 3


@pytest.mark.django_db
def test_wrong_phones_from_one_address_never_lock_the_consumer_out_from_another(
    covered_claim, clock
):
    for n in range(40):
        look_up(covered_claim.number, f"139{n:08d}", ip="203.0.113.99")
    assert is_limited(look_up(covered_claim.number, CONSUMER_PHONE, ip="203.0.113.99"))
    consumer = look_up(covered_claim.number, CONSUMER_PHONE, ip="198.51.100.20")
    assert shown_status(consumer) == "submitted"


@pytest.mark.django_db
def test_wrong_phones_from_many_addresses_never_lock_the_consumer_out(
    covered_claim, three_per_claim, clock
):
    for n in range(30):
        look_up(covered_claim.number, f"1390013900{n % 10}", ip=f"198.51.100.{n + 1}")
    consumer = look_up(covered_claim.number, CONSUMER_PHONE, ip="192.0.2.99")
    assert shown_status(consumer) == "submitted"


@pytest.mark.django_db
def test_the_limit_per_claim_number_from_one_address_gives_429_there_only_and_recovers(
    covered_claim, three_per_claim, clock
):
    for n in range(three_per_claim):
        assert is_not_found(look_up(covered_claim.number, f"1390013900{n}", ip="192.0.2.99"))
    assert is_limited(look_up(covered_claim.number, CONSUMER_PHONE, ip="192.0.2.99"))
    # Another claim number from the same client is still answered ...
    assert is_not_found(look_up("C2601-BBBBBB", CONSUMER_PHONE, ip="192.0.2.99"))
    # ... and the consumer, from their own address, gets in.
    assert shown_status(look_up(covered_claim.number, CONSUMER_PHONE, ip="198.51.100.7")) == (
        "submitted"
    )

    clock.now = T0 + 3600
    assert shown_status(look_up(covered_claim.number, CONSUMER_PHONE, ip="192.0.2.99")) == (
        "submitted"
    )


@pytest.mark.django_db
def test_the_count_is_shared_by_every_worker_and_kept_over_a_restart(
    covered_claim, limit_of_three, clock, monkeypatch
):
    from django.core.cache import caches
    from django.core.cache.backends.locmem import _caches, _expire_info

    def on_a_new_worker():
        # Another process: its own connection to the cache, made from the settings,
        # after every process forgot what it kept in memory.
        _caches.clear()
        _expire_info.clear()
        monkeypatch.setattr(ratelimit, "cache", caches.create_connection("default"))

    for n in range(limit_of_three):
        on_a_new_worker()
        assert is_not_found(look_up(f"C2601-AAAAA{n}", CONSUMER_PHONE))
    on_a_new_worker()
    assert is_limited(look_up(covered_claim.number, CONSUMER_PHONE))


@pytest.mark.django_db
def test_successful_lookups_count_toward_the_limit(covered_claim, limit_of_three, clock):
    for _ in range(limit_of_three):
        assert shown_status(look_up(covered_claim.number, CONSUMER_PHONE)) == "submitted"
    assert is_limited(look_up(covered_claim.number, CONSUMER_PHONE))


@pytest.mark.django_db
def test_the_number_is_counted_however_it_is_typed(covered_claim, three_per_claim, clock):
    number = covered_claim.number
    for typed in [number, number.lower(), f" {number} "]:
        look_up(typed, CONSUMER_PHONE, ip="192.0.2.1")
    assert is_limited(look_up(number.lower(), CONSUMER_PHONE, ip="192.0.2.1"))
    assert is_not_found(look_up("C2601-BBBBBB", CONSUMER_PHONE, ip="192.0.2.1"))


@pytest.mark.django_db
def test_a_client_over_its_limit_does_not_count_the_number_from_it(
    covered_claim, limit_of_three, clock
):
    for n in range(limit_of_three):
        look_up(f"C2601-CCCCC{n}", CONSUMER_PHONE)
    for _ in range(5):
        assert is_limited(look_up(covered_claim.number, CONSUMER_PHONE))
    # The number was never counted: from elsewhere it still has its look-ups.
    for n in range(limit_of_three):
        response = look_up(covered_claim.number, CONSUMER_PHONE, ip=f"198.51.100.{n + 1}")
        assert shown_status(response) == "submitted"


@pytest.mark.django_db
def test_form_errors_are_not_counted(covered_claim, limit_of_three, clock):
    for _ in range(10):
        look_up(covered_claim.number, "")
    assert shown_status(look_up(covered_claim.number, CONSUMER_PHONE)) == "submitted"


@pytest.mark.django_db
def test_addresses_of_one_ipv6_64_network_share_one_allowance(covered_claim, limit_of_three, clock):
    for n in range(limit_of_three):
        look_up(f"C2601-DDDDD{n}", CONSUMER_PHONE, ip=f"2001:db8:1:2::{n + 1:x}")
    assert is_limited(look_up("C2601-EEEEEE", CONSUMER_PHONE, ip="2001:db8:1:2:ffff::9"))
    assert is_not_found(look_up("C2601-EEEEEE", CONSUMER_PHONE, ip="2001:db8:1:3::1"))


def test_the_client_bucket_is_the_ipv4_address_or_the_ipv6_64():
    from django.test import RequestFactory

    def bucket(ip):
        return ratelimit.client_bucket(RequestFactory().get("/", REMOTE_ADDR=ip))

    assert bucket("203.0.113.7") == "203.0.113.7"
    assert bucket("2001:db8:1:2:3:4:5:6") == "2001:db8:1:2::/64"
    assert bucket("::ffff:203.0.113.7") == "203.0.113.7"
    assert bucket("") == "unknown"


@pytest.mark.django_db
def test_the_429_page_is_readable_in_chinese(covered_claim, limit_of_three, clock):
    client = Client()
    client.cookies["sanbao_language"] = "zh-hans"
    for n in range(limit_of_three + 1):
        response = look_up(f"C2601-FFFFF{n}", CONSUMER_PHONE, client=client)
    assert is_limited(response)
    assert '<html lang="zh-hans">' in html(response)
