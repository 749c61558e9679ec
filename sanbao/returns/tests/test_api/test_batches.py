"""The returns API's batches: the packing list and its rules on submission, who
lists and reads which batches, and the batch's documents and lines import (SPEC
IV.2, IV.P1, IV.P3–IV.P6)."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from sanbao.returns import services
from sanbao.returns.models import BatchStatus, ReturnBatch
from sanbao.returns.tests.conftest import draft, pb_lines
from sanbao.returns.tests.test_api.conftest import (
    PDF,
    XLSX,
    batch_body,
    create,
    created,
    line,
    lines_file,
    post,
    put,
    submit,
)
from sanbao.testkit.cast import api_client_for
from sanbao.testkit.matrix import assert_envelope
from sanbao.testkit.queries import assert_list_queries_flat
from sanbao.testkit.responses import api_list

# The packing list ---------------------------------------------------------------------


@pytest.mark.clause("IV.2")
def test_an_agent_creates_a_draft_with_its_packing_list_and_lines(agent_a_clerk, pb10k):
    lines = [line(serial="SBN0001", box=1), line(serial="SBN0002", box=2)]
    body = created(api_client_for(agent_a_clerk), lines, return_org_code="AG-B", note="Urgent")
    assert body["number"].startswith("R")
    assert (body["status"], body["return_org"]) == ("draft", "AG-A")  # always its own
    assert (body["declared_units"], body["declared_boxes"]) == (2, 2)
    assert (body["contact_person"], body["contact_phone"]) == ("Wang Fang", "075588881234")
    assert (body["carrier"], body["waybill_no"], body["freight"]) == (
        "SF Express",
        "SF1234567890",
        "prepaid",
    )
    assert [(x["line_no"], x["model"], x["category"], x["serial"], x["box_no"])
            for x in body["lines"]] == [
        (1, "PB10K", "power-bank", "SBN0001", 1),
        (2, "PB10K", "power-bank", "SBN0002", 2),
    ]  # fmt: skip
    assert body["lines"][0]["accessories"] == ["data cable"]
    assert body["packing_problems"] == []
    assert body["allowed_actions"] == ["edit", "submit"]
    assert (body["received_units"], body["open_anomalies"]) == (None, [])


def test_platform_staff_name_the_return_unit_of_a_batch_they_enter(platform_staff, agent_b, pb10k):
    client = api_client_for(platform_staff)
    assert created(client, [line()], return_org_code="AG-B")["return_org"] == "AG-B"
    response = create(client, [line()], return_org_code="")
    body = assert_envelope(response, 400, "returns.batch_invalid")
    assert list(body["fields"]) == ["return_org_code"]


def test_field_errors_answer_400_naming_each_field_and_line_and_write_nothing(agent_a_clerk, pb10k):
    response = create(
        api_client_for(agent_a_clerk, language="zh-hans"),
        [line(), line("NOPE", quantity=0, fault=" ")],
        contact_phone="12",
        packed_on=(timezone.localdate() + dt.timedelta(days=2)).isoformat(),
    )
    body = assert_envelope(response, 400, "returns.batch_invalid")
    line_2 = {"lines.2.model_code", "lines.2.quantity", "lines.2.fault"}
    assert set(body["fields"]) == {"contact_phone", "packed_on", *line_2}
    assert all(m for messages in body["fields"].values() for m in messages)
    assert not ReturnBatch.objects.exists()


def test_a_body_of_the_wrong_shape_answers_422_with_the_field(agent_a_clerk, pb10k):
    response = create(api_client_for(agent_a_clerk), [line()], freight="collect", packed_on="soon")
    body = assert_envelope(response, 422, "core.request_invalid")
    assert {"freight", "packed_on"} <= set(body["fields"])


def test_a_draft_is_replaced_whole_and_keeps_its_return_unit(agent_a_clerk, draft_of_agent_a):
    client = api_client_for(agent_a_clerk)
    url = f"/api/v1/batches/{draft_of_agent_a.number}"
    response = put(client, url, batch_body([line(serial="SBR0001")], return_org_code=""))
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["return_org"], body["declared_units"], len(body["lines"])) == ("AG-A", 1, 1)
    assert body["lines"][0]["serial"] == "SBR0001"


def test_a_submitted_batch_can_no_longer_be_edited(agent_a_clerk, submitted_of_agent_a):
    response = put(
        api_client_for(agent_a_clerk),
        f"/api/v1/batches/{submitted_of_agent_a.number}",
        batch_body([line(serial="SBR0001")]),
    )
    assert_envelope(response, 409, "returns.move_not_allowed")


# Submission under the packing rules ------------------------------------------------------


@pytest.mark.clause("IV.P5")
@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_a_cash_on_delivery_batch_cannot_be_submitted_and_the_error_says_why_in_the_users_language(
    agent_a_clerk, pb10k, language
):
    client = api_client_for(agent_a_clerk, language=language)
    number = created(client, [line(serial="SBC0001")], freight="cod")["number"]
    draft = client.get(f"/api/v1/batches/{number}").json()
    assert [(p["clause"], p["code"], p["blocking"]) for p in draft["packing_problems"]] == [
        ("IV.P5", "returns.cash_on_delivery_refused", True)
    ]
    response = submit(client, number)
    body = assert_envelope(response, 400, "returns.cash_on_delivery_refused")
    assert isinstance(body["message"], str) and body["message"].strip()
    assert list(body["fields"]) == ["freight"] and body["fields"]["freight"][0]
    assert body["params"]["clauses"] == "IV.P5"
    assert client.get(f"/api/v1/batches/{number}").json()["status"] == "draft"


@pytest.mark.clause("IV.P1")
def test_a_power_bank_without_its_data_cable_is_refused_on_its_line(agent_a_clerk, pb10k):
    client = api_client_for(agent_a_clerk)
    lines = [line(serial="SBP0001"), line(serial="SBP0002", accessories=())]
    number = created(client, lines)["number"]
    body = assert_envelope(submit(client, number), 400, "returns.packing_refused")
    assert list(body["fields"]) == ["lines.2"]
    assert body["params"]["clauses"] == "IV.P1"
    problems = client.get(f"/api/v1/batches/{number}").json()["packing_problems"]
    assert [(p["clause"], p["code"], p["line_no"]) for p in problems] == [
        ("IV.P1", "returns.accessories_missing", 2)
    ]
    assert problems[0]["message"]


@pytest.mark.clause("IV.P3")
def test_a_box_mixing_power_banks_and_adapters_is_refused_naming_its_lines(
    agent_a_clerk, pb10k, ad65
):
    client = api_client_for(agent_a_clerk)
    lines = [line(serial="SBM0001"), line("AD65", accessories=(), bundled=True)]
    number = created(client, lines)["number"]
    body = assert_envelope(submit(client, number), 400, "returns.packing_refused")
    assert body["params"]["clauses"] == "IV.P3"
    assert "lines.2" in body["fields"]
    assert set(body["fields"]) <= {"lines.1", "lines.2"}
    assert client.get(f"/api/v1/batches/{number}").json()["status"] == "draft"


@pytest.mark.clause("IV.P4")
def test_adapters_that_are_not_bundled_are_refused_on_their_line(agent_a_clerk, pb10k, ad65):
    client = api_client_for(agent_a_clerk)
    lines = [line(serial="SBU0001"), line("AD65", quantity=4, box=2, accessories=())]
    number = created(client, lines)["number"]
    body = assert_envelope(submit(client, number), 400, "returns.packing_refused")
    assert list(body["fields"]) == ["lines.2"]
    assert body["params"]["clauses"] == "IV.P4"


def test_every_broken_rule_is_reported_at_once(agent_a_clerk, pb10k, ad65):
    client = api_client_for(agent_a_clerk)
    lines = [line(serial="SBE0001", accessories=()), line("AD65", quantity=2, box=2)]
    number = created(client, lines, freight="cod")["number"]
    body = assert_envelope(submit(client, number), 400, "returns.packing_refused")
    assert body["params"]["clauses"] == "IV.P1, IV.P4, IV.P5"
    assert {"lines.1", "lines.2", "freight"} == set(body["fields"])


@pytest.mark.clause("IV.P6")
def test_a_batch_not_sent_by_home_delivery_is_submitted_with_the_extra_cost_on_the_shipper(
    agent_a_clerk, pb10k
):
    client = api_client_for(agent_a_clerk)
    number = created(client, [line(serial="SBH0001")], home_delivery=False)["number"]
    warning = client.get(f"/api/v1/batches/{number}").json()["packing_problems"]
    assert [(p["clause"], p["blocking"]) for p in warning] == [("IV.P6", False)]
    response = submit(client, number)
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["status"], body["home_delivery"], body["extra_cost_to_shipper"]) == (
        "submitted",
        False,
        True,
    )
    assert body["packing_problems"] == []


def test_a_home_delivered_batch_carries_no_extra_cost(agent_a_clerk, draft_of_agent_a):
    body = submit(api_client_for(agent_a_clerk), draft_of_agent_a.number).json()
    assert (body["status"], body["extra_cost_to_shipper"]) == ("submitted", False)
    assert body["repair_list_pages"] == 1
    assert body["allowed_actions"] == []  # an agent only waits now


def test_a_batch_cannot_be_submitted_twice(agent_a_clerk, submitted_of_agent_a):
    response = submit(api_client_for(agent_a_clerk), submitted_of_agent_a.number)
    assert_envelope(response, 409, "returns.move_not_allowed")


def test_a_parcel_refused_at_the_door_keeps_the_reason(platform_staff, submitted_of_agent_a):
    client = api_client_for(platform_staff)
    url = f"/api/v1/batches/{submitted_of_agent_a.number}/refuse"
    assert_envelope(post(client, url, {"reason": "  "}), 400, "returns.value_required")
    body = post(client, url, {"reason": "Cash on delivery asked by the carrier."}).json()
    assert (body["status"], body["refusal_reason"]) == (
        "refused",
        "Cash on delivery asked by the carrier.",
    )


# Scope and lists ---------------------------------------------------------------------------


def listed(client, query=""):
    return api_list(client, f"/api/v1/batches{query}")


def numbers(*batches):
    return sorted(b.number for b in batches)


def test_an_agent_lists_only_its_own_batches(agent_a_clerk, drafts_of_everyone):
    client = api_client_for(agent_a_clerk)
    assert listed(client) == (numbers(drafts_of_everyone["agent_a"]), 1)
    assert listed(client, "?return_org=AG-B") == ([], 0)


@pytest.mark.parametrize("other", ["agent_b", "enterprise_c"])
def test_another_units_batch_is_answered_exactly_like_a_number_that_does_not_exist(
    agent_a_clerk, drafts_of_everyone, other
):
    client = api_client_for(agent_a_clerk, language="en")
    number = drafts_of_everyone[other].number
    theirs = client.get(f"/api/v1/batches/{number}")
    assert_envelope(theirs, 404, "returns.batch_not_found")
    assert theirs.json() == client.get("/api/v1/batches/R2601-ZZZZZZ").json()
    assert client.get(f"/api/v1/batches/{number}/anomalies").status_code == 404


def test_platform_users_list_every_batch_and_filter_by_state_unit_and_number(
    platform_staff, agent_b_clerk, drafts_of_everyone
):
    client = api_client_for(platform_staff)
    everyone = drafts_of_everyone
    assert listed(client) == (numbers(*everyone.values()), 3)
    services.batch_submit(batch=everyone["agent_b"], actor=agent_b_clerk)
    assert listed(client, "?status=submitted") == (numbers(everyone["agent_b"]), 1)
    assert listed(client, "?return_org=EN-C") == (numbers(everyone["enterprise_c"]), 1)
    prefix = everyone["agent_a"].number.lower()
    assert listed(client, f"?number={prefix}") == (numbers(everyone["agent_a"]), 1)
    page = client.get("/api/v1/batches?page=2&page_size=2").json()
    assert (page["count"], page["page"], page["page_size"], len(page["items"])) == (3, 2, 2, 1)


def test_a_bad_filter_value_answers_422(platform_staff, db):
    body = assert_envelope(api_client_for(platform_staff).get("/api/v1/batches?status=lost"), 422)
    assert "status" in body["fields"]


def test_the_batch_number_is_found_whatever_its_case(platform_staff, draft_of_agent_a):
    url = f"/api/v1/batches/{draft_of_agent_a.number.lower()}"
    assert api_client_for(platform_staff).get(url).json()["number"] == draft_of_agent_a.number


def test_the_batch_list_query_count_does_not_grow_with_rows(platform_staff, agent_a_clerk, pb10k):
    client = api_client_for(platform_staff)

    def add(n):
        for _ in range(n):
            draft(agent_a_clerk, pb_lines(1))

    # the token, the count, the page with its return units
    assert_list_queries_flat(lambda: client.get("/api/v1/batches"), add, ceiling=3, more=10)


def test_getting_a_batch_takes_a_fixed_number_of_queries(
    platform_staff, agent_a_clerk, pb10k, django_assert_max_num_queries
):
    client = api_client_for(platform_staff)
    small = draft(agent_a_clerk, pb_lines(1))
    large = draft(agent_a_clerk, pb_lines(30))
    client.get(f"/api/v1/batches/{small.number}")
    # the token, the batch, its lines, the lines' packing facts, their boxes, its anomalies
    for batch in (small, large):
        with django_assert_max_num_queries(6):
            assert client.get(f"/api/v1/batches/{batch.number}").status_code == 200


def test_allowed_actions_follow_the_state_and_the_callers_role(
    platform_staff, cs_commissioner, agent_a_clerk, receiving_of_agent_a
):
    url = f"/api/v1/batches/{receiving_of_agent_a.number}"
    assert api_client_for(platform_staff).get(url).json()["allowed_actions"] == [
        "scan",
        "close_receipt",
    ]
    assert api_client_for(cs_commissioner).get(url).json()["allowed_actions"] == []
    assert api_client_for(agent_a_clerk).get(url).json()["allowed_actions"] == []


# Documents and the lines import ----------------------------------------------------------


@pytest.mark.parametrize("layout", ["60x40", "a4"])
def test_the_labels_come_in_both_layouts_as_pdf(agent_a_clerk, draft_of_agent_a, layout):
    url = f"/api/v1/batches/{draft_of_agent_a.number}/labels.pdf?layout={layout}"
    response = api_client_for(agent_a_clerk).get(url)
    assert response.status_code == 200
    assert (response["Content-Type"], response.content[:4]) == (PDF, b"%PDF")
    assert draft_of_agent_a.number in response["Content-Disposition"]


def test_an_unknown_label_layout_answers_422(agent_a_clerk, draft_of_agent_a):
    url = f"/api/v1/batches/{draft_of_agent_a.number}/labels.pdf?layout=letter"
    assert_envelope(api_client_for(agent_a_clerk).get(url), 422, "core.request_invalid")


def test_imported_lines_replace_the_drafts_lines_and_keep_its_header(
    agent_a_clerk, draft_of_agent_a
):
    client = api_client_for(agent_a_clerk)
    url = f"/api/v1/batches/{draft_of_agent_a.number}/lines/import"
    response = client.post(url, data=lines_file())
    assert response.status_code == 200, response.content
    body = response.json()
    assert [x["serial"] for x in body["lines"]] == ["SBI0001", "SBI0002"]
    assert (body["declared_units"], body["contact_person"]) == (3, "Wang Fang")


def test_a_spreadsheet_with_bad_rows_changes_nothing_and_reports_each_row(
    agent_a_clerk, draft_of_agent_a
):
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["model", "quantity", "serial", "fault", "accessories", "bundled", "box"])
    book.active.append(["NOPE", "many", "", "", "", "", "x"])
    data = io.BytesIO()
    book.save(data)
    upload = SimpleUploadedFile("bad.xlsx", data.getvalue(), content_type=XLSX)
    url = f"/api/v1/batches/{draft_of_agent_a.number}/lines/import"
    response = api_client_for(agent_a_clerk).post(url, data={"file": upload})
    body = assert_envelope(response, 400, "returns.lines_import_rejected")
    assert body["errors"] and all(e["message"] for e in body["errors"])
    assert draft_of_agent_a.lines.count() == 3


def test_a_file_that_is_not_a_spreadsheet_is_refused(agent_a_clerk, draft_of_agent_a):
    upload = SimpleUploadedFile("lines.xlsx", b"not a workbook", content_type=XLSX)
    url = f"/api/v1/batches/{draft_of_agent_a.number}/lines/import"
    response = api_client_for(agent_a_clerk).post(url, data={"file": upload})
    assert response.status_code == 400
    assert draft_of_agent_a.lines.count() == 3


def test_the_batch_stays_in_its_state_through_refused_moves(agent_a_clerk, draft_of_agent_a):
    client = api_client_for(agent_a_clerk)
    assert post(client, f"/api/v1/batches/{draft_of_agent_a.number}/receipt").status_code == 403
    draft_of_agent_a.refresh_from_db()
    assert draft_of_agent_a.status == BatchStatus.DRAFT
