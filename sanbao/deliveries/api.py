"""The deliveries API (SPEC V, VI): deliveries to agents entered by the platform,
their arrival with the inspection of every box, unpacking-damage declarations
with their evidence, and the commissioner's decision. Moves are made as
``core.api`` describes, with ``states.DELIVERY`` and ``states.DECLARATION``."""

from __future__ import annotations

from ninja import File, Form, Query, Router, Status, UploadedFile

from sanbao.core.api import (
    COMMON_ERRORS,
    WRITE_ERRORS,
    ErrorOut,
    Moves,
    Page,
    RecordId,
    binary_response,
    download_route,
    file_rejected,
    list_export_route,
    paginate_filtered,
)
from sanbao.core.uploads import attached_file
from sanbao.core.web import PDF
from sanbao.deliveries import documents, selectors
from sanbao.deliveries.errors import ERRORS
from sanbao.deliveries.schemas import (
    ArrivalIn,
    DecisionIn,
    DeclarationFilters,
    DeclarationIn,
    DeclarationOut,
    DeclarationSummaryOut,
    DeliveryFilters,
    DeliveryIn,
    DeliveryOut,
    DeliverySummaryOut,
    EvidenceOut,
    SubmitIn,
)
from sanbao.deliveries.services import declarations, deliveries
from sanbao.deliveries.states import DECLARATION, DELIVERY
from sanbao.documents import registry

router = Router(tags=["deliveries"])


def _delivery(request, number: str):
    return selectors.delivery_get(actor=request.auth, number=number)


def _declaration(request, number: str):
    return selectors.declaration_get(actor=request.auth, number=number)


DELIVERIES = Moves(DELIVERY, _delivery, "delivery")
DECLARATIONS = Moves(DECLARATION, _declaration, "declaration")


@router.get("/deliveries", response={200: Page[DeliverySummaryOut], **COMMON_ERRORS})
def list_deliveries(request, filters: Query[DeliveryFilters]):
    """Deliveries in the caller's scope: an agent its own, the platform all."""
    return paginate_filtered(selectors.delivery_list, request, filters)


list_export_route(
    router,
    "/deliveries/export.xlsx",
    "export_deliveries",
    filters=DeliveryFilters,
    select=selectors.delivery_list,
    export=documents.DELIVERIES,
    description="The deliveries matching the filter, as their list page shows them",
)


@router.post("/deliveries", response={201: DeliveryOut, **WRITE_ERRORS})
def create_delivery(request, payload: DeliveryIn):
    """Enter a delivery to an agent: its note, carrier and waybill, boxes with
    their expected weights (g) and the products in them."""
    delivery = deliveries.delivery_create(actor=request.auth, **payload.dict())
    return Status(201, _delivery(request, delivery.number))


class DeliveryImportRejectedOut(ErrorOut):
    """400: the error envelope; for a file with bad rows, the per-row ``report``."""

    report: dict | None = None


@router.post(
    "/deliveries/import",
    response={201: list[str], **WRITE_ERRORS, 400: DeliveryImportRejectedOut},
)
def import_deliveries(request, file: File[UploadedFile]):
    """Deliveries from the brand's shipping system: a CSV or XLSX file, one row per
    product line (``delivery_note``, ``agent``, ``carrier``, ``waybill``,
    ``shipped_at``, ``box``, ``expected_weight_g``, ``model_code``, ``quantity``).
    All or nothing: a file with any bad row writes nothing and answers 400 with
    the per-row report. Answers the numbers of the deliveries made."""
    result = deliveries.delivery_import(
        actor=request.auth, data=file.read(), filename=file.name or "upload"
    )
    if result.errors:
        message = ERRORS.message("deliveries.import_rejected", bad_rows=result.bad_rows)
        return file_rejected(
            "deliveries.import_rejected", message, result.bad_rows, report=result.as_dict()
        )
    return Status(201, [d.number for d in result.deliveries])


@router.get("/deliveries/{number}", response={200: DeliveryOut, **COMMON_ERRORS})
def get_delivery(request, number: str):
    return _delivery(request, number)


@router.post("/deliveries/{number}/arrival", response={200: DeliveryOut, **WRITE_ERRORS})
def record_arrival(request, number: str, payload: ArrivalIn):
    """The agent records when the courier handed the delivery over and, per box,
    the labels (VI.1), the outside (VI.2: a damaged box opened and inspected) and
    the courier's annotation with the actual weight (VI.3)."""
    return DELIVERIES.make(request, number, "arrive", deliveries.arrival_record, **payload.dict())


@router.post("/deliveries/{number}/declarations", response={201: DeclarationOut, **WRITE_ERRORS})
def open_declaration(request, number: str, payload: DeclarationIn):
    """V.1: declare damage found on unpacking, within the window after receipt."""
    delivery = DELIVERIES.target(request, number, "declare")
    declaration = declarations.declaration_open(
        actor=request.auth, delivery=delivery, **payload.dict()
    )
    return Status(201, _declaration(request, declaration.number))


@router.get("/declarations", response={200: Page[DeclarationSummaryOut], **COMMON_ERRORS})
def list_declarations(request, filters: Query[DeclarationFilters]):
    """Declarations in the caller's scope: an agent its own, a commissioner its
    department's."""
    return paginate_filtered(selectors.declaration_list, request, filters)


list_export_route(
    router,
    "/declarations/export.xlsx",
    "export_declarations",
    filters=DeclarationFilters,
    select=selectors.declaration_list,
    export=documents.DECLARATIONS,
    description="The declarations matching the filter, as their list page shows them",
)


@router.get("/declarations/{number}", response={200: DeclarationOut, **COMMON_ERRORS})
def get_declaration(request, number: str):
    return _declaration(request, number)


@router.post("/declarations/{number}/evidence", response={201: EvidenceOut, **WRITE_ERRORS})
def upload_evidence(
    request,
    number: str,
    kind: Form[str],
    file: File[UploadedFile],
):
    """V.2 (multipart form): ``kind`` is ``photo``, ``form`` (the stamped
    application form) or ``note`` (the delivery note signed by the courier)."""
    declaration = DECLARATIONS.target(request, number, "upload")
    evidence = declarations.evidence_upload(
        actor=request.auth, declaration=declaration, kind=kind, upload=file
    )
    return Status(201, evidence)


@router.get(
    "/declarations/{number}/evidence/{evidence_id}",
    response=COMMON_ERRORS,
    openapi_extra=binary_response("application/octet-stream", "The uploaded file"),
)
def get_evidence(request, number: str, evidence_id: RecordId):
    evidence = selectors.evidence_get(actor=request.auth, number=number, pk=evidence_id)
    return attached_file(evidence.file)


download_route(
    router,
    "/declarations/{number}/application.pdf",
    "get_declaration_application_pdf",
    PDF,
    "The pre-filled application form to print, stamp and sign (V.2)",
    fetch=_declaration,
    file_of=lambda declaration: registry.file("declaration_application_pdf", declaration),
)


download_route(
    router,
    "/declarations/{number}/credit-note.pdf",
    "get_declaration_credit_note_pdf",
    PDF,
    "The credit note of a declaration settled by a credit (V.2)",
    fetch=lambda request, number: selectors.credit_note_get(actor=request.auth, number=number),
    file_of=lambda note: registry.file("credit_note_pdf", note),
)


@router.post("/declarations/{number}/submit", response={200: DeclarationOut, **WRITE_ERRORS})
def submit_declaration(request, number: str, payload: SubmitIn):
    """V.2: send the complete application to the commissioner."""
    return DECLARATIONS.make(
        request, number, "submit", declarations.declaration_submit, **payload.dict()
    )


@router.post("/declarations/{number}/decision", response={200: DeclarationOut, **WRITE_ERRORS})
def decide_declaration(request, number: str, payload: DecisionIn):
    """The commissioner accepts (``outcome`` replaced or credited, ``settled`` how
    many of each model) or rejects with a ``reason``."""
    return DECLARATIONS.make(
        request, number, "decide", declarations.declaration_decide, **payload.dict()
    )
