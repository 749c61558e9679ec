"""The papers of the way back: the delivery list of a shipment (IV.7) with its
charges (IV.P2), released backorders and the units still to follow (IV.6), as a
PDF and a workbook; the delay marks on the reprinted packing list (IV.6); and the
views that serve the delivery list."""

from __future__ import annotations

import io
import re
from decimal import Decimal

import openpyxl
import pypdf
import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory
from django.utils import timezone

from sanbao.core.errors import NotFound
from sanbao.documents.pdf import bilingual, in_both
from sanbao.returns import document_views, documents, services
from sanbao.returns.models import BatchStatus, DelayReason, ReturnedUnit
from sanbao.returns.selectors import batch_get, shipment_get
from sanbao.returns.tests.conftest import pb_lines, reload, settle_all, shipped, under_test

ORDER = "PO-2026-123"


# --- Helpers -----------------------------------------------------------------------


def squash(text: str) -> str:
    """Text without whitespace: where a line wraps is not content."""
    return re.sub(r"\s+", "", text)


def pages_of(data: bytes) -> list[str]:
    return [squash(p.extract_text()) for p in pypdf.PdfReader(io.BytesIO(data)).pages]


def pdf_text(data: bytes) -> str:
    return "".join(pages_of(data))


def both(text) -> list[str]:
    """``text`` in Chinese and in English, squashed (once while not yet translated)."""
    return [squash(t) for t in dict.fromkeys(in_both(text))]


def has(text: str, label) -> bool:
    return all(version in text for version in both(label))


def reload_unit(unit) -> ReturnedUnit:
    return ReturnedUnit.objects.get(pk=unit.pk)


def units_of(batch) -> list[ReturnedUnit]:
    return list(batch.units.select_related("model").order_by("seq"))


def delivery_list(shipment, actor) -> bytes:
    return documents.delivery_list_pdf(shipment_get(actor=actor, number=shipment.number))


def workbook(shipment, actor):
    data = documents.delivery_list_xlsx(shipment_get(actor=actor, number=shipment.number))
    return openpyxl.load_workbook(io.BytesIO(data))


def fields_and_rows(ws, headers) -> tuple[dict, list[tuple]]:
    """The header block (label → value) and the rows under the table's header."""
    rows = list(ws.iter_rows(values_only=True))
    header = rows.index(tuple(bilingual(h) for h in headers))
    fields = {
        row[0]: next((v for v in row[1:] if v is not None), None)
        for row in rows[1:header]
        if row[0]
    }
    return fields, rows[header + 1 :]


@pytest.fixture
def agent_a_with_contacts(agent_a):
    agent_a.address = "深圳市南山区科技园南区 8 栋"
    agent_a.phone = "0755-8888 0000"
    agent_a.contact_person = "李娜"
    agent_a.save()
    return agent_a


@pytest.fixture
def dealt_with(agent_a_clerk, agent_a_with_contacts, platform_staff, pb10k, pb20k):
    """Four units tested and dealt with four ways, shipped back: repaired, replaced
    by a PB20K, returned as is, and charged (excluded under III.9)."""
    batch = under_test(agent_a_clerk, platform_staff, pb_lines(4))
    repaired, replaced, as_is, charged = units_of(batch)
    staff = platform_staff
    services.unit_test(unit=repaired, actor=staff, result="fault_confirmed")
    services.unit_dispose(
        unit=repaired,
        actor=staff,
        disposition="repaired",
        parts_used=["电芯 cell"],
        retained_location="Shelf A",
    )
    services.unit_test(unit=replaced, actor=staff, result="fault_confirmed")
    services.unit_dispose(
        unit=replaced,
        actor=staff,
        disposition="replaced",
        replacement_model_code="PB20K",
        replacement_serial="SBR000777",
        retained_location="Shelf A",
    )
    services.unit_test(unit=as_is, actor=staff, result="no_fault_found", evidence="Bench test")
    services.unit_test(
        unit=charged,
        actor=staff,
        result="excluded",
        excluded_rule="III.9",
        evidence="Warranty card dated 2023",
    )
    services.unit_dispose(unit=as_is, actor=staff, disposition="returned_as_is")
    services.unit_dispose(
        unit=charged,
        actor=staff,
        disposition="charged",
        charge_amount="35.50",
        charge_reason="保修期已过 Out of warranty: cell replaced at cost",
    )
    shipment = shipped(reload(batch), staff)
    return reload(batch), shipment


@pytest.fixture
def backorder(agent_a_clerk, agent_a_with_contacts, platform_staff, pb10k):
    """Three units; the first is delayed for a shortage of parts, the other two
    go back; later the first is repaired and released with the agent's order."""
    batch = under_test(agent_a_clerk, platform_staff, pb_lines(3))
    late, *rest = units_of(batch)
    services.unit_delay(
        unit=late, actor=platform_staff, reason="parts_shortage", note="电芯缺货 cells next week"
    )
    batch = settle_all(batch, platform_staff, units=rest)
    first = shipped(batch, platform_staff)
    return reload(batch), late, first


def release(batch, unit, staff):
    """The delayed unit is repaired and goes back with the agent's order."""
    unit.refresh_from_db()
    services.unit_test(unit=unit, actor=staff, result="fault_confirmed")
    services.unit_dispose(
        unit=unit, actor=staff, disposition="repaired", parts_used=["cell"], retained_location="B"
    )
    return shipped(reload(batch), staff, order_no=ORDER, waybill="SF9000000002")


# --- The delivery list (IV.7, IV.P2) -------------------------------------------------


@pytest.mark.clause("IV.7")
def test_the_delivery_list_lists_every_unit_with_its_serials_result_disposition_and_charge(
    dealt_with, platform_staff
):
    batch, shipment = dealt_with
    text = pdf_text(delivery_list(shipment, platform_staff))
    org = batch.return_org
    assert shipment.number in text and batch.number in text
    for value in (org.name_zh, org.name_en, org.code, org.address, org.phone, "李娜"):
        assert squash(value) in text, value
    assert "SFExpress" in text and "SF9000000001" in text
    for label in (
        documents.DELIVERY_LIST_NUMBER,
        documents.SERIAL_IN,
        documents.SERIAL_OUT,
        documents.TEST_RESULT,
        documents.DISPOSITION,
        documents.BATCHES_CARRIED,
        documents.DUE_ON,
        documents.ON_TIME,  # shipped the day it was received
    ):
        assert has(text, label), label
    # Chinese renders and extracts back: labels, the model and the return unit.
    for chinese in (
        "批次编号",
        "返修单位",
        "承运商",
        "运单号",
        "已维修",
        "已换货",
        "充电宝10000毫安",
    ):
        assert chinese in text, chinese
    for unit in units_of(batch):
        assert unit.code in text and unit.serial_in in text
    assert "SBR000777" in text and "PB20K" in text  # the replacement's serial and model
    assert "III.9" in text  # the exclusion the charge rests on
    assert batch.due_on.isoformat() in text
    assert re.search(re.escape(both(documents.UNITS_TOTAL)[-1]) + "4", text)


@pytest.mark.clause("IV.P2")
def test_a_charged_unit_shows_its_amount_and_reason_on_the_delivery_list(
    dealt_with, platform_staff
):
    _batch, shipment = dealt_with
    text = pdf_text(delivery_list(shipment, platform_staff))
    assert "¥35.50" in text
    assert squash("保修期已过 Out of warranty: cell replaced at cost") in text
    assert has(text, documents.CHARGES_TOTAL)
    assert re.search(re.escape(both(documents.CHARGES_TOTAL)[-1]) + "¥35.50", text)


@pytest.mark.clause("IV.7")
@pytest.mark.clause("IV.P2")
def test_the_delivery_list_workbook_has_one_typed_row_per_unit(dealt_with, platform_staff):
    batch, shipment = dealt_with
    book = workbook(shipment, platform_staff)
    assert len(book.sheetnames) == 1  # nothing to follow
    fields, rows = fields_and_rows(book.active, documents.XLSX_UNIT_HEADERS)
    assert fields[bilingual(documents.DELIVERY_LIST_NUMBER)] == shipment.number
    assert fields[bilingual(documents.UNITS_TOTAL)] == 4
    assert fields[bilingual(documents.CHARGES_TOTAL)] == Decimal("35.5")
    assert fields[bilingual(documents.WAYBILL)] == "SF9000000001"
    assert len(rows) == 4
    by_code = {row[1]: row for row in rows}
    repaired, replaced, as_is, charged = (by_code[u.code] for u in units_of(batch))
    assert repaired[0] == batch.number and repaired[2] == "PB10K"
    assert replaced[4] == units_of(batch)[1].serial_in and replaced[5] == "SBR000777"
    assert replaced[9] == "PB20K"
    assert as_is[4] == as_is[5]
    assert charged[7] == "III.9" and charged[11] == 35.5 and "Out of warranty" in charged[12]
    assert repaired[10] == "电芯 cell"
    header = "".join(bilingual(h) for h in documents.XLSX_UNIT_HEADERS)
    assert "批次编号" in header and "型号" in header  # bilingual headers


def test_a_delivery_list_of_many_units_repeats_its_table_header_on_every_page(
    agent_a_clerk, platform_staff, pb10k
):
    batch = under_test(agent_a_clerk, platform_staff, pb_lines(34))
    batch = settle_all(batch, platform_staff)
    shipment = shipped(batch, platform_staff)
    pages = pages_of(delivery_list(shipment, platform_staff))
    assert len(pages) >= 2
    serial_out = both(documents.SERIAL_OUT)[-1]
    units = units_of(batch)
    for page in pages:
        if any(u.code in page for u in units):
            assert serial_out in page
    assert all(u.code in "".join(pages) for u in units)
    assert has(pages[-1], documents.SIGN_RETURN_UNIT)


def test_a_delivery_list_printed_before_dispatch_says_the_batch_has_not_gone_back_yet(
    agent_a_clerk, platform_staff, pb10k
):
    batch = settle_all(under_test(agent_a_clerk, platform_staff, pb_lines(2)), platform_staff)
    prepared = services.shipment_create(
        actor=platform_staff,
        return_org_code=batch.return_org.code,
        unit_ids=list(batch.units.values_list("pk", flat=True)),
    )
    text = pdf_text(delivery_list(prepared, platform_staff))
    assert prepared.number in text and has(text, documents.NOT_SHIPPED_YET)
    assert not has(text, documents.ON_TIME)


# --- Delays (IV.6) -------------------------------------------------------------------


@pytest.mark.clause("IV.6")
def test_the_packing_list_reprinted_after_a_delay_shows_the_delay_mark(
    backorder, agent_a_clerk, platform_staff
):
    batch, late, _first = backorder
    text = pdf_text(documents.packing_list_pdf(batch_get(actor=agent_a_clerk, number=batch.number)))
    assert has(text, documents.DELAYS)
    for version in in_both(lambda: documents.units_delayed(1, 3)):
        assert squash(version) in text  # the mark under the batch number
    marks = text[text.rindex(both(documents.DELAYS)[-1]) :]
    assert late.code in marks and late.serial_in in marks
    assert has(marks, DelayReason.PARTS_SHORTAGE.label)
    assert squash("电芯缺货 cells next week") in marks
    assert timezone.localdate(reload_unit(late).delayed_at).isoformat() in marks
    assert has(marks, documents.STILL_WAITING)
    assert "序列号" in marks and "型号" in marks  # the Chinese headers of the marks

    # Once it has gone back, the reprint says with which shipment and order.
    second = release(batch, late, platform_staff)
    text = pdf_text(documents.packing_list_pdf(batch_get(actor=agent_a_clerk, number=batch.number)))
    marks = text[text.rindex(both(documents.DELAYS)[-1]) :]
    assert second.number in marks and ORDER in marks
    assert not has(marks, documents.STILL_WAITING)


def test_a_packing_list_without_delays_has_no_delay_mark(agent_a_clerk, platform_staff, pb10k):
    batch = settle_all(under_test(agent_a_clerk, platform_staff, pb_lines(2)), platform_staff)
    text = pdf_text(documents.packing_list_pdf(batch))
    assert not has(text, documents.DELAYS)
    ws = openpyxl.load_workbook(io.BytesIO(documents.packing_list_xlsx(batch))).active
    labels = {row[0] for row in ws.iter_rows(values_only=True)}
    assert bilingual(documents.DELAYS) not in labels
    assert tuple(bilingual(h) for h in documents.XLSX_LINE_HEADERS) in set(
        ws.iter_rows(values_only=True)
    )


@pytest.mark.clause("IV.6")
def test_a_batch_delayed_as_a_whole_says_so_on_its_packing_list(
    agent_a_clerk, platform_staff, pb10k
):
    batch = under_test(agent_a_clerk, platform_staff, pb_lines(2))
    services.batch_delay(
        batch=batch, actor=platform_staff, reason="force_majeure", note="台风 Typhoon"
    )
    text = pdf_text(documents.packing_list_pdf(reload(batch)))
    for version in in_both(
        lambda: (
            str(documents.WHOLE_BATCH_DELAYED_FOR)
            % {"reason": f"{DelayReason.FORCE_MAJEURE.label} (台风 Typhoon)"}
        )
    ):
        assert squash(version) in text


@pytest.mark.clause("IV.6")
def test_the_packing_list_workbook_carries_the_delay_marks(backorder, agent_a_clerk):
    batch, late, _first = backorder
    data = documents.packing_list_xlsx(batch_get(actor=agent_a_clerk, number=batch.number))
    ws = openpyxl.load_workbook(io.BytesIO(data)).active
    headers = [*documents.XLSX_LINE_HEADERS, documents.DELAY_COLUMN]
    fields, rows = fields_and_rows(ws, headers)
    assert fields[bilingual(documents.DELAYS)] == bilingual(lambda: documents.units_delayed(1, 3))
    assert rows[0][-1].startswith(f"{late.code}: {bilingual(DelayReason.PARTS_SHORTAGE.label)}")
    assert "电芯缺货 cells next week" in rows[0][-1]
    assert rows[1][-1] is None and rows[2][-1] is None


@pytest.mark.clause("IV.6")
def test_a_batch_ships_the_rest_while_a_unit_waits_for_parts_and_both_delivery_lists_say_so(
    backorder, platform_staff, agent_a_clerk
):
    batch, late, first = backorder
    assert batch.status == BatchStatus.DELAYED
    assert first.units.count() == 2 and not first.order_no

    # The first delivery list: the two units, and the third still to follow.
    text = pdf_text(delivery_list(first, agent_a_clerk))
    assert has(text, documents.STILL_TO_FOLLOW) and has(text, documents.STILL_WAITING)
    follow = text[text.index(both(documents.STILL_TO_FOLLOW)[-1]) :]
    assert late.code in follow and squash("电芯缺货 cells next week") in follow
    assert "序列号" in follow  # the section's headers in Chinese too
    assert has(follow, DelayReason.PARTS_SHORTAGE.label)
    assert has(text, documents.ON_TIME)

    second = release(batch, late, platform_staff)
    assert reload(batch).status == BatchStatus.SHIPPED

    # The second: the unit released from the backorder, with the order it goes with.
    text = pdf_text(delivery_list(second, agent_a_clerk))
    assert late.code in text and ORDER in text
    assert not has(text, documents.STILL_TO_FOLLOW)
    for version in in_both(
        lambda: (
            str(documents.BACKORDER_RELEASED)
            % {"reason": DelayReason.PARTS_SHORTAGE.label, "order": ORDER}
        )
    ):
        assert squash(version) in text
    assert has(text, documents.ORDER_NO)

    # The first, reprinted: still lists the unit, now with the shipment it left in.
    text = pdf_text(delivery_list(first, agent_a_clerk))
    follow = text[text.index(both(documents.STILL_TO_FOLLOW)[-1]) :]
    assert late.code in follow and second.number in follow and ORDER in follow
    assert not has(follow, documents.STILL_WAITING)

    # The workbooks say the same.
    book = workbook(first, agent_a_clerk)
    assert len(book.sheetnames) == 2
    follow_rows = list(book.worksheets[1].iter_rows(values_only=True))
    assert follow_rows[0] == tuple(bilingual(h) for h in documents.XLSX_FOLLOW_HEADERS)
    assert follow_rows[1][1] == late.code and follow_rows[1][7:] == (second.number, ORDER)
    _fields, rows = fields_and_rows(
        workbook(second, agent_a_clerk).active, documents.XLSX_UNIT_HEADERS
    )
    assert [(r[1], r[-1]) for r in rows] == [(late.code, ORDER)]


# --- The views -----------------------------------------------------------------------


def view_get(view, user, number):
    request = RequestFactory().get("/")
    request.user = user
    return view(request, number)


@pytest.mark.parametrize(
    ("view", "content_type", "filename", "disposition"),
    [
        ("delivery_list_pdf", "application/pdf", "delivery-list-{}.pdf", "inline"),
        (
            "delivery_list_xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "delivery-list-{}.xlsx",
            "attachment",
        ),
    ],
)
def test_the_delivery_list_is_served_to_its_return_unit(
    dealt_with, agent_a_clerk, view, content_type, filename, disposition
):
    _batch, shipment = dealt_with
    response = view_get(getattr(document_views, view), agent_a_clerk, shipment.number.lower())
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert (
        response["Content-Disposition"]
        == f'{disposition}; filename="{filename.format(shipment.number)}"'
    )
    assert "no-store" in response["Cache-Control"]


def test_another_return_unit_does_not_see_the_delivery_list(dealt_with, agent_b_clerk):
    _batch, shipment = dealt_with
    with pytest.raises(NotFound):
        view_get(document_views.delivery_list_pdf, agent_b_clerk, shipment.number)


def test_the_delivery_list_asks_an_anonymous_visitor_to_log_in(dealt_with):
    _batch, shipment = dealt_with
    for view in (document_views.delivery_list_pdf, document_views.delivery_list_xlsx):
        response = view_get(view, AnonymousUser(), shipment.number)
        assert response.status_code == 302 and "login" in response["Location"]


@pytest.mark.parametrize("letters", ["WWWWWW", "MMMMMM", "QWMWQM", "ABCDEF"])
def test_a_label_code_stays_on_one_line_of_the_delivery_list_however_wide_its_letters(
    agent_a_clerk, platform_staff, pb10k, letters
):
    """The batch number is random: wide letters must not break a code in two."""
    from sanbao.returns.models import ReturnBatch

    batch = under_test(agent_a_clerk, platform_staff, pb_lines(2))
    first, second = batch.units.order_by("seq")
    number = f"R2612-{letters}"
    ReturnBatch.objects.filter(pk=batch.pk).update(number=number)
    for unit in (first, second):
        unit.code = unit.code.replace(batch.number, number)
        unit.save(update_fields=["code"])
    services.unit_delay(unit=second, actor=platform_staff, reason="parts_shortage")
    batch.refresh_from_db()
    settle_all(batch, platform_staff, units=[first])
    shipment = shipped(batch, platform_staff, units=[first])
    pdf = pypdf.PdfReader(io.BytesIO(documents.delivery_list_pdf(shipment)))
    lines = [line for page in pdf.pages for line in page.extract_text().splitlines()]
    for code in (f"{number}-001-001", f"{number}-002-001"):  # in the units, to follow
        assert any(code in line for line in lines), (code, [x for x in lines if letters in x])
