"""The claim's papers: the receipt handed over at intake, the service report, and
the claim list as a workbook.

Both PDFs are printed in Chinese and English whatever the reader's language
(labels ``中文 English``; rule titles and reasons in both, one under the other),
in the embedded Noto Sans SC (see ``sanbao.documents.pdf``). They show what is
stored on the claim: the verdict and rule results it was evaluated with, and the
terms it was judged under (II.1), never a re-evaluation under today's settings.
The claim passed in is already visible to the reader (``selectors.claim_get``).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.utils import timezone
from django.utils.translation import gettext, ngettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, Spacer, Table

from sanbao.catalog.exclusions import RULE_TITLES
from sanbao.catalog.models import Disposal, Region, RetainedPartKind
from sanbao.claims.models import Claim, ClaimantKind, ClaimStatus, FaultKind, Outcome, Remedy
from sanbao.claims.reasons import REMEDY_LABELS, VERDICTS, reason_text
from sanbao.claims.selectors import claim_timeline
from sanbao.core.lists import Column, list_export, org_label, platform_only
from sanbao.core.web import PDF
from sanbao.documents.pdf import (
    HALF_WIDTH,
    bi_markup,
    bi_para,
    bilingual,
    block,
    both_names,
    build_pdf,
    columns,
    data_table,
    esc,
    field_table,
    fmt_date,
    fmt_datetime,
    mask_phone,
    number_block,
    org_name,
    para,
    section,
    signature_lines,
    style,
)
from sanbao.documents.registry import numbered, register

STATUS_PATH = "/status/"
WIDE_LABEL = 62 * mm  # the service report's long labels (terms, judgement)

RECEIPT_TITLE = _("Warranty claim receipt")
REPORT_TITLE = _("Warranty service report")
LIST_TITLE = _("Warranty claims")

CLAIM_NUMBER = _("Claim number")
SUBMITTED_AT = _("Submitted at")
TAKEN_IN_BY = _("Taken in by")
STATUS = _("Status")
HANDLED_BY = _("Handled by")
ORGANISATION = _("Organisation")
ADDRESS = _("Address")
TELEPHONE = _("Telephone")
CUSTOMER = _("Customer")
CLAIMANT = _("Claimant")
PRODUCT = _("Product")
MODEL = _("Model")
SERIAL = _("Serial number")
DELIVERED_ON = _("Delivered or bought on")
CLAIMED_ON = _("Claim made on")  # I.2: the windows are counted on it
HANDED_IN_ON = _("Unit handed in on")  # I.2: the repair-day limit counts from it
REGION = _("Region of sale")
DOCUMENTS = _("Documents presented")
PROOF = _("Proof of purchase")
PROOF_DATE = _("Date on the proof of purchase")
NO_PROOF_DATE = _("none given: the registry sale date counts")
CARD = _("Warranty card")
FAULT = _("Fault")
FAULT_DESCRIPTION = _("Description")
ELIGIBILITY_AT_INTAKE = _("Eligibility at intake")
ELIGIBILITY = _("Eligibility, rule by rule")
VERDICT = _("Verdict")
RULES_NOT_MET = _("Rules not met")
FACTS_MISSING = _("Facts still to be checked")
RULE = _("Rule")
CHECKED = _("What is checked")
RESULT = _("Result")
REASON = _("Reason")
FOLLOW = _("How to follow your claim")
TERMS = _("Terms applied (II.1)")
JUDGEMENT = _("Judgement (II.3)")
RESOLUTION = _("Resolution")
RETAINED = _("Retained parts (II.4)")
TIMELINE = _("Timeline")
FACTS = _("Claim")
SIGN_TAKER = _("Received by (after-sales)")
SIGN_TECHNICIAN = _("Technician")
SIGN_CUSTOMER = _("Customer")

SCAN_ATTACHED = _("scan attached")
NO_SCAN = _("no scan")
NOT_PRESENTED = _("not presented")
YES, NO = _("Yes"), _("No")
NOT_JUDGED = _("Not judged yet.")
NOT_RESOLVED = _("Not resolved yet.")
NONE_RETAINED = _("Nothing retained.")
RETAINED_STATEMENT = _(
    "Parts and products replaced under warranty are kept by the brand and are not "
    "returned to the user (II.4)."
)
KEPT_NOT_RETURNED = _("Kept by the brand, not returned (II.4)")

OUTCOME_LABELS = {
    "pass": pgettext_lazy("rule outcome", "Passed"),
    "fail": pgettext_lazy("rule outcome", "Not covered"),
    "unknown": pgettext_lazy("rule outcome", "To be checked"),
}

EVENT_LABELS = {
    "claim.submitted": _("Claim submitted"),
    "claim.inspected": _("Inspection recorded"),
    "claim.scans_attached": _("Scans attached"),
    "claim.judgement_started": _("Judgement started"),
    "claim.approved": _("Approved"),
    "claim.rejected": _("Rejected"),
    "claim.service_started": _("Service started"),
    "claim.resolved": _("Resolved"),
    "claim.closed": _("Closed"),
}

FOLLOW_STATUS_PAGE = _(
    "Open the status page %(path)s and enter the claim number %(number)s with the "
    "telephone number given at intake (%(phone)s). No account is needed."
)
FOLLOW_LOGGED_IN = _(
    "Log in to Sanbao and open claim %(number)s to follow it, or ask the organisation handling it."
)

# Terms (II.1), as stored with the claim.
POLICY_VERSION = _("Policy version")
CATEGORY = _("Category")
WARRANTY_PERIOD = _("Warranty period")
RETURN_WINDOW = _("Return window")
EXCHANGE_WINDOW = _("Exchange window")
WARRANTY_START = _("Warranty starts on")
DAYS_IN_REPAIR_BEFORE = _("Earlier days in warranty repair (added, I.2)")
WARRANTY_END = _("Warranty ends on")
REPAIRS_BEFORE_REPLACEMENT = _("Repairs of the same fault before replacement or refund")
REPAIR_DAYS_LIMIT = _("Days in repair before replacement or refund")
NEW_WARRANTY = _("A replacement starts a new warranty period")

FAILURE_CONFIRMED = _("Performance failure confirmed")
REMEDIES_OPEN = _("Remedies open (counted on the claim date)")
REMEDY = _("Remedy chosen")
REPAIR_IMPOSSIBLE = _("Repair judged impossible")
REPLACEMENT_MODEL = _("Replacement model")
NOTE = _("Note")
JUDGED_BY = _("Judged by")
JUDGED_AT = _("Judged at")
OUTCOME = _("Outcome")
REPLACEMENT_SERIAL = _("Replacement serial number")
SERVICE_STARTED = _("Service started")
RESOLVED_AT = _("Resolved at")
DAYS_IN_SERVICE = _("Days in service")
CLOSED_AT = _("Closed at")
KIND = _("Kind")
WHAT = _("What")
WHERE_KEPT = _("Where kept")
DISPOSAL = _("Disposal")
TIME = _("Time")
EVENT = _("Event")
BY = _("By")


# --- Small formatters ------------------------------------------------------------------


def _model(model) -> str:
    return f"{model.code} {both_names(model.name_zh, model.name_en)}" if model is not None else ""


def _label(choices, value: str) -> str:
    """A choice's label in both languages; the raw value when it is not a choice."""
    if not value:
        return ""
    labels = dict(choices)
    return bilingual(labels[value]) if value in labels else value


def _yes_no(value: bool | None) -> str:
    if value is None:
        return ""
    return bilingual(YES if value else NO)


def _days(n: int | None) -> str:
    if n is None:
        return ""
    return bilingual(lambda: ngettext("%(count)s day", "%(count)s days", n) % {"count": n})


def _months(n: int | None) -> str:
    if n is None:
        return ""
    return bilingual(lambda: ngettext("%(count)s month", "%(count)s months", n) % {"count": n})


def _failed(claim: Claim) -> list[str]:
    return [r["rule"] for r in claim.verdict_results if r.get("outcome") == "fail"]


def _missing(claim: Claim) -> list[str]:
    return [r["rule"] for r in claim.verdict_results if r.get("outcome") == "unknown"]


def _claimant(claim: Claim) -> str:
    if claim.claimant_kind == ClaimantKind.ORGANISATION and claim.claimant_org_id:
        return org_name(claim.claimant_org)
    return claim.consumer_name


def _document_line(number: str, scan) -> str:
    if not number:
        return bilingual(NOT_PRESENTED)
    return f"{number} ({bilingual(SCAN_ATTACHED if scan else NO_SCAN)})"


# --- Blocks shared by the receipt and the report ---------------------------------------


def _number_block(claim: Claim) -> Table:
    """The claim number, large, with its Code 128 barcode (scanned at the counter)."""
    return number_block(
        CLAIM_NUMBER, claim.number, SUBMITTED_AT, fmt_datetime(claim.created_at), gap=2 * mm
    )


def _handling_rows(claim: Claim) -> list[tuple]:
    org = claim.handling_org
    return [
        (HANDLED_BY, org_name(org)),
        (ADDRESS, org.address),
        (TELEPHONE, org.phone),
    ]


def _customer_rows(claim: Claim) -> list[tuple]:
    rows = [(CLAIMANT, _claimant(claim))]
    if claim.consumer_phone:
        rows.append((TELEPHONE, mask_phone(claim.consumer_phone)))
    return rows


def _product_rows(claim: Claim) -> list[tuple]:
    return [
        (MODEL, _model(claim.model)),
        (SERIAL, claim.serial),
        (DELIVERED_ON, fmt_date(claim.delivered_on)),
        (CLAIMED_ON, fmt_date(claim.claimed_on)),
        (HANDED_IN_ON, fmt_date(claim.handed_in_on)),
        (REGION, _label(Region.choices, claim.region)),
    ]


def _document_rows(claim: Claim) -> list[tuple]:
    return [
        (PROOF, _document_line(claim.proof_of_purchase_no, claim.proof_of_purchase_scan)),
        # I.2: the date the warranty runs from, when the claimant gave one.
        (
            PROOF_DATE,
            fmt_date(claim.proof_of_purchase_date)
            if claim.proof_of_purchase_date
            else bilingual(NO_PROOF_DATE),
        ),
        (CARD, _document_line(claim.warranty_card_no, claim.warranty_card_scan)),
    ]


def _fault_rows(claim: Claim) -> list[tuple]:
    return [
        (FAULT, _label(FaultKind.choices, claim.fault_kind)),
        (FAULT_DESCRIPTION, claim.fault_description),
    ]


def _verdict_summary(claim: Claim) -> Flowable:
    verdict = VERDICTS.get(claim.verdict, claim.verdict)
    rows = [(VERDICT, Paragraph(bi_markup(verdict), style("cell_bold")))]
    if failed := _failed(claim):
        rows.append((RULES_NOT_MET, ", ".join(failed)))
    if missing := _missing(claim):
        rows.append((FACTS_MISSING, ", ".join(missing)))
    return field_table(rows)


def verdict_table(results: Iterable[dict]) -> Table:
    """Every rule result: the rule, what it checks, its result and its reason, in
    Chinese over English. Rules not passed are tinted."""
    rows, tinted = [], []
    for i, result in enumerate(results):
        rule = result.get("rule", "")
        outcome = result.get("outcome", "")
        rows.append(
            [
                para(esc(rule), "cell_bold"),
                bi_para(RULE_TITLES.get(rule, rule)),
                bi_para(OUTCOME_LABELS.get(outcome, outcome)),
                bi_para(lambda result=result: reason_text(result)),
            ]
        )
        if outcome != "pass":
            tinted.append(i)
    return data_table(
        [RULE, CHECKED, RESULT, REASON],
        rows,
        [0.08, 0.33, 0.15, 0.44],
        highlight_rows=tinted,
    )


def _follow(claim: Claim) -> Flowable:
    if claim.consumer_phone:
        params = {
            "path": STATUS_PATH,
            "number": claim.number,
            "phone": mask_phone(claim.consumer_phone),
        }
        text = FOLLOW_STATUS_PAGE
    else:
        params = {"number": claim.number}
        text = FOLLOW_LOGGED_IN
    return Paragraph(bi_markup(lambda: str(text) % params), style("body"))


# --- The receipt -----------------------------------------------------------------------


def claim_receipt_pdf(claim: Claim) -> bytes:
    """The receipt handed to the customer at intake: the claim number (large, and
    as a Code 128 barcode), who handles it and how to reach them, the customer
    (telephone partly hidden), the unit, the documents presented (II.2), the
    fault, the verdict at intake rule by rule, and how to follow the claim on
    the public status page."""
    taker = claim.created_by.display_name if claim.created_by_id else ""
    half = {"width": HALF_WIDTH, "label_width": 33 * mm}
    handler = [(ORGANISATION, org_name(claim.handling_org)), *_handling_rows(claim)[1:]]
    story: list[Flowable] = [
        _number_block(claim),
        Spacer(1, 2 * mm),
        columns(
            [section(HANDLED_BY), field_table([*handler, (TAKEN_IN_BY, taker)], **half)],
            [section(CUSTOMER), field_table(_customer_rows(claim), **half)],
        ),
        Spacer(1, 2 * mm),
        columns(
            [section(PRODUCT), field_table(_product_rows(claim), **half)],
            [section(DOCUMENTS), field_table(_document_rows(claim), **half)],
        ),
        *block(FAULT, field_table(_fault_rows(claim))),
        *block(FOLLOW, _follow(claim)),
        *block(
            ELIGIBILITY_AT_INTAKE, _verdict_summary(claim), verdict_table(claim.verdict_results)
        ),
        signature_lines([SIGN_TAKER, SIGN_CUSTOMER]),
    ]
    return _claim_pdf(claim, RECEIPT_TITLE, story)


def _claim_pdf(claim: Claim, title, story: list[Flowable]) -> bytes:
    """A claim's paper, numbered with the claim and under the policy version the
    claim was judged by (II.1)."""
    return build_pdf(
        story,
        title=title,
        reference=claim.number,
        policy_version=claim.policy_version,
        subject=claim.number,
    )


# --- The service report ----------------------------------------------------------------


def _terms_rows(claim: Claim) -> list[tuple]:
    terms = claim.terms or {}
    category = terms.get("category") or {}
    cat = claim.model.category if claim.model_id else None
    cat_name = both_names(cat.name_zh, cat.name_en) if cat is not None else ""
    if category.get("code"):
        cat_name = f"{cat_name} ({category['code']})" if cat_name else category["code"]
    rows = [
        (POLICY_VERSION, claim.policy_version or terms.get("policy_version", "")),
        (CATEGORY, cat_name),
        (WARRANTY_PERIOD, _months(category.get("warranty_months"))),
        (RETURN_WINDOW, _days(category.get("return_window_days"))),
        (EXCHANGE_WINDOW, _days(category.get("exchange_window_days"))),
        (WARRANTY_START, terms.get("warranty_start") or ""),
        (DAYS_IN_REPAIR_BEFORE, _days(terms.get("days_in_repair_before"))),
        (WARRANTY_END, fmt_date(claim.warranty_end)),
        (REPAIRS_BEFORE_REPLACEMENT, str(category.get("repair_attempts_limit", ""))),
        (REPAIR_DAYS_LIMIT, _days(category.get("repair_days_limit"))),
        (NEW_WARRANTY, _yes_no(category.get("new_warranty_on_replacement"))),
    ]
    return rows


def _judgement(claim: Claim) -> Flowable:
    if claim.judged_at is None:
        return Paragraph(bi_markup(NOT_JUDGED), style("body"))
    remedies = [bilingual(REMEDY_LABELS.get(r, r)) for r in claim.open_remedies or []]
    rows = [
        (FAILURE_CONFIRMED, _yes_no(claim.failure_confirmed)),
        (REMEDIES_OPEN, "; ".join(remedies)),
        (REMEDY, _label(Remedy.choices, claim.remedy)),
        (REPAIR_IMPOSSIBLE, _yes_no(claim.repair_impossible)),
    ]
    if claim.replacement_model_id:
        rows.append((REPLACEMENT_MODEL, _model(claim.replacement_model)))
    rows += [
        (NOTE, claim.judgement_note),
        (JUDGED_BY, claim.judged_by.display_name if claim.judged_by_id else ""),
        (JUDGED_AT, fmt_datetime(claim.judged_at)),
    ]
    return field_table(rows, label_width=WIDE_LABEL)


def _resolution(claim: Claim) -> list[Flowable]:
    if claim.resolved_at is None:
        rows = []
        if claim.in_service_at:
            rows.append((SERVICE_STARTED, fmt_datetime(claim.in_service_at)))
            return [
                field_table(rows, label_width=WIDE_LABEL),
                Paragraph(bi_markup(NOT_RESOLVED), style("body")),
            ]
        return [Paragraph(bi_markup(NOT_RESOLVED), style("body"))]
    rows = [(OUTCOME, _label(Outcome.choices, claim.outcome))]
    if claim.replacement_unit_id:
        unit = claim.replacement_unit
        line = unit.serial
        if unit.warranty_starts_on:
            line += f" ({bilingual(WARRANTY_START)} {fmt_date(unit.warranty_starts_on)})"
        rows.append((REPLACEMENT_SERIAL, line))
        if claim.replacement_model_id and not claim.judged_at:
            rows.append((REPLACEMENT_MODEL, _model(claim.replacement_model)))
    rows += [
        (SERVICE_STARTED, fmt_datetime(claim.in_service_at)),
        (RESOLVED_AT, fmt_datetime(claim.resolved_at)),
        (DAYS_IN_SERVICE, _days(claim.days_in_service)),
        (NOTE, claim.resolution_note),
    ]
    if claim.closed_at:
        rows.append((CLOSED_AT, fmt_datetime(claim.closed_at)))
    return [field_table(rows, label_width=WIDE_LABEL)]


def _retained(claim: Claim) -> list[Flowable]:
    parts = list(claim.retained_parts.all())
    if not parts:
        return [Paragraph(bi_markup(NONE_RETAINED), style("body"))]
    rows = []
    for part in parts:
        disposal = _label(Disposal.choices, part.disposal) or bilingual(KEPT_NOT_RETURNED)
        if part.disposed_at:
            disposal += f" {fmt_datetime(part.disposed_at)}"
        rows.append(
            [
                _label(RetainedPartKind.choices, part.kind),
                part.label,
                part.serial,
                f"{org_name(part.held_by)} · {part.location}",
                disposal,
            ]
        )
    return [
        data_table(
            [KIND, WHAT, SERIAL, WHERE_KEPT, DISPOSAL], rows, [0.12, 0.26, 0.16, 0.26, 0.20]
        ),
        Spacer(1, 1.5 * mm),
        Paragraph(bi_markup(RETAINED_STATEMENT), style("small")),
    ]


def _timeline(claim: Claim) -> Flowable:
    rows = [
        [
            fmt_datetime(event.at),
            bilingual(EVENT_LABELS[event.action]) if event.action in EVENT_LABELS else event.action,
            event.actor.display_name if event.actor_id and event.actor else event.actor_label,
        ]
        for event in claim_timeline(claim=claim).select_related("actor")
    ]
    return data_table([TIME, EVENT, BY], rows, [0.22, 0.48, 0.30])


def claim_service_report_pdf(claim: Claim) -> bytes:
    """The report of the service: the facts of the claim, the verdict rule by rule
    with its reasons, the terms it was judged under (II.1: policy version,
    warranty months, windows, warranty end), the judgement (II.3), the resolution
    with the replacement serial and the parts the brand retained (II.4), the
    timeline, and lines for the technician and the customer to sign."""
    facts = (
        _handling_rows(claim)[:1]
        + _customer_rows(claim)
        + _product_rows(claim)
        + _document_rows(claim)
        + _fault_rows(claim)
        + [(STATUS, _label(ClaimStatus.choices, claim.status))]
    )
    story: list[Flowable] = [
        _number_block(claim),
        Spacer(1, 3 * mm),
        *block(FACTS, field_table(facts)),
        *block(ELIGIBILITY, _verdict_summary(claim), verdict_table(claim.verdict_results)),
        *block(TERMS, field_table(_terms_rows(claim), label_width=WIDE_LABEL)),
        *block(JUDGEMENT, _judgement(claim)),
        *block(RESOLUTION, *_resolution(claim)),
        *block(RETAINED, *_retained(claim)),
        *block(TIMELINE, _timeline(claim)),
        signature_lines([SIGN_TECHNICIAN, SIGN_CUSTOMER]),
    ]
    return _claim_pdf(claim, REPORT_TITLE, story)


# --- The list pages as workbooks (their "Export as XLSX" links) ---------------------------


def _claimant_cell(claim: Claim) -> str:
    if claim.claimant_org_id and claim.claimant_org:
        return org_label(claim.claimant_org)
    return claim.consumer_name


def _claim_status(claim: Claim) -> str:
    """The status as the list's badge says it: a resolved claim with its outcome."""
    label = claim.get_status_display()
    if claim.status == ClaimStatus.RESOLVED and claim.outcome:
        label = f"{label} · {claim.get_outcome_display()}"
    return label


CLAIMS = list_export(
    "claims.claims_xlsx",
    title=LIST_TITLE,
    stem="claims",
    columns=[
        Column(_("Claim"), lambda c: c.number),
        Column(_("Submitted"), lambda c: c.created_at),
        Column(_("Serial number"), lambda c: c.serial),
        Column(_("Model"), lambda c: c.model.code),
        Column(_("Claimant"), _claimant_cell),
        Column(_("Handled by"), lambda c: c.handling_org.code, shown=platform_only),
        Column(_("Fault"), lambda c: c.get_fault_kind_display()),
        Column(_("Verdict"), lambda c: c.get_verdict_display()),
        Column(_("Status"), _claim_status),
    ],
)


def _disposal(part) -> str:
    if not part.disposal:
        return gettext("kept")
    when = f"{timezone.localtime(part.disposed_at):%Y-%m-%d}" if part.disposed_at else ""
    return " ".join(x for x in (part.get_disposal_display(), when, part.disposal_note) if x)


RETAINED_PARTS = list_export(
    "claims.retained_parts_xlsx",
    title=_("Retained parts"),
    stem="retained-parts",
    columns=[
        Column(_("Stored since"), lambda p: p.taken_in_at),
        Column(_("Claim or batch unit"), lambda p: p.claim.number if p.claim else p.source_repr),
        Column(_("Kind"), lambda p: p.get_kind_display()),
        Column(_("What"), lambda p: p.label),
        Column(_("Serial number"), lambda p: p.serial),
        Column(_("Held by"), lambda p: p.held_by.code, shown=platform_only),
        Column(_("Where kept"), lambda p: p.location),
        Column(_("Disposal"), _disposal),
    ],
)


# --- The registry: one file name for the pages and the API ---------------------------------


for name, render, media_type, filename in (
    ("claim_receipt_pdf", claim_receipt_pdf, PDF, numbered("claim-receipt.pdf")),
    (
        "claim_service_report_pdf",
        claim_service_report_pdf,
        PDF,
        numbered("claim-service-report.pdf"),
    ),
):
    register(f"claims.{name}", render=render, filename=filename, media_type=media_type)
