"""A return batch's papers: the packing list and the repair list (IV.2), the
fault labels decoded back from their barcodes (IV.3), the faxable anomaly notice
(IV.4), the packing list as a workbook; and the views that serve them to the
right people only."""

from __future__ import annotations

import io
import re
import shutil
import subprocess

import openpyxl
import pypdf
import pytest
from django.urls import reverse
from django.utils import translation

from sanbao.accounts.roles import PLATFORM_ROLES, RETURN_UNIT_ROLES
from sanbao.core.errors import Conflict, ValidationFailed
from sanbao.documents.pdf import bilingual, in_both
from sanbao.returns import documents, policy, services
from sanbao.returns.selectors import batch_get
from sanbao.returns.services import LineIn, anomaly_line
from sanbao.returns.tests.conftest import draft, pb_lines, submitted
from sanbao.testkit.cast import anonymous_client, login_client_for
from sanbao.testkit.matrix import Case, check, is_login_redirect, matrix

LONG_FAULT = "充电时外壳严重发烫，指示灯闪烁后自动断电，无法再次开机；" * 4  # > 120 chars
LONG_ACCESSORIES = ["data cable", "USB-C to Lightning cable", "pouch", "manual 说明书"]


# --- Helpers -----------------------------------------------------------------------


def squash(text: str) -> str:
    """Text without whitespace: where a line wraps is not content."""
    return re.sub(r"\s+", "", text)


def pages_of(data: bytes) -> list[str]:
    return [squash(p.extract_text()) for p in pypdf.PdfReader(io.BytesIO(data)).pages]


def pdf_text(data: bytes) -> str:
    return "".join(pages_of(data))


def both(text) -> list[str]:
    """``text`` in Chinese and in English, squashed (once when not yet translated)."""
    return [squash(t) for t in dict.fromkeys(in_both(text))]


def render_pngs(data: bytes, tmp_path, *, dpi: int = 300) -> list:
    pdftoppm = shutil.which("pdftoppm")
    if pdftoppm is None:  # pragma: no cover - poppler-utils is part of the dev setup
        pytest.skip("pdftoppm (poppler-utils) is not installed")
    source = tmp_path / "doc.pdf"
    source.write_bytes(data)
    subprocess.run(
        [pdftoppm, "-r", str(dpi), "-png", source, tmp_path / "p"], check=True, timeout=300
    )
    return sorted(tmp_path.glob("p-*.png"))


def decoded(png) -> list:
    zxingcpp = pytest.importorskip("zxingcpp")
    from PIL import Image

    return zxingcpp.read_barcodes(Image.open(png))


def mixed_lines(count: int) -> list[LineIn]:
    """``count`` lines: power banks with their serial and cable in box 1, every
    third line two bundled adapters in box 2; long faults and accessories on
    every fifth line (they must not grow a row)."""
    lines = []
    for i in range(1, count + 1):
        long = i % 5 == 0
        if i % 3 == 0:
            lines.append(
                LineIn(
                    model_code="AD65",
                    quantity=2,
                    fault=LONG_FAULT[:120] if long else "不充电 No charge",
                    box_no=2,
                    accessories=LONG_ACCESSORIES if long else [],
                    bundled=True,
                )
            )
        else:
            lines.append(
                LineIn(
                    model_code="PB10K",
                    quantity=1,
                    fault=LONG_FAULT[:120] if long else "无输出 No output",
                    box_no=1,
                    serial=f"SBL{i:05d}",
                    accessories=LONG_ACCESSORIES if long else ["data cable"],
                )
            )
    return lines


def fresh(batch, actor):
    """The batch as the views see it (through the tenant-scoped selector)."""
    return batch_get(actor=actor, number=batch.number)


@pytest.fixture
def agent_a_with_contacts(agent_a):
    agent_a.address = "深圳市南山区科技园南区 8 栋 Building 8, Science Park, Shenzhen"
    agent_a.fax = "0755-8888 0001"
    agent_a.phone = "0755-8888 0000"
    agent_a.save()
    return agent_a


@pytest.fixture
def platform_with_contacts(platform_org):
    platform_org.phone = "400-800-1234"
    platform_org.fax = "0755-2600 9999"
    platform_org.save()
    return platform_org


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
    label = both(documents.REPAIR_LIST_PAGES)[-1]
    match = re.search(re.escape(label) + r"(\d+)", packing_text)
    assert match, "the packing list does not state the pages of the repair list"
    return int(match[1])


# --- The packing list (IV.2) ---------------------------------------------------------


@pytest.mark.clause("IV.2")
def test_the_packing_list_states_every_figure_the_policy_asks_for(batch_45, agent_a_clerk):
    text = pdf_text(documents.packing_list_pdf(batch_45))
    org = batch_45.return_org
    assert batch_45.number in text
    for value in (
        org.name_zh,  # Chinese renders and extracts back
        org.address,
        org.phone,
        org.fax,
        batch_45.contact_person,
        batch_45.contact_phone,
        batch_45.packed_on.isoformat(),
        batch_45.carrier,
        batch_45.waybill_no,
        "充电宝10000毫安",
        "移动电源",
        "氮化镓充电器65W",
    ):
        assert squash(value) in text, value
    for label, value in (
        (documents.DECLARED_UNITS, 60),
        (documents.DECLARED_BOXES, 2),
        (documents.REPAIR_LIST_PAGES, 3),
    ):
        assert re.search(re.escape(both(label)[-1]) + str(value), text), label
    # The products by model: 30 power banks on 30 lines in box 1, 30 adapters on 15
    # lines in box 2; 45 lines and 60 units in all.
    assert "PB10K" in text and "AD65" in text
    assert re.search(re.escape(both(documents.TOTAL)[-1]) + r"—?45602", text)


def test_the_packing_list_barcode_decodes_to_the_batch_number(batch_45, tmp_path):
    (png,) = render_pngs(documents.packing_list_pdf(batch_45), tmp_path, dpi=200)
    assert [c.text for c in decoded(png)] == [batch_45.number]


def test_a_batch_not_sent_by_home_delivery_says_the_extra_cost_is_the_shippers(batch_45):
    text = pdf_text(documents.packing_list_pdf(batch_45))
    for version in both(documents.EXTRA_COST):
        assert version in text


def test_a_batch_sent_by_home_delivery_says_nothing_of_an_extra_cost(agent_a_clerk, pb10k):
    batch = submitted(agent_a_clerk, pb_lines(2))
    text = pdf_text(documents.packing_list_pdf(batch))
    for version in both(documents.EXTRA_COST):
        assert version not in text


@pytest.mark.clause("IV.1")
@pytest.mark.clause("IV.2")
def test_after_receipt_the_packing_list_shows_the_received_figures_beside_the_declared(
    received_with_anomalies,
):
    batch = received_with_anomalies
    assert (batch.declared_units, batch.received_units) == (20, 20)
    text = pdf_text(documents.packing_list_pdf(batch))
    for version in both(documents.RECEIPT):
        assert version in text
    faulty, boxes, unlisted = (
        both(label)[-1]
        for label in (documents.FAULTY_UNITS, documents.BOXES, documents.UNLISTED_UNITS)
    )
    assert f"{faulty}2020" in text  # declared 20, received 20 (19 listed + 1 not)
    assert f"{boxes}33" in text
    assert f"{unlisted}01" in text
    # By model: 20 declared, 19 of them received.
    assert re.search(re.escape(both(documents.TOTAL)[-1]) + r"—?2020319", text)


def test_before_receipt_the_packing_list_has_no_received_figures(batch_45):
    text = pdf_text(documents.packing_list_pdf(batch_45))
    for version in both(documents.RECEIPT):
        assert version not in text


def test_the_packing_list_of_a_draft_states_the_pages_its_repair_list_will_have(
    agent_a_clerk, pb10k
):
    batch = fresh(draft(agent_a_clerk, pb_lines(21)), agent_a_clerk)
    assert batch.repair_list_pages == 0  # fixed at submission
    assert repair_pages_stated(pdf_text(documents.packing_list_pdf(batch))) == 2
    assert len(pypdf.PdfReader(io.BytesIO(documents.repair_list_pdf(batch))).pages) == 2


def test_the_packing_list_embeds_its_font_and_stays_small(batch_45):
    data = documents.packing_list_pdf(batch_45)
    reader = pypdf.PdfReader(io.BytesIO(data))
    for ref in reader.pages[0]["/Resources"]["/Font"].values():
        assert "/FontFile2" in ref.get_object()["/FontDescriptor"].get_object()
    assert len(data) < 300_000


# --- The repair list (IV.2) ----------------------------------------------------------


@pytest.mark.clause("IV.2")
@pytest.mark.parametrize("count", [1, 20, 21, 45])
def test_the_repair_list_has_exactly_the_pages_the_packing_list_states(
    agent_a_clerk, pb10k, ad65, count
):
    batch = fresh(submitted(agent_a_clerk, mixed_lines(count)), agent_a_clerk)
    expected = policy.repair_list_pages(count)
    assert batch.repair_list_pages == expected
    assert repair_pages_stated(pdf_text(documents.packing_list_pdf(batch))) == expected
    pages = pages_of(documents.repair_list_pdf(batch))
    assert len(pages) == expected
    # Exactly REPAIR_LIST_LINES_PER_PAGE lines a page, in order: each power-bank
    # line's serial is on its own page and on no other.
    per_page = policy.REPAIR_LIST_LINES_PER_PAGE
    for line in batch.lines.exclude(serial=""):
        page = (line.line_no - 1) // per_page
        assert [line.serial in text for text in pages] == [i == page for i in range(expected)]


def test_the_repair_list_prints_every_line_with_its_fault_accessories_and_box(
    agent_a_clerk, pb10k, ad65
):
    lines = [
        LineIn("PB10K", 1, "无输出", 1, serial="SBQ00001", accessories=["data cable", "pouch"]),
        LineIn("AD65", 3, "插头松动 Loose plug", 2, bundled=True),
    ]
    batch = fresh(draft(agent_a_clerk, lines), agent_a_clerk)
    (text,) = pages_of(documents.repair_list_pdf(batch))
    for value in ("SBQ00001", "无输出", "datacable,pouch", "插头松动Looseplug", "氮化镓充电器65W"):
        assert value in text
    for version in both(documents.FAULT):
        assert version in text


def test_a_long_fault_is_set_smaller_and_cut_short_rather_than_growing_its_row(
    agent_a_clerk, pb10k
):
    lines = pb_lines(20, fault=LONG_FAULT[:120])
    for line in lines:
        line.accessories = LONG_ACCESSORIES
    batch = fresh(draft(agent_a_clerk, lines), agent_a_clerk)
    (text,) = pages_of(documents.repair_list_pdf(batch))
    assert squash(LONG_FAULT[:20]) in text
    assert text.count("…") >= 20  # every fault was too long for its two-line slot


def test_the_repair_list_of_a_batch_without_lines_is_one_page(agent_a_clerk, pb10k):
    batch = draft(agent_a_clerk, pb_lines(1))
    batch.lines.all().delete()
    assert len(pages_of(documents.repair_list_pdf(batch))) == policy.repair_list_pages(0) == 1


# --- The fault labels (IV.3) ---------------------------------------------------------


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


@pytest.mark.clause("IV.3")
def test_each_60x40_label_decodes_back_to_its_unit_by_code_128_and_by_qr(labelled, tmp_path):
    zxingcpp = pytest.importorskip("zxingcpp")
    codes = expected_codes(labelled)
    assert len(codes) == 25
    data = documents.labels_pdf(labelled, "60x40")
    reader = pypdf.PdfReader(io.BytesIO(data))
    assert len(reader.pages) == 25
    width, height = (float(v) for v in reader.pages[0].mediabox[2:])
    assert (round(width / 72 * 25.4), round(height / 72 * 25.4)) == (60, 40)
    pngs = render_pngs(data, tmp_path)
    found = []
    for code, png in zip(codes, pngs, strict=True):
        results = decoded(png)
        assert {(r.text, r.format) for r in results} == {
            (code, zxingcpp.BarcodeFormat.Code128),
            (code, zxingcpp.BarcodeFormat.QRCode),
        }
        found.append(results[0].text)
    assert found == codes


@pytest.mark.clause("IV.3")
def test_every_label_of_an_a4_sheet_decodes_back_on_its_page(labelled, tmp_path):
    codes = expected_codes(labelled)
    data = documents.labels_pdf(labelled, "a4")
    pngs = render_pngs(data, tmp_path)
    per_sheet = documents.SHEET_COLUMNS * documents.SHEET_ROWS
    assert per_sheet == 21 and len(pngs) == 2
    for page, png in enumerate(pngs):
        results = decoded(png)
        on_page = set(codes[page * per_sheet : (page + 1) * per_sheet])
        assert {r.text for r in results} == on_page
        assert len(results) == 2 * len(on_page)  # a Code 128 and a QR code each


@pytest.mark.clause("IV.3")
def test_a_label_states_the_batch_line_model_serial_fault_and_box(labelled):
    pages = pages_of(documents.labels_pdf(labelled, "60x40"))
    first, last = pages[0], pages[-1]
    assert labelled.number in first and "SBX010001" in first
    assert "无输出Nooutput" in first and "充电宝10000毫安" in first
    assert policy.label_code(labelled.number, 1, 1) in first
    assert "插头松动Looseplug" in last and "氮化镓充电器65W" in last
    assert policy.label_code(labelled.number, 19, 3) in last
    for label, text in ((documents.BOX, last), (documents.LINE, last)):
        assert both(label)[-1] in text
    assert re.search(r"19·3/3", last) and last.count("SN") == 0


def test_an_unknown_label_layout_is_refused(labelled):
    with pytest.raises(ValidationFailed) as caught:
        documents.labels_pdf(labelled, "a3")
    assert caught.value.code == "returns.label_layout_invalid"
    assert set(caught.value.fields) == {"layout"}


# --- The anomaly notice (IV.4) -------------------------------------------------------


def colours_used(data: bytes) -> set[tuple[str, ...]]:
    """Every colour set in the pages' content streams."""
    ops = re.compile(rb"((?:[\d.]+\s+){1,4})(rg|RG|g|G|k|K|sc|SC|scn|SCN)\b")
    found = set()
    for page in pypdf.PdfReader(io.BytesIO(data)).pages:
        for operands, op in ops.findall(page.get_contents().get_data()):
            found.add((op.decode(), *(f"{float(v):g}" for v in operands.split())))
    return found


@pytest.mark.clause("IV.4")
def test_the_anomaly_notice_is_one_page_telling_the_return_unit_what_differs(
    received_with_anomalies,
):
    batch = received_with_anomalies
    data = documents.anomaly_notice_pdf(batch)
    (text,) = pages_of(data)
    org = batch.return_org
    assert batch.number in text
    for value in (org.name_zh, org.fax, org.phone, "400-800-1234", "0755-26009999"):
        assert squash(value) in text, value
    for anomaly in batch.anomalies.all():
        for version in both(lambda anomaly=anomaly: anomaly_line(anomaly)):
            assert version in text
    figures = both(documents.FAULTY_UNITS)[-1], both(documents.BOXES)[-1]
    assert f"{figures[0]}2020" in text and f"{figures[1]}33" in text
    for label in (documents.WHAT_DIFFERS, documents.WHAT_TO_DO):
        for version in both(label):
            assert version in text

    def reply():
        params = {"phone": "400-800-1234", "fax": "0755-2600 9999", "number": batch.number}
        return str(documents.NOTICE_REPLY) % params

    for version in both(reply):
        assert version in text


@pytest.mark.clause("IV.4")
def test_the_anomaly_notice_is_black_on_white_for_the_fax(received_with_anomalies):
    colours = colours_used(documents.anomaly_notice_pdf(received_with_anomalies))
    assert colours
    black_or_white = {"0", "1"}
    for colour in colours:
        assert len(set(colour[1:])) == 1 and colour[1] in black_or_white, colour


@pytest.fixture
def chinese_everywhere(monkeypatch):
    """Every string not yet translated printed as if its Chinese were as long as
    its English: the layout of a fully translated document."""
    from sanbao.documents import pdf

    real = pdf._render

    def render(text, language):
        value = real(text, language)
        if language == pdf.ZH and value and not re.search(r"[\u4e00-\u9fff]", value):
            return "中文" * max(1, len(value) // 4)
        return value

    monkeypatch.setattr(pdf, "_render", render)


def test_a_notice_with_many_differences_still_fits_one_page(
    agent_a_clerk, platform_staff, pb10k, chinese_everywhere
):
    batch = submitted(agent_a_clerk, pb_lines(30))
    services.receipt_open(batch=batch, actor=platform_staff)
    for line_no in range(1, 26):  # 25 lines counted with their cable missing
        services.receipt_set_count(
            batch=batch,
            actor=platform_staff,
            line_no=line_no,
            counted=1,
            accessories_missing=["data cable"],
        )
    services.receipt_close(batch=batch, actor=platform_staff, received_boxes=2)
    batch = fresh(batch, platform_staff)
    anomalies = list(batch.anomalies.order_by("id"))
    assert len(anomalies) == 31  # 25 accessories, 5 lines missing, the boxes
    (text,) = pages_of(documents.anomaly_notice_pdf(batch))
    # The counts first, then the boxes, then the accessories, as many as fit.
    anomalies.sort(key=lambda a: (documents.NOTICE_ORDER.index(a.kind), a.id))
    assert [a.kind for a in anomalies[:6]] == ["missing_units"] * 5 + ["boxes"]
    with translation.override("en"):
        listed = [squash(anomaly_line(a)) in text for a in anomalies]
    shown = listed.index(False)
    assert shown >= 5 and not any(listed[shown:])
    more = str(documents.NOTICE_MORE) % {"count": len(anomalies) - shown}
    assert squash(more) in text


def test_a_batch_without_anomalies_has_no_notice(batch_45):
    with pytest.raises(Conflict) as caught:
        documents.anomaly_notice_pdf(batch_45)
    assert caught.value.code == "returns.no_anomaly"


def test_the_notice_is_printed_in_both_languages_whatever_the_readers(received_with_anomalies):
    with translation.override("en"):
        english = pdf_text(documents.anomaly_notice_pdf(received_with_anomalies))
    with translation.override("zh-hans"):
        chinese = pdf_text(documents.anomaly_notice_pdf(received_with_anomalies))
    strip = lambda t: re.sub(r"打印时间.*?\d{2}:\d{2}|Printedat.*?\d{2}:\d{2}", "", t)  # noqa: E731
    assert strip(english) == strip(chinese)


# --- The packing list workbook -------------------------------------------------------


def test_the_packing_list_workbook_has_the_header_block_and_one_typed_row_per_line(
    received_with_anomalies,
):
    batch = received_with_anomalies
    ws = openpyxl.load_workbook(io.BytesIO(documents.packing_list_xlsx(batch))).active
    rows = list(ws.iter_rows(values_only=True))
    fields = {row[0]: next(v for v in row[1:] if v is not None) for row in rows[1:] if row[0]}
    assert fields[bilingual(documents.BATCH_NUMBER)] == batch.number
    assert fields[bilingual(documents.DECLARED_UNITS)] == 20
    assert fields[bilingual(documents.DECLARED_BOXES)] == 3
    assert fields[bilingual(documents.REPAIR_LIST_PAGES)] == 1
    assert fields[bilingual(documents.HOME_DELIVERY)] is True
    assert fields[bilingual(documents.DATE)].date() == batch.packed_on
    assert fields[bilingual(documents._received(documents.FAULTY_UNITS))] == 20
    header = rows.index(tuple(bilingual(h) for h in documents.XLSX_LINE_HEADERS))
    assert ws.freeze_panes == f"A{header + 2}"
    lines = rows[header + 1 :]
    assert len(lines) == 20
    first, last = lines[0], lines[-1]
    assert first[:2] == (1, "PB10K") and first[4] == "SBX010001" and first[5] == 1
    assert first[8] is False and first[9] == 1 and first[10] == 1
    assert last[0] == 20 and last[10] == 0  # line 20 never arrived


def test_the_workbook_of_a_draft_leaves_the_received_figures_out(agent_a_clerk, pb10k):
    batch = fresh(draft(agent_a_clerk, pb_lines(3)), agent_a_clerk)
    ws = openpyxl.load_workbook(io.BytesIO(documents.packing_list_xlsx(batch))).active
    labels = {row[0] for row in ws.iter_rows(values_only=True)}
    assert bilingual(documents._received(documents.FAULTY_UNITS)) not in labels
    assert bilingual(documents.REPAIR_LIST_PAGES) in labels


# --- The views -----------------------------------------------------------------------

VIEWS = {
    "packing_list_pdf": "returns:packing_list_pdf",
    "repair_list_pdf": "returns:repair_list_pdf",
    "labels_pdf": "returns:labels_pdf",
    "anomaly_notice_pdf": "returns:anomaly_notice_pdf",
    "packing_list_xlsx": "returns:packing_list_xlsx",
}
PDF, XLSX = "application/pdf", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def batch_of_agent_a_held(received_with_anomalies):
    return received_with_anomalies


def get(name, user, *args, **query):
    client = login_client_for(user) if user is not None else anonymous_client()
    return client.get(reverse(VIEWS.get(name, f"returns:{name}"), args=args), query)


@pytest.mark.parametrize(
    ("name", "content_type", "filename", "disposition"),
    [
        ("packing_list_pdf", PDF, "packing-list-{}.pdf", "inline"),
        ("repair_list_pdf", PDF, "repair-list-{}.pdf", "inline"),
        ("labels_pdf", PDF, "fault-labels-{}-60x40.pdf", "inline"),
        ("anomaly_notice_pdf", PDF, "anomaly-notice-{}.pdf", "inline"),
        ("packing_list_xlsx", XLSX, "packing-list-{}.xlsx", "attachment"),
    ],
)
def test_each_paper_is_served_to_the_return_unit_of_the_batch(
    batch_of_agent_a_held, agent_a_clerk, name, content_type, filename, disposition
):
    number = batch_of_agent_a_held.number
    response = get(name, agent_a_clerk, number.lower())
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"] == f'{disposition}; filename="{filename.format(number)}"'
    assert "no-store" in response["Cache-Control"]


def test_the_labels_view_prints_an_a4_sheet_on_request(labelled, platform_staff):
    response = get("labels_pdf", platform_staff, labelled.number, layout="a4")
    assert response.status_code == 200
    assert len(pypdf.PdfReader(io.BytesIO(response.content)).pages) == 2
    assert f"fault-labels-{labelled.number}-a4.pdf" in response["Content-Disposition"]


def test_the_labels_view_refuses_an_unknown_layout(labelled, platform_staff):
    response = get("labels_pdf", platform_staff, labelled.number, layout="a3")
    assert response.status_code == 400


def test_the_notice_of_a_batch_without_anomalies_is_a_conflict(batch_45, platform_staff):
    response = get("anomaly_notice_pdf", platform_staff, batch_45.number)
    assert response.status_code == 409


def test_an_unknown_batch_number_is_not_found(platform_staff):
    assert get("packing_list_pdf", platform_staff, "R0000-NOPE00").status_code == 404


def test_the_papers_ask_an_anonymous_visitor_to_log_in(batch_45):
    for name in VIEWS:
        assert is_login_redirect(get(name, None, batch_45.number))
    assert is_login_redirect(get("lines_template_xlsx", None))


# --- The permission matrix -----------------------------------------------------------

RETURNS_VIEW = set(PLATFORM_ROLES | RETURN_UNIT_ROLES)
RETURNS_CREATE = {"aftersales_staff", "aftersales_manager", *RETURN_UNIT_ROLES}


def _case(name: str, fixture: str, query: str = "") -> Case:
    return Case(
        name,
        "GET",
        lambda cast: reverse(VIEWS[name], args=[getattr(cast, fixture).number]) + query,
        allowed_roles=RETURNS_VIEW,
        owner_org="agent_a",
    )


CASES = [
    _case("packing_list_pdf", "batch_of_agent_a"),
    _case("repair_list_pdf", "batch_of_agent_a"),
    _case("labels_pdf", "batch_of_agent_a", "?layout=a4"),
    _case("anomaly_notice_pdf", "batch_of_agent_a_held"),
    _case("packing_list_xlsx", "batch_of_agent_a"),
    Case(
        "lines_template_xlsx",
        "GET",
        lambda cast: reverse("returns:lines_template_xlsx"),
        allowed_roles=RETURNS_CREATE,
    ),
]


@pytest.mark.parametrize("row", matrix(CASES))
def test_each_paper_answers_each_member_of_the_cast_as_declared(cast, row):
    check(cast, row)
