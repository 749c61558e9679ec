"""The claim's papers: the receipt and the service report (PDF, both languages,
the CJK font embedded) and the claim list as a workbook; and the views that
serve them to the right people only."""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
import subprocess

import openpyxl
import pypdf
import pytest
from django.urls import reverse
from django.utils import timezone, translation

from sanbao.accounts.roles import Role
from sanbao.catalog.exclusions import RULE_TITLES
from sanbao.catalog.tests.factories import UnitFactory
from sanbao.claims import document_views, documents, services, views
from sanbao.claims.reasons import reason_text
from sanbao.claims.selectors import claim_get, claim_list
from sanbao.claims.tests.conftest import (
    CONSUMER_PHONE,
    approve_replacement,
    intake,
    resolve_replaced,
)
from sanbao.documents.pdf import bilingual, in_both
from sanbao.testkit.cast import anonymous_client, login_client_for
from sanbao.testkit.matrix import Case, check, is_login_redirect, matrix

EVERYONE = set(Role.values)


# --- Helpers -----------------------------------------------------------------------


def squash(text: str) -> str:
    """Text without whitespace: where a line wraps is not content."""
    return re.sub(r"\s+", "", text)


def pdf_text(data: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(data))
    return squash("".join(page.extract_text() for page in reader.pages))


def both(text) -> list[str]:
    """``text`` in Chinese and in English, squashed (once when not yet translated)."""
    return [squash(t) for t in dict.fromkeys(in_both(text))]


def assert_rules_in_both_languages(text: str, claim) -> None:
    """Every rule result of the claim: its id, title and reason in Chinese and English."""
    assert len(claim.verdict_results) == 12
    for result in claim.verdict_results:
        assert result["rule"] in text
        for version in both(RULE_TITLES[result["rule"]]):
            assert version in text, (result["rule"], version)
        for version in both(lambda result=result: reason_text(result)):
            assert version in text, (result["rule"], version)


@pytest.fixture
def hong_kong_claim(platform_staff, pb10k, agent_a):
    """A claim on a registered unit sold in Hong Kong: not covered (I.1)."""
    unit = UnitFactory(
        serial="SBHK00001",
        model=pb10k,
        channel_org=agent_a,
        region="hong_kong",
        sale_date=dt.date(2025, 6, 1),
        warranty_card_no="WCSBHK00001",
    )
    return intake(platform_staff, unit)


@pytest.fixture
def replaced_claim(covered_claim, platform_staff, pb20k):
    """The covered claim judged, replaced by a PB20K and resolved."""
    claim = covered_claim
    approve_replacement(claim, platform_staff, pb20k, note="Cell does not hold a charge.")
    services.claim_start_service(claim=claim, actor=platform_staff)
    resolve_replaced(
        claim,
        platform_staff,
        "SBNEW0042",
        "Shenzhen returns shelf A3",
        retained_parts=[{"description": "Battery cell", "serial": "CELL-77"}],
    )
    return claim


def fresh(claim, actor):
    """The claim as the views see it (through the tenant-scoped selector)."""
    return claim_get(actor=actor, number=claim.number)


def col(header, actor) -> int:
    """The index of a column of the claim list workbook, as ``actor`` gets it."""
    return [str(h) for h in documents.CLAIMS.headers(actor)].index(header)


def render_png(data: bytes, tmp_path, *, page: int = 1):
    pdftoppm = shutil.which("pdftoppm")
    if pdftoppm is None:  # pragma: no cover - poppler-utils is part of the dev setup
        pytest.skip("pdftoppm (poppler-utils) is not installed")
    source = tmp_path / "doc.pdf"
    source.write_bytes(data)
    subprocess.run(
        [pdftoppm, "-r", "200", "-png", "-f", str(page), "-l", str(page), source, tmp_path / "p"],
        check=True,
        timeout=60,
    )
    (png,) = tmp_path.glob("p-*.png")
    return png


# --- The receipt -------------------------------------------------------------------


def test_the_receipt_of_a_covered_claim_gives_its_number_and_every_rule_in_both_languages(
    covered_claim, platform_staff
):
    claim = fresh(covered_claim, platform_staff)
    assert claim.verdict == "covered"
    text = pdf_text(documents.claim_receipt_pdf(claim))
    assert claim.number in text
    assert_rules_in_both_languages(text, claim)


def test_the_receipt_of_a_hong_kong_claim_says_in_both_languages_why_it_is_not_covered(
    hong_kong_claim, platform_staff
):
    claim = fresh(hong_kong_claim, platform_staff)
    assert claim.verdict == "not_covered"
    scope = next(r for r in claim.verdict_results if r["rule"] == "I.1")
    assert (scope["outcome"], scope["reason"]) == ("fail", "sold_outside_mainland")
    text = pdf_text(documents.claim_receipt_pdf(claim))
    assert claim.number in text
    assert_rules_in_both_languages(text, claim)
    with translation.override("zh-hans"):
        assert squash(reason_text(scope)) in text


def test_the_receipt_prints_chinese_names_in_the_embedded_font(covered_claim, platform_staff):
    claim = fresh(covered_claim, platform_staff)
    data = documents.claim_receipt_pdf(claim)
    text = pdf_text(data)
    assert squash(claim.model.name_zh) in text  # 充电宝 10000毫安
    assert squash(claim.handling_org.name_zh) in text  # 三宝售后服务中心
    reader = pypdf.PdfReader(io.BytesIO(data))
    for ref in reader.pages[0]["/Resources"]["/Font"].values():
        assert "/FontFile2" in ref.get_object()["/FontDescriptor"].get_object()
    assert len(data) < 500_000


def test_the_receipt_barcode_decodes_to_the_claim_number(covered_claim, platform_staff, tmp_path):
    zxingcpp = pytest.importorskip("zxingcpp")
    from PIL import Image

    claim = fresh(covered_claim, platform_staff)
    png = render_png(documents.claim_receipt_pdf(claim), tmp_path)
    codes = zxingcpp.read_barcodes(Image.open(png))
    assert [(c.text, c.format) for c in codes] == [(claim.number, zxingcpp.BarcodeFormat.Code128)]


def test_the_receipt_hides_the_middle_of_the_customer_phone(covered_claim, platform_staff):
    text = pdf_text(documents.claim_receipt_pdf(fresh(covered_claim, platform_staff)))
    assert CONSUMER_PHONE not in text
    assert "138****8000" in text


def test_the_receipt_tells_the_customer_the_status_page_to_follow_the_claim(
    covered_claim, platform_staff
):
    claim = fresh(covered_claim, platform_staff)
    text = pdf_text(documents.claim_receipt_pdf(claim))
    for version in both(
        lambda: (
            str(documents.FOLLOW_STATUS_PAGE)
            % {"path": "/status/", "number": claim.number, "phone": "138****8000"}
        )
    ):
        assert version in text


def test_the_receipt_of_an_agent_claim_without_a_phone_sends_the_agent_to_log_in(
    agent_claim, agent_a_clerk
):
    claim = fresh(agent_claim, agent_a_clerk)
    text = pdf_text(documents.claim_receipt_pdf(claim))
    assert squash(claim.claimant_org.name_zh) in text
    for version in both(lambda: str(documents.FOLLOW_LOGGED_IN) % {"number": claim.number}):
        assert version in text


# --- The service report ------------------------------------------------------------


@pytest.mark.clause("II.1")
def test_the_service_report_prints_the_terms_the_claim_was_judged_under(
    replaced_claim, platform_staff
):
    claim = fresh(replaced_claim, platform_staff)
    text = pdf_text(documents.claim_service_report_pdf(claim))
    terms = claim.terms["category"]
    assert claim.number in text
    assert claim.policy_version in text
    assert claim.warranty_end.isoformat() in text
    assert claim.terms["warranty_start"] in text
    for label in (documents.POLICY_VERSION, documents.WARRANTY_PERIOD, documents.WARRANTY_END):
        for version in both(label):
            assert version in text
    for version in both(documents._months(terms["warranty_months"])):
        assert version in text
    for window in ("return_window_days", "exchange_window_days", "repair_days_limit"):
        for version in both(documents._days(terms[window])):
            assert version in text
    assert_rules_in_both_languages(text, claim)


@pytest.mark.clause("II.1")
def test_the_service_report_keeps_the_stored_terms_when_the_category_changes_later(
    replaced_claim, platform_staff
):
    category = replaced_claim.model.category
    stored = replaced_claim.terms["category"]["warranty_months"]
    category.warranty_months = stored + 12
    category.save(update_fields=["warranty_months"])
    text = pdf_text(documents.claim_service_report_pdf(fresh(replaced_claim, platform_staff)))
    for version in both(documents._months(stored)):
        assert version in text
    for version in both(documents._months(stored + 12)):
        assert version not in text


def test_the_service_report_names_the_replacement_and_the_parts_the_brand_keeps(
    replaced_claim, platform_staff
):
    claim = fresh(replaced_claim, platform_staff)
    text = pdf_text(documents.claim_service_report_pdf(claim))
    assert "SBNEW0042" in text
    assert squash(claim.replacement_model.name_zh) in text
    assert claim.unit.serial in text and "CELL-77" in text
    assert squash("Shenzhen returns shelf A3") in text
    for version in both(documents.KEPT_NOT_RETURNED):
        assert text.count(version) >= 2  # the unit and the cell
    for version in both(documents.RETAINED_STATEMENT):
        assert version in text
    for event in ("claim.submitted", "claim.approved", "claim.resolved"):
        for version in both(documents.EVENT_LABELS[event]):
            assert version in text


def test_the_service_report_of_a_rejected_hong_kong_claim_gives_its_reasons_in_both_languages(
    hong_kong_claim, platform_staff
):
    services.claim_judge(
        claim=hong_kong_claim,
        actor=platform_staff,
        failure_confirmed=True,
        note="Sold in Hong Kong.",
    )
    claim = fresh(hong_kong_claim, platform_staff)
    assert claim.status == "rejected"
    text = pdf_text(documents.claim_service_report_pdf(claim))
    assert claim.number in text
    assert_rules_in_both_languages(text, claim)
    for version in both(documents.NOT_RESOLVED):
        assert version in text


def test_a_long_fault_description_wraps_onto_more_pages_instead_of_overflowing(
    platform_staff, unit_of_agent_a
):
    claim = intake(platform_staff, unit_of_agent_a, fault_description="充电时发烫并断电。" * 220)
    data = documents.claim_receipt_pdf(fresh(claim, platform_staff))
    assert len(pypdf.PdfReader(io.BytesIO(data)).pages) >= 2
    assert squash("充电时发烫并断电。" * 3) in pdf_text(data)


# --- The claim list workbook -------------------------------------------------------


def test_the_claim_list_workbook_has_one_row_per_claim_with_typed_dates(
    covered_claim, hong_kong_claim, replaced_claim, platform_staff
):
    claims = list(claim_list(actor=platform_staff))
    data = documents.CLAIMS.render(claims, platform_staff)
    ws = openpyxl.load_workbook(io.BytesIO(data)).active
    assert ws.max_row == 1 + len(claims) == 3
    assert ws.cell(1, 1).value == bilingual(documents.FACTS)
    rows = {row[0].value: row for row in ws.iter_rows(min_row=2)}
    assert set(rows) == {c.number for c in claims}
    hk = rows[hong_kong_claim.number]
    assert hk[col("Submitted", platform_staff)].is_date
    assert hk[col("Serial number", platform_staff)].value == "SBHK00001"
    assert hk[col("Verdict", platform_staff)].value == hong_kong_claim.get_verdict_display()
    done = rows[replaced_claim.number]
    assert done[col("Model", platform_staff)].value == "PB10K"
    assert done[col("Status", platform_staff)].value.endswith(replaced_claim.get_outcome_display())


def test_the_claim_list_workbook_names_the_handler_to_the_platform_only(
    covered_claim, platform_staff, agent_a_clerk
):
    assert "Handled by" in [str(h) for h in documents.CLAIMS.headers(platform_staff)]
    assert "Handled by" not in [str(h) for h in documents.CLAIMS.headers(agent_a_clerk)]


def test_the_claim_list_workbook_needs_a_fixed_number_of_queries(
    covered_claim, hong_kong_claim, platform_staff, django_assert_max_num_queries
):
    # The count (the export's limit) and the rows with their model and organisations.
    with django_assert_max_num_queries(2):
        documents.CLAIMS.render(claim_list(actor=platform_staff), platform_staff)


# --- The views ---------------------------------------------------------------------

URL_NAMES = {
    document_views.claim_receipt_pdf: "claims:claim_receipt_pdf",
    document_views.claim_report_pdf: "claims:claim_report_pdf",
    views.claim_list_xlsx: "claims:claim_list_xlsx",
}


def get(view, user, *args, **query):
    """GET ``view`` through its URL and the whole middleware stack, as ``user``
    (None: anonymous)."""
    client = login_client_for(user) if user is not None else anonymous_client()
    return client.get(reverse(URL_NAMES[view], args=args), query)


def test_the_receipt_view_serves_a_pdf_inline_to_whoever_sees_the_claim(outlet_claim, outlet_tech):
    response = get(document_views.claim_receipt_pdf, outlet_tech, outlet_claim.number)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        f'inline; filename="claim-receipt-{outlet_claim.number}.pdf"'
    )
    assert "no-store" in response["Cache-Control"]
    assert response.content.startswith(b"%PDF")
    assert outlet_claim.number in pdf_text(response.content)


def test_the_report_view_serves_a_pdf_to_whoever_sees_the_claim(agent_claim, agent_a_clerk):
    response = get(document_views.claim_report_pdf, agent_a_clerk, agent_claim.number.lower())
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert f"claim-service-report-{agent_claim.number}.pdf" in response["Content-Disposition"]


@pytest.mark.parametrize(
    "view", [document_views.claim_receipt_pdf, document_views.claim_report_pdf]
)
@pytest.mark.parametrize("who", ["outlet_tech", "agent_b_clerk", "enterprise_clerk"])
def test_another_organisations_claim_is_not_found(cast, agent_claim, view, who):
    response = get(view, getattr(cast, who), agent_claim.number)
    assert response.status_code == 404


def test_an_unknown_claim_number_is_not_found(platform_staff):
    response = get(document_views.claim_receipt_pdf, platform_staff, "C0000-NOPE00")
    assert response.status_code == 404


def test_the_papers_ask_an_anonymous_visitor_to_log_in(covered_claim):
    for view, args in (
        (document_views.claim_receipt_pdf, [covered_claim.number]),
        (document_views.claim_report_pdf, [covered_claim.number]),
        (views.claim_list_xlsx, []),
    ):
        response = get(view, None, *args)
        assert response.status_code == 302
        assert is_login_redirect(response)


def test_the_workbook_view_lists_only_the_claims_the_user_sees(
    covered_claim, outlet_claim, hong_kong_claim, outlet_tech
):
    response = get(views.claim_list_xlsx, outlet_tech)
    assert response.status_code == 200
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert re.fullmatch(
        r'attachment; filename="sanbao-claims-\d{8}-\d{4}\.xlsx"', response["Content-Disposition"]
    )
    ws = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert [r[0].value for r in ws.iter_rows(min_row=2)] == [outlet_claim.number]


def test_the_workbook_view_applies_the_claim_list_filters(
    covered_claim, hong_kong_claim, platform_staff, outlet_d
):
    def numbers(**query):
        response = get(views.claim_list_xlsx, platform_staff, **query)
        assert response.status_code == 200
        ws = openpyxl.load_workbook(io.BytesIO(response.content)).active
        return {r[0].value for r in ws.iter_rows(min_row=2)}

    both_claims = {covered_claim.number, hong_kong_claim.number}
    assert numbers() == both_claims
    assert numbers(verdict="not_covered") == {hong_kong_claim.number}
    assert numbers(serial="SBHK") == {hong_kong_claim.number}
    assert numbers(model="PB10K", status="submitted") == both_claims
    assert numbers(outlet=outlet_d.code) == set()
    assert numbers(outlet=covered_claim.handling_org.code) == both_claims
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    assert numbers(submitted_from=tomorrow.isoformat()) == set()
    # A filter that does not parse is left out, as on the claim list page.
    assert numbers(submitted_to="not-a-date", status="nonsense") == both_claims


# --- The permission matrix -----------------------------------------------------------


def _document(url_name, claim=None, owner_org=None):
    """A document every role may download: of the fixture ``claim`` (owned by
    ``owner_org``), or the claim list when None."""

    def url(cast):
        return reverse(f"claims:{url_name}", args=[getattr(cast, claim).number] if claim else [])

    return Case(url_name, "GET", url, allowed_roles=EVERYONE, owner_org=owner_org)


CASES = [
    _document("claim_receipt_pdf", "agent_claim", owner_org="agent_a"),
    _document("claim_report_pdf", "outlet_claim", owner_org="outlet_d"),
    _document("claim_list_xlsx"),
]


@pytest.mark.parametrize("row", matrix(CASES))
def test_each_document_answers_each_member_of_the_cast_as_declared(cast, row):
    check(cast, row)


def test_the_service_report_timeline_names_people_family_name_first_not_by_username(
    replaced_claim, platform_staff
):
    platform_staff.first_name, platform_staff.last_name = "伟", "张"
    platform_staff.save(update_fields=["first_name", "last_name"])
    claim = fresh(replaced_claim, platform_staff)
    with translation.override("zh-hans"):
        text = pdf_text(documents.claim_service_report_pdf(claim))
    assert "张伟" in text
    assert "伟张" not in text
    assert platform_staff.username not in text
