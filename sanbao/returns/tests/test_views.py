"""Return-batch pages: who may open and do what, the packing list with its lines
and the packing check (IV.P1, IV.P3–IV.P6), submission, the receipt page (scans
idempotent, counts, units without a label or not listed, counts by hand), closing
a receipt with its anomalies (IV.1, IV.4), contacts, htmx fragments, query counts
and the interface language."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation

from sanbao.accounts.roles import PERMISSIONS
from sanbao.accounts.services import user_set_language
from sanbao.core.models import AuditEvent
from sanbao.notifications.models import ContactAttempt, ContactTask
from sanbao.returns import policy, services
from sanbao.returns.errors import MESSAGES
from sanbao.returns.models import BatchLine, BatchStatus, ReceiptScan, ReturnBatch
from sanbao.returns.services import LineIn
from sanbao.returns.tests.conftest import draft, pb_lines
from sanbao.testkit.cast import login_client_for
from sanbao.testkit.matrix import Case, check, matrix
from sanbao.testkit.queries import assert_list_queries_flat, count_queries

VIEW = set(PERMISSIONS["returns.view"])
CREATE = set(PERMISSIONS["returns.create"])
RECEIVE = set(PERMISSIONS["returns.receive"])
CONTACTS = set(PERMISSIONS["contacts.manage"])
HTMX = {"HX-Request": "true"}


def html(response) -> str:
    return response.content.decode()


def error_code(response) -> str | None:
    found = re.search(r'data-error-code="([^"]*)"', html(response))
    return found.group(1) if found else None


def field_errors(response) -> set[str]:
    """Names of the fields that show an error message beside them."""
    return set(re.findall(r'data-field-error="([^"]*)"', html(response)))


def line_problems(response) -> set[tuple[str, str, str]]:
    """(line, clause, code) of every packing problem shown on a line."""
    return set(
        re.findall(
            r'data-testid="line-problem" data-line="(\d+)" data-clause="([^"]+)" '
            r'data-code="([^"]+)"',
            html(response),
        )
    )


def batch_problems(response) -> set[tuple[str, str]]:
    """(clause, code) of every problem of the batch as a whole."""
    return set(
        re.findall(
            r'data-testid="batch-problem" data-clause="([^"]+)" data-code="([^"]+)"',
            html(response),
        )
    )


def row_numbers(response) -> list[str]:
    return re.findall(r'data-testid="batch-row" data-number="([^"]+)"', html(response))


def url(name: str, batch=None, *args) -> str:
    return reverse(f"returns:{name}", args=([batch.number] if batch else []) + list(args))


def status_of(batch) -> str:
    batch.refresh_from_db()
    return batch.status


def label(batch, line_no: int, seq: int = 1) -> str:
    return policy.label_code(batch.number, line_no, seq)


# Batches in each state, taken there through the services -------------------------------------


@pytest.fixture
def draft_of_agent_a(batch_of_agent_a):
    """Three power banks with their data cables, one box, freight prepaid."""
    return batch_of_agent_a


@pytest.fixture
def submitted_of_agent_a(agent_a_clerk, draft_of_agent_a):
    services.batch_submit(batch=draft_of_agent_a, actor=agent_a_clerk)
    return draft_of_agent_a


@pytest.fixture
def receiving_of_agent_a(platform_staff, submitted_of_agent_a):
    services.receipt_open(batch=submitted_of_agent_a, actor=platform_staff)
    return submitted_of_agent_a


@pytest.fixture
def on_hold_of_agent_a(platform_staff, receiving_of_agent_a):
    """Lines 1 and 2 scanned, line 3 missing: on hold with one anomaly and a task."""
    batch = receiving_of_agent_a
    for line_no in (1, 2):
        services.receipt_scan(batch=batch, actor=platform_staff, code=label(batch, line_no))
    services.receipt_close(batch=batch, actor=platform_staff, received_boxes=1)
    return batch


@pytest.fixture
def anomaly_of_agent_a(on_hold_of_agent_a):
    return on_hold_of_agent_a.anomalies.get()


@pytest.fixture
def task_of_agent_a(on_hold_of_agent_a):
    return ContactTask.objects.get(target_id=str(on_hold_of_agent_a.pk))


@pytest.fixture
def draft_of_agent_b(agent_b_clerk, pb10k):
    return draft(agent_b_clerk, pb_lines(2))


def header_form(**overrides) -> dict:
    """The packing list's header as a person fills it in."""
    data = {
        "declared_units": "2",
        "declared_boxes": "1",
        "packed_on": (timezone.localdate() - dt.timedelta(days=1)).isoformat(),
        "contact_person": "Wang Fang",
        "contact_phone": "0755-8888 1234",
        "carrier": "SF Express",
        "waybill_no": "SF1234567890",
        "home_delivery": "yes",
        "freight": "prepaid",
        "note": "",
    }
    data.update(overrides)
    return data


def lines_form(*rows: dict) -> dict:
    """The lines formset: each row a dict of the line's fields."""
    data = {"lines-TOTAL_FORMS": str(len(rows)), "lines-INITIAL_FORMS": "0"}
    for i, row in enumerate(rows):
        for name, value in row.items():
            data[f"lines-{i}-{name}"] = value
    return data


def pb_row(serial: str = "", quantity: str = "1", box: str = "1", **extra) -> dict:
    return {
        "model_code": "PB10K",
        "serial": serial,
        "quantity": quantity,
        "fault": "No output",
        "accessories": ["data cable"],
        "box_no": box,
        **extra,
    }


def batch_form(*rows: dict, **header) -> dict:
    rows = rows or (pb_row("SBX0001"), pb_row("SBX0002"))
    return {**header_form(**header), **lines_form(*rows)}


# The permission matrix ----------------------------------------------------------------------


def _url(name, fixture=None, *, query="", extra=None):
    def build(cast):
        args = [getattr(cast, fixture).number] if fixture else []
        if extra:
            args.append(extra(cast))
        return reverse(f"returns:{name}", args=args) + query

    return build


def _needs(*fixtures, then):
    def build(cast):
        for fixture in fixtures:
            getattr(cast, fixture)
        return then(cast)

    return build


def _visible_batches_listed(response, cast):
    user = response.wsgi_request.user
    assert set(row_numbers(response)) == {b.number for b in ReturnBatch.objects.visible_to(user)}


def _batch_shown(fixture):
    def on_ok(response, cast):
        assert f'data-number="{getattr(cast, fixture).number}"' in html(response)

    return on_ok


def _created(response, cast):
    batch = ReturnBatch.objects.get(contact_person="Matrix")
    assert response.url == url("batch_detail", batch)


def _status_is(fixture, status, *, where="batch_detail"):
    def on_ok(response, cast):
        batch = getattr(cast, fixture)
        assert status_of(batch) == status
        assert response.url == url(where, batch)

    return on_ok


def _agent_a_has_email(cast) -> dict:
    """The body of the e-mail action: none; the return unit needs an address."""
    type(cast.agent_a).objects.filter(pk=cast.agent_a.pk).update(email="returns@agent-a.test")
    return {}


def _anomaly_pk(cast):
    return cast.anomaly_of_agent_a.pk


def _task_pk(cast):
    return cast.task_of_agent_a.pk


CASES = [
    Case(
        "batch_list",
        "GET",
        _needs("draft_of_agent_a", "draft_of_agent_b", then=_url("batch_list")),
        VIEW,
        on_ok=_visible_batches_listed,
    ),
    Case("batch_create_page", "GET", _url("batch_create"), CREATE),
    Case(
        "batch_create_post",
        "POST",
        _needs("pb10k", "agent_a", then=_url("batch_create")),
        CREATE,
        expect_ok=302,
        body=lambda cast: batch_form(return_org_code="AG-A", contact_person="Matrix"),
        on_ok=_created,
    ),
    Case("anomaly_list", "GET", _needs("on_hold_of_agent_a", then=_url("anomaly_list")), VIEW),
    Case(
        "batch_detail",
        "GET",
        _url("batch_detail", "on_hold_of_agent_a"),
        VIEW,
        owner_org="agent_a",
        on_ok=_batch_shown("on_hold_of_agent_a"),
    ),
    Case(
        "batch_edit_page",
        "GET",
        _url("batch_edit", "draft_of_agent_a"),
        CREATE,
        owner_org="agent_a",
    ),
    Case(
        "batch_edit_post",
        "POST",
        _url("batch_edit", "draft_of_agent_a"),
        CREATE,
        owner_org="agent_a",
        expect_ok=302,
        body=lambda cast: batch_form(contact_person="Edited"),
    ),
    Case(
        "batch_submit",
        "POST",
        _url("batch_submit", "draft_of_agent_a"),
        CREATE,
        owner_org="agent_a",
        expect_ok=302,
        on_ok=_status_is("draft_of_agent_a", BatchStatus.SUBMITTED),
    ),
    Case(
        "batch_refuse",
        "POST",
        _url("batch_refuse", "submitted_of_agent_a"),
        RECEIVE,
        owner_org="agent_a",
        expect_ok=302,
        body={"reason": "The carrier asked for cash on delivery."},
        on_ok=_status_is("submitted_of_agent_a", BatchStatus.REFUSED),
    ),
    Case(
        "receipt_open",
        "POST",
        _url("receipt_open", "submitted_of_agent_a"),
        RECEIVE,
        owner_org="agent_a",
        expect_ok=302,
        on_ok=_status_is("submitted_of_agent_a", BatchStatus.RECEIVING, where="receipt"),
    ),
    Case(
        "receipt",
        "GET",
        _url("receipt", "receiving_of_agent_a"),
        RECEIVE,
        owner_org="agent_a",
    ),
    Case(
        "receipt_scan",
        "POST",
        _url("receipt_scan", "receiving_of_agent_a"),
        RECEIVE,
        owner_org="agent_a",
        expect_ok=302,
        body=lambda cast: {"code": label(cast.receiving_of_agent_a, 1)},
    ),
    Case(
        "receipt_record_unit",
        "POST",
        _url("receipt_record_unit", "receiving_of_agent_a"),
        RECEIVE,
        owner_org="agent_a",
        expect_ok=302,
        body={"kind": "unlisted", "box_no": "1", "model_code": "PB10K"},
    ),
    Case(
        "receipt_set_count",
        "POST",
        _url("receipt_set_count", "receiving_of_agent_a"),
        RECEIVE,
        owner_org="agent_a",
        expect_ok=302,
        body={"line_no": "1", "counted": "1"},
    ),
    Case(
        "receipt_close",
        "POST",
        _url("receipt_close", "receiving_of_agent_a"),
        RECEIVE,
        owner_org="agent_a",
        expect_ok=302,
        body={"received_boxes": "1"},
        on_ok=_status_is("receiving_of_agent_a", BatchStatus.ON_HOLD),
    ),
    Case(
        "anomaly_resolve",
        "POST",
        _url("anomaly_resolve", "on_hold_of_agent_a", extra=_anomaly_pk),
        RECEIVE,
        owner_org="agent_a",
        expect_ok=302,
        body=lambda cast: {f"a{cast.anomaly_of_agent_a.pk}-note": "Agent confirmed: 2 sent."},
        on_ok=_status_is("on_hold_of_agent_a", BatchStatus.RECEIVED),
    ),
    Case(
        "contact_attempt",
        "POST",
        _url("contact_attempt", "on_hold_of_agent_a", extra=_task_pk),
        CONTACTS,
        owner_org="agent_a",
        expect_ok=302,
        body=lambda cast: {
            f"t{cast.task_of_agent_a.pk}-channel": "telephone",
            f"t{cast.task_of_agent_a.pk}-outcome": "reached",
            f"t{cast.task_of_agent_a.pk}-contact_person": "Wang Fang",
        },
    ),
    Case(
        "contact_email",
        "POST",
        _url("contact_email", "on_hold_of_agent_a", extra=_task_pk),
        CONTACTS,
        owner_org="agent_a",
        expect_ok=302,
        body=_agent_a_has_email,
    ),
]


@pytest.mark.parametrize("row", matrix(CASES))
def test_each_page_and_action_answers_each_member_of_the_cast_as_declared(cast, row):
    check(cast, row)


# Pages written and tested with the batch documents (sanbao/returns/document_views.py).
DOCUMENT_PAGES = {
    "packing_list_pdf",
    "repair_list_pdf",
    "labels_pdf",
    "anomaly_notice_pdf",
    "packing_list_xlsx",
    "lines_template_xlsx",
}


# Whether every page has a case: test_views_part2.py checks both parts together.


# The packing list: create ---------------------------------------------------------------------

CREATE_URL = "/returns/new/"


def counts() -> tuple[int, int, int]:
    return ReturnBatch.objects.count(), BatchLine.objects.count(), AuditEvent.objects.count()


def post(user, path, data=None, **extra):
    return login_client_for(user).post(path, data or {}, **extra)


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


def test_a_packing_list_without_facts_is_a_400_with_every_message_by_its_field_and_writes_nothing(
    agent_a_clerk, pb10k
):
    before = counts()
    data = {**lines_form(), "home_delivery": "yes", "freight": "prepaid"}
    response = post(agent_a_clerk, CREATE_URL, data)
    assert response.status_code == 400
    assert error_code(response) == "returns.batch_invalid"
    assert field_errors(response) >= {
        "declared_units",
        "declared_boxes",
        "packed_on",
        "contact_person",
        "contact_phone",
    }
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
    assert page.status_code == 409
    assert error_code(page) == "returns.move_not_allowed"
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


# The packing check on the batch page (before submitting) ------------------------------------


def detail(user, batch, **extra):
    return login_client_for(user, **extra).get(url("batch_detail", batch))


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
    assert response.status_code == 400
    assert error_code(response) == "returns.packing_refused"
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
    assert response.status_code == 400
    assert error_code(response) == "returns.cash_on_delivery_refused"
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
    assert response.status_code == 409
    assert error_code(response) == "returns.move_not_allowed"


def test_an_htmx_submission_answers_the_updated_batch_fragment(agent_a_clerk, draft_of_agent_a):
    response = post(agent_a_clerk, url("batch_submit", draft_of_agent_a), headers=HTMX)
    assert response.status_code == 200
    body = html(response)
    assert "<html" not in body
    assert body.lstrip().startswith('<div id="batch-body"')
    assert 'data-status="submitted"' in body
    assert 'data-testid="batch-done"' in body


def test_refusing_a_parcel_needs_a_reason(platform_staff, submitted_of_agent_a):
    response = post(platform_staff, url("batch_refuse", submitted_of_agent_a), {"reason": " "})
    assert response.status_code == 400
    assert "reason" in field_errors(response)
    assert status_of(submitted_of_agent_a) == BatchStatus.SUBMITTED


# The receipt page ---------------------------------------------------------------------------


def scan(user, batch, code, *, box=None, headers=None):
    data = {"code": code} if box is None else {"code": code, "box_no": str(box)}
    return post(user, url("receipt_scan", batch), data, headers=headers or {})


def counts_panel(response) -> dict:
    found = re.search(
        r'id="receipt-counts"[^>]*data-total="(\d+)" data-declared="(\d+)" '
        r'data-unlisted="(\d+)" data-unlabelled="(\d+)"',
        html(response),
    )
    assert found, "no counts panel"
    return dict(
        zip(("total", "declared", "unlisted", "unlabelled"), map(int, found.groups()), strict=True)
    )


def feedback(response) -> list[tuple[str, str]]:
    return re.findall(
        r'data-testid="scan-feedback" data-result="([a-z]+)" data-code="([^"]*)"', html(response)
    )


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
    refused = post(platform_staff, path, {field: ""})
    assert refused.status_code == 400
    assert error_code(refused) == "returns.note_required"
    assert "note" in field_errors(refused)
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
    assert wrong.status_code == 400
    assert error_code(wrong) == "notifications.outcome_invalid"
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
    platform_staff, agent_a, on_hold_of_agent_a, task_of_agent_a, django_capture_on_commit_callbacks
):
    agent_a.email = "returns@agent-a.test"
    agent_a.save(update_fields=["email"])
    path = url("contact_email", on_hold_of_agent_a, task_of_agent_a.pk)
    with django_capture_on_commit_callbacks(execute=True):
        response = post(platform_staff, path)
    assert response.status_code == 302
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
    assert response.status_code == 400
    assert error_code(response) == "notifications.no_email"
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
    services.anomaly_resolve(
        anomaly=on_hold_of_agent_a.anomalies.get(), actor=platform_staff, note="Agreed."
    )
    assert rows(agent_a_clerk)[0] == []
    assert rows(agent_a_clerk, "?show=all")[0] == [on_hold_of_agent_a.number]
    assert (
        login_client_for(agent_b_clerk).get(url("batch_detail", on_hold_of_agent_a)).status_code
        == 404
    )


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
    response = login_client_for(user).get(LIST_URL + query)
    assert response.status_code == 200
    return row_numbers(response)


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


# The Django admin ---------------------------------------------------------------------------


def test_the_admin_shows_batches_anomalies_and_contact_tasks_read_mostly(
    administrator, on_hold_of_agent_a, anomaly_of_agent_a, task_of_agent_a
):
    administrator.is_staff = administrator.is_superuser = True
    administrator.save(update_fields=["is_staff", "is_superuser"])
    client = login_client_for(administrator)
    for path in (
        reverse("admin:returns_returnbatch_changelist"),
        reverse("admin:returns_returnbatch_change", args=[on_hold_of_agent_a.pk]),
        reverse("admin:returns_receiptanomaly_changelist"),
        reverse("admin:returns_receiptanomaly_change", args=[anomaly_of_agent_a.pk]),
        reverse("admin:notifications_contacttask_changelist"),
        reverse("admin:notifications_contacttask_change", args=[task_of_agent_a.pk]),
    ):
        assert client.get(path).status_code == 200, path
    change = html(
        client.get(reverse("admin:returns_returnbatch_change", args=[on_hold_of_agent_a.pk]))
    )
    assert 'name="note"' in change
    assert 'name="status"' not in change and 'name="declared_units"' not in change
    assert client.get(reverse("admin:returns_returnbatch_add")).status_code == 403
