"""The workshop through the pages (``views/workshop.py``): testing, dispositions
and delays (IV.P2, IV.6)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from sanbao.returns import services
from sanbao.returns.models import BatchStatus, Shipment
from sanbao.returns.tests.conftest import (
    reload,
    settle_all,
    shipped,
)
from sanbao.returns.tests.views.conftest import (
    HTMX,
    attr,
    batch_url,
    field_errors,
    html,
    png,
    rows,
    shown_testids,
    status_now,
    unit_url,
)
from sanbao.testkit.cast import login_client_for
from sanbao.testkit.responses import assert_refused

# The workshop through the pages ---------------------------------------------------------------


@pytest.mark.clause("IV.P2")
def test_staff_start_testing_exclude_a_unit_with_a_photo_charge_it_and_the_batch_becomes_ready(
    platform_staff, received_of_agent_a
):
    batch = received_of_agent_a
    client = login_client_for(platform_staff)
    page = client.get(batch_url("batch_detail", batch))
    assert "action-start_testing" in shown_testids(page)

    response = client.post(batch_url("testing_start", batch))
    assert response.status_code == 302
    assert response.url == batch_url("batch_detail", batch)
    page = client.get(response.url)
    assert rows(page, "unit-row", "data-seq") == ["1", "2"]
    assert attr(page, "unit-counts", "data-total") == "2"

    response = client.post(
        unit_url("unit_test", batch, 1),
        {
            "result": "excluded",
            "excluded_rule": "III.6",
            "evidence": "Casing cracked, moisture inside",
            "serial_in": "SBX010001",
            "photo": png(),
        },
    )
    assert response.status_code == 302
    assert response.url == unit_url("unit_detail", batch, 1)
    page = client.get(response.url)
    assert attr(page, "unit-excluded-rule", "data-rule") == "III.6"
    photo_url = unit_url("unit_photo", batch, 1)
    assert f'href="{photo_url}"' in html(page)
    photo = client.get(photo_url)
    assert photo.status_code == 200
    assert photo["Content-Security-Policy"] == "sandbox"
    # Excluded: returned as is or charged, nothing else is offered (IV.P2).
    assert {"disposition-returned_as_is", "disposition-charged"} <= shown_testids(page)
    assert not {"disposition-repaired", "disposition-replaced"} & shown_testids(page)

    response = client.post(
        unit_url("unit_dispose", batch, 1),
        {"disposition": "charged", "charge_amount": "25.50", "charge_reason": "Drop damage"},
    )
    assert response.status_code == 302
    assert response.url == unit_url("unit_detail", batch, 2)  # on to the next unit
    unit = batch.units.get(seq=1)
    assert (unit.disposition, str(unit.charge_amount), unit.charge_reason) == (
        "charged",
        "25.50",
        "Drop damage",
    )

    client.post(
        unit_url("unit_test", batch, 2), {"result": "no_fault_found", "evidence": "Charges fine"}
    )
    response = client.post(unit_url("unit_dispose", batch, 2), {"disposition": "returned_as_is"})
    assert response.url == batch_url("batch_detail", batch)  # nothing left to deal with
    assert status_now(batch) == BatchStatus.READY
    page = client.get(response.url)
    assert attr(page, "batch-status", "data-status") == BatchStatus.READY
    assert attr(page, "unit-counts", "data-settled") == "2"
    assert rows(page, "unit-row", "data-disposition") == ["charged", "returned_as_is"]
    assert "prepare-shipment" in shown_testids(page)


def test_an_exclusion_without_a_rule_answers_400_with_the_message_on_the_rule_field(
    platform_staff, unit_of_agent_a
):
    batch = unit_of_agent_a.batch
    response = login_client_for(platform_staff).post(
        unit_url("unit_test", batch, 1), {"result": "excluded", "evidence": "Looks dropped"}
    )
    assert_refused(response, 400, "returns.unit_test_invalid", "excluded_rule")
    assert 'value="excluded" checked' in html(response)  # what was typed stays
    unit_of_agent_a.refresh_from_db()
    assert unit_of_agent_a.result == ""


@pytest.mark.clause("IV.P2")
def test_an_exclusion_the_unit_shows_needs_its_photo(platform_staff, unit_of_agent_a):
    batch = unit_of_agent_a.batch
    response = login_client_for(platform_staff).post(
        unit_url("unit_test", batch, 1),
        {"result": "excluded", "excluded_rule": "III.6", "evidence": "Cracked casing"},
    )
    assert response.status_code == 400
    assert field_errors(response) == {"photo"}


def test_an_htmx_refusal_answers_the_unit_fragment_and_a_success_redirects_the_browser(
    platform_staff, unit_of_agent_a
):
    batch = unit_of_agent_a.batch
    client = login_client_for(platform_staff)
    refused = client.post(unit_url("unit_test", batch, 1), {"result": "bogus"}, headers=HTMX)
    assert refused.status_code == 400
    assert html(refused).lstrip().startswith('<div id="unit-body"')
    assert "result" in field_errors(refused)
    done = client.post(unit_url("unit_test", batch, 1), {"result": "fault_confirmed"}, headers=HTMX)
    assert done.status_code == 200
    assert done["HX-Redirect"] == unit_url("unit_detail", batch, 1)


@pytest.mark.clause("IV.P2")
def test_a_confirmed_fault_is_offered_repair_or_replacement_only(platform_staff, unit_of_agent_a):
    services.unit_test(unit=unit_of_agent_a, actor=platform_staff, result="fault_confirmed")
    page = login_client_for(platform_staff).get(unit_url("unit_detail", unit_of_agent_a.batch, 1))
    offered = {t for t in shown_testids(page) if t.startswith("disposition-")}
    assert offered == {"disposition-repaired", "disposition-replaced"}


@pytest.mark.clause("IV.P2")
def test_a_charge_without_a_reason_is_refused_by_its_field(platform_staff, tested_unit_of_agent_a):
    batch = tested_unit_of_agent_a.batch
    response = login_client_for(platform_staff).post(
        unit_url("unit_dispose", batch, 1), {"disposition": "charged", "charge_amount": "10"}
    )
    assert response.status_code == 400
    assert field_errors(response) == {"charge_reason"}
    tested_unit_of_agent_a.refresh_from_db()
    assert tested_unit_of_agent_a.disposition == ""


def test_starting_testing_twice_is_a_conflict_shown_on_the_batch_page(
    platform_staff, testing_of_agent_a
):
    response = login_client_for(platform_staff).post(batch_url("testing_start", testing_of_agent_a))
    assert_refused(response, 409, "returns.move_not_allowed")


def test_the_unit_pages_link_the_previous_and_next_units(platform_staff, testing_of_agent_a):
    client = login_client_for(platform_staff)
    first = client.get(unit_url("unit_detail", testing_of_agent_a, 1))
    assert "unit-previous" not in shown_testids(first)
    assert attr(first, "unit-next", "href") == unit_url("unit_detail", testing_of_agent_a, 2)
    second = client.get(unit_url("unit_detail", testing_of_agent_a, 2))
    assert attr(second, "unit-previous", "href") == unit_url("unit_detail", testing_of_agent_a, 1)
    assert "unit-next" not in shown_testids(second)
    missing = client.get(unit_url("unit_detail", testing_of_agent_a, 3))
    assert missing.status_code == 404


# Delays (IV.6) ----------------------------------------------------------------------------------


@pytest.mark.clause("IV.6")
def test_a_delayed_unit_is_marked_and_goes_later_as_a_backorder_with_the_order_number(
    platform_staff, testing_of_agent_a
):
    batch = testing_of_agent_a
    client = login_client_for(platform_staff)
    response = client.post(
        unit_url("unit_delay", batch, 2), {"reason": "parts_shortage", "note": "Cells on order"}
    )
    assert response.status_code == 302
    settle_all(batch, platform_staff, units=[batch.units.get(seq=1)])
    page = client.get(batch_url("batch_detail", batch))
    assert rows(page, "unit-row", "data-delayed") == ["false", "true"]
    assert status_now(batch) == BatchStatus.READY

    # Unit 1 goes; the batch waits for its delayed unit.
    shipped(batch, platform_staff)
    assert status_now(batch) == BatchStatus.DELAYED
    batch = reload(batch)
    settle_all(batch, platform_staff, units=[batch.units.get(seq=2)])

    create = client.get(reverse("returns:shipment_create") + "?return_org=AG-A")
    assert "backorder-notice" in shown_testids(create)
    assert rows(create, "ship-unit", "data-delayed") == ["true"]
    assert 'data-testid="ship-unit-check"' in html(create)
    assert ' checked data-testid="ship-unit-check"' not in html(create)  # not ticked

    delayed = batch.units.get(seq=2)
    body = {"return_org_code": "AG-A", "unit_ids": [delayed.pk], "carrier": "SF Express"}
    refused = client.post(reverse("returns:shipment_create"), body)
    assert refused.status_code == 400
    assert "order_no" in field_errors(refused)
    assert ' checked data-testid="ship-unit-check"' in html(refused)  # the choice stays
    done = client.post(reverse("returns:shipment_create"), {**body, "order_no": "PO-2026-118"})
    assert done.status_code == 302
    assert Shipment.objects.get(order_no="PO-2026-118").units.get() == delayed


@pytest.mark.clause("IV.6")
def test_delaying_the_whole_batch_marks_every_unit_not_shipped(platform_staff, testing_of_agent_a):
    client = login_client_for(platform_staff)
    refused = client.post(batch_url("batch_delay", testing_of_agent_a), {"note": "Typhoon"})
    assert refused.status_code == 400
    assert "reason" in field_errors(refused)
    response = client.post(
        batch_url("batch_delay", testing_of_agent_a), {"reason": "force_majeure", "note": "Typhoon"}
    )
    assert response.status_code == 302
    page = client.get(response.url)
    assert rows(page, "unit-row", "data-delayed") == ["true", "true"]
    assert attr(page, "unit-counts", "data-delayed") == "2"
    # Nothing is left to send now: no turnaround clock runs on delayed units.
    assert attr(page, "turnaround", "data-state") == "delayed"
