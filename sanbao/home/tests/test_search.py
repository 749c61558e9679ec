"""The search box (issue 15): what it finds, for whom, and what the page does.

Records are made through each app's services (the returns, claims and deliveries
test helpers); a record's number is set by hand only where a test needs numbers
that share a beginning."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sanbao.accounts.roles import Role
from sanbao.accounts.services import user_set_language
from sanbao.home.search import (
    EMPTY,
    HITS_PER_KIND,
    TEXT_MAX,
    TOO_LONG,
    UNREADABLE,
    record_search,
)
from sanbao.returns import policy as returns_policy
from sanbao.returns.models import ReturnBatch
from sanbao.testkit.cast import login_client_for
from sanbao.testkit.matrix import Case, check, matrix

SEARCH = "/search/"


def found(actor, text) -> dict[str, list[str]]:
    """kind -> the names of what ``actor`` finds with ``text``."""
    result = record_search(actor=actor, text=text)
    return {group.kind: [hit.name for hit in group.hits] for group in result.groups}


def get(user, text):
    return login_client_for(user).get(SEARCH, {"q": text})


@pytest.fixture
def batch_a(agent_a_clerk, pb10k):
    from sanbao.returns.tests.conftest import draft, pb_lines

    return draft(agent_a_clerk, pb_lines(2), waybill_no="SF-AGENT-A-01")


@pytest.fixture
def batch_b(agent_b_clerk, pb10k):
    from sanbao.returns.tests.conftest import draft, pb_lines

    return draft(agent_b_clerk, pb_lines(1), waybill_no="SF-AGENT-B-01")


@pytest.fixture
def claim_a(agent_a_clerk, platform_org, unit_of_agent_a):
    from sanbao.claims.tests.conftest import intake

    return intake(agent_a_clerk, unit_of_agent_a, consumer_name="", consumer_phone="")


@pytest.fixture
def delivery_a(platform_staff, agent_a, pb10k):
    from sanbao.deliveries.tests.conftest import new_delivery

    return new_delivery(platform_staff, agent_code=agent_a.code, waybill_no="yt7000000001")


@pytest.fixture
def declaration_a(monkeypatch, delivery_a, agent_a_clerk):
    """A draft declaration of agent A, opened half an hour after the arrival (V.1)."""
    from sanbao.deliveries.tests.conftest import Clock, arrive, open_declaration

    clock = Clock(monkeypatch)
    clock.set("2026-09-02 10:00")
    arrive(delivery_a, agent_a_clerk)
    clock.set("2026-09-02 10:30")
    return open_declaration(delivery_a, agent_a_clerk)


@pytest.fixture
def shipped_batch(agent_a_clerk, platform_staff, pb10k):
    """A batch of agent A received, tested, dealt with and shipped back under the
    waybill SF9000000001: its units exist, and so do its shipment and the delivery
    made from that shipment (IV.7)."""
    from sanbao.returns.tests.conftest import pb_lines, reload, settle_all, shipped, under_test

    batch = under_test(agent_a_clerk, platform_staff, pb_lines(2))
    settle_all(batch, platform_staff)
    shipped(reload(batch), platform_staff)
    return reload(batch)


# --- Who may open the page ------------------------------------------------------------

CASES = [Case("search", "GET", f"{SEARCH}?q=NOTHING", allowed_roles=set(Role.values))]


@pytest.mark.parametrize("row", matrix(CASES))
def test_the_search_page_answers_each_member_of_the_cast_as_declared(cast, row):
    check(cast, row)


def test_every_page_has_the_search_box_in_its_top_bar(platform_staff):
    page = login_client_for(platform_staff).get(reverse("home")).content.decode()
    assert 'data-testid="search-box"' in page
    assert f'action="{SEARCH}"' in page


# --- Each kind is found -----------------------------------------------------------------


def test_a_batch_number_typed_in_small_letters_with_spaces_opens_the_batch(batch_a, agent_a_clerk):
    response = get(agent_a_clerk, f"  {batch_a.number.lower()} ")
    assert response.status_code == 302
    assert response.url == reverse("returns:batch_detail", args=[batch_a.number])


def test_a_batch_is_found_by_the_waybill_it_came_under(batch_a, platform_staff):
    assert found(platform_staff, "SF-AGENT-A-01") == {"batch": [batch_a.number]}
    assert found(platform_staff, "sf-agent-a-01") == {"batch": [batch_a.number]}


def test_a_scanned_label_of_a_batch_not_yet_tested_opens_the_batch_at_its_line(
    batch_a, agent_a_clerk
):
    code = returns_policy.label_code(batch_a.number, 2, 1)
    response = get(agent_a_clerk, code)
    assert response.status_code == 302
    assert response.url == reverse("returns:batch_detail", args=[batch_a.number]) + "#line-2"


def test_a_scanned_label_of_a_unit_under_test_opens_that_unit(shipped_batch, platform_staff):
    unit = shipped_batch.units.order_by("seq").last()
    response = get(platform_staff, unit.code)
    assert response.status_code == 302
    assert response.url == reverse("returns:unit_detail", args=[shipped_batch.number, unit.seq])


def test_a_claim_is_found_by_its_number(claim_a, agent_a_clerk, platform_staff):
    assert found(agent_a_clerk, claim_a.number) == {"claim": [claim_a.number]}
    response = get(platform_staff, claim_a.number.lower())
    assert response.url == reverse("claims:claim_detail", args=[claim_a.number])


def test_a_declaration_is_found_by_its_number(declaration_a, agent_a_clerk):
    response = get(agent_a_clerk, declaration_a.number)
    assert response.url == reverse("deliveries:declaration_detail", args=[declaration_a.number])


def test_a_delivery_is_found_by_its_number_and_by_its_waybill(delivery_a, agent_a_clerk):
    assert found(agent_a_clerk, delivery_a.number) == {"delivery": [delivery_a.number]}
    # The waybill as stored (small letters) and as a scanner in capitals types it.
    for waybill in ("yt7000000001", "YT7000000001"):
        response = get(agent_a_clerk, waybill)
        assert response.url == reverse("deliveries:delivery_detail", args=[delivery_a.number])


def test_a_returns_shipment_is_found_by_its_number(shipped_batch, agent_a_clerk):
    shipment = shipped_batch.units.first().shipment
    response = get(agent_a_clerk, shipment.number)
    assert response.url == reverse("returns:shipment_detail", args=[shipment.number])


def test_a_unit_is_found_by_its_serial_as_typed_or_in_capitals(unit_of_agent_a, agent_a_clerk):
    assert found(agent_a_clerk, "SBA000001") == {"unit": ["SBA000001"]}
    response = get(agent_a_clerk, "sba000001")
    assert response.url == reverse("catalog:unit_detail", args=["SBA000001"])


def test_an_outlet_looks_up_any_unit_by_its_exact_serial_as_the_unit_page_lets_it(
    unit_of_agent_b, outlet_tech
):
    # catalog.selectors.unit_get: a consumer may bring any unit to any outlet.
    assert found(outlet_tech, "SBB000001") == {"unit": ["SBB000001"]}


# --- Several hits, none, more than a page -------------------------------------------------


def test_a_waybill_shared_by_a_shipment_and_its_delivery_lists_both_by_kind(
    shipped_batch, agent_a_clerk
):
    response = get(agent_a_clerk, "SF9000000001")
    assert response.status_code == 200
    result = response.context["result"]
    assert [g.kind for g in result.groups] == ["delivery", "shipment"]
    page = response.content.decode()
    assert page.count('data-testid="search-hit"') == 2
    shipment = shipped_batch.units.first().shipment
    assert reverse("returns:shipment_detail", args=[shipment.number]) in page


def test_numbers_sharing_a_beginning_are_listed_and_a_short_beginning_matches_nothing(
    batch_a, platform_staff
):
    twin = ReturnBatch.objects.get(pk=batch_a.pk)
    twin.pk, twin.number = None, "R2612-AAAAA2"
    twin.save()
    ReturnBatch.objects.filter(pk=batch_a.pk).update(number="R2612-AAAAA1")
    response = get(platform_staff, "r2612-aaaaa")
    assert response.status_code == 200
    assert found(platform_staff, "R2612-AAAAA") == {"batch": ["R2612-AAAAA1", "R2612-AAAAA2"]}
    # Fewer than PREFIX_MIN characters: a whole month's numbers would match; none does.
    assert found(platform_staff, "R2612-") == {}


def test_more_hits_than_a_page_shows_are_cut_and_said_so(batch_a, platform_staff):
    template = ReturnBatch.objects.get(pk=batch_a.pk)
    for i in range(HITS_PER_KIND + 1):
        template.pk, template.number = None, f"R2612-MANY{i:02d}"
        template.save()
    response = get(platform_staff, "R2612-MANY")
    assert response.status_code == 200
    (group,) = response.context["result"].groups
    assert len(group.hits) == HITS_PER_KIND and group.more
    assert 'data-testid="search-more"' in response.content.decode()


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_nothing_found_says_so_in_the_users_language(batch_a, agent_a_clerk, language):
    user_set_language(user=agent_a_clerk, language=language)
    response = get(agent_a_clerk, "R0000-NOSUCH")
    assert response.status_code == 200
    page = response.content.decode()
    assert 'data-testid="search-nothing"' in page
    with translation.override(language):
        said = translation.gettext(
            "Nothing found for “%(text)s” among the records you may see."
        ) % {"text": "R0000-NOSUCH"}
    assert said in page


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("", EMPTY),
        ("   ", EMPTY),
        ("X" * (TEXT_MAX + 1), TOO_LONG),
        ("R2612\x01ABC", UNREADABLE),
        ("R2612\u200bABC", UNREADABLE),  # a zero-width space pasted from a chat
    ],
)
def test_a_text_that_cannot_be_searched_for_is_refused_with_the_reason(
    agent_a_clerk, text, problem
):
    response = get(agent_a_clerk, text)
    assert response.status_code == 400
    assert response.context["result"].problem == problem
    assert 'data-testid="search-problem"' in response.content.decode()


def test_a_nul_in_the_search_is_refused_before_the_database(agent_a_clerk):
    response = login_client_for(agent_a_clerk).get(f"{SEARCH}?q=R2612%00X")
    assert response.status_code == 422


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(max_size=TEXT_MAX + 5))
def test_any_text_at_all_is_either_searched_or_refused_with_a_reason(platform_staff, text):
    # Any character (NUL, emoji, full-width digits, a lone surrogate): never an error.
    result = record_search(actor=platform_staff, text=text)
    assert result.problem in {"", EMPTY, TOO_LONG, UNREADABLE}
    assert bool(result.problem) == bool(result.problem_message)
    assert not (result.problem and result.groups)


def test_the_longest_text_searched_for_is_still_searched(agent_a_clerk):
    assert record_search(actor=agent_a_clerk, text="9" * TEXT_MAX).problem == ""


# --- Nobody finds another organisation's records ------------------------------------------


def test_an_agent_finds_nothing_of_another_agents(
    batch_a, claim_a, declaration_a, unit_of_agent_a, agent_b_clerk
):
    label = returns_policy.label_code(batch_a.number, 1, 1)
    for text in (
        batch_a.number,
        "SF-AGENT-A-01",
        label,
        claim_a.number,
        declaration_a.number,
        declaration_a.delivery.number,
        "YT7000000001",
        unit_of_agent_a.serial,
    ):
        response = get(agent_b_clerk, text)
        assert response.status_code == 200, text
        assert response.context["result"].groups == [], text
        page = response.content.decode()
        assert 'data-testid="search-nothing"' in page
        assert 'data-testid="search-hit"' not in page


def test_an_agent_finds_its_own_among_everyones(batch_a, batch_b, agent_b_clerk):
    assert found(agent_b_clerk, batch_b.number) == {"batch": [batch_b.number]}
    assert found(agent_b_clerk, "SF-AGENT-B-01") == {"batch": [batch_b.number]}


def test_an_enterprise_finds_nothing_of_an_agents(shipped_batch, enterprise_clerk):
    shipment = shipped_batch.units.first().shipment
    for text in (shipped_batch.number, shipment.number, "SF9000000001"):
        assert found(enterprise_clerk, text) == {}, text


def test_an_outlet_finds_no_batch_and_only_the_claims_it_handles(
    batch_a, claim_a, outlet_tech, unit_of_agent_b
):
    from sanbao.claims.tests.conftest import intake

    own = intake(outlet_tech, unit_of_agent_b)
    assert found(outlet_tech, batch_a.number) == {}
    assert found(outlet_tech, claim_a.number) == {}
    assert found(outlet_tech, own.number) == {"claim": [own.number]}


def test_a_commissioner_does_not_find_a_declaration_still_being_prepared(
    declaration_a, cs_commissioner, platform_staff
):
    assert found(platform_staff, declaration_a.number) == {"declaration": [declaration_a.number]}
    assert found(cs_commissioner, declaration_a.number) == {}


# --- A bounded number of queries -------------------------------------------------------------

# The look-ups of ``record_search``: batches, label (batch and unit), claims,
# declarations, deliveries, shipments, and a unit by two spellings of its serial.
SEARCH_QUERIES_MAX = 9


def test_a_search_runs_a_fixed_number_of_queries_whatever_the_number_of_records(
    shipped_batch, claim_a, declaration_a, platform_staff, django_assert_max_num_queries
):
    label = shipped_batch.units.order_by("seq").first().code.lower()
    with django_assert_max_num_queries(SEARCH_QUERIES_MAX):
        few = record_search(actor=platform_staff, text=label)
    template = ReturnBatch.objects.get(pk=shipped_batch.pk)
    for i in range(3 * HITS_PER_KIND):
        template.pk, template.number = None, f"R2612-LOTS{i:02d}"
        template.save()
    for text in (label, "R2612-LOTS", "SF9000000001"):
        with django_assert_max_num_queries(SEARCH_QUERIES_MAX):
            record_search(actor=platform_staff, text=text)
    assert [g.kind for g in few.groups] == ["label"]


def test_the_results_page_runs_a_fixed_number_of_queries(
    batch_a, platform_staff, django_assert_max_num_queries
):
    template = ReturnBatch.objects.get(pk=batch_a.pk)
    for i in range(3 * HITS_PER_KIND):
        template.pk, template.number = None, f"R2612-PAGE{i:02d}"
        template.save()
    client = login_client_for(platform_staff)
    # The session and the user, then the search; the page itself reads nothing more.
    with django_assert_max_num_queries(SEARCH_QUERIES_MAX + 4):
        response = client.get(SEARCH, {"q": "R2612-PAGE"})
    assert response.status_code == 200
