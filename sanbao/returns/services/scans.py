"""Receipt by scanning (IV.3, IV.1): one labelled unit counted by its label's code.

This is the platform's busiest write (a clerk scans as fast as the scanner fires,
issue 14), so it is two hand-written statements, not the ORM's: one read of
everything a scan is decided on (the batch in the actor's scope, the label's line
with its model, and the label's scan if it was counted before), then, for a label
not counted yet, one ``INSERT … SELECT … ON CONFLICT DO NOTHING`` that writes the
scan only while the batch is, as stored, being received. The answer is built from
what these two statements read and wrote; nothing is read back.

A label counts once however many times and from however many scanners it arrives:
the unique (batch, code) row decides. The batch's row is locked shared for the
write (``Machine.guard_sql``), so scans of one batch do not queue behind each other,
while closing the receipt, which holds the row exclusively, waits for the scans
under way and they for it: no scan is left outside the count the close makes.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import connections, router
from django.utils import timezone

from sanbao.core import rows, tenancy
from sanbao.returns import policy
from sanbao.returns.errors import ERRORS
from sanbao.returns.models import ReceiptScan, ReturnBatch, ScanKind
from sanbao.returns.services.batches import receipt_box_check
from sanbao.returns.states import BATCH

__all__ = ["ScanResult", "receipt_scan"]


@dataclass(frozen=True)
class ScanResult:
    """A label counted now (``created``) or found counted before: the scan as the
    answer shows it. ``scan`` is the row as a model instance, not read again."""

    created: bool
    id: int
    code: str
    kind: ScanKind
    line_no: int | None
    box_no: int | None
    model: str | None  # the model's code
    note: str
    scanned_at: dt.datetime
    batch_id: int
    line_id: int | None
    model_id: int | None
    scanned_by_id: int

    @property
    def scan(self) -> ReceiptScan:
        return ReceiptScan(
            id=self.id,
            batch_id=self.batch_id,
            code=self.code,
            kind=self.kind,
            line_id=self.line_id,
            box_no=self.box_no,
            model_id=self.model_id,
            note=self.note,
            scanned_by_id=self.scanned_by_id,
            scanned_at=self.scanned_at,
        )


# The batch, the label's line with its model, and the label's scan if it was
# counted before: one row, or none when the batch is not there or not in the
# actor's scope (the condition ``{where}`` ends with).
_SCAN_COLUMNS = """
       scan.id, scan.kind, scan.line_id, scan.box_no, scan.model_id, scan.note,
       scan.scanned_by_id, scan.scanned_at"""
_STATE_SQL = f"""
SELECT returns_returnbatch.id, returns_returnbatch.number, returns_returnbatch.status,
       returns_returnbatch.declared_boxes, returns_returnbatch.received_boxes,
       line.id, line.quantity, line.box_no, line.model_id, line_model.code,{_SCAN_COLUMNS}
  FROM returns_returnbatch
  LEFT JOIN returns_batchline line
    ON line.batch_id = returns_returnbatch.id AND line.line_no = %s
  LEFT JOIN catalog_productmodel line_model ON line_model.id = line.model_id
  LEFT JOIN returns_receiptscan scan
    ON scan.batch_id = returns_returnbatch.id AND scan.code = %s
 WHERE {{where}}
"""
# The label's scan with its own line's number and model's code: when the write
# found it there (counted meanwhile), or when it is not of the label's line and
# that line's model (never, as long as this service is the labels' only writer;
# the read above does not join them, which PostgreSQL would plan every time).
_SCAN_SQL = f"""
SELECT{_SCAN_COLUMNS}, scan_line.line_no, scan_model.code
  FROM returns_receiptscan scan
  LEFT JOIN returns_batchline scan_line ON scan_line.id = scan.line_id
  LEFT JOIN catalog_productmodel scan_model ON scan_model.id = scan.model_id
 WHERE scan.batch_id = %s AND scan.code = %s
"""

# The scan, written only while the batch is in a state that takes scans (the
# condition and lock of ``BATCH.guard_sql("scan")``); its id, or no row when the
# label was counted meanwhile or the batch moved.
_INSERT_SQL = """
INSERT INTO returns_receiptscan
       (batch_id, code, kind, line_id, box_no, model_id, note, scanned_by_id, scanned_at)
SELECT returns_returnbatch.id, %s, %s, %s, %s, %s, '', %s, %s
  FROM returns_returnbatch
 WHERE returns_returnbatch.id = %s AND {guard}{lock}
    ON CONFLICT (batch_id, code) DO NOTHING
RETURNING id
"""


def receipt_scan(
    *, batch: ReturnBatch | str, actor, code: str, box_no: int | None = None
) -> ScanResult:
    """IV.3, IV.1: count one labelled unit by its label's code. A label counts once,
    however many times and from however many scanners it arrives: the unique
    (batch, code) row decides, so concurrent scans of one label cannot double it.

    ``batch`` is the batch, or its number as a person types it (the API's case: the
    batch is then read in the same statement as the line and any earlier scan,
    within ``visible_to(actor)``: 404 outside it). Role (403), scope (404), state
    (409), then the label (400); a label counted before answers as it was counted
    then (``created`` false), whatever the batch's state now."""
    using = router.db_for_write(ReceiptScan)
    connection = connections[using]
    code = (code or "").strip().upper()
    parsed = policy.parse_label_code(code)
    line_no = parsed[1] if parsed is not None else None
    with connection.cursor() as cursor:
        if isinstance(batch, ReturnBatch):
            BATCH.check(batch, actor, "scan")
            row = _state(cursor, "returns_returnbatch.id = %s", [batch.pk], line_no, code)
        else:
            BATCH.authorise(actor, "scan")
            visible, params = tenancy.visible_sql(ReturnBatch.objects, actor, connection)
            where = f"returns_returnbatch.number = %s AND {visible}"
            row = _state(cursor, where, [tenancy.typed_number(batch), *params], line_no, code)
            if row is not None:
                # As the ORM builds a row read with .only() (columns in the model's order).
                batch = ReturnBatch.from_db(
                    using, ["id", "number", "status", "declared_boxes", "received_boxes"], row[:5]
                )
                tenancy.mark_seen(batch, actor)
                BATCH.check(batch, actor, "scan")
        if row is None:
            raise ERRORS.not_found(BATCH.codes.not_found)
        line_id, quantity, line_box, model_id, model_code = row[5:10]
        if parsed is None:
            raise ERRORS.invalid("returns.label_unknown", "code", code=code[:60])
        number, line_no, seq = parsed
        if number != batch.number:
            raise ERRORS.invalid("returns.label_of_other_batch", "code", code=code, batch=number)
        if line_id is None or not 1 <= seq <= quantity:
            raise ERRORS.invalid("returns.label_unknown", "code", code=code)
        receipt_box_check(batch, box_no)
        seen = row[10:]
        if seen[0] is not None:
            if (seen[2], seen[4]) == (line_id, model_id):  # the label's line, its model
                return _counted(connection, batch.pk, code, (*seen, line_no, model_code))
            cursor.execute(_SCAN_SQL, [batch.pk, code])
            return _counted(connection, batch.pk, code, cursor.fetchone())
        scanned_at = timezone.now()  # the field's auto_now_add, which no ORM save applies here
        guard, states, lock = BATCH.guard_sql("scan", connection)
        values = [
            code,
            ScanKind.LABEL.value,
            line_id,
            box_no or line_box,
            model_id,
            actor.pk,
            connection.ops.adapt_datetimefield_value(scanned_at),
            batch.pk,
            *states,
        ]
        cursor.execute(_INSERT_SQL.format(guard=guard, lock=lock), values)
        written = cursor.fetchone()
        if written is None:  # counted meanwhile by another scanner, or the batch moved
            cursor.execute(_SCAN_SQL, [batch.pk, code])
            seen = cursor.fetchone()
            if seen is None:
                raise ERRORS.conflict(BATCH.codes.changed)
            return _counted(connection, batch.pk, code, seen)
    return ScanResult(
        created=True,
        id=written[0],
        code=code,
        kind=ScanKind.LABEL,
        line_no=line_no,
        box_no=box_no or line_box,
        model=model_code,
        note="",
        scanned_at=scanned_at,
        batch_id=batch.pk,
        line_id=line_id,
        model_id=model_id,
        scanned_by_id=actor.pk,
    )


def _state(cursor, where: str, params: list, line_no: int | None, code: str):
    cursor.execute(_STATE_SQL.format(where=where), [line_no, code, *params])
    return cursor.fetchone()


def _counted(connection, batch_id: int, code: str, seen) -> ScanResult:
    """The answer for a label counted before, from its scan's columns (``seen``)
    with its line's number and its model's code."""
    scan_id, kind, line_id, box_no, model_id, note, by_id, at, line_no, model = seen
    return ScanResult(
        created=False,
        id=scan_id,
        code=code,
        kind=ScanKind(kind),
        line_no=line_no,
        box_no=box_no,
        model=model,
        note=note,
        scanned_at=rows.value(ReceiptScan, "scanned_at", at, connection.alias),
        batch_id=batch_id,
        line_id=line_id,
        model_id=model_id,
        scanned_by_id=by_id,
    )
