"""IV.8: the reconciliation statement is one document for both parties, a return
unit gets its own only, the totals add up, and a period past the retention
window is refused naming the field."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse

from sanbao.core.errors import NotFound, PolicyRefused
from sanbao.statements.statement import records_for, statement_for
from sanbao.statements.tests.conftest import PERIOD
from sanbao.testkit.cast import api_client_for, login_client_for
from sanbao.testkit.matrix import assert_envelope
from sanbao.testkit.pdf import pdf_text

QUERY = "start=2026-09-01&end=2026-09-30"


def cells(data: bytes) -> dict[str, list[list]]:
    book = openpyxl.load_workbook(io.BytesIO(data))
    return {
        sheet.title: [[c.value for c in row] for row in sheet.iter_rows()]
        for sheet in book.worksheets
    }


def totals(statement, key: str) -> list:
    return [value for _label, value in statement.section(key).totals]


@pytest.mark.clause("IV.8")
def test_the_statement_adds_up_batches_dispositions_charges_shipments_delays_and_deliveries(
    seeded, agent_a_clerk
):
    s = statement_for(actor=agent_a_clerk, organisation=None, **PERIOD)
    assert (s.code, s.start, s.end) == ("AG-A", dt.date(2026, 9, 1), dt.date(2026, 9, 30))

    [batch] = s.section("batches").rows
    number, _status, _submitted, received_on, declared, received, gap, *_boxes, anomalies = batch
    assert (number, received_on) == (seeded["batch"].number, dt.date(2026, 9, 1))
    assert (declared, received, gap) == (10, 9, -1)
    assert "Units missing" in str(anomalies)
    assert totals(s, "batches") == [1, 10, 9, 1]

    # Dealt with: 1 repaired, 0 replaced, 6 returned as is, 1 charged; 35.00 yuan.
    assert totals(s, "dispositions") == [8, 1, 0, 6, 1, Decimal("35.00")]
    charged = [r for r in s.section("dispositions").rows if r[7] is not None]
    assert [(str(r[6]), r[7], r[8]) for r in charged] == [
        ("Charged", Decimal("35.00"), "No fault found: bench test fee")
    ]
    assert totals(s, "delays") == [1, 0]
    assert str(s.section("delays").rows[0][4]) == "Shortage of parts or accessories"

    [shipment] = s.section("shipments").rows
    assert (shipment[0], shipment[5], shipment[6]) == (
        seeded["shipment"].number,
        8,
        Decimal("35.00"),
    )
    assert totals(s, "shipments") == [1, 8, Decimal("35.00")]

    # The returns shipment's own delivery (8) and the platform's delivery (10).
    assert totals(s, "deliveries") == [2, 18, 1]
    [declaration] = s.section("declarations").rows
    assert (declaration[1], declaration[4], str(declaration[5]), declaration[6]) == (
        seeded["delivery"].number,
        2,
        "Credited",
        1,
    )
    assert totals(s, "declarations") == [1, 2, 1, 1, 0]


@pytest.mark.clause("IV.8")
def test_the_agent_and_the_platform_get_the_same_statement_line_by_line(
    seeded, agent_a_clerk, platform_staff, platform_manager
):
    mine = statement_for(actor=agent_a_clerk, organisation="", **PERIOD)
    theirs = statement_for(actor=platform_staff, organisation="AG-A", **PERIOD)
    assert mine == theirs
    assert mine.as_json() == theirs.as_json()
    assert sum(s.count for s in mine.sections) == 1 + 8 + 1 + 1 + 2 + 1

    # The workbooks the two download, from the page and from the API, cell by cell.
    agent_page = login_client_for(agent_a_clerk).get(
        reverse("statements:statement_xlsx", args=["AG-A"]) + f"?{QUERY}"
    )
    platform_api = api_client_for(platform_manager).get(
        f"/api/v1/statements/AG-A/statement.xlsx?{QUERY}"
    )
    assert agent_page.status_code == platform_api.status_code == 200
    assert agent_page["Content-Disposition"] == platform_api["Content-Disposition"]
    agent_cells, platform_cells = cells(agent_page.content), cells(platform_api.content)
    assert agent_cells == platform_cells
    assert len(agent_cells) == 7  # the summary and the six sections
    number = seeded["shipment"].number
    assert any(number in map(str, row) for rows in agent_cells.values() for row in rows)

    # The PDFs' text, but for the minute each was printed.
    agent_pdf = login_client_for(agent_a_clerk).get(
        reverse("statements:statement_pdf", args=["AG-A"]) + f"?{QUERY}"
    )
    platform_pdf = api_client_for(platform_staff).get(
        f"/api/v1/statements/AG-A/statement.pdf?{QUERY}"
    )
    assert agent_pdf.status_code == platform_pdf.status_code == 200
    agent_text, platform_text = pdf_text(agent_pdf.content), pdf_text(platform_pdf.content)
    assert agent_text == platform_text
    for text in ("对账单", "Reconciliationstatement", seeded["batch"].number, "35.00"):
        assert text in agent_text

    # And the API's JSON, in the same language.
    agent_json = api_client_for(agent_a_clerk, language="en").get(f"/api/v1/statements?{QUERY}")
    platform_json = api_client_for(platform_staff, language="en").get(
        f"/api/v1/statements?organisation=AG-A&{QUERY}"
    )
    assert agent_json.status_code == platform_json.status_code == 200
    assert agent_json.json() == platform_json.json()
    assert agent_json.json()["sections"][1]["totals"][-1] == {
        "label": "Charges (yuan)",
        "value": "35.00",
    }


@pytest.mark.clause("IV.8")
def test_another_agent_gets_404_for_the_page_the_workbook_the_pdf_and_the_api(
    seeded, agent_b_clerk, enterprise_clerk
):
    with pytest.raises(NotFound):
        statement_for(actor=agent_b_clerk, organisation="AG-A", **PERIOD)
    for clerk in (agent_b_clerk, enterprise_clerk):
        page = login_client_for(clerk)
        for url in (
            reverse("statements:statement") + f"?organisation=AG-A&{QUERY}",
            reverse("statements:statement_xlsx", args=["AG-A"]) + f"?{QUERY}",
            reverse("statements:statement_pdf", args=["AG-A"]) + f"?{QUERY}",
            reverse("statements:records") + "?organisation=AG-A",
            reverse("statements:records_xlsx", args=["AG-A"]),
            reverse("statements:records_csv", args=["AG-A"]),
        ):
            assert page.get(url).status_code == 404, url
        api = api_client_for(clerk)
        for url in (
            f"/api/v1/statements?organisation=AG-A&{QUERY}",
            f"/api/v1/statements/AG-A/statement.xlsx?{QUERY}",
            f"/api/v1/statements/AG-A/statement.pdf?{QUERY}",
        ):
            assert_envelope(api.get(url), 404, "statements.organisation_not_found")
    # Its own statement names none of agent A's records.
    own = statement_for(actor=agent_b_clerk, organisation="AG-B", **PERIOD)
    assert own.code == "AG-B" and all(not s.rows for s in own.sections)


@pytest.mark.clause("IV.8")
def test_a_period_past_the_retention_window_is_refused_naming_the_field_in_both_languages(
    clock, agent_a_clerk, settings
):
    settings.SANBAO_RETENTION_DAYS = 183
    too_early = "2026-04-07"  # 2026-10-08 less 184 days
    with pytest.raises(PolicyRefused) as refused:
        statement_for(actor=agent_a_clerk, organisation=None, start=too_early, end="2026-04-30")
    assert refused.value.code == "statements.period_past_retention"
    assert list(refused.value.fields) == ["start"]
    # The first day kept is accepted.
    assert statement_for(actor=agent_a_clerk, organisation=None, start="2026-04-08").start == (
        dt.date(2026, 4, 8)
    )

    url = f"/api/v1/statements?start={too_early}&end=2026-04-30"
    english = assert_envelope(api_client_for(agent_a_clerk, language="en").get(url), 400)
    chinese = assert_envelope(api_client_for(agent_a_clerk, language="zh-hans").get(url), 400)
    assert english["fields"]["start"] == [english["message"]]
    assert "183 days" in english["message"] and "2026-04-08" in english["message"]
    assert "183" in chinese["message"] and "2026-04-08" in chinese["message"]
    assert "保存" in chinese["message"]

    # The page says it by the field, in the reader's language.
    for language, label in (("en", "From"), ("zh-hans", "起始日期")):
        agent_a_clerk.language = language  # the reader's saved language
        agent_a_clerk.save(update_fields=["language"])
        page = login_client_for(agent_a_clerk, language=language).get(
            reverse("statements:statement") + f"?start={too_early}&end=2026-04-30"
        )
        assert page.status_code == 400
        refusal = page.content.decode()
        assert 'data-field="start"' in refusal and label in refusal


@pytest.mark.clause("IV.8")
def test_the_period_defaults_to_last_month_and_a_reversed_period_is_refused(clock, agent_a_clerk):
    s = statement_for(actor=agent_a_clerk, organisation=None)
    assert (s.start, s.end) == (dt.date(2026, 9, 1), dt.date(2026, 9, 30))
    response = api_client_for(agent_a_clerk).get(
        "/api/v1/statements?start=2026-09-10&end=2026-09-01"
    )
    assert assert_envelope(response, 400, "statements.period_reversed")["fields"].keys() == {"end"}
    response = api_client_for(agent_a_clerk).get("/api/v1/statements?start=10/09/2026")
    assert assert_envelope(response, 400, "statements.date_invalid")["fields"].keys() == {"start"}


@pytest.mark.clause("IV.8")
def test_platform_staff_choose_the_return_unit_and_only_a_return_unit(clock, platform_staff):
    response = api_client_for(platform_staff).get("/api/v1/statements")
    assert assert_envelope(response, 400, "statements.organisation_required")["fields"].keys() == {
        "organisation"
    }
    response = api_client_for(platform_staff).get("/api/v1/statements?organisation=SO-D")
    assert_envelope(response, 404, "statements.organisation_not_found")


@pytest.mark.clause("IV.8")
def test_a_return_unit_looks_up_its_own_data_by_period_batch_or_serial_and_exports_it(
    seeded, agent_a_clerk, platform_staff
):
    everything = records_for(actor=agent_a_clerk, organisation=None)
    assert (everything.start, everything.end) == (dt.date(2026, 4, 8), dt.date(2026, 10, 8))
    assert everything.section("units").count == 9
    assert everything.section("deliveries").count == 2

    number = seeded["batch"].number
    by_batch = records_for(actor=agent_a_clerk, organisation=None, batch=number.lower())
    assert by_batch.section("units").count == 9
    # The deliveries that took the batch's units back: the returns shipment's only.
    assert [r[0] for r in by_batch.section("deliveries").rows] != [seeded["delivery"].number]
    assert by_batch.section("deliveries").count == 1

    serial = seeded["batch"].units.order_by("seq").first().serial_in
    by_serial = records_for(actor=agent_a_clerk, organisation=None, serial=serial)
    assert [r[4] for r in by_serial.section("units").rows] == [serial]

    by_period = records_for(
        actor=agent_a_clerk, organisation=None, start="2026-09-02", end="2026-10-08"
    )
    assert by_period.section("units").count == 0

    # The same look-up for the platform; the exports of the agent's page.
    assert by_serial == records_for(actor=platform_staff, organisation="AG-A", serial=serial)
    client = login_client_for(agent_a_clerk)
    page = client.get(reverse("statements:records") + f"?serial={serial}")
    assert page.status_code == 200 and serial in page.content.decode()
    workbook = client.get(reverse("statements:records_xlsx", args=["AG-A"]) + f"?serial={serial}")
    assert workbook.status_code == 200
    sheets = cells(workbook.content)
    assert [row[4] for row in list(sheets.values())[1][1:]] == [serial]
    table = client.get(reverse("statements:records_csv", args=["AG-A"]) + f"?batch={number}")
    assert table.status_code == 200 and table["Content-Type"].startswith("text/csv")
    text = table.content.decode("utf-8-sig")
    rows = [line for line in text.splitlines() if line.startswith(f"{number},")]
    assert len(rows) == 9 and "Returned as is" in text


def test_the_statement_reads_a_fixed_number_of_queries_however_many_rows(
    seeded, agent_a_clerk, platform_staff
):
    from sanbao.returns.tests.conftest import pb_lines, settle_all, shipped, under_test
    from sanbao.testkit.queries import count_queries

    def build(period):
        return count_queries(
            lambda: statement_for(actor=platform_staff, organisation="AG-A", **period)
        )

    october = {"start": "2026-10-01", "end": "2026-10-31"}
    september, before = build(PERIOD)
    # Today (8 October): another batch of 3, dealt with and shipped.
    batch = settle_all(under_test(agent_a_clerk, platform_staff, pb_lines(3)), platform_staff)
    shipped(batch, platform_staff)
    september_again, after = build(PERIOD)
    assert after == before  # September's statement does not change
    counted, now = build(october)
    assert counted == september == september_again <= 12
    assert now.section("dispositions").count == 3 and now.section("shipments").count == 1
