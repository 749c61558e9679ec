"""IV.8: repair and delivery data are kept half a year after the record is done
with, "so that it is convenient for both parties to check"; then the purge removes
their personal data and uploaded files and keeps what statistics need.

Each workflow declares its purgeable record kinds in its own ``retention.py`` (a
:class:`PurgeKind`: the record, which of its records have expired, the fields to
blank, the files to delete, its return unit); :data:`PURGE_KINDS` lists them by
dotted path, so ``core`` imports no app. :func:`purge_expired` works kind by kind
in batches of ``SANBAO_PURGE_BATCH_SIZE`` records, each its own short transaction:
the ids are selected first (keyset: after the last id done), then one ``UPDATE …
WHERE id IN (…)`` per table, one audit event for the batch, and the batch's files
are deleted from storage once it has committed. A record on legal hold, or any
record of an organisation on hold, is left alone; a record once anonymised
(``anonymised_at``) is never selected again, so a second run changes nothing.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Model, Q, QuerySet
from django.utils import timezone
from django.utils.module_loading import import_string

from sanbao.core import audit
from sanbao.core.models import ORGANISATION_LABEL, LegalHold

log = logging.getLogger(__name__)

# Every purgeable record kind, by dotted path to its PurgeKind (apps declare them).
PURGE_KINDS = [
    "sanbao.returns.retention.BATCHES",
    "sanbao.returns.retention.SHIPMENTS",
    "sanbao.claims.retention.CLAIMS",
    "sanbao.deliveries.retention.DELIVERIES",
    "sanbao.deliveries.retention.DECLARATIONS",
    "sanbao.consumers.retention.REGISTRATIONS",
]

# What a required text becomes when its content goes (a constraint wants it non-empty).
REDACTED = "—"

# The two retention periods of IV.8, each a setting (days).
REPAIR = "SANBAO_RETENTION_REPAIR_DAYS"
DELIVERY = "SANBAO_RETENTION_DELIVERY_DAYS"

PURGED_ACTION = "retention.purged"


@dataclass(frozen=True)
class Scrub:
    """Rows of ``model`` belonging to the purged records (``link``: the lookup of
    the record's id, e.g. ``"batch_id"``), optionally only those matching
    ``condition``: ``values`` set, ``files`` deleted from storage and emptied."""

    model: type[Model]
    link: str
    values: Mapping[str, Any] = field(default_factory=dict)
    files: tuple[str, ...] = ()
    condition: Q | None = None

    def rows(self, ids) -> QuerySet:
        rows = self.model._base_manager.filter(**{f"{self.link}__in": ids})
        return rows.filter(self.condition) if self.condition is not None else rows


@dataclass(frozen=True)
class PurgeKind:
    """A record kind the purge handles.

    ``expired(cutoff)``: the records in a final state whose retention clock started
    before ``cutoff`` (each kind says which moment starts it, docs/decisions.md).
    ``organisation``: the lookup of the record's return unit, for holds on it.
    ``scrubs``: what goes, on the record itself (``link="pk"``) and on its rows.
    ``rewrite(ids)``: anything an UPDATE cannot say (personal data inside JSON),
    run in the batch's transaction. ``retention``: the setting of its period."""

    name: str
    model: type[Model]
    expired: Callable[[dt.datetime], QuerySet]
    organisation: str
    scrubs: tuple[Scrub, ...]
    retention: str = REPAIR
    rewrite: Callable[[list[int]], None] | None = None

    @property
    def label(self) -> str:
        return self.model._meta.label_lower


@dataclass
class KindReport:
    """What the purge did (or, in a dry run, would do) to one kind."""

    kind: str
    anonymised: int = 0
    files: int = 0
    held: int = 0
    batches: int = 0
    dry_run: bool = False

    def __str__(self) -> str:
        verb = "would anonymise" if self.dry_run else "anonymised"
        files = "would delete" if self.dry_run else "deleted"
        return (
            f"{self.kind}: {verb} {self.anonymised}, {files} {self.files} files, "
            f"skipped held {self.held}"
        )


def purge_kinds(names: list[str] | None = None) -> list[PurgeKind]:
    """The declared kinds (or those ``names``d), in :data:`PURGE_KINDS` order."""
    kinds = [import_string(path) for path in PURGE_KINDS]
    if names:
        unknown = set(names) - {k.name for k in kinds}
        if unknown:
            raise ValueError(f"unknown kind(s): {', '.join(sorted(unknown))}")
        kinds = [k for k in kinds if k.name in names]
    return kinds


def cutoff(kind: PurgeKind, now: dt.datetime | None = None) -> dt.datetime:
    """The start of the local day ``retention`` days before today: a record whose
    clock started on that day (exactly the period ago) is kept; earlier, expired."""
    today = timezone.localdate(now or timezone.now())
    day = today - dt.timedelta(days=getattr(settings, kind.retention))
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def expired(kind: PurgeKind, now: dt.datetime | None = None) -> QuerySet:
    """Expired records of ``kind`` not yet anonymised, held or not."""
    return kind.expired(cutoff(kind, now)).filter(anonymised_at__isnull=True)


def not_held(kind: PurgeKind, records: QuerySet) -> QuerySet:
    """``records`` without those on hold, themselves or through their organisation."""
    ids = _ints(LegalHold.objects.held_ids(kind.label))
    orgs = _ints(LegalHold.objects.held_ids(ORGANISATION_LABEL))
    if ids:
        records = records.exclude(pk__in=ids)
    if orgs:
        records = records.exclude(**{f"{kind.organisation}__in": orgs})
    return records


def is_held(record, organisation_id: int | None) -> bool:
    """Whether ``record`` is on hold, itself or through ``organisation_id``."""
    holds = LegalHold.objects.active()
    mine = Q(target_type=record._meta.label_lower, target_id=str(record.pk))
    if organisation_id is not None:
        mine |= Q(target_type=ORGANISATION_LABEL, target_id=str(organisation_id))
    return holds.filter(mine).exists()


def purge_expired(
    *,
    now: dt.datetime | None = None,
    dry_run: bool = False,
    batch_size: int | None = None,
    kinds: list[str] | None = None,
) -> list[KindReport]:
    """IV.8: anonymise every expired record not on hold, kind by kind, in batches;
    a dry run only counts. Safe to run twice: the second run finds nothing."""
    now = now or timezone.now()
    size = batch_size or settings.SANBAO_PURGE_BATCH_SIZE
    if size < 1:
        raise ValueError("the batch size is at least 1")
    return [
        _count(kind, now) if dry_run else _purge(kind, now, size) for kind in purge_kinds(kinds)
    ]


def _count(kind: PurgeKind, now) -> KindReport:
    records = expired(kind, now)
    total = records.count()
    eligible = not_held(kind, records)
    report = KindReport(kind.name, anonymised=eligible.count(), dry_run=True)
    report.held = total - report.anonymised
    ids = eligible.values("pk")
    for scrub in kind.scrubs:
        rows = scrub.rows(ids)
        for name in scrub.files:
            report.files += rows.exclude(**{name: ""}).count()
    return report


def _purge(kind: PurgeKind, now, size: int) -> KindReport:
    records = expired(kind, now)
    report = KindReport(kind.name, held=records.count() - not_held(kind, records).count())
    last = 0
    while True:
        with transaction.atomic():
            ids = list(
                not_held(kind, expired(kind, now))
                .filter(pk__gt=last)
                .order_by("pk")
                .values_list("pk", flat=True)[:size]
            )
            if not ids:
                break
            last = ids[-1]
            done, files = _anonymise(kind, ids, now)
            report.anonymised += done
            report.files += len(files)
            report.batches += 1
            audit.record_many(
                actor=None,
                action=PURGED_ACTION,
                target_model=kind.model,
                count=done,
                data={
                    "kind": kind.name,
                    "ids": ids,
                    "files": len(files),
                    "cutoff": cutoff(kind, now).date().isoformat(),
                },
            )
            transaction.on_commit(lambda files=files: _delete(files))
    return report


def _anonymise(kind: PurgeKind, ids: list[int], now) -> tuple[int, list[tuple[Any, str]]]:
    """One batch: the files noted, every scrub's UPDATE (the record's own one also
    stamps ``anonymised_at``), the rewrite."""
    files: list[tuple[Any, str]] = []
    stamped = None
    for scrub in kind.scrubs:
        rows = scrub.rows(ids)
        if scrub.files:
            storages = [scrub.model._meta.get_field(name).storage for name in scrub.files]
            for names in rows.values_list(*scrub.files):
                files += [(storages[i], n) for i, n in enumerate(names) if n]
        values = {**scrub.values, **{name: "" for name in scrub.files}}
        own = scrub.model is kind.model and scrub.link == "pk" and scrub.condition is None
        if own and stamped is None:
            stamped = rows.filter(anonymised_at__isnull=True).update(**values, anonymised_at=now)
        elif values:
            rows.update(**values)
    if kind.rewrite is not None:
        kind.rewrite(ids)
    if stamped is None:
        stamped = kind.model._base_manager.filter(pk__in=ids, anonymised_at__isnull=True).update(
            anonymised_at=now
        )
    return stamped, files


def _delete(files) -> None:
    for storage, name in files:
        try:
            storage.delete(name)
        except OSError:  # the record is anonymised all the same; the file is logged
            log.warning("retention: could not delete %s", name, exc_info=True)


def _ints(values) -> list[int]:
    return [int(v) for v in values if str(v).isdigit()]
