"""The benchmark's data (bench/suite.py): a platform with its people and catalog,
then N sold units, N warranty claims and N/10 return batches, written in bulk.

The base is the demo (``sanbao.demo.loading.load``: the platform, two agents, an
enterprise, an outlet, their users, four categories and twenty models, 2,000 units,
eight claims and nine batches in every state), made through the services as
``make run`` makes it. The bulk is copied from it: each generated claim is one of
the demo's claims (each state in turn) on a unit of its own, each generated batch
one of the demo's received or shipped batches, under numbers no service draws
(``C0001-…``, ``R0001-…``: month 00/01 of year 2000). On PostgreSQL the rows go in
with COPY, elsewhere with one ``executemany``.

Besides: an API token per benchmark client for after-sales staff and for an agent
clerk, fresh units for the intake scenario (a unit has one live claim), and the
batches the receipt-scanning and document scenarios need, made by the services
(created, submitted, receipt opened).

    generate(rows=10_000, clients=8) -> Generated
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import json

from django.db import connection, transaction
from django.utils import timezone

# The generated records' number prefixes: month 01 of 2000, never drawn by
# core.numbers (it draws the current month).
CLAIM_PREFIX = "C0001-"
BATCH_PREFIX = "R0001-"
NUMBER_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
UNIT_PREFIX = "SBG"  # the N registered units
INTAKE_PREFIX = "SBI"  # units kept for the intake scenario, no claim yet
SCAN_MODEL = "HPT1"  # headphones: no accessory or bundling rule to trip a packing check
BATCHES_PER_ROW = 10  # N rows: N units, N claims, N / 10 batches (two lines each)
QUEUED_SHARE = 10  # one generated batch in ten is in the work queue (received or testing)


@dataclasses.dataclass
class Generated:
    rows: int
    staff_tokens: list[str]
    agent_tokens: list[str]
    serials: list[str]  # a sample of registered serials, for the look-up
    intake_serials: dict[str, list[str]]  # run name -> units with no claim
    scan_batches: dict[str, list[str]]  # run name -> one receiving batch per client
    scan_labels: dict[str, list[list[str]]]  # run name -> each client's label codes
    documents_batch: str  # 1,000 lines of one unit each: the packing list
    labels_batch: str  # 1,000 units on lines of 100: 1,000 fault labels
    counts: dict[str, int]


def number(prefix: str, i: int) -> str:
    """The i-th generated number: six characters of the numbering alphabet."""
    tail = []
    for _ in range(6):
        i, digit = divmod(i, len(NUMBER_ALPHABET))
        tail.append(NUMBER_ALPHABET[digit])
    return prefix + "".join(reversed(tail))


def _columns(model, skip=("id",)):
    return [f for f in model._meta.concrete_fields if f.attname not in skip]


def insert_rows(model, fields, rows) -> int:
    """Insert ``rows`` (tuples of Python values in ``fields`` order) into ``model``'s
    table: COPY on PostgreSQL, one executemany elsewhere. Values go through each
    field's own conversion, as the ORM would send them."""
    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    count = 0

    def prepare(row):
        return [f.get_db_prep_save(v, connection) for f, v in zip(fields, row, strict=True)]

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(prepare(row))
                    count += 1
        else:
            prepared = [prepare(row) for row in rows]
            marks = ", ".join(["%s"] * len(fields))
            cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", prepared)
            count = len(prepared)
    return count


def _clone(model, templates: list[dict], count: int, vary) -> int:
    """``count`` copies of the template rows in turn, each changed by ``vary(i, row)``."""
    fields = _columns(model)

    def rows():
        for i in range(count):
            row = dict(templates[i % len(templates)])
            row.update(vary(i, row))
            yield tuple(row[f.attname] for f in fields)

    return insert_rows(model, fields, rows())


def _templates(queryset) -> list[dict]:
    attnames = [f.attname for f in queryset.model._meta.concrete_fields]
    return list(queryset.order_by("pk").values(*attnames))


def _units(prefix: str, count: int, models: list[int], orgs: list[int], today: dt.date) -> int:
    from sanbao.catalog.models import Unit

    now = timezone.now()

    def vary(i, _row):
        return {
            "serial": f"{prefix}{i:09d}",
            "model_id": models[i % len(models)],
            "channel_org_id": orgs[i % len(orgs)],
            # Sold within the last 300 days: every warranty (6 or 12 months) still runs
            # for most of them.
            "sale_date": today - dt.timedelta(days=30 + i % 150),
            "warranty_card_no": f"WC{prefix}{i:09d}",
            # Made in lots of a thousand (a sheet of warranty cards is printed per lot).
            "production_lot": f"{prefix}-{i // 1000:06d}",
            "created_at": now,
        }

    template = {
        "authorised_channel": True,
        "region": "mainland",
        "warranty_starts_on": None,
        "replaces_id": None,
    }
    return _clone(Unit, [template], count, vary)


def _bulk_claims(count: int, today: dt.date) -> int:
    from sanbao.catalog.models import Unit
    from sanbao.claims.models import Claim

    templates = _templates(Claim.objects.exclude(unit=None).exclude(number__startswith="C0001"))
    units = dict(Unit.objects.filter(serial__startswith=UNIT_PREFIX).values_list("serial", "id"))
    models = dict(Unit.objects.filter(serial__startswith=UNIT_PREFIX).values_list("id", "model_id"))
    now = timezone.now()

    def vary(i, row):
        unit_id = units[f"{UNIT_PREFIX}{i:09d}"]
        days_ago = i % 200
        claimed = today - dt.timedelta(days=days_ago)
        created = now - dt.timedelta(days=days_ago, seconds=i % 86_400)
        return {
            "number": number(CLAIM_PREFIX, i),
            "unit_id": unit_id,
            "model_id": models[unit_id],
            "serial_reported": f"{UNIT_PREFIX}{i:09d}",
            "consumer_phone": f"139{i:08d}"[:11] if row["claimant_kind"] == "consumer" else "",
            "delivered_on": min(row["delivered_on"], claimed),
            "claimed_on": claimed,
            "handed_in_on": claimed,
            "proof_of_purchase_date": None,
            "created_at": created,
            "updated_at": created,
        }

    return _clone(Claim, templates, count, vary)


def _bulk_batches(count: int, today: dt.date) -> int:
    from sanbao.returns.models import BatchLine, ReturnBatch

    demo = ReturnBatch.objects.exclude(number__startswith=BATCH_PREFIX)
    queued = _templates(demo.filter(status__in=["received", "testing"]))
    done = _templates(demo.filter(status="shipped"))
    now = timezone.now()

    def vary(i, row):
        days_ago = i % 300
        fields = {
            "number": number(BATCH_PREFIX, i),
            "created_at": now - dt.timedelta(days=days_ago),
            "updated_at": now - dt.timedelta(days=days_ago),
        }
        if i % QUEUED_SHARE == 0:
            row.update(queued[i % len(queued)])
            fields["due_on"] = today + dt.timedelta(days=i % 7 - 2)
        return fields

    made = _clone(ReturnBatch, done, count, vary)
    ids = dict(
        ReturnBatch.objects.filter(number__startswith=BATCH_PREFIX).values_list("number", "id")
    )
    line = _templates(BatchLine.objects.filter(batch__status="shipped"))[0]

    def vary_line(i, _row):
        return {"batch_id": ids[number(BATCH_PREFIX, i // 2)], "line_no": i % 2 + 1}

    _clone(BatchLine, [line], count * 2, vary_line)
    return made


def _tokens(user, count: int, name: str) -> list[str]:
    from sanbao.accounts.services import token_create

    return [token_create(actor=user, name=f"{name}-{k}")[1] for k in range(count)]


def _scan_batch(agent, staff, labels: int, lines: int, tag: str):
    """A batch of ``labels`` units of SCAN_MODEL on ``lines`` lines, submitted and
    its receipt opened, made by the services."""
    from sanbao.returns import services as returns
    from sanbao.returns.policy import label_code

    per_line = -(-labels // lines)
    specs = []
    left = labels
    for n in range(1, lines + 1):
        quantity = min(per_line, left)
        if quantity <= 0:
            break
        specs.append(
            returns.LineIn(
                model_code=SCAN_MODEL, quantity=quantity, fault="No sound", box_no=1 + n % 4
            )
        )
        left -= quantity
    batch = returns.batch_create(
        actor=agent,
        lines=specs,
        declared_units=labels,
        declared_boxes=4,
        packed_on=timezone.localdate(),
        contact_person=f"Bench {tag}",
        contact_phone="13800000000",
    )
    returns.batch_submit(batch=batch, actor=agent)
    batch.refresh_from_db()
    returns.receipt_open(batch=batch, actor=staff)
    batch.refresh_from_db()
    codes = [
        label_code(batch.number, line.line_no, seq)
        for line in batch.lines.order_by("line_no")
        for seq in range(1, line.quantity + 1)
    ]
    return batch, codes


def _documents_batch(agent, lines: int) -> str:
    """A draft batch of ``lines`` lines of one unit each (more than a service takes,
    MAX_LINES, and more than a label's code can number): the 1,000-line packing list."""
    from sanbao.returns import services as returns
    from sanbao.returns.models import BatchLine

    first = returns.LineIn(model_code=SCAN_MODEL, quantity=1, fault="No sound", box_no=1)
    batch = returns.batch_create(
        actor=agent,
        lines=[first],
        declared_units=lines,
        declared_boxes=10,
        packed_on=timezone.localdate(),
        contact_person="Bench documents",
        contact_phone="13800000000",
    )
    template = _templates(BatchLine.objects.filter(batch=batch))[0]
    BatchLine.objects.filter(batch=batch).delete()
    _clone(
        BatchLine,
        [template],
        lines,
        lambda i, _row: {
            "line_no": i + 1,
            "box_no": 1 + i // 100,
            "fault": f"No sound from the left earbud after {i % 30 + 1} days",
        },
    )
    return batch.number


def generate(
    rows: int,
    *,
    clients: int = 8,
    runs: dict[str, int] | None = None,
    intake_per_client: int = 1000,
    scans_per_client: dict[str, int] | None = None,
    document_lines: int = 1000,
    log=print,
) -> Generated:
    """Write the benchmark's data into the (empty, migrated) database.

    ``runs``: run name -> clients in that run (default ``{"c1": 1, "c8": clients}``);
    each run gets its own fresh intake units and receiving batches, so that a run
    never finds the previous run's work done."""
    from sanbao.accounts.models import User
    from sanbao.catalog.models import ProductModel
    from sanbao.demo.loading import load

    runs = runs or {"c1": 1, f"c{clients}": clients}
    scans_per_client = scans_per_client or {name: 1250 for name in runs}
    today = timezone.localdate()
    started = timezone.now()
    with transaction.atomic():
        load(today=today)
    log(f"  demo base loaded [{(timezone.now() - started).total_seconds():.1f}s]")
    staff = User.objects.get(username="staff")
    agent = User.objects.get(username="agent_sz")
    most = max(runs.values())
    models = list(ProductModel.objects.order_by("code").values_list("id", flat=True))
    from sanbao.accounts.models import Organisation

    orgs = list(
        Organisation.objects.filter(kind__in=["agent", "enterprise"])
        .order_by("code")
        .values_list("id", flat=True)
    )
    counts = {}
    with transaction.atomic():
        t = timezone.now()
        counts["units"] = _units(UNIT_PREFIX, rows, models, orgs, today)
        log(f"  {counts['units']} units [{(timezone.now() - t).total_seconds():.1f}s]")
        t = timezone.now()
        counts["claims"] = _bulk_claims(rows, today)
        log(f"  {counts['claims']} claims [{(timezone.now() - t).total_seconds():.1f}s]")
        t = timezone.now()
        counts["batches"] = _bulk_batches(max(1, rows // BATCHES_PER_ROW), today)
        log(f"  {counts['batches']} batches [{(timezone.now() - t).total_seconds():.1f}s]")
        intake = {}
        hpt1 = ProductModel.objects.get(code=SCAN_MODEL).pk
        for n, (name, k) in enumerate(runs.items()):
            prefix = f"{INTAKE_PREFIX}{n}"
            _units(prefix, k * intake_per_client, [hpt1], orgs, today)
            intake[name] = [f"{prefix}{i:09d}" for i in range(k * intake_per_client)]
        counts["intake_units"] = sum(len(v) for v in intake.values())
        staff_tokens = _tokens(staff, most, "bench-staff")
        agent_tokens = _tokens(agent, most, "bench-agent")
    t = timezone.now()
    scan_batches, scan_labels = {}, {}
    for name, k in runs.items():
        scan_batches[name], scan_labels[name] = [], []
        # Labels enough for every scan; a fifth of the scans repeat a label.
        labels = max(1, scans_per_client[name] * 4 // 5 + 1)
        for c in range(k):
            batch, codes = _scan_batch(agent, staff, labels, -(-labels // 999), f"{name}-{c}")
            scan_batches[name].append(batch.number)
            scan_labels[name].append(codes)
    log(f"  receiving batches for the scans [{(timezone.now() - t).total_seconds():.1f}s]")
    documents = _documents_batch(agent, document_lines)
    labels_batch, _codes = _scan_batch(
        agent, staff, document_lines, -(-document_lines // 100), "labels"
    )
    if connection.vendor == "postgresql":
        # VACUUM as well as ANALYZE: rows written by COPY have an empty visibility
        # map until a vacuum, so every count would read the table's pages instead of
        # an index alone. A live server's autovacuum does this soon after a bulk
        # load; the benchmark does not wait for it (or cannot: it may be off). VACUUM
        # cannot run inside a transaction (the tests' generation is in one).
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE")
    step = max(1, rows // 2000)
    serials = [f"{UNIT_PREFIX}{i:09d}" for i in range(0, rows, step)]
    return Generated(
        rows=rows,
        staff_tokens=staff_tokens,
        agent_tokens=agent_tokens,
        serials=serials,
        intake_serials=intake,
        scan_batches=scan_batches,
        scan_labels=scan_labels,
        documents_batch=documents,
        labels_batch=labels_batch.number,
        counts=counts,
    )


def as_json(generated: Generated) -> str:
    buffer = io.StringIO()
    json.dump(dataclasses.asdict(generated), buffer)
    return buffer.getvalue()
