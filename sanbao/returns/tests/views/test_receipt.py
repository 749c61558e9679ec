"""Receipt through the pages (``views/receipt.py``): scanning, units without a
label or not on the list, counts by hand, closing, and the anomalies and contact
tasks it opens (IV.1, IV.3, IV.4)."""

from __future__ import annotations

import re

import pytest
from django.core import mail

from sanbao.notifications.models import ContactAttempt
from sanbao.returns import services
from sanbao.returns.models import BatchStatus, ReceiptScan
from sanbao.returns.tests.conftest import called
from sanbao.returns.tests.views.conftest import (
    HTMX,
    counts_panel,
    detail,
    feedback,
    field_errors,
    html,
    label,
    post,
    scan,
    status_of,
    url,
)
from sanbao.testkit.background import run_queued_tasks
from sanbao.testkit.cast import login_client_for
from sanbao.testkit.responses import assert_refused

# The receipt page ---------------------------------------------------------------------------


@pytest.mark.clause("IV.3")
def test_a_scan_is_idempotent_and_answers_its_feedback_and_the_counts_out_of_band(
    platform_staff, receiving_of_agent_a
):
    batch = receiving_of_agent_a
    code = label(batch, 2)
    first = scan(platform_staff, batch, code.lower(), headers=HTMX)
    assert first.status_code == 200
    assert "<html" not in html(first)
    assert feedback(first) == [("counted", code)]
    assert 'id="receipt-counts"' in html(first) and 'hx-swap-oob="true"' in html(first)
    assert counts_panel(first) == {"total": 1, "declared": 3, "unlisted": 0, "unlabelled": 0}
    again = scan(platform_staff, batch, code, headers=HTMX)
    assert again.status_code == 200
    assert feedback(again) == [("again", code)]
    assert counts_panel(again)["total"] == 1
    assert ReceiptScan.objects.filter(batch=batch).count() == 1
    assert re.search(
        r'data-testid="count-line" data-line="2" data-declared="1" '
        r'data-scanned="1" data-counted="1"',
        html(again),
    )


def test_the_receipt_page_of_another_organisations_batch_is_not_found(
    agent_b_clerk, agent_a_clerk, receiving_of_agent_a
):
    """Issue 10 item 16: like every other page, a batch the user may not see is
    not found (404), whatever the user's role; its own dealer, who may see it but
    not receive it, is refused (403)."""
    path = url("receipt", receiving_of_agent_a)
    assert login_client_for(agent_b_clerk).get(path).status_code == 404
    assert login_client_for(agent_a_clerk).get(path).status_code == 403


def test_a_code_that_is_no_label_of_the_batch_is_refused_in_red_and_counts_nothing(
    platform_staff, receiving_of_agent_a, draft_of_agent_b
):
    batch = receiving_of_agent_a
    for code, expected in (
        ("HELLO", "returns.label_unknown"),
        (label(batch, 9), "returns.label_unknown"),
        (label(draft_of_agent_b, 1), "returns.label_of_other_batch"),
    ):
        response = scan(platform_staff, batch, code, headers=HTMX)
        assert response.status_code == 400, code
        assert f'data-error-code="{expected}"' in html(response)
        assert [r for r, _c in feedback(response)] == ["refused"]
        assert counts_panel(response)["total"] == 0
    assert not ReceiptScan.objects.exists()


def test_scanning_works_without_javascript(platform_staff, receiving_of_agent_a):
    batch = receiving_of_agent_a
    response = scan(platform_staff, batch, label(batch, 1), box=1)
    assert response.status_code == 302
    assert response.url == url("receipt", batch)
    page = login_client_for(platform_staff).get(response.url)
    assert counts_panel(page)["total"] == 1
    refused = scan(platform_staff, batch, "NOT-A-LABEL")
    assert refused.status_code == 400
    assert "<html" in html(refused)
    assert feedback(refused) == [("refused", "NOT-A-LABEL")]


def test_the_scan_field_has_the_focus_and_posts_through_a_queue(
    platform_staff, receiving_of_agent_a
):
    page = html(login_client_for(platform_staff).get(url("receipt", receiving_of_agent_a)))
    assert re.search(r'<input[^>]*name="code"[^>]*autofocus', page)
    assert 'hx-sync="this:queue all"' in page


def test_a_box_out_of_range_is_refused(platform_staff, receiving_of_agent_a):
    batch = receiving_of_agent_a
    response = scan(platform_staff, batch, label(batch, 1), box=99, headers=HTMX)
    assert response.status_code == 400
    assert not ReceiptScan.objects.exists()


def test_scans_are_counted_in_the_box_chosen(platform_staff, receiving_of_agent_a):
    batch = receiving_of_agent_a
    response = scan(platform_staff, batch, label(batch, 3), box=2, headers=HTMX)
    assert re.search(
        r'data-testid="count-box" data-box="2" data-declared="0" data-scanned="1"', html(response)
    )


@pytest.mark.clause("IV.4")
def test_units_without_a_label_or_not_on_the_list_are_recorded_and_counted(
    platform_staff, receiving_of_agent_a
):
    batch = receiving_of_agent_a
    unlisted = post(
        platform_staff,
        url("receipt_record_unit", batch),
        {"kind": "unlisted", "box_no": "1", "model_code": "PB10K", "note": "Not listed"},
        headers=HTMX,
    )
    assert unlisted.status_code == 200
    unlabelled = post(
        platform_staff,
        url("receipt_record_unit", batch),
        {"kind": "unlabelled", "line_no": "1"},
        headers=HTMX,
    )
    panel = counts_panel(unlabelled)
    assert (panel["total"], panel["unlisted"], panel["unlabelled"]) == (2, 1, 1)
    refused = post(
        platform_staff,
        url("receipt_record_unit", batch),
        {"kind": "unlisted", "model_code": "NOPE"},
        headers=HTMX,
    )
    assert refused.status_code == 400
    assert ReceiptScan.objects.filter(batch=batch).count() == 2


def test_a_line_counted_by_hand_replaces_its_scans_and_notes_missing_accessories(
    platform_staff, receiving_of_agent_a
):
    batch = receiving_of_agent_a
    response = post(
        platform_staff,
        url("receipt_set_count", batch),
        {"line_no": "2", "counted": "0", "missing": ["data cable"], "accessories_missing": ""},
        headers=HTMX,
    )
    assert response.status_code == 200
    assert re.search(
        r'data-testid="count-line" data-line="2" data-declared="1" '
        r'data-scanned="0" data-counted="0"',
        html(response),
    )
    line = batch.lines.get(line_no=2)
    assert (line.counted, line.accessories_missing) == (0, ["data cable"])
    refused = post(platform_staff, url("receipt_set_count", batch), {"line_no": "9"})
    assert refused.status_code == 400


@pytest.mark.clause("IV.1")
@pytest.mark.clause("IV.4")
def test_closing_a_receipt_with_a_missing_unit_shows_the_anomaly_beside_the_declared_figures(
    platform_staff, agent_a_clerk, receiving_of_agent_a
):
    batch = receiving_of_agent_a
    for line_no in (1, 3):
        scan(platform_staff, batch, label(batch, line_no))
    response = post(platform_staff, url("receipt_close", batch), {"received_boxes": "1"})
    assert response.status_code == 302
    assert response.url == url("batch_detail", batch)
    assert status_of(batch) == BatchStatus.ON_HOLD
    for user in (platform_staff, agent_a_clerk):
        page = detail(user, batch)
        body = html(page)
        assert re.findall(r'data-testid="anomaly" data-kind="([a-z_]+)"', body) == ["missing_units"]
        assert 'data-testid="figure-units" data-declared="3" data-received="2"' in body
        assert re.search(
            r'data-testid="batch-line" data-line="2" data-declared="1" '
            r'data-received="0"',
            body,
        )
        assert 'data-testid="contact-task"' in body
        assert 'data-testid="doc-anomaly-notice"' in body
    assert 'data-testid="action-resolve_anomaly"' in html(detail(platform_staff, batch))
    assert 'data-testid="action-resolve_anomaly"' not in html(detail(agent_a_clerk, batch))


def test_closing_a_receipt_that_matches_the_list_receives_the_batch(
    platform_staff, receiving_of_agent_a
):
    batch = receiving_of_agent_a
    for line_no in (1, 2, 3):
        scan(platform_staff, batch, label(batch, line_no))
    assert (
        post(platform_staff, url("receipt_close", batch), {"received_boxes": "1"}).status_code
        == 302
    )
    assert status_of(batch) == BatchStatus.RECEIVED
    assert not batch.anomalies.exists()


def test_closing_a_receipt_needs_the_boxes_received(platform_staff, receiving_of_agent_a):
    response = post(platform_staff, url("receipt_close", receiving_of_agent_a), {})
    assert response.status_code == 400
    assert "received_boxes" in field_errors(response)
    assert status_of(receiving_of_agent_a) == BatchStatus.RECEIVING


def test_scanning_a_batch_that_is_not_being_received_is_a_409(platform_staff, submitted_of_agent_a):
    batch = submitted_of_agent_a
    response = scan(platform_staff, batch, label(batch, 1), headers=HTMX)
    assert response.status_code == 409
    page = login_client_for(platform_staff).get(url("receipt", batch))
    assert page.status_code == 200
    assert 'data-testid="receipt-not-open"' in html(page)
    assert 'data-testid="scan-form"' not in html(page)


# Anomalies and contacts ---------------------------------------------------------------------


def test_resolving_an_anomaly_needs_a_note_and_then_receives_the_batch(
    platform_staff, on_hold_of_agent_a, anomaly_of_agent_a
):
    path = url("anomaly_resolve", on_hold_of_agent_a, anomaly_of_agent_a.pk)
    field = f"a{anomaly_of_agent_a.pk}-note"
    refused = post(platform_staff, path, {field: "Agreed."})
    assert_refused(refused, 400, "returns.contact_required")
    called(on_hold_of_agent_a, platform_staff)
    refused = post(platform_staff, path, {field: ""})
    assert_refused(refused, 400, "returns.note_required", "note")
    assert status_of(on_hold_of_agent_a) == BatchStatus.ON_HOLD
    assert post(platform_staff, path, {field: "The agent kept one unit."}).status_code == 302
    assert status_of(on_hold_of_agent_a) == BatchStatus.RECEIVED
    again = post(platform_staff, path, {field: "Again"})
    assert again.status_code == 409


def test_an_anomaly_of_another_batch_is_not_found_through_this_one(
    platform_staff, on_hold_of_agent_a, anomaly_of_agent_a, draft_of_agent_b
):
    path = url("anomaly_resolve", draft_of_agent_b, anomaly_of_agent_a.pk)
    assert post(platform_staff, path, {"note": "x"}).status_code == 404


@pytest.mark.clause("IV.4")
def test_each_contact_attempt_is_recorded_and_one_that_reaches_closes_the_task(
    platform_staff, agent_a_clerk, on_hold_of_agent_a, task_of_agent_a
):
    path = url("contact_attempt", on_hold_of_agent_a, task_of_agent_a.pk)
    p = f"t{task_of_agent_a.pk}-"
    wrong = post(platform_staff, path, {p + "channel": "telephone", p + "outcome": "fax_sent"})
    assert_refused(wrong, 400, "notifications.outcome_invalid")
    no_answer = {
        p + "channel": "telephone",
        p + "outcome": "no_answer",
        p + "number_or_address": "0755 1",
    }
    assert post(platform_staff, path, no_answer).status_code == 302
    reached = {p + "channel": "fax", p + "outcome": "fax_sent", p + "contact_person": "Wang Fang"}
    assert post(platform_staff, path, reached).status_code == 302
    task_of_agent_a.refresh_from_db()
    assert task_of_agent_a.status == "done"
    assert list(task_of_agent_a.attempts.values_list("outcome", flat=True)) == [
        "no_answer",
        "fax_sent",
    ]
    # The return unit sees when and how it was contacted, not who called.
    body = html(detail(agent_a_clerk, on_hold_of_agent_a))
    assert re.findall(r'data-testid="contact-attempt" data-channel="([a-z]+)"', body) == [
        "telephone",
        "fax",
    ]
    assert platform_staff.display_name not in body.split('data-testid="batch-contacts"')[1]
    assert 'data-testid="action-contact"' not in body
    closed = post(platform_staff, path, reached)
    assert closed.status_code == 409


@pytest.mark.clause("IV.4")
def test_e_mailing_the_notice_sends_its_pdf_and_records_the_attempt(
    platform_staff, agent_a, on_hold_of_agent_a, task_of_agent_a
):
    agent_a.email = "returns@agent-a.test"
    agent_a.save(update_fields=["email"])
    path = url("contact_email", on_hold_of_agent_a, task_of_agent_a.pk)
    response = post(platform_staff, path)
    assert response.status_code == 302
    # Issue 13 item 7: the request only queued it; a slow mail server slows no page.
    assert not mail.outbox and not ContactAttempt.objects.filter(task=task_of_agent_a).exists()
    run_queued_tasks()
    (message,) = mail.outbox
    assert message.to == ["returns@agent-a.test"]
    ((name, content, kind),) = message.attachments
    assert (kind, content[:5]) == ("application/pdf", b"%PDF-")
    assert on_hold_of_agent_a.number in name
    attempt = ContactAttempt.objects.get(task=task_of_agent_a)
    assert (attempt.channel, attempt.outcome) == ("email", "email_sent")


def test_e_mailing_a_return_unit_without_an_address_is_a_400(
    platform_staff, on_hold_of_agent_a, task_of_agent_a
):
    response = post(platform_staff, url("contact_email", on_hold_of_agent_a, task_of_agent_a.pk))
    assert_refused(response, 400, "notifications.no_email")
    assert not mail.outbox


def test_a_return_unit_sees_its_own_anomalies_and_notices_and_nothing_of_another(
    agent_a_clerk, agent_b_clerk, platform_staff, on_hold_of_agent_a
):
    def rows(user, query=""):
        response = login_client_for(user).get(url("anomaly_list") + query)
        assert response.status_code == 200
        return re.findall(r'data-testid="anomaly-row" data-batch="([^"]+)"', html(response)), html(
            response
        )

    numbers, body = rows(agent_a_clerk)
    assert numbers == [on_hold_of_agent_a.number]
    assert url("anomaly_notice_pdf", on_hold_of_agent_a) in body
    assert rows(agent_b_clerk)[0] == []
    assert rows(platform_staff)[0] == [on_hold_of_agent_a.number]
    called(on_hold_of_agent_a, platform_staff)
    services.anomaly_resolve(
        anomaly=on_hold_of_agent_a.anomalies.get(), actor=platform_staff, note="Agreed."
    )
    assert rows(agent_a_clerk)[0] == []
    assert rows(agent_a_clerk, "?show=all")[0] == [on_hold_of_agent_a.number]
    assert (
        login_client_for(agent_b_clerk).get(url("batch_detail", on_hold_of_agent_a)).status_code
        == 404
    )
