"""The batch list and the batch page (``views/batches.py``): the packing check
before submitting, submit and refuse, the turnaround panel, what a return unit
reads, the language of the pages and the home shortcuts."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django.utils import translation

from sanbao.accounts.services import user_set_language
from sanbao.returns import services
from sanbao.returns.errors import MESSAGES
from sanbao.returns.models import BatchStatus
from sanbao.returns.services import LineIn
from sanbao.returns.tests.conftest import (
    draft,
    on_hold,
    pb_lines,
    received_on,
    settle_all,
    shipped,
    under_test,
)
from sanbao.returns.tests.views.conftest import (
    CREATE_URL,
    HTMX,
    attr,
    batch_problems,
    batch_url,
    detail,
    field_errors,
    html,
    line_problems,
    post,
    row_numbers,
    rows,
    scan,
    shown_testids,
    status_of,
    unit_url,
    url,
)
from sanbao.testkit.cast import login_client_for
from sanbao.testkit.queries import assert_list_queries_flat, count_queries
from sanbao.testkit.responses import assert_refused, fragment, listed_numbers

# The packing check on the batch page (before submitting) ------------------------------------


@pytest.mark.clause("IV.P1")
def test_a_power_bank_line_without_its_data_cable_is_marked_on_its_line_before_submitting(
    agent_a_clerk, pb10k
):
    lines = [*pb_lines(1), LineIn("PB10K", 2, "No output", 1, accessories=["manual"])]
    batch = draft(agent_a_clerk, lines)
    response = detail(agent_a_clerk, batch)
    assert line_problems(response) == {("2", "IV.P1", "returns.accessories_missing")}
    assert 'data-testid="packing-check" data-blocking="true"' in html(response)
    assert re.search(r'data-testid="submit-batch"[^>]* disabled', html(response))


@pytest.mark.clause("IV.P3")
def test_a_box_mixing_categories_is_shown_before_submitting(agent_a_clerk, pb10k, ad65):
    lines = [*pb_lines(1), LineIn("AD65", 2, "No output", 1, bundled=True)]
    batch = draft(agent_a_clerk, lines)
    response = detail(agent_a_clerk, batch)
    assert batch_problems(response) == {("IV.P3", "returns.box_mixes_categories")}
    assert line_problems(response) == set()


@pytest.mark.clause("IV.P4")
def test_an_adapter_line_not_bundled_is_marked_on_its_line_before_submitting(agent_a_clerk, ad65):
    lines = [
        LineIn("AD65", 3, "No output", 1, bundled=True),
        LineIn("AD65", 2, "Overheats", 1, bundled=False),
    ]
    response = detail(agent_a_clerk, draft(agent_a_clerk, lines))
    assert line_problems(response) == {("2", "IV.P4", "returns.not_bundled")}


def test_a_packing_list_that_meets_the_rules_can_be_submitted(agent_a_clerk, draft_of_agent_a):
    response = detail(agent_a_clerk, draft_of_agent_a)
    assert 'data-testid="packing-check" data-blocking="false"' in html(response)
    assert line_problems(response) == set() and batch_problems(response) == set()
    assert not re.search(r'data-testid="submit-batch"[^>]* disabled', html(response))


def test_submitting_a_batch_that_breaks_a_rule_is_a_400_with_the_message_on_its_line(
    agent_a_clerk, pb10k
):
    lines = [*pb_lines(2), LineIn("PB10K", 1, "No output", 1, accessories=[])]
    batch = draft(agent_a_clerk, lines)
    response = post(agent_a_clerk, url("batch_submit", batch))
    assert_refused(response, 400, "returns.packing_refused")
    assert re.findall(r'data-testid="line-refusal" data-line="(\d+)"', html(response)) == ["3"]
    assert status_of(batch) == BatchStatus.DRAFT


@pytest.mark.clause("IV.P5")
@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_a_cash_on_delivery_batch_shows_why_it_cannot_be_submitted_in_the_users_language(
    agent_a_clerk, pb10k, language
):
    user_set_language(user=agent_a_clerk, language=language)
    batch = draft(agent_a_clerk, pb_lines(2), freight="cod")
    with translation.override(language):
        why = str(MESSAGES["returns.cash_on_delivery_refused"])
    page = detail(agent_a_clerk, batch)
    assert batch_problems(page) == {("IV.P5", "returns.cash_on_delivery_refused")}
    assert why in html(page)
    assert re.search(r'data-testid="submit-batch"[^>]* disabled', html(page))
    response = post(agent_a_clerk, url("batch_submit", batch))
    assert_refused(response, 400, "returns.cash_on_delivery_refused")
    assert why in html(response)
    assert status_of(batch) == BatchStatus.DRAFT


@pytest.mark.clause("IV.P6")
def test_a_batch_not_sent_by_home_delivery_shows_the_extra_cost_notice_and_is_submitted(
    agent_a_clerk, pb10k
):
    batch = draft(agent_a_clerk, pb_lines(2), home_delivery=False)
    page = detail(agent_a_clerk, batch)
    assert 'data-testid="notice-IV.P6"' in html(page)
    assert batch_problems(page) == {("IV.P6", "returns.extra_cost_to_shipper")}
    assert 'data-blocking="false"' in html(page)
    assert post(agent_a_clerk, url("batch_submit", batch)).status_code == 302
    batch.refresh_from_db()
    assert (batch.status, batch.extra_cost_to_shipper) == (BatchStatus.SUBMITTED, True)


def test_submitting_twice_is_a_409(agent_a_clerk, submitted_of_agent_a):
    response = post(agent_a_clerk, url("batch_submit", submitted_of_agent_a))
    assert_refused(response, 409, "returns.move_not_allowed")


def test_an_htmx_submission_answers_the_updated_batch_fragment(agent_a_clerk, draft_of_agent_a):
    response = post(agent_a_clerk, url("batch_submit", draft_of_agent_a), headers=HTMX)
    body = fragment(response, "batch-body")
    assert 'data-status="submitted"' in body
    assert 'data-testid="batch-done"' in body


def test_refusing_a_parcel_needs_a_reason(platform_staff, submitted_of_agent_a):
    response = post(platform_staff, url("batch_refuse", submitted_of_agent_a), {"reason": " "})
    assert response.status_code == 400
    assert "reason" in field_errors(response)
    assert status_of(submitted_of_agent_a) == BatchStatus.SUBMITTED


# The batch list -----------------------------------------------------------------------------

LIST_URL = "/returns/"


@pytest.fixture
def batches(agent_a_clerk, enterprise_clerk, platform_staff, pb10k):
    """A draft of agent A, one submitted by enterprise C, one of agent A on hold."""
    first = draft(agent_a_clerk, pb_lines(1))
    second = draft(enterprise_clerk, pb_lines(2))
    services.batch_submit(batch=second, actor=enterprise_clerk)
    third = draft(agent_a_clerk, pb_lines(2))
    services.batch_submit(batch=third, actor=agent_a_clerk)
    services.receipt_open(batch=third, actor=platform_staff)
    services.receipt_close(batch=third, actor=platform_staff, received_boxes=1)
    return {"draft": first, "submitted": second, "on_hold": third}


def listed(user, query="") -> list[str]:
    return listed_numbers(login_client_for(user), LIST_URL + query, "batch-row")


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", ["on_hold", "submitted", "draft"]),
        ("?status=submitted", ["submitted"]),
        ("?status=on_hold", ["on_hold"]),
        ("?return_org=AG-A", ["on_hold", "draft"]),
        ("?return_org=EN-C", ["submitted"]),
        ("?status=draft&return_org=EN-C", []),
    ],
)
def test_the_batch_list_filters_return_the_right_batches_for_platform_staff(
    platform_staff, batches, query, expected
):
    assert listed(platform_staff, query) == [batches[name].number for name in expected]


def test_the_batch_list_filters_by_the_start_of_the_number(platform_staff, batches):
    number = batches["submitted"].number
    assert listed(platform_staff, f"?number={number[:9].lower()}") == [number]


def test_an_agent_lists_only_its_own_batches_and_has_no_return_unit_filter(
    agent_a_clerk, agent_b_clerk, batches
):
    response = login_client_for(agent_a_clerk).get(LIST_URL)
    assert row_numbers(response) == [batches["on_hold"].number, batches["draft"].number]
    assert 'name="return_org"' not in html(response)
    assert listed(agent_a_clerk, "?return_org=EN-C") == row_numbers(response)
    assert listed(agent_b_clerk) == []


def test_the_batch_list_shows_the_open_anomalies_of_a_batch(platform_staff, batches):
    body = html(login_client_for(platform_staff).get(LIST_URL))
    row = body.split(f'data-number="{batches["on_hold"].number}"')[1].split("</tr>")[0]
    assert 'data-testid="batch-open-anomalies"' in row


def test_an_htmx_request_of_the_batch_list_gets_the_results_fragment_only(platform_staff, batches):
    response = login_client_for(platform_staff).get(LIST_URL + "?status=draft", headers=HTMX)
    assert response.status_code == 200
    assert "<html" not in html(response)
    assert 'data-testid="batch-filters"' not in html(response)
    assert row_numbers(response) == [batches["draft"].number]


@pytest.mark.parametrize("who", ["platform_staff", "agent_a_clerk"])
def test_the_batch_list_runs_a_fixed_number_of_queries_however_many_batches(cast, who, pb10k):
    user = getattr(cast, who)
    creator = cast.agent_a_clerk
    client = login_client_for(user)

    def add(count):
        for _ in range(count):
            batch = draft(creator, pb_lines(1))
            services.batch_submit(batch=batch, actor=creator)

    assert_list_queries_flat(lambda: client.get(LIST_URL), add, ceiling=8, more=5)


def test_the_anomaly_list_runs_a_fixed_number_of_queries_however_many_anomalies(
    platform_staff, agent_a_clerk, pb10k
):
    client = login_client_for(platform_staff)

    def add(count):
        for _ in range(count):
            batch = draft(agent_a_clerk, pb_lines(2))
            services.batch_submit(batch=batch, actor=agent_a_clerk)
            services.receipt_open(batch=batch, actor=platform_staff)
            services.receipt_close(batch=batch, actor=platform_staff, received_boxes=2)

    assert_list_queries_flat(lambda: client.get(url("anomaly_list")), add, ceiling=8, more=3)


def test_the_batch_page_and_the_receipt_page_run_a_fixed_number_of_queries_however_many_lines(
    platform_staff, agent_a_clerk, pb10k, django_assert_max_num_queries
):
    def pages(lines: int) -> tuple[int, int]:
        batch = draft(agent_a_clerk, pb_lines(lines))
        services.batch_submit(batch=batch, actor=agent_a_clerk)
        services.receipt_open(batch=batch, actor=platform_staff)
        client = login_client_for(platform_staff)
        client.get(url("batch_detail", batch))
        return (
            count_queries(lambda: client.get(url("batch_detail", batch)))[0],
            count_queries(lambda: client.get(url("receipt", batch)))[0],
        )

    assert pages(2) == pages(30)


# Language -----------------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_return_pages_follow_the_language_of_the_user(
    platform_staff, receiving_of_agent_a, language
):
    user_set_language(user=platform_staff, language=language)
    client = login_client_for(platform_staff)
    for path in (
        LIST_URL,
        CREATE_URL,
        url("anomaly_list"),
        url("batch_detail", receiving_of_agent_a),
        url("receipt", receiving_of_agent_a),
    ):
        assert f'<html lang="{language}">' in html(client.get(path)), path
    with translation.override(language):
        status = str(BatchStatus.RECEIVING.label)
    assert status in html(client.get(url("batch_detail", receiving_of_agent_a)))


def test_a_scan_is_answered_in_the_users_language(platform_staff, receiving_of_agent_a):
    user_set_language(user=platform_staff, language="zh-hans")
    response = scan(platform_staff, receiving_of_agent_a, "HELLO", headers=HTMX)
    with translation.override("zh-hans"):
        expected = str(MESSAGES["returns.label_unknown"]) % {"code": "HELLO"}
    assert expected in html(response)


# Home ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("platform_staff", {"home-return-list", "home-return-anomalies"}),
        ("commercial_commissioner", {"home-return-list", "home-return-anomalies"}),
        ("agent_a_clerk", {"home-return-create", "home-return-list", "home-return-anomalies"}),
        ("enterprise_clerk", {"home-return-create", "home-return-list", "home-return-anomalies"}),
        ("outlet_tech", set()),
    ],
)
def test_the_home_page_offers_the_return_shortcuts_of_the_role(cast, who, expected):
    user = getattr(cast, who)
    client = login_client_for(user)
    body = html(client.get("/"))
    shown = set(re.findall(r'data-testid="(home-return-[a-z-]+)"', body))
    assert shown == expected
    for name in shown:
        href = re.search(rf'href="([^"]+)" data-testid="{name}"', body).group(1)
        assert client.get(href.replace("&amp;", "&")).status_code == 200, name


# The turnaround (IV.5) --------------------------------------------------------------------------


# The turnaround's states that count working days, and how the page names the count.
DAYS_SHOWN_AS = {"running": "left", "overdue": "overdue", "late": "late"}


def turnaround_shown(page) -> tuple[str | None, str | None]:
    """The state the batch page's turnaround shows, and its working days left,
    overdue or late (None in other states)."""
    state = attr(page, "turnaround", "data-state")
    if state not in DAYS_SHOWN_AS:
        return state, None
    return state, attr(page, f"turnaround-{DAYS_SHOWN_AS[state]}", "data-days")


@pytest.mark.clause("IV.5")
@pytest.mark.parametrize(
    ("today", "shown"),
    [
        pytest.param("2026-11-23", ("running", "3"), id="left"),
        # Due Thursday 26; Friday 27 and Monday 30 have passed.
        pytest.param("2026-11-30", ("overdue", "2"), id="overdue"),
    ],
)
def test_the_batch_page_shows_the_due_date_and_the_working_days_left_or_overdue(
    clock, platform_staff, agent_a_clerk, pb10k, today, shown
):
    batch = received_on("2026-11-23", clock, agent_a_clerk, platform_staff, 1)  # a Monday
    clock.set(today)
    page = detail(platform_staff, batch)
    assert attr(page, "turnaround", "data-due") == "2026-11-26"
    assert turnaround_shown(page) == shown
    assert "due-provisional" not in shown_testids(page)


@pytest.mark.clause("IV.5")
def test_a_due_date_in_a_year_without_a_known_schedule_is_marked_provisional_and_explained(
    clock, platform_staff, agent_a_clerk, pb10k
):
    batch = received_on("2026-12-30", clock, agent_a_clerk, platform_staff, 1)
    page = detail(platform_staff, batch)
    assert attr(page, "turnaround", "data-provisional") == "true"
    assert {"due-provisional", "provisional-explanation"} <= shown_testids(page)
    assert "2027" in html(page).split('data-testid="provisional-explanation"')[1][:400]


@pytest.mark.clause("IV.5")
def test_a_batch_on_hold_has_no_due_date_until_its_anomalies_are_resolved(
    platform_staff, agent_a_clerk, pb10k
):
    batch = on_hold(agent_a_clerk, platform_staff, pb_lines(2))
    page = detail(platform_staff, batch)
    assert turnaround_shown(page) == ("on_hold", None)
    assert "turnaround-due" not in shown_testids(page)


@pytest.mark.clause("IV.5")
def test_a_batch_shipped_after_its_due_date_shows_the_working_days_late(
    clock, platform_staff, agent_a_clerk, pb10k
):
    clock.set("2026-11-23")
    batch = under_test(agent_a_clerk, platform_staff, pb_lines(1))
    settle_all(batch, platform_staff)
    clock.set("2026-11-27")  # one working day after the due Thursday
    shipped(batch, platform_staff)
    page = detail(agent_a_clerk, batch)
    assert turnaround_shown(page) == ("late", "1")


# What the return unit reads ----------------------------------------------------------------------


@pytest.mark.clause("IV.7")
def test_the_return_unit_sees_its_batch_progress_and_shipments_but_no_forms(
    platform_staff, agent_a_clerk, agent_b_clerk, ready_of_agent_a
):
    batch = ready_of_agent_a
    shipment_one = shipped(batch, platform_staff, units=[batch.units.get(seq=1)])
    client = login_client_for(agent_a_clerk)

    page = client.get(batch_url("batch_detail", batch))
    assert page.status_code == 200
    assert rows(page, "unit-row", "data-seq") == ["1", "2"]
    assert attr(page, "unit-counts", "data-shipped") == "1"
    assert rows(page, "batch-shipment", "data-number") == [shipment_one.number]
    assert "delivery-list-pdf" in shown_testids(page)
    assert not [t for t in shown_testids(page) if t.startswith("action-")]
    assert "turnaround" in shown_testids(page)

    unit = client.get(unit_url("unit_detail", batch, 1))
    assert unit.status_code == 200
    assert "<form" not in html(unit).split('id="unit-body"')[1]

    listing = client.get(reverse("returns:shipment_list"))
    assert rows(listing, "shipment-row", "data-number") == [shipment_one.number]
    assert "shipment-new" not in shown_testids(listing)
    detail = client.get(reverse("returns:shipment_detail", args=[shipment_one.number]))
    assert detail.status_code == 200
    assert "shipment-actions" not in shown_testids(detail)

    other = login_client_for(agent_b_clerk)
    assert (
        other.get(reverse("returns:shipment_detail", args=[shipment_one.number])).status_code == 404
    )
    assert rows(other.get(reverse("returns:shipment_list")), "shipment-row", "data-number") == []


def test_the_menu_offers_the_queue_to_staff_and_the_shipments_to_return_units(
    platform_staff, agent_a_clerk
):
    queue, shipments = reverse("returns:queue"), reverse("returns:shipment_list")
    staff_page = html(login_client_for(platform_staff).get(reverse("returns:batch_list")))
    agent_page = html(login_client_for(agent_a_clerk).get(reverse("returns:batch_list")))
    assert f'href="{queue}"' in staff_page and f'href="{shipments}"' in staff_page
    assert f'href="{queue}"' not in agent_page and f'href="{shipments}"' in agent_page


def test_another_return_units_unit_page_and_photo_are_404(
    agent_b_clerk, photographed_unit_of_agent_a
):
    batch = photographed_unit_of_agent_a.batch
    client = login_client_for(agent_b_clerk)
    assert client.get(unit_url("unit_detail", batch, 1)).status_code == 404
    assert client.get(unit_url("unit_photo", batch, 1)).status_code == 404


def test_a_shipment_is_offered_only_when_a_unit_of_the_batch_can_go_now(
    agent_a_clerk, platform_staff, pb10k
):
    from sanbao.returns.tests.conftest import pb_lines, settle_all, under_test

    batch = under_test(agent_a_clerk, platform_staff, pb_lines(2))
    services.batch_delay(batch=batch, actor=platform_staff, reason="force_majeure")
    client = login_client_for(platform_staff)
    page = client.get(reverse("returns:batch_detail", args=[batch.number])).content.decode()
    assert 'data-status="delayed"' in page
    assert 'data-testid="prepare-shipment"' not in page  # nothing dealt with yet
    settle_all(batch, platform_staff)
    page = client.get(reverse("returns:batch_detail", args=[batch.number])).content.decode()
    assert 'data-testid="prepare-shipment"' in page
