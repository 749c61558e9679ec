"""Writes on the catalog, the unit registry and the retained-parts ledger."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.db import IntegrityError, connections, transaction
from django.utils import timezone

from sanbao.accounts.models import Organisation
from sanbao.accounts.roles import OrgKind, require
from sanbao.catalog.errors import ERRORS, LEDGER_MESSAGES
from sanbao.catalog.importing import (
    COLUMNS,
    VALUE_FIELDS,
    CleanRow,
    RowError,
    read_table,
    validate_rows,
)
from sanbao.catalog.models import Disposal, ProductModel, RetainedPart, RetainedPartKind, Unit
from sanbao.core import audit
from sanbao.core.errors import Conflict, NotFound, PolicyRefused


class ImportMode:
    ALL_OR_NOTHING = "all_or_nothing"
    VALID_ONLY = "valid_only"
    CHOICES = (ALL_OR_NOTHING, VALID_ONLY)


@dataclass
class ImportReport:
    filename: str
    mode: str
    total_rows: int = 0
    valid_rows: int = 0
    created: int = 0
    unchanged: int = 0
    written: bool = False
    errors: list[RowError] = field(default_factory=list)

    @property
    def bad_rows(self) -> int:
        return len({e.row for e in self.errors})

    def as_dict(self) -> dict:
        return {
            "filename": self.filename,
            "mode": self.mode,
            "total_rows": self.total_rows,
            "valid_rows": self.valid_rows,
            "bad_rows": self.bad_rows,
            "created": self.created,
            "unchanged": self.unchanged,
            "written": self.written,
            "errors": [e.as_dict() for e in self.errors],
        }


def _existing(serials: list[str]) -> dict[str, tuple]:
    """Current values of the serials already registered.

    On PostgreSQL one statement joins the table with the serials passed as one
    array: a million serials are one hash join, not 1,100 ``IN`` queries of 900
    (78 s of a million-row import were spent here and in the writes). Elsewhere
    (SQLite) in chunks, below SQLite's oldest bound-variable limit."""
    connection = connections[Unit.objects.db]
    found: dict[str, tuple] = {}
    if not serials:
        return found
    if connection.vendor == "postgresql":
        quote = connection.ops.quote_name
        columns = ", ".join(f"u.{quote(c)}" for c in _columns(["serial", *VALUE_FIELDS]))
        sql = (
            f"SELECT {columns} FROM {quote(Unit._meta.db_table)} u"
            f" JOIN unnest(%s::text[]) AS s(serial) ON u.{quote('serial')} = s.serial"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [serials])
            for row in cursor.fetchall():
                found[row[0]] = tuple(row[1:])
        return found
    step = 900
    for start in range(0, len(serials), step):
        chunk = serials[start : start + step]
        for row in Unit.objects.filter(serial__in=chunk).values_list("serial", *VALUE_FIELDS):
            found[row[0]] = tuple(row[1:])
    return found


def _columns(names: list[str]) -> list[str]:
    """The database columns of the unit fields ``names`` (``model_id`` → its column)."""
    return [Unit._meta.get_field(n.removesuffix("_id")).column for n in names]


def _insert_units(rows: list[CleanRow], progress: Callable[[int], None] | None = None) -> None:
    """Write validated rows: on PostgreSQL one ``COPY`` of them all, elsewhere one
    parameterised ``executemany`` a batch of ``SANBAO_IMPORT_BATCH_SIZE`` rows.

    ``bulk_create`` on SQLite sends at most 999 parameters per statement (124 rows
    of this table), which made writing six times slower than the database's own
    floor (bench/bench_import.py); on PostgreSQL ``COPY`` is the floor itself. The
    rows are already validated and the columns are the model's own, quoted by the
    connection, so nothing is lost by writing them directly; ``created_at`` gets
    the same value ``auto_now_add`` would. A serial registered meanwhile by another
    import fails the unique index either way (``IntegrityError``). ``progress`` is
    told how many rows are written, a batch at a time.
    """
    if not rows:
        return
    connection = connections[Unit.objects.db]
    quote = connection.ops.quote_name
    names = ["serial", *VALUE_FIELDS, "created_at"]
    table = quote(Unit._meta.db_table)
    column_list = ", ".join(quote(c) for c in _columns(names))
    now = timezone.now()
    batch = settings.SANBAO_IMPORT_BATCH_SIZE
    if connection.vendor == "postgresql":
        # ``COPY`` bypasses the cursor's ``execute``: its errors are translated here
        # (a unique violation is Django's ``IntegrityError``, as for an INSERT).
        with (
            connection.wrap_database_errors,
            connection.cursor() as cursor,
            cursor.copy(f"COPY {table} ({column_list}) FROM STDIN") as copy,
        ):
            for start in range(0, len(rows), batch):
                for r in rows[start : start + batch]:
                    copy.write_row((r.serial, *r.values(), now))
                if progress:
                    progress(min(start + batch, len(rows)))
        return
    sql = "INSERT INTO {} ({}) VALUES ({})".format(
        table, column_list, ", ".join(["%s"] * len(names))
    )
    fields = [Unit._meta.get_field(n.removesuffix("_id")) for n in names]
    with connection.cursor() as cursor:
        for start in range(0, len(rows), batch):
            chunk = rows[start : start + batch]
            params = [
                [
                    field.get_db_prep_value(value, connection)
                    for field, value in zip(fields, (r.serial, *r.values(), now), strict=True)
                ]
                for r in chunk
            ]
            cursor.executemany(sql, params)
            if progress:
                progress(start + len(chunk))


def unit_import(
    *,
    actor,
    data: bytes,
    filename: str,
    mode: str = ImportMode.ALL_OR_NOTHING,
    progress: Callable[[str, int, int], None] | None = None,
) -> ImportReport:
    """Register sold units from a CSV or XLSX file.

    Every row is validated before anything is written. With ``all_or_nothing``
    (the default) one bad row means nothing is written; with ``valid_only`` the
    good rows are written and the bad ones reported. A row whose serial is
    already registered with the same data is unchanged, so re-importing a file
    changes nothing; with different data it is a row error (the registry is
    never silently overwritten). Rows are written with ``COPY`` on PostgreSQL,
    in batches of multi-row inserts elsewhere (``_insert_units``), and one audit
    event records the import. ``actor`` None is a system job (command line,
    demo data).
    """
    if actor is not None:
        require(actor, "units.import")
    if mode not in ImportMode.CHOICES:
        mode = ImportMode.ALL_OR_NOTHING
    header, rows = read_table(data, filename)
    model_ids = dict(ProductModel.objects.values_list("code", "id"))
    org_ids = dict(
        Organisation.objects.filter(kind__in=[OrgKind.AGENT, OrgKind.ENTERPRISE]).values_list(
            "code", "id"
        )
    )
    validation = validate_rows(
        header,
        rows,
        model_ids=model_ids,
        org_ids=org_ids,
        progress=(lambda n: progress("validate", n, 0)) if progress else None,
    )
    report = ImportReport(filename=filename, mode=mode, total_rows=validation.total)
    errors = list(validation.errors)

    existing = _existing([r.serial for r in validation.clean])
    to_create: list[CleanRow] = []
    for row in validation.clean:
        current = existing.get(row.serial)
        if current is None:
            to_create.append(row)
        elif current == row.values():
            report.unchanged += 1
        else:
            differing = [
                name
                for name, a, b in zip(VALUE_FIELDS, current, row.values(), strict=True)
                if a != b
            ]
            errors.append(
                RowError(
                    row.row,
                    "serial",
                    "catalog.serial_registered_differently",
                    {
                        "value": row.serial,
                        "columns": ", ".join(d.removesuffix("_id") for d in differing),
                    },
                )
            )
    order = {name: i for i, name in enumerate(COLUMNS)}
    errors.sort(key=lambda e: (e.row, order.get(e.column, len(order))))
    report.errors = errors
    report.valid_rows = report.total_rows - report.bad_rows

    if errors and mode == ImportMode.ALL_OR_NOTHING:
        return report
    try:
        with transaction.atomic():
            _insert_units(
                to_create,
                (lambda n: progress("write", n, len(to_create))) if progress else None,
            )
            report.created = len(to_create)
            report.written = True
            if report.created:
                audit.record_many(
                    actor=actor,
                    action="unit.imported",
                    target_model=Unit,
                    count=report.created,
                    data={
                        "filename": filename,
                        "mode": mode,
                        "created": report.created,
                        "unchanged": report.unchanged,
                        "bad_rows": report.bad_rows,
                    },
                )
    except IntegrityError:
        # Another import registered some of these serials since they were checked;
        # nothing of this one was written (the transaction rolled back).
        raise ERRORS.conflict("catalog.import_conflict") from None
    return report


def _create_replacement(
    serial, model, warranty_start, original, region, sale_date, warranty_card_no
) -> Unit:
    return Unit.objects.create(
        serial=serial,
        model=model,
        authorised_channel=original.authorised_channel if original else True,
        channel_org=original.channel_org if original else None,
        sale_date=sale_date,
        region=region,
        warranty_card_no=warranty_card_no,
        warranty_starts_on=warranty_start,
        replaces=original,
    )


def unit_register_replacement(
    *,
    actor,
    serial: str,
    model: ProductModel,
    warranty_start,
    original: Unit | None = None,
    region: str = "mainland",
    sale_date=None,
    warranty_card_no: str = "",
) -> Unit:
    """Register the unit handed out as a replacement (II.3, I.2).

    The caller (a claim or a return-batch service) has checked the actor's right
    to replace and decides when the replacement's warranty starts (a new period,
    or the rest of the original's). The replacement keeps the original's channel,
    region and sale date (without a registered original, the given ones); its
    warranty card is its own (``warranty_card_no``, issued with it), never the
    original's (SPEC I.2: one unit, one card).
    This checks the serial and writes the unit with its audit event.
    """
    from sanbao.catalog.importing import SERIAL_RE

    serial = (serial or "").strip()
    if not SERIAL_RE.match(serial):
        raise ERRORS.invalid("catalog.serial_invalid", "replacement_serial", value=serial)
    if Unit.objects.filter(serial=serial).exists():
        raise ERRORS.invalid("catalog.serial_taken", "replacement_serial", serial=serial)
    if original is not None:
        region, sale_date = original.region, original.sale_date
    warranty_card_no = (warranty_card_no or "").strip()[:40]
    try:
        with transaction.atomic():
            unit = _create_replacement(
                serial, model, warranty_start, original, region, sale_date, warranty_card_no
            )
    except IntegrityError:  # registered by someone else since the check above
        raise ERRORS.invalid("catalog.serial_taken", "replacement_serial", serial=serial) from None
    audit.record(
        actor=actor,
        action="unit.registered_as_replacement",
        target=unit,
        data={
            "replaces": original.serial if original else None,
            "model": model.code,
            "warranty_start": warranty_start.isoformat() if warranty_start else None,
        },
    )
    return unit


# --- The retained-parts ledger (II.4) ----------------------------------------------

# The ledger's refusals keep the codes they had when it was part of claims: API
# clients know them, so a move between apps does not rename them. Their messages
# are in sanbao/catalog/errors.py LEDGER_MESSAGES (claims' catalogue takes them).


def _ledger_refusal(code: str, field: str) -> PolicyRefused:
    message = LEDGER_MESSAGES[code]
    return PolicyRefused(message, code=code, fields={field: [message]})


def retained_part_record(
    *,
    source,
    kind: str,
    description: str,
    held_by: Organisation,
    location: str,
    serial: str = "",
    model: ProductModel | None = None,
) -> RetainedPart:
    """II.4: the part or unit replaced under warranty goes into the ledger, never
    back to the user. ``source`` is the record it was taken from (a claim, a
    returned unit). The caller has checked its own rules and the actor's right,
    and records the audit event that names what it kept (a claim's resolution
    counts its parts); this writes the row inside the caller's transaction."""
    if kind not in RetainedPartKind.values:
        raise _ledger_refusal("claims.retained_kind_invalid", "kind")
    location = (location or "").strip()
    if not location:
        raise _ledger_refusal("claims.location_required", "retained_location")
    return RetainedPart.objects.create(
        source_type=source._meta.label_lower,
        source_id=str(source.pk),
        source_repr=str(source)[:200],
        kind=kind,
        description=((description or "").strip() or str(model or ""))[:200],
        model=model,
        serial=(serial or "").strip()[:40],
        held_by=held_by,
        location=location[:100],
    )


def retained_part_take_in(*, actor, **part) -> RetainedPart:
    """``retained_part_record`` (``part`` are its arguments) with an audit event of
    the part's own, for a caller whose event does not name it (a unit tested in the
    return workshop)."""
    row = retained_part_record(**part)
    audit.record(
        actor=actor,
        action="retained_part.taken_in",
        target=row,
        data={"from": row.source_repr, "kind": row.kind},
    )
    return row


def retained_part_dispose(
    *, part: RetainedPart, actor, disposal: str, note: str = ""
) -> RetainedPart:
    """Record what finally happened to a retained part. There is no way to mark it
    returned to the user (II.4). Zero rows updated means it was disposed of
    meanwhile: a 409."""
    require(actor, "retained_parts.manage")
    # Another outlet's part is missing to the actor, even when handed over directly.
    if not RetainedPart.objects.visible_to(actor).filter(pk=part.pk).exists():
        raise NotFound(code="claims.retained_part_not_found")
    if disposal not in Disposal.values:
        raise _ledger_refusal("claims.disposal_invalid", "disposal")
    now = timezone.now()
    note = (note or "").strip()[:300]
    with transaction.atomic():
        updated = RetainedPart.objects.filter(pk=part.pk, disposal="").update(
            disposal=disposal, disposed_at=now, disposal_note=note
        )
        if not updated:
            raise Conflict(
                LEDGER_MESSAGES["claims.already_disposed"], code="claims.already_disposed"
            )
        part.disposal, part.disposed_at, part.disposal_note = disposal, now, note
        audit.record(
            actor=actor, action="retained_part.disposed", target=part, data={"disposal": disposal}
        )
    return part
