"""The returns API: batches with their packing list and lines, submission under the
packing rules, receipt by scanning and counting, anomalies and the contacts they
call for, testing and dispositions, delays, the turnaround queue, shipments with
their delivery lists, and the documents (SPEC IV, IV.P1–IV.P6, II.4).
The moves of a batch, a returned unit, an anomaly and a shipment are made as
``core.api`` describes, with ``states.BATCH`` and ``states.SHIPMENT``.
"""

from __future__ import annotations

from functools import partial
from typing import Literal

from django.utils.translation import gettext as _
from ninja import File, Form, Query, Router, Status, UploadedFile

from sanbao.accounts.roles import require
from sanbao.core.api import (
    COMMON_ERRORS,
    WRITE_ERRORS,
    ErrorOut,
    Moves,
    Page,
    PageNumber,
    PageSize,
    RecordId,
    binary_response,
    download_route,
    file_rejected,
    paginate,
    paginate_filtered,
)
from sanbao.core.errors import NotFound
from sanbao.core.uploads import attached_file
from sanbao.core.web import PDF, XLSX, download
from sanbao.documents import registry
from sanbao.notifications import services as notifications
from sanbao.notifications.models import ContactTask
from sanbao.returns import selectors, services
from sanbao.returns.models import ReturnBatch, ReturnedUnit, Shipment
from sanbao.returns.schemas import (
    AnomalyOut,
    AttemptIn,
    BatchFilters,
    BatchIn,
    BatchLineOut,
    BatchOut,
    BatchSummaryOut,
    ContactTaskOut,
    CountIn,
    CountsOut,
    DelayIn,
    DispatchIn,
    LinesImportRejectedOut,
    QueueEntryOut,
    QueueSort,
    ReceiptCloseIn,
    ReceiptOpenIn,
    RefusalIn,
    ResolutionIn,
    ReturnedUnitOut,
    ScanIn,
    ScanOut,
    ShipmentFilters,
    ShipmentIn,
    ShipmentOut,
    ShipmentSummaryOut,
    UnitDisposeIn,
    UnitIn,
    UnitTestIn,
)
from sanbao.returns.states import BATCH, SHIPMENT

router = Router(tags=["returns"])

BATCH_TARGET = ReturnBatch._meta.label_lower


def _batch(request, number: str) -> ReturnBatch:
    """The batch ``number`` as the API shows it, with its turnaround (IV.5)."""
    batch = selectors.batch_get(actor=request.auth, number=number)
    return selectors.with_turnaround([batch])[0]


def _batch_in_scope(request, number: str) -> ReturnBatch:
    return selectors.batch_get(actor=request.auth, number=number)


def _unit(request, unit_id: int) -> ReturnedUnit:
    return selectors.returned_unit_get(actor=request.auth, pk=unit_id)


def _anomaly(request, anomaly_id: int):
    return selectors.anomaly_get(actor=request.auth, pk=anomaly_id)


def _shipment(request, number: str) -> Shipment:
    return selectors.shipment_get(actor=request.auth, number=number)


BATCHES = Moves(BATCH, _batch_in_scope, arg="batch", show=_batch)
UNITS = Moves(BATCH, _unit, arg="unit")
ANOMALIES = Moves(BATCH, _anomaly, arg="anomaly")
SHIPMENTS = Moves(SHIPMENT, _shipment, arg="shipment")


def _lines(payload: BatchIn) -> list[services.LineIn]:
    return [services.LineIn(**line.dict()) for line in payload.lines]


def _header(payload: BatchIn) -> dict:
    header = payload.dict(exclude={"lines"})
    if not header["return_org_code"]:
        # Editing a draft keeps its return unit unless one is named.
        header.pop("return_org_code")
    return header


def _header_of(batch: ReturnBatch) -> dict:
    """A draft's packing list as it stands, to replace only its lines."""
    names = (
        "declared_units",
        "declared_boxes",
        "packed_on",
        "contact_person",
        "contact_phone",
        "carrier",
        "waybill_no",
        "home_delivery",
        "freight",
        "note",
    )
    return {name: getattr(batch, name) for name in names}


def _task(request, task_id: int) -> ContactTask:
    """A contact task about a return batch the caller may see (404 otherwise)."""
    task = (
        ContactTask.objects.visible_to(request.auth)
        .filter(pk=task_id, target_type=BATCH_TARGET)
        .select_related("recipient")
        .first()
    )
    if task is None:
        raise NotFound(code="returns.contact_task_not_found")
    return task


def _task_batch(request, task: ContactTask) -> ReturnBatch:
    try:
        pk = int(task.target_id)
    except ValueError:
        raise NotFound(code="returns.batch_not_found") from None
    batch = ReturnBatch.objects.visible_to(request.auth).filter(pk=pk).first()
    if batch is None:
        raise NotFound(code="returns.batch_not_found")
    return batch


def _tasks_of(request, batch: ReturnBatch):
    return (
        selectors.batch_contact_tasks(actor=request.auth, batch=batch)
        .select_related("recipient")
        .prefetch_related("attempts__contacted_by")
    )


# The packing list -------------------------------------------------------------------


@router.get(
    "/batches/lines-template.xlsx",
    response=COMMON_ERRORS,
    openapi_extra=binary_response(
        XLSX, "An empty spreadsheet of batch lines, for the lines import"
    ),
)
def get_lines_template(request):
    """The spreadsheet ``POST /batches/{number}/lines/import`` reads, with bilingual
    headers and a note on each column."""
    require(request.auth, "returns.create")
    return download(registry.file("returns.lines_template_xlsx"), attachment=True)


@router.post("/batches", response={201: BatchOut, **WRITE_ERRORS})
def create_batch(request, payload: BatchIn):
    """Write a draft batch with its packing list (IV.2) and lines. An agent or
    enterprise returns its own units; platform staff name the return unit with
    ``return_org_code``. The packing rules are checked on submission."""
    batch = services.batch_create(
        actor=request.auth, lines=_lines(payload), **payload.dict(exclude={"lines"})
    )
    return Status(201, _batch(request, batch.number))


@router.put("/batches/{number}", response={200: BatchOut, **WRITE_ERRORS})
def update_batch(request, number: str, payload: BatchIn):
    """Replace a draft's packing list and lines (409 once it is submitted)."""
    lines = _lines(payload)
    return BATCHES.make(
        request, number, "edit", services.batch_update, lines=lines, **_header(payload)
    )


@router.post(
    "/batches/{number}/lines/import",
    # The rejection of a bad file, with its per-row report, is the 400.
    response={200: BatchOut, **WRITE_ERRORS, 400: LinesImportRejectedOut},
)
def import_batch_lines(request, number: str, file: File[UploadedFile]):
    """Replace a draft's lines with those of a dealer's spreadsheet (XLSX), keeping
    its packing-list header. A file with any bad row changes nothing and answers
    400 with the per-row report in ``errors``."""
    batch = BATCHES.target(request, number, "edit")
    from sanbao.returns.importing import lines_from_xlsx

    lines, errors = lines_from_xlsx(file.read())
    if errors:
        rows = [_row_error(e) for e in errors]
        bad = len({r["row"] for r in rows if r["row"] is not None})
        message = (
            _("%(bad)s rows of the file are not valid; nothing was imported.") % {"bad": bad}
            if bad
            else _("The file cannot be imported; nothing was imported.")
        )
        return file_rejected("returns.lines_import_rejected", message, bad, errors=rows)
    services.batch_update(batch=batch, actor=request.auth, lines=lines, **_header_of(batch))
    return _batch(request, number)


def _row_error(error) -> dict:
    """One row of the import report, whether the importer gives dicts or objects."""

    def get(name, default=None):
        if isinstance(error, dict):
            return error.get(name, default)
        return getattr(error, name, default)

    row = get("row")
    return {
        "row": row if isinstance(row, int) else None,
        "column": str(get("column", "") or ""),
        "code": str(get("code", "") or ""),
        "message": str(get("message", "") or ""),
    }


# Reading ----------------------------------------------------------------------------


@router.get("/batches", response={200: Page[BatchSummaryOut], **COMMON_ERRORS})
def list_batches(request, filters: Query[BatchFilters]):
    """The batches the caller may see, newest first: platform users see all, an
    agent or enterprise its own."""
    return paginate_filtered(selectors.batch_list, request, filters)


@router.get("/batches/{number}", response={200: BatchOut, **COMMON_ERRORS})
def get_batch(request, number: str):
    """The packing list and shipping terms, declared beside received figures, the
    lines, what the caller may do next, a draft's packing problems and the open
    receipt anomalies."""
    return _batch(request, number)


# Moves ------------------------------------------------------------------------------


@router.post("/batches/{number}/submit", response={200: BatchOut, **WRITE_ERRORS})
def submit_batch(request, number: str):
    """Send the batch. The packing rules must hold: 400 ``returns.packing_refused``
    names each offending line in ``fields`` (IV.P1, IV.P3, IV.P4); cash on
    delivery is 400 ``returns.cash_on_delivery_refused`` (IV.P5). A batch not sent
    by home delivery is accepted with ``extra_cost_to_shipper`` set (IV.P6)."""
    return BATCHES.make(request, number, "submit", services.batch_submit)


@router.post("/batches/{number}/refuse", response={200: BatchOut, **WRITE_ERRORS})
def refuse_batch(request, number: str, payload: RefusalIn):
    """Refuse a parcel at the door, e.g. one the carrier delivers cash on delivery
    (IV.P5); the reason is shown to the return unit."""
    return BATCHES.make(request, number, "refuse", services.batch_refuse, reason=payload.reason)


# Receipt ----------------------------------------------------------------------------


@router.post("/batches/{number}/receipt", response={200: BatchOut, **WRITE_ERRORS})
def open_receipt(request, number: str, payload: ReceiptOpenIn = None):
    """The parcel is at the platform: counting starts. ``received_on``: the day it
    arrived (IV.5), today when left out."""
    received_on = payload.received_on if payload is not None else None
    return BATCHES.make(
        request, number, "open_receipt", services.receipt_open, received_on=received_on
    )


@router.post("/batches/{number}/scans", response={200: ScanOut, 201: ScanOut, **WRITE_ERRORS})
def receive_scan(request, number: str, payload: ScanIn):
    """Count one labelled unit by its label's code (IV.3). Idempotent: 201 when the
    label is counted now, 200 (``already_counted``) when it was counted before, by
    this scanner or any other."""
    result = services.receipt_scan(
        batch=number, actor=request.auth, code=payload.code, box_no=payload.box_no
    )
    return Status(201 if result.created else 200, _scan_out(result))


def _scan_out(result: services.ScanResult) -> ScanOut:
    """The answer built from the values the service holds, without validating them
    again (issue 14: a scan at scanner speed)."""
    return ScanOut.model_construct(
        created=result.created,
        already_counted=not result.created,
        code=result.code,
        kind=result.kind,
        line_no=result.line_no,
        box_no=result.box_no,
        model=result.model,
        note=result.note,
        scanned_at=result.scanned_at,
    )


@router.post("/batches/{number}/units", response={201: ScanOut, **WRITE_ERRORS})
def receive_unit(request, number: str, payload: UnitIn):
    """Count a unit that arrived without a label, or one not on the packing list
    (IV.4); either is reported to the return unit when receipt closes."""
    batch = BATCHES.target(request, number, "scan")
    scan = services.receipt_record_unit(batch=batch, actor=request.auth, **payload.dict())
    scan.created, scan.already_counted = True, False
    return Status(201, scan)


@router.put("/batches/{number}/lines/{line_no}/count", response={200: BatchLineOut, **WRITE_ERRORS})
def count_line(request, number: str, line_no: RecordId, payload: CountIn):
    """Count a line by hand instead of scanning, and note missing accessories.
    A typed count takes the place of the line's scans; null goes back to them."""
    batch = BATCHES.target(request, number, "scan")
    return services.receipt_set_count(
        batch=batch,
        actor=request.auth,
        line_no=line_no,
        counted=payload.counted,
        accessories_missing=payload.accessories_missing,
    )


@router.get("/batches/{number}/counts", response={200: CountsOut, **COMMON_ERRORS})
def get_receipt_counts(request, number: str):
    """Running counts per line, per box and in total, beside the declared total.
    Receiving staff's tool; the return unit sees the received figures on the batch
    once the receipt is closed."""
    batch = BATCHES.target(request, number, "scan")
    counts = services.receipt_counts(batch)
    boxes = [{"box_no": box, "counted": n} for box, n in counts["boxes"].items()]
    return {**counts, "boxes": boxes}


@router.post("/batches/{number}/receipt/close", response={200: BatchOut, **WRITE_ERRORS})
def close_receipt(request, number: str, payload: ReceiptCloseIn):
    """Close the receipt: the physical count prevails (IV.1). Any difference from
    the packing list opens receipt anomalies, puts the batch on hold and opens a
    contact task with the notice for the return unit (IV.4)."""
    return BATCHES.make(
        request,
        number,
        "close_receipt",
        services.receipt_close,
        received_boxes=payload.received_boxes,
    )


# Anomalies and contacts (IV.4) --------------------------------------------------------


@router.get("/batches/{number}/anomalies", response={200: list[AnomalyOut], **COMMON_ERRORS})
def list_batch_anomalies(request, number: str):
    """Every receipt anomaly of the batch, open and resolved."""
    batch = _batch(request, number)
    return selectors.anomaly_list(actor=request.auth, batch=batch).order_by("id")


@router.post("/anomalies/{anomaly_id}/resolve", response={200: AnomalyOut, **WRITE_ERRORS})
def resolve_anomaly(request, anomaly_id: RecordId, payload: ResolutionIn):
    """Resolve an anomaly with what was agreed; when the last one is resolved the
    batch is received."""
    note = payload.note
    return ANOMALIES.make(
        request, anomaly_id, "resolve_anomaly", services.anomaly_resolve, note=note
    )


@router.get(
    "/batches/{number}/contact-tasks", response={200: list[ContactTaskOut], **COMMON_ERRORS}
)
def list_batch_contact_tasks(request, number: str):
    """The telephone, fax and e-mail tasks about the batch, with every attempt."""
    batch = _batch(request, number)
    return _tasks_of(request, batch)


@router.post("/contact-tasks/{task_id}/attempts", response={201: ContactTaskOut, **WRITE_ERRORS})
def record_contact_attempt(request, task_id: RecordId, payload: AttemptIn):
    """Record a call or fax a person carried out, with its outcome (IV.4); one that
    reached the return unit closes the task."""
    require(request.auth, "contacts.manage")
    task = _task(request, task_id)
    notifications.attempt_record(task=task, actor=request.auth, **payload.dict())
    return Status(201, _task(request, task_id))


@router.post("/contact-tasks/{task_id}/email", response={200: ContactTaskOut, **WRITE_ERRORS})
def email_contact_task(request, task_id: RecordId):
    """E-mail the task's message with the anomaly notice (PDF) to the return unit;
    the attempt and its outcome are recorded once the mail backend answers."""
    require(request.auth, "contacts.manage")
    task = _task(request, task_id)
    batch = _task_batch(request, task)
    notice = registry.file("returns.anomaly_notice_pdf", batch)
    notifications.task_send_email(
        task=task, actor=request.auth, attachments=[notice.as_attachment()]
    )
    return _task(request, task_id)


# Documents --------------------------------------------------------------------------


def _paper(
    path: str,
    name: str,
    media_type: str,
    description: str,
    document: str,
    *,
    fetch=_batch,
    errors: dict | None = None,
) -> None:
    """The API's download of the registered paper ``document`` of the batch (or
    what ``fetch`` finds) named in ``path``."""
    download_route(
        router,
        path,
        name,
        media_type,
        description,
        fetch=fetch,
        file_of=partial(registry.file, document),
        errors=errors,
    )


_paper(
    "/batches/{number}/packing-list.pdf",
    "get_packing_list",
    PDF,
    "The packing list (IV.2), in English and Chinese",
    "returns.packing_list_pdf",
)


_paper(
    "/batches/{number}/packing-list.xlsx",
    "export_packing_list",
    XLSX,
    "The packing list and its lines, as a spreadsheet",
    "returns.packing_list_xlsx",
)


_paper(
    "/batches/{number}/repair-list.pdf",
    "get_repair_list",
    PDF,
    "The repair list, as many pages as the packing list states",
    "returns.repair_list_pdf",
)


@router.get(
    "/batches/{number}/labels.pdf",
    response=COMMON_ERRORS,
    openapi_extra=binary_response(PDF, "One fault label a unit with its barcode (IV.3)"),
)
def get_fault_labels(request, number: str, layout: Literal["60x40", "a4"] = "60x40"):
    """Fault labels, one a unit: ``60x40`` for a label printer, ``a4`` for sheets."""
    batch = _batch(request, number)
    return download(registry.file("returns.labels_pdf", batch, layout), attachment=True)


_paper(
    "/batches/{number}/anomaly-notice.pdf",
    "get_anomaly_notice",
    PDF,
    "The receipt anomaly notice to the return unit, for fax (IV.4)",
    "returns.anomaly_notice_pdf",
    errors={**COMMON_ERRORS, 409: ErrorOut},
)


# Testing, dispositions, delays (IV.P2, IV.6, II.3, II.4) ------------------------------


@router.post("/batches/{number}/testing", response={200: BatchOut, **WRITE_ERRORS})
def start_testing(request, number: str):
    """A received batch goes to testing: one returned unit for every unit that
    physically arrived (IV.1), labelled, unlabelled, unlisted or counted by hand."""
    return BATCHES.make(request, number, "start_testing", services.testing_start)


@router.get(
    "/batches/{number}/returned-units", response={200: list[ReturnedUnitOut], **COMMON_ERRORS}
)
def list_returned_units(request, number: str):
    """The units received in the batch with their tests, dispositions, delays and
    shipments; the return unit follows its own batches here."""
    batch = _batch(request, number)
    return list(selectors.returned_unit_list(actor=request.auth, batch=batch))


@router.get("/returned-units/{unit_id}", response={200: ReturnedUnitOut, **COMMON_ERRORS})
def get_returned_unit(request, unit_id: RecordId):
    return selectors.returned_unit_get(actor=request.auth, pk=unit_id)


@router.post("/returned-units/{unit_id}/test", response={200: ReturnedUnitOut, **WRITE_ERRORS})
def test_unit(
    request, unit_id: RecordId, payload: Form[UnitTestIn], photo: File[UploadedFile] = None
):
    """Record a unit's test (multipart form): fault confirmed, no fault found, or
    excluded under a rule of section III with the evidence and, for what the unit
    itself shows (III.4–III.8, III.10), a ``photo``."""
    return UNITS.make(request, unit_id, "test", services.unit_test, photo=photo, **payload.dict())


@router.get(
    "/returned-units/{unit_id}/photo",
    response=COMMON_ERRORS,
    openapi_extra=binary_response("image/jpeg", "The photo taken at the test"),
)
def get_returned_unit_photo(request, unit_id: RecordId):
    unit = selectors.returned_unit_get(actor=request.auth, pk=unit_id)
    if not unit.photo:
        raise NotFound(code="returns.photo_not_found")
    return attached_file(unit.photo)


@router.post(
    "/returned-units/{unit_id}/disposition", response={200: ReturnedUnitOut, **WRITE_ERRORS}
)
def dispose_unit(request, unit_id: RecordId, payload: UnitDisposeIn):
    """Deal with a tested unit: a confirmed fault is ``repaired`` or ``replaced``
    (a model not lower, II.3; the new serial is registered; the old unit and
    replaced parts go into the retained-parts ledger, II.4); a unit that does not
    meet the requirements is ``returned_as_is`` or ``charged`` with an amount and
    a reason (IV.P2). When every unit is dealt with or delayed, the batch is ready."""
    return UNITS.make(request, unit_id, "dispose", services.unit_dispose, **payload.dict())


@router.post("/returned-units/{unit_id}/delay", response={200: ReturnedUnitOut, **WRITE_ERRORS})
def delay_unit(request, unit_id: RecordId, payload: DelayIn):
    """IV.6: the unit is held back for shortage of products or parts, or force
    majeure; the rest of the batch goes back without it, and it follows later with
    an order of the return unit."""
    return UNITS.make(request, unit_id, "delay", services.unit_delay, **payload.dict())


@router.post("/batches/{number}/delay", response={200: BatchOut, **WRITE_ERRORS})
def delay_batch(request, number: str, payload: DelayIn):
    """IV.6 for the whole batch: every unit not yet shipped is delayed."""
    return BATCHES.make(request, number, "delay", services.batch_delay, **payload.dict())


@router.post("/batches/{number}/close", response={200: BatchOut, **WRITE_ERRORS})
def close_batch(request, number: str):
    """A batch whose units have all gone back is closed."""
    return BATCHES.make(request, number, "close", services.batch_close)


@router.get("/turnaround-queue", response={200: Page[QueueEntryOut], **COMMON_ERRORS})
def list_turnaround_queue(
    request,
    page: PageNumber = 1,
    page_size: PageSize = None,
    sort: QueueSort | None = None,
):
    """IV.5: batches received and not yet sent back, soonest due first, each with
    its due date, working days left or overdue; then batches on hold; last, those
    whose delayed units are still to follow (IV.6, ``units_to_follow``)."""
    return paginate(
        selectors.queue_for_api(actor=request.auth, sort=sort),
        page=page,
        page_size=page_size,
        rows=selectors.queue_entries,
    )


# Shipments and delivery lists (IV.7) ---------------------------------------------------


@router.get("/units-to-ship", response={200: list[ReturnedUnitOut], **COMMON_ERRORS})
def list_units_to_ship(request, return_org: str):
    """Units of a return unit that may go back now: dealt with, in no shipment, of
    batches ready to go back. Delayed ones (``delay_reason``) need an order (IV.6)."""
    return list(selectors.units_to_ship(actor=request.auth, return_org=return_org))


@router.get("/units-to-follow", response={200: list[ReturnedUnitOut], **COMMON_ERRORS})
def list_units_to_follow(request, return_org: str | None = None):
    """IV.6: the delayed units not yet shipped back ("still to follow"), by return
    unit and batch: every return unit's for the platform (``return_org`` for one),
    a return unit its own. They stay listed until the shipment taking them leaves."""
    org = return_org if request.auth.is_platform else None
    return list(selectors.units_to_follow(actor=request.auth, return_org=org))


@router.get("/shipments", response={200: Page[ShipmentSummaryOut], **COMMON_ERRORS})
def list_shipments(request, filters: Query[ShipmentFilters]):
    """Shipments, newest first: platform users see all, a return unit those to it."""
    return paginate_filtered(selectors.shipment_list, request, filters)


@router.post("/shipments", response={201: ShipmentOut, **WRITE_ERRORS})
def create_shipment(request, payload: ShipmentIn):
    """Prepare a shipment of units of one return unit, from one or several of its
    batches; delayed units go with the return unit's ``order_no`` (IV.6)."""
    shipment = services.shipment_create(actor=request.auth, **payload.dict())
    return Status(201, _shipment(request, shipment.number))


@router.get("/shipments/{number}", response={200: ShipmentOut, **COMMON_ERRORS})
def get_shipment(request, number: str):
    return _shipment(request, number)


@router.post("/shipments/{number}/dispatch", response={200: ShipmentOut, **WRITE_ERRORS})
def dispatch_shipment(request, number: str, payload: DispatchIn):
    """The shipment leaves with its waybill; each batch it completes is recorded as
    shipped on time or so many working days late (IV.5)."""
    return SHIPMENTS.make(request, number, "dispatch", services.shipment_dispatch, **payload.dict())


@router.post("/shipments/{number}/cancel", response={200: ShipmentOut, **WRITE_ERRORS})
def cancel_shipment(request, number: str):
    """A prepared shipment is called off; its units are free again."""
    return SHIPMENTS.make(request, number, "cancel", services.shipment_cancel)


_paper(
    "/shipments/{number}/delivery-list.pdf",
    "get_delivery_list",
    PDF,
    "The delivery list (IV.7), in English and Chinese",
    "returns.delivery_list_pdf",
    fetch=_shipment,
)


_paper(
    "/shipments/{number}/delivery-list.xlsx",
    "export_delivery_list",
    XLSX,
    "The delivery list as a spreadsheet",
    "returns.delivery_list_xlsx",
    fetch=_shipment,
)


__all__ = ["ErrorOut", "router"]
