"""The returns API's receipt: scanning and counting, closing with the physical
count, and the anomalies and contacts a difference calls for (SPEC IV.1, IV.3,
IV.4)."""

from __future__ import annotations

import pytest
from django.utils import timezone

from sanbao.notifications.models import ContactTask
from sanbao.returns import policy
from sanbao.returns.tests.conftest import called
from sanbao.returns.tests.test_api.conftest import (
    ATTEMPT,
    PDF,
    created,
    created_lines,
    give_email,
    line,
    post,
    put,
    scan,
    submit,
)
from sanbao.testkit.background import run_queued_tasks
from sanbao.testkit.cast import api_client_for
from sanbao.testkit.matrix import assert_envelope

# Receipt by scanning ---------------------------------------------------------------------


@pytest.mark.clause("IV.3")
def test_a_label_counts_once_201_then_200_saying_it_was_already_counted(
    platform_staff, platform_manager, receiving_of_agent_a
):
    batch = receiving_of_agent_a
    code = policy.label_code(batch.number, 2, 1)
    first = scan(api_client_for(platform_staff), batch, f"  {code.lower()}\n")
    assert first.status_code == 201, first.content
    assert (first.json()["created"], first.json()["already_counted"]) == (True, False)
    assert (first.json()["code"], first.json()["line_no"], first.json()["box_no"]) == (code, 2, 1)
    again = scan(api_client_for(platform_manager), batch, code)
    assert again.status_code == 200
    assert (again.json()["created"], again.json()["already_counted"]) == (False, True)
    assert batch.scans.count() == 1


@pytest.mark.parametrize(
    ("code", "error"),
    [
        ("HELLO", "returns.label_unknown"),
        ("{number}-009-001", "returns.label_unknown"),
        ("{number}-001-002", "returns.label_unknown"),
        ("R0000-ZZZZZZ-001-001", "returns.label_of_other_batch"),
    ],
    ids=["not-a-label", "no-such-line", "beyond-the-lines-quantity", "other-batch"],
)
def test_a_code_that_is_not_a_label_of_the_batch_is_refused_with_400(
    platform_staff, receiving_of_agent_a, code, error
):
    batch = receiving_of_agent_a
    response = scan(api_client_for(platform_staff), batch, code.format(number=batch.number))
    body = assert_envelope(response, 400, error)
    assert list(body["fields"]) == ["code"]
    assert not batch.scans.exists()


def test_a_box_far_beyond_the_declared_ones_is_refused(platform_staff, receiving_of_agent_a):
    batch = receiving_of_agent_a
    response = scan(
        api_client_for(platform_staff), batch, policy.label_code(batch.number, 1, 1), box_no=99
    )
    assert_envelope(response, 400, "returns.box_out_of_range")


def test_nothing_is_scanned_before_the_receipt_is_opened(platform_staff, submitted_of_agent_a):
    batch = submitted_of_agent_a
    response = scan(api_client_for(platform_staff), batch, policy.label_code(batch.number, 1, 1))
    assert_envelope(response, 409, "returns.move_not_allowed")


def test_counts_run_per_line_and_box_with_typed_counts_and_units_off_the_list(
    platform_staff, receiving_of_agent_a
):
    client = api_client_for(platform_staff)
    batch = receiving_of_agent_a
    base = f"/api/v1/batches/{batch.number}"
    scan(client, batch, policy.label_code(batch.number, 1, 1))
    unit = post(client, f"{base}/units", {"kind": "unlisted", "box_no": 2, "model_code": "pb10k"})
    assert unit.status_code == 201, unit.content
    assert (unit.json()["kind"], unit.json()["model"], unit.json()["line_no"]) == (
        "unlisted",
        "PB10K",
        None,
    )
    typed = put(client, f"{base}/lines/3/count", {"counted": 1, "accessories_missing": ["cable"]})
    assert typed.status_code == 200, typed.content
    assert (typed.json()["counted"], typed.json()["accessories_missing"]) == (1, ["cable"])
    counts = client.get(f"{base}/counts").json()
    assert [(x["line_no"], x["declared"], x["scanned"], x["typed"], x["counted"])
            for x in counts["lines"]] == [
        (1, 1, 1, None, 1),
        (2, 1, 0, None, 0),
        (3, 1, 0, 1, 1),
    ]  # fmt: skip
    assert counts["boxes"] == [{"box_no": 1, "counted": 1}, {"box_no": 2, "counted": 1}]
    assert (counts["unlisted"], counts["total"], counts["declared"]) == (1, 3, 3)


def test_a_typed_count_for_a_line_the_batch_lacks_is_refused(platform_staff, receiving_of_agent_a):
    url = f"/api/v1/batches/{receiving_of_agent_a.number}/lines/7/count"
    response = put(api_client_for(platform_staff), url, {"counted": 1})
    body = assert_envelope(response, 400, "returns.line_unknown")
    assert list(body["fields"]) == ["line_no"]


def test_a_unit_of_an_unknown_model_is_refused(platform_staff, receiving_of_agent_a):
    url = f"/api/v1/batches/{receiving_of_agent_a.number}/units"
    response = post(api_client_for(platform_staff), url, {"kind": "unlisted", "model_code": "XX9"})
    assert_envelope(response, 400, "returns.model_unknown")


def test_a_receipt_matching_the_packing_list_ends_received_without_anomalies(
    platform_staff, receiving_of_agent_a
):
    client = api_client_for(platform_staff)
    batch = receiving_of_agent_a
    for line_no in (1, 2, 3):
        assert scan(client, batch, policy.label_code(batch.number, line_no, 1)).status_code == 201
    url = f"/api/v1/batches/{batch.number}/receipt/close"
    body = post(client, url, {"received_boxes": 1}).json()
    assert (body["status"], body["received_units"], body["received_boxes"]) == ("received", 3, 1)
    assert body["open_anomalies"] == []
    assert [x["received_quantity"] for x in body["lines"]] == [1, 1, 1]
    assert not ContactTask.objects.exists()
    assert_envelope(post(client, url, {"received_boxes": 1}), 409, "returns.move_not_allowed")


# The example: 20 declared in 3 boxes, 19 listed + 1 unlisted arrive ---------------


@pytest.mark.clause("IV.1")
@pytest.mark.clause("IV.4")
def test_twenty_declared_in_three_boxes_arriving_as_nineteen_plus_one_unlisted_through_the_api(
    agent_a_clerk, platform_staff, pb10k, mailoutbox
):
    agent = api_client_for(agent_a_clerk)
    staff = api_client_for(platform_staff)
    lines = [line(serial=f"SB20{n:03d}", box=1 + (n - 1) // 7) for n in range(1, 21)]
    number = created(agent, lines)["number"]
    assert [x["box_no"] for x in created_lines(agent, number)].count(3) == 6
    assert submit(agent, number).status_code == 200
    base = f"/api/v1/batches/{number}"
    assert post(staff, f"{base}/receipt").json()["status"] == "receiving"

    for line_no in range(1, 20):  # line 20 never arrives
        code = policy.label_code(number, line_no, 1)
        assert post(staff, f"{base}/scans", {"code": code}).status_code == 201
        assert post(staff, f"{base}/scans", {"code": code}).status_code == 200
    unlisted = {"kind": "unlisted", "box_no": 3, "model_code": "PB10K", "note": "Not listed"}
    assert post(staff, f"{base}/units", unlisted).status_code == 201
    counts = staff.get(f"{base}/counts").json()
    assert (counts["total"], counts["declared"], counts["unlisted"]) == (20, 20, 1)

    closed = post(staff, f"{base}/receipt/close", {"received_boxes": 3})
    assert closed.status_code == 200, closed.content
    body = closed.json()
    assert body["status"] == "on_hold"
    # The physical count prevails; the declared figures stay beside it (IV.1).
    assert (body["declared_units"], body["received_units"]) == (20, 20)
    assert (body["declared_boxes"], body["received_boxes"]) == (3, 3)
    assert [x["received_quantity"] for x in body["lines"]] == [1] * 19 + [0]
    assert sorted((a["kind"], a["line_no"]) for a in body["open_anomalies"]) == [
        ("missing_units", 20),
        ("unlisted_units", None),
    ]
    assert all(a["sentence"] for a in body["open_anomalies"])

    # The return unit sees its anomalies and the notice's call task (IV.4).
    seen = agent.get(f"{base}/anomalies").json()
    assert sorted(a["kind"] for a in seen) == ["missing_units", "unlisted_units"]
    (task,) = agent.get(f"{base}/contact-tasks").json()
    assert (task["recipient"], task["status"], task["attempts"]) == ("AG-A", "open", [])
    assert number in task["subject"] and task["body"]

    # Staff call, and record who was reached, when, how and with what outcome.
    tasks = f"/api/v1/contact-tasks/{task['id']}/attempts"
    at = timezone.now().replace(microsecond=0)
    no_answer = {**ATTEMPT, "outcome": "no_answer", "at": at.isoformat()}
    assert post(staff, tasks, no_answer).json()["status"] == "open"
    done = post(staff, tasks, ATTEMPT)
    assert done.status_code == 201
    assert done.json()["status"] == "done"
    assert [(a["channel"], a["outcome"]) for a in done.json()["attempts"]] == [
        ("telephone", "no_answer"),
        ("telephone", "reached"),
    ]
    assert done.json()["attempts"][1]["contacted_by"] == platform_staff.display_name
    assert agent.get(f"{base}/contact-tasks").json()[0]["attempts"][1]["contacted_by"] is None

    for anomaly in seen:
        resolved = post(staff, f"/api/v1/anomalies/{anomaly['id']}/resolve", {"note": "Agreed."})
        assert resolved.status_code == 200
        assert resolved.json()["is_open"] is False
    final = agent.get(base).json()
    assert (final["status"], final["received_units"], final["open_anomalies"]) == (
        "received",
        20,
        [],
    )
    assert mailoutbox == []  # telephone and fax are carried out by people


# Anomalies and contacts -------------------------------------------------------------------


def test_an_anomaly_is_resolved_once_and_needs_a_note(platform_staff, anomaly_of_agent_a):
    client = api_client_for(platform_staff)
    url = f"/api/v1/anomalies/{anomaly_of_agent_a.pk}/resolve"
    body = assert_envelope(post(client, url, {"note": " "}), 400, "returns.note_required")
    assert list(body["fields"]) == ["note"]
    # IV.4: not before the return unit was called or faxed (issue 10 item 10)
    assert_envelope(post(client, url, {"note": "Agreed."}), 400, "returns.contact_required")
    called(anomaly_of_agent_a.batch, platform_staff)
    ok = post(client, url, {"note": "The unit was lost by the carrier; claim filed."})
    assert ok.status_code == 200
    assert ok.json()["resolution_note"] == "The unit was lost by the carrier; claim filed."
    assert_envelope(post(client, url, {"note": "Again."}), 409, "returns.move_not_allowed")


def test_an_anomaly_that_does_not_exist_is_a_404(platform_staff, db):
    response = post(
        api_client_for(platform_staff), "/api/v1/anomalies/999999/resolve", {"note": "x"}
    )
    assert_envelope(response, 404, "returns.anomaly_not_found")


def test_an_outcome_that_does_not_fit_the_channel_is_refused(platform_staff, task_of_agent_a):
    response = post(
        api_client_for(platform_staff),
        f"/api/v1/contact-tasks/{task_of_agent_a.pk}/attempts",
        {**ATTEMPT, "channel": "fax", "outcome": "reached"},
    )
    body = assert_envelope(response, 400, "notifications.outcome_invalid")
    assert list(body["fields"]) == ["outcome"]


def test_a_task_that_reached_the_return_unit_takes_no_more_attempts(
    platform_staff, task_of_agent_a
):
    client = api_client_for(platform_staff)
    url = f"/api/v1/contact-tasks/{task_of_agent_a.pk}/attempts"
    assert post(client, url, {**ATTEMPT, "channel": "fax", "outcome": "fax_sent"}).status_code == (
        201
    )
    assert_envelope(post(client, url, ATTEMPT), 409, "notifications.task_closed")


def test_a_contact_task_that_does_not_exist_is_a_404(platform_staff, db):
    response = post(
        api_client_for(platform_staff), "/api/v1/contact-tasks/999999/attempts", ATTEMPT
    )
    assert_envelope(response, 404, "returns.contact_task_not_found")


def test_a_return_unit_without_an_email_address_cannot_be_emailed(platform_staff, task_of_agent_a):
    response = post(
        api_client_for(platform_staff), f"/api/v1/contact-tasks/{task_of_agent_a.pk}/email"
    )
    assert_envelope(response, 400, "notifications.no_email")


@pytest.mark.clause("IV.4")
def test_the_notice_is_emailed_with_its_pdf_and_the_attempt_recorded(
    platform_staff, task_of_agent_a, agent_a, mailoutbox
):
    give_email(agent_a)
    url = f"/api/v1/contact-tasks/{task_of_agent_a.pk}/email"
    response = post(api_client_for(platform_staff), url)
    assert response.status_code == 200, response.content
    assert mailoutbox == []  # queued for the worker, not sent in the request
    run_queued_tasks()
    (mail,) = mailoutbox
    assert mail.to == ["returns@agent-a.test"]
    ((name, content, kind),) = mail.attachments
    assert (kind, content[:4]) == (PDF, b"%PDF")
    assert task_of_agent_a.target_repr in name
    task_of_agent_a.refresh_from_db()
    assert task_of_agent_a.status == "open"  # an e-mail does not replace the call (IV.4)
    attempt = task_of_agent_a.attempts.get()
    assert (attempt.channel, attempt.outcome) == ("email", "email_sent")
