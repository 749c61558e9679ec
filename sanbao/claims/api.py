"""The claims API: intake, the claim and its timeline, the actions of its life,
its documents, and the retained-parts ledger (SPEC I, II, III). The moves of a
claim are made as ``core.api`` describes, with the claim's ``states.CLAIM``.
"""

from __future__ import annotations

from functools import partial

from ninja import File, Query, Router, Status, UploadedFile

from sanbao.accounts.roles import require
from sanbao.catalog import selectors as catalog_selectors
from sanbao.claims import documents, selectors, services
from sanbao.claims.errors import MESSAGES
from sanbao.claims.schemas import (
    CardNumberIn,
    ClaimFilters,
    ClaimIn,
    ClaimOut,
    ClaimResolutionIn,
    ClaimSummaryOut,
    DisposalIn,
    FindingsIn,
    JudgementIn,
    RetainedPartFilters,
    RetainedPartOut,
    TimelineEventOut,
)
from sanbao.claims.states import CLAIM
from sanbao.core.api import (
    COMMON_ERRORS,
    WRITE_ERRORS,
    Moves,
    Page,
    RecordId,
    download_route,
    list_export_route,
    paginate_filtered,
)
from sanbao.core.errors import NotFound, field_error
from sanbao.core.web import PDF
from sanbao.documents import registry

router = Router(tags=["claims"])


def _claim(request, number: str):
    return selectors.claim_get(actor=request.auth, number=number)


CLAIMS = Moves(CLAIM, _claim, arg="claim")


def _model(request, code: str, field: str):
    """The product model of a code given in a body; an unknown one is a field error
    (400), not a missing resource: the claim in the URL exists. Looked up once the
    claim is (``CLAIMS.target``), so that 403 and 404 come before a 400 on the body."""
    if not code:
        return None
    try:
        return catalog_selectors.product_model_get(actor=request.auth, code=code)
    except NotFound:
        raise field_error(
            field, MESSAGES["claims.model_unknown"], code="claims.model_unknown", value=code
        ) from None


def _findings(items) -> list[services.FindingIn]:
    return [services.FindingIn(rule=f.rule, found=f.found, note=f.note) for f in items]


# Intake -----------------------------------------------------------------------------


@router.post("/claims", response={201: ClaimOut, **WRITE_ERRORS})
def create_claim(request, payload: ClaimIn):
    """Take in a warranty claim; its eligibility is evaluated at once (SPEC III).
    Attach the scans of the documents with ``POST /claims/{number}/scans``."""
    data = payload.dict(exclude={"findings", "region", "remedy_requested"})
    claim = services.claim_create(
        actor=request.auth,
        region=payload.region or "",
        remedy_requested=payload.remedy_requested or "",
        findings=_findings(payload.findings),
        **data,
    )
    # The claim as the service wrote it, its relations and checklist in memory:
    # what a read would return (test_the_intake_answer_is_what_a_read_returns).
    return Status(201, claim)


@router.post("/claims/{number}/scans", response={200: ClaimOut, **WRITE_ERRORS})
def attach_claim_scans(
    request,
    number: str,
    proof_of_purchase_scan: File[UploadedFile] = None,
    warranty_card_scan: File[UploadedFile] = None,
):
    """Attach the scans of the proof of purchase and the warranty card (II.2), at
    least one; PDF, JPEG or PNG. The claim is evaluated again."""
    return CLAIMS.make(
        request,
        number,
        "record_findings",
        services.claim_attach_scans,
        proof_of_purchase_scan=proof_of_purchase_scan,
        warranty_card_scan=warranty_card_scan,
    )


@router.post("/claims/{number}/warranty-card-no", response={200: ClaimOut, **WRITE_ERRORS})
def correct_claim_warranty_card_no(request, number: str, payload: CardNumberIn):
    """III.3: correct a mistyped warranty card number before judgement (compared
    with the registry's whatever its case and surrounding spaces); the claim is
    evaluated again."""
    return CLAIMS.make(
        request,
        number,
        "record_findings",
        services.claim_correct_card_no,
        warranty_card_no=payload.warranty_card_no,
    )


# Reading ----------------------------------------------------------------------------


@router.get("/claims", response={200: Page[ClaimSummaryOut], **COMMON_ERRORS})
def list_claims(request, filters: Query[ClaimFilters]):
    return paginate_filtered(selectors.claim_list, request, filters, rows=selectors.claim_summaries)


# Before /claims/{number}: the export's path would otherwise read as a claim number.
list_export_route(
    router,
    "/claims/export.xlsx",
    "export_claims",
    filters=ClaimFilters,
    select=selectors.claim_list,
    export=documents.CLAIMS,
    description="The claims matching the filters, as the claim list's page shows them",
)


@router.get("/claims/{number}", response={200: ClaimOut, **COMMON_ERRORS})
def get_claim(request, number: str):
    return _claim(request, number)


@router.get("/claims/{number}/timeline", response={200: list[TimelineEventOut], **COMMON_ERRORS})
def get_claim_timeline(request, number: str):
    """Every recorded action on the claim, oldest first."""
    claim = _claim(request, number)
    return selectors.claim_timeline(claim=claim).select_related("actor")


def _paper(path: str, name: str, description: str, document: str) -> None:
    """The API's download of the claim's PDF paper ``document`` (in the registry)."""
    download_route(
        router,
        path,
        name,
        PDF,
        description,
        fetch=_claim,
        file_of=partial(registry.file, document),
    )


_paper(
    "/claims/{number}/receipt.pdf",
    "get_claim_receipt",
    "The claim receipt, in English and Chinese",
    "claims.claim_receipt_pdf",
)
_paper(
    "/claims/{number}/report.pdf",
    "get_claim_service_report",
    "The service report, in English and Chinese",
    "claims.claim_service_report_pdf",
)


# Actions ----------------------------------------------------------------------------


@router.post("/claims/{number}/start-judgement", response={200: ClaimOut, **WRITE_ERRORS})
def start_claim_judgement(request, number: str):
    return CLAIMS.make(request, number, "start_judgement", services.claim_start_judgement)


@router.post("/claims/{number}/findings", response={200: ClaimOut, **WRITE_ERRORS})
def record_claim_findings(request, number: str, payload: FindingsIn):
    """Record answers of the inspection checklist; the claim is evaluated again.
    An exclusion found that the unit shows (III.4–III.8, III.10) needs a note and a
    photo: attach the photo first with ``POST /claims/{number}/findings/{rule}/photo``."""
    findings = _findings(payload.findings)
    return CLAIMS.make(
        request, number, "record_findings", services.claim_record_findings, findings=findings
    )


@router.post("/claims/{number}/findings/{rule}/photo", response={200: ClaimOut, **WRITE_ERRORS})
def attach_claim_finding_photo(request, number: str, rule: str, photo: File[UploadedFile]):
    """Attach (or replace) the photo of the checklist finding ``rule`` (e.g.
    ``III.6``), a JPEG or PNG, before judgement. An exclusion the unit shows
    (III.4–III.8, III.10) is recorded with a note and a photo (issue 10 item 7):
    first attach the photo here, then record the finding found with its note
    through ``POST /claims/{number}/findings``, which refuses it without a photo
    (400 ``claims.findings_invalid``, field ``photo_III_6``). A question not
    answered yet keeps the photo as not checked; the verdict does not change."""
    return CLAIMS.make(
        request,
        number,
        "record_findings",
        services.claim_attach_finding_photo,
        rule=rule,
        photo=photo,
    )


@router.post("/claims/{number}/judge", response={200: ClaimOut, **WRITE_ERRORS})
def judge_claim(request, number: str, payload: JudgementIn):
    """II.3: confirm or deny the performance failure and choose an open remedy. A
    replacement model must be the same model or one whose specifications are not
    lower (400 ``claims.replacement_lower`` otherwise)."""
    claim = CLAIMS.target(request, number, "judge")
    services.claim_judge(
        claim=claim,
        actor=request.auth,
        failure_confirmed=payload.failure_confirmed,
        remedy=payload.remedy or "",
        replacement_model=_model(request, payload.replacement_model_code, "replacement_model"),
        repair_impossible=payload.repair_impossible,
        note=payload.note,
        replacement_decision=payload.replacement_decision,
    )
    return _claim(request, number)


@router.post("/claims/{number}/start-service", response={200: ClaimOut, **WRITE_ERRORS})
def start_claim_service(request, number: str):
    return CLAIMS.make(request, number, "start_service", services.claim_start_service)


@router.post("/claims/{number}/resolve", response={200: ClaimOut, **WRITE_ERRORS})
def resolve_claim(request, number: str, payload: ClaimResolutionIn):
    """Repaired, replaced or refunded, as the remedy says. A replaced or refunded
    unit and the parts listed go into the retained-parts ledger (II.4)."""
    claim = CLAIMS.target(request, number, "resolve")
    services.claim_resolve(
        claim=claim,
        actor=request.auth,
        outcome=payload.outcome,
        retained_location=payload.retained_location,
        replacement_serial=payload.replacement_serial,
        replacement_model=_model(request, payload.replacement_model_code, "replacement_model"),
        retained_parts=[p.dict() for p in payload.retained_parts],
        note=payload.note,
        replacement_card_no=payload.replacement_card_no,
        replacement_decision=payload.replacement_decision,
        return_waybill=payload.return_waybill,
    )
    return _claim(request, number)


@router.post("/claims/{number}/close", response={200: ClaimOut, **WRITE_ERRORS})
def close_claim(request, number: str):
    return CLAIMS.make(request, number, "close", services.claim_close)


# Retained parts (II.4) --------------------------------------------------------------


@router.get("/retained-parts", response={200: Page[RetainedPartOut], **COMMON_ERRORS})
def list_retained_parts(request, filters: Query[RetainedPartFilters]):
    return paginate_filtered(selectors.retained_part_list, request, filters)


list_export_route(
    router,
    "/retained-parts/export.xlsx",
    "export_retained_parts",
    filters=RetainedPartFilters,
    select=selectors.retained_part_list,
    export=documents.RETAINED_PARTS,
    description="The ledger's rows matching the filter, as its page lists them",
)


@router.post("/retained-parts/{part_id}/dispose", response={200: RetainedPartOut, **WRITE_ERRORS})
def dispose_retained_part(request, part_id: RecordId, payload: DisposalIn):
    """Record how a retained part was disposed of; never returned to the user."""
    require(request.auth, "retained_parts.manage")
    part = selectors.retained_part_get(actor=request.auth, pk=part_id)
    services.retained_part_dispose(
        part=part, actor=request.auth, disposal=payload.disposal, note=payload.note
    )
    return selectors.retained_part_get(actor=request.auth, pk=part_id)


__all__ = ["router"]
