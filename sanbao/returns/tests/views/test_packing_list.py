"""The packing list pages (``views/packing_list.py``): create, edit, add rows, the
accessories a row's category requires, and the XLSX import."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from sanbao.returns.models import BatchLine, BatchStatus, ReturnBatch
from sanbao.returns.services import LineIn
from sanbao.returns.tests.conftest import (
    draft,
    pb_lines,
)
from sanbao.returns.tests.views.conftest import (
    CREATE_URL,
    HTMX,
    batch_form,
    counts,
    field_errors,
    header_form,
    html,
    line_problems,
    lines_form,
    pb_row,
    post,
    url,
)
from sanbao.testkit.cast import login_client_for
from sanbao.testkit.responses import assert_refused

# The packing list: create ---------------------------------------------------------------------


def test_the_new_batch_url_is_the_returns_route():
    assert reverse("returns:batch_create") == CREATE_URL


def test_an_agent_writes_a_draft_for_itself_and_lands_on_it(agent_a_clerk, agent_a, pb10k):
    page = html(login_client_for(agent_a_clerk).get(CREATE_URL))
    assert 'data-testid="return-unit-self"' in page
    assert 'name="return_org_code"' not in page
    response = post(agent_a_clerk, CREATE_URL, batch_form(return_org_code="AG-B"))
    assert response.status_code == 302
    batch = ReturnBatch.objects.get()
    assert response.url == url("batch_detail", batch)
    assert (batch.status, batch.return_org) == (BatchStatus.DRAFT, agent_a)
    assert (batch.declared_units, batch.declared_boxes, batch.contact_phone) == (
        2,
        1,
        "0755-88881234".replace("-", ""),
    )
    lines = list(batch.lines.order_by("line_no"))
    assert [(x.serial, x.accessories, x.box_no) for x in lines] == [
        ("SBX0001", ["data cable"], 1),
        ("SBX0002", ["data cable"], 1),
    ]


def test_after_sales_staff_enter_a_batch_for_an_agent_they_choose(platform_staff, agent_a, pb10k):
    client = login_client_for(platform_staff)
    assert '<option value="AG-A">' in html(client.get(CREATE_URL))
    refused = client.post(CREATE_URL, batch_form())
    assert refused.status_code == 400
    assert "return_org_code" in field_errors(refused)
    assert ReturnBatch.objects.count() == 0
    assert client.post(CREATE_URL, batch_form(return_org_code="AG-A")).status_code == 302
    assert ReturnBatch.objects.get().return_org == agent_a


# What a packing list's header must state (IV.2).
REQUIRED_FACTS = (
    "declared_units",
    "declared_boxes",
    "packed_on",
    "contact_person",
    "contact_phone",
)


def test_a_packing_list_without_facts_is_a_400_with_every_message_by_its_field_and_writes_nothing(
    agent_a_clerk, pb10k
):
    before = counts()
    data = {**lines_form(), "home_delivery": "yes", "freight": "prepaid"}
    response = post(agent_a_clerk, CREATE_URL, data)
    assert_refused(response, 400, "returns.batch_invalid", *REQUIRED_FACTS)
    assert counts() == before


@pytest.mark.parametrize(
    ("overrides", "rows", "field"),
    [
        pytest.param({"contact_phone": "12-34"}, None, "contact_phone", id="short-phone"),
        pytest.param({"declared_units": "0"}, None, "declared_units", id="no-units"),
        pytest.param({"declared_boxes": "many"}, None, "declared_boxes", id="boxes-not-a-number"),
        pytest.param(
            {"packed_on": (timezone.localdate() + dt.timedelta(days=2)).isoformat()},
            None,
            "packed_on",
            id="future-date",
        ),
        pytest.param({"freight": "barter"}, None, "freight", id="unknown-freight"),
        pytest.param({}, [pb_row(model_code="NOPE")], "lines.1.model_code", id="unknown-model"),
        pytest.param({}, [pb_row("SBX1", quantity="2")], "lines.1.serial", id="serial-two-units"),
        pytest.param({}, [pb_row(fault="")], "lines.1.fault", id="no-fault"),
        pytest.param({}, [pb_row(quantity="lots")], "lines.1.quantity", id="quantity-nan"),
        pytest.param({}, [pb_row(), pb_row(box="0")], "lines.2.box_no", id="box-zero-second"),
    ],
)
def test_a_packing_list_with_one_bad_field_is_a_400_with_the_message_by_that_field(
    agent_a_clerk, pb10k, overrides, rows, field
):
    before = counts()
    data = batch_form(*(rows or []), **overrides)
    response = post(agent_a_clerk, CREATE_URL, data)
    assert response.status_code == 400
    assert field in field_errors(response)
    assert counts() == before


def test_a_refused_packing_list_keeps_what_was_typed(agent_a_clerk, pb10k):
    response = post(agent_a_clerk, CREATE_URL, batch_form(contact_phone="1", carrier="Deppon"))
    assert response.status_code == 400
    body = html(response)
    assert 'value="Deppon"' in body
    assert 'value="SBX0002"' in body


def test_adding_a_line_shows_one_more_row_and_writes_nothing(agent_a_clerk, pb10k):
    before = counts()
    data = {**batch_form(pb_row("SBX0001")), "add_row": "1"}
    response = post(agent_a_clerk, CREATE_URL, data)
    assert response.status_code == 200
    assert len(re.findall(r'data-testid="line-row"', html(response))) == 2
    assert 'value="SBX0001"' in html(response)
    assert counts() == before


def test_adding_a_line_with_htmx_answers_the_page_and_its_lines_block(agent_a_clerk, pb10k):
    data = {**batch_form(pb_row("SBX0001")), "add_row": "1"}
    response = post(agent_a_clerk, CREATE_URL, data, headers=HTMX)
    assert response.status_code == 200
    assert 'id="lines-block"' in html(response)
    assert 'name="lines-TOTAL_FORMS" value="2"' in html(response)


def test_a_row_offers_the_accessories_its_models_category_requires(agent_a_clerk, pb10k, ad65):
    """IV.P1: a power bank's row offers its data cable; an adapter's row offers none."""
    rows = [pb_row(accessories=[]), pb_row(model_code="AD65", accessories=[])]
    response = post(agent_a_clerk, CREATE_URL, {**batch_form(*rows), "refresh": "1"})
    assert response.status_code == 200
    body = html(response)
    first, second = body.split('id="line-row-1"')
    assert 'value="data cable"' in first.split('id="line-row-0"')[1]
    assert 'value="data cable"' not in second.split("</tbody>")[0]


def test_rows_left_as_offered_or_removed_are_not_lines(agent_a_clerk, pb10k):
    blank = {"model_code": "", "quantity": "1", "box_no": "1"}
    removed = pb_row("SBX0009", DELETE="on")
    data = batch_form(pb_row("SBX0001"), blank, removed, declared_units="1")
    assert post(agent_a_clerk, CREATE_URL, data).status_code == 302
    assert list(BatchLine.objects.values_list("serial", flat=True)) == ["SBX0001"]


# The packing list: edit ---------------------------------------------------------------------


def test_the_edit_page_shows_the_lines_of_the_draft_with_their_problems(agent_a_clerk, pb10k):
    lines = [*pb_lines(1), LineIn("PB10K", 1, "No output", 1, serial="SBX9", accessories=[])]
    batch = draft(agent_a_clerk, lines)
    response = login_client_for(agent_a_clerk).get(url("batch_edit", batch))
    body = html(response)
    assert 'value="SBX010001"' in body and 'value="SBX9"' in body
    assert line_problems(response) == {("2", "IV.P1", "returns.accessories_missing")}


def test_saving_the_edited_packing_list_replaces_its_lines(agent_a_clerk, draft_of_agent_a):
    data = batch_form(pb_row("SBN0001"), declared_units="1", contact_person="Li Lei")
    response = post(agent_a_clerk, url("batch_edit", draft_of_agent_a), data)
    assert response.status_code == 302
    draft_of_agent_a.refresh_from_db()
    assert draft_of_agent_a.contact_person == "Li Lei"
    assert list(draft_of_agent_a.lines.values_list("serial", flat=True)) == ["SBN0001"]


def test_a_submitted_batch_cannot_be_edited(agent_a_clerk, submitted_of_agent_a):
    client = login_client_for(agent_a_clerk)
    page = client.get(url("batch_edit", submitted_of_agent_a))
    assert_refused(page, 409, "returns.move_not_allowed")
    response = client.post(url("batch_edit", submitted_of_agent_a), batch_form())
    assert response.status_code == 409
    assert submitted_of_agent_a.lines.count() == 3


# The packing list: XLSX import --------------------------------------------------------------


def workbook(*rows) -> SimpleUploadedFile:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["model_code", "serial", "quantity", "fault", "accessories", "bundled", "box_no"])
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile("lines.xlsx", buffer.getvalue())


def test_importing_lines_from_a_spreadsheet_fills_the_rows_and_writes_nothing(
    agent_a_clerk, pb10k, ad65
):
    before = counts()
    upload = workbook(
        ("PB10K", "SBI0001", 1, "No output", "data cable", "no", 1),
        ("AD65", "", 4, "Overheats", "", "yes", 2),
    )
    data = {**header_form(declared_units="", declared_boxes=""), **lines_form()}
    response = post(agent_a_clerk, CREATE_URL, {**data, "import_lines": "1", "file": upload})
    assert response.status_code == 200
    body = html(response)
    assert 'data-testid="lines-import-report" data-lines="2" data-errors="0"' in body
    assert 'value="SBI0001"' in body and 'value="Overheats"' in body
    assert re.search(r'value="data cable" checked', body)
    # The totals of the packing list follow the lines when they were empty.
    assert 'name="declared_units" value="5"' in body
    assert 'name="declared_boxes" value="2"' in body
    assert counts() == before


def test_a_spreadsheet_with_bad_rows_is_reported_row_by_row_and_keeps_the_rows(
    agent_a_clerk, pb10k
):
    upload = workbook(
        ("PB10K", "SBI0001", 1, "No output", "data cable", "no", 1),
        ("NOPE", "", 2, "", "", "maybe", 1),
    )
    data = {**batch_form(pb_row("SBX0001")), "import_lines": "1", "file": upload}
    response = post(agent_a_clerk, CREATE_URL, data)
    assert response.status_code == 400
    rows = set(re.findall(r'data-testid="lines-import-error" data-row="(\d*)"', html(response)))
    assert rows == {"3"}
    assert 'value="SBX0001"' in html(response)
    assert ReturnBatch.objects.count() == 0


def test_importing_without_a_file_says_so(agent_a_clerk, pb10k):
    response = post(agent_a_clerk, CREATE_URL, {**batch_form(), "import_lines": "1"})
    assert response.status_code == 400
    assert 'data-testid="lines-import-error"' in html(response)


def test_a_new_packing_list_offers_the_clerk_as_contact_family_name_first(agent_a_clerk, pb10k):
    agent_a_clerk.first_name, agent_a_clerk.last_name = "伟", "张"
    agent_a_clerk.save(update_fields=["first_name", "last_name"])
    page = html(login_client_for(agent_a_clerk, language="zh-hans").get(CREATE_URL))
    assert 'value="张伟"' in page
    assert "伟 张" not in page
