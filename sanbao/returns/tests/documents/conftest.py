"""What the tests of a return batch's papers share: reading a PDF's text and
barcodes, batches and shipments at the stages their papers are printed."""

from __future__ import annotations

import io
import re

import openpyxl
import pypdf
import pytest

from sanbao.documents.pdf import bilingual, in_both
from sanbao.returns import documents, policy, services
from sanbao.returns.documents import text as words
from sanbao.returns.models import ReturnedUnit
from sanbao.returns.selectors import batch_get, shipment_get
from sanbao.returns.services import LineIn
from sanbao.returns.tests.conftest import (
    dispose,
    pb_lines,
    record_test,
    reload,
    settle_all,
    shipped,
    submitted,
    under_test,
)
from sanbao.testkit.pdf import squash

LONG_FAULT = "充电时外壳严重发烫，指示灯闪烁后自动断电，无法再次开机；" * 4  # > 120 chars


LONG_ACCESSORIES = ["data cable", "USB-C to Lightning cable", "pouch", "manual 说明书"]


def both(text) -> list[str]:
    """``text`` in Chinese and in English, squashed (once when not yet translated)."""
    return [squash(t) for t in dict.fromkeys(in_both(text))]


def mixed_lines(count: int) -> list[LineIn]:
    """``count`` lines: power banks with their serial and cable in box 1, every
    third line two bundled adapters in box 2; long faults and accessories on
    every fifth line (they must not grow a row)."""
    lines = []
    for i in range(1, count + 1):
        if i % 3 == 0:
            line = {"model_code": "AD65", "quantity": 2, "box_no": 2, "bundled": True}
            fault, accessories = "不充电 No charge", []
        else:
            line = {"model_code": "PB10K", "quantity": 1, "box_no": 1, "serial": f"SBL{i:05d}"}
            fault, accessories = "无输出 No output", ["data cable"]
        if i % 5 == 0:
            fault, accessories = LONG_FAULT[:120], LONG_ACCESSORIES
        lines.append(LineIn(**line, fault=fault, accessories=accessories))
    return lines


def fresh(batch, actor):
    """The batch as the views see it (through the tenant-scoped selector)."""
    return batch_get(actor=actor, number=batch.number)


def with_contacts(org, **contacts):
    """``org`` with the ``contacts`` (address, phone, fax, contact person) saved."""
    for name, value in contacts.items():
        setattr(org, name, value)
    org.save()
    return org


@pytest.fixture
def agent_a_with_contacts(agent_a):
    address = "深圳市南山区科技园南区 8 栋 Building 8, Science Park, Shenzhen"
    return with_contacts(agent_a, address=address, fax="0755-8888 0001", phone="0755-8888 0000")


@pytest.fixture
def platform_with_contacts(platform_org):
    return with_contacts(platform_org, phone="400-800-1234", fax="0755-2600 9999")


@pytest.fixture
def received_with_anomalies(
    agent_a_clerk, agent_a_with_contacts, platform_staff, platform_with_contacts, pb10k
):
    """The issue's example: 20 declared in 3 boxes, 19 listed units and 1 unlisted
    one arrive in 3 boxes."""
    lines = pb_lines(7, box=1) + pb_lines(7, box=2) + pb_lines(6, box=3)
    batch = submitted(agent_a_clerk, lines)
    services.receipt_open(batch=batch, actor=platform_staff)
    for line in batch.lines.order_by("line_no")[:19]:
        code = policy.label_code(batch.number, line.line_no, 1)
        services.receipt_scan(batch=batch, actor=platform_staff, code=code)
    services.receipt_record_unit(
        batch=batch, actor=platform_staff, kind="unlisted", box_no=3, model_code="PB10K"
    )
    services.receipt_close(batch=batch, actor=platform_staff, received_boxes=3)
    return fresh(batch, platform_staff)


@pytest.fixture
def batch_45(agent_a_clerk, agent_a_with_contacts, pb10k, ad65):
    """45 lines (60 units) in 2 boxes, not sent by home delivery, submitted."""
    return fresh(submitted(agent_a_clerk, mixed_lines(45), home_delivery=False), agent_a_clerk)


def repair_pages_stated(packing_text: str) -> int:
    """The page count of the repair list as the packing list states it."""
    label = both(words.REPAIR_LIST_PAGES)[-1]
    match = re.search(re.escape(label) + r"(\d+)", packing_text)
    assert match, "the packing list does not state the pages of the repair list"
    return int(match[1])


@pytest.fixture
def labelled(agent_a_clerk, pb10k, ad65):
    """25 units: 16 power banks with serials, 3 lines of 3 bundled adapters."""
    lines = pb_lines(16, fault="无输出 No output") + [
        LineIn("AD65", 3, "插头松动 Loose plug", 2, bundled=True) for _ in range(3)
    ]
    return fresh(submitted(agent_a_clerk, lines), agent_a_clerk)


def expected_codes(batch) -> list[str]:
    return [
        policy.label_code(batch.number, line.line_no, seq)
        for line in batch.lines.order_by("line_no")
        for seq in range(1, line.quantity + 1)
    ]


def colours_used(data: bytes) -> set[tuple[str, ...]]:
    """Every colour set in the pages' content streams."""
    ops = re.compile(rb"((?:[\d.]+\s+){1,4})(rg|RG|g|G|k|K|sc|SC|scn|SCN)\b")
    found = set()
    for page in pypdf.PdfReader(io.BytesIO(data)).pages:
        for operands, op in ops.findall(page.get_contents().get_data()):
            found.add((op.decode(), *(f"{float(v):g}" for v in operands.split())))
    return found


@pytest.fixture
def chinese_everywhere(monkeypatch):
    """Every string not yet translated printed as if its Chinese were as long as
    its English: the layout of a fully translated document."""
    from sanbao.documents import text as paper_text

    real = paper_text._render

    def render(text, language):
        value = real(text, language)
        if language == paper_text.ZH and value and not re.search(r"[\u4e00-\u9fff]", value):
            return "中文" * max(1, len(value) // 4)
        return value

    monkeypatch.setattr(paper_text, "_render", render)


ORDER = "PO-2026-123"


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
def agent_a_with_contact_person(agent_a):
    address = "深圳市南山区科技园南区 8 栋"
    return with_contacts(agent_a, address=address, phone="0755-8888 0000", contact_person="李娜")


@pytest.fixture
def dealt_with(agent_a_clerk, agent_a_with_contact_person, platform_staff, pb10k, pb20k):
    """Four units tested and dealt with four ways, shipped back: repaired, replaced
    by a PB20K, returned as is, and charged (excluded under III.9)."""
    batch = under_test(agent_a_clerk, platform_staff, pb_lines(4))
    repaired, replaced, as_is, charged = units_of(batch)
    staff = platform_staff
    record_test(repaired, staff, "fault_confirmed")
    dispose(repaired, staff, "repaired", parts_used=["电芯 cell"], retained_location="Shelf A")
    record_test(replaced, staff, "fault_confirmed")
    dispose(
        replaced,
        staff,
        "replaced",
        replacement_model_code="PB20K",
        replacement_serial="SBR000777",
        retained_location="Shelf A",
    )
    record_test(as_is, staff, "no_fault_found", evidence="Bench test")
    record_test(
        charged, staff, "excluded", excluded_rule="III.9", evidence="Warranty card dated 2023"
    )
    dispose(as_is, staff, "returned_as_is")
    dispose(
        charged,
        staff,
        "charged",
        charge_amount="35.50",
        charge_reason="保修期已过 Out of warranty: cell replaced at cost",
    )
    shipment = shipped(reload(batch), staff)
    return reload(batch), shipment


@pytest.fixture
def backorder(agent_a_clerk, agent_a_with_contact_person, platform_staff, pb10k):
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
    record_test(unit, staff, "fault_confirmed")
    dispose(unit, staff, "repaired", parts_used=["cell"], retained_location="B")
    return shipped(reload(batch), staff, order_no=ORDER, waybill="SF9000000002")
