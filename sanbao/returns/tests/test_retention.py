"""IV.8: return batches and shipments are kept half a year after they are done
with, then purged of personal data and files; their statistics stay."""

from __future__ import annotations

import datetime as dt
import math
import re
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from sanbao.accounts.holds import hold_release, hold_set
from sanbao.core.models import AuditEvent
from sanbao.core.retention import PURGED_ACTION, purge_expired
from sanbao.returns.models import ReturnBatch, ReturnedUnit, Shipment
from sanbao.returns.tests.conftest import (
    dispose,
    draft,
    pb_lines,
    photo,
    record_test,
    shipped,
    under_test,
)

NOW = timezone.now()
KEPT = NOW - dt.timedelta(days=183)  # exactly the period ago: kept
GONE = NOW - dt.timedelta(days=184)  # more than six months ago: purged


@pytest.fixture(autouse=True)
def _catalog(pb10k):
    """The power bank the batches send back."""


def purge(**options):
    reports = purge_expired(now=NOW, kinds=["batches", "shipments"], **options)
    return {r.kind: r for r in reports}


def shipped_back(clerk, staff, *, when=GONE, units=2):
    """A batch tested and dealt with (notes and a photo per unit), shipped back ``when``."""
    batch = under_test(clerk, staff, pb_lines(units), note="Ask for Mr Zhang, 13900001111")
    for unit in batch.units.order_by("seq"):
        record_test(
            unit, staff, "no_fault_found", evidence="Owner Li Lei says it fell", photo=photo()
        )
        dispose(unit, staff, "returned_as_is", note="Li Lei, Room 5, 8 Jianshe Road")
    shipped(batch, staff, units=list(batch.units.all()))
    return shipped_on(batch, when)


def shipped_on(batch, when):
    """The batch as if it had been shipped back (its last move) on ``when``."""
    ReturnBatch.objects.filter(pk=batch.pk).update(shipped_at=when, updated_at=when)
    return ReturnBatch.objects.get(pk=batch.pk)


def closed_draft(clerk, when=GONE, *, status="closed"):
    """A batch in a final state (or ``status``), done with ``when``: a quick record
    whose statistics do not matter to the test."""
    batch = draft(clerk, pb_lines(1), note="Call Wang Fang")
    ReturnBatch.objects.filter(pk=batch.pk).update(status=status, closed_at=when, updated_at=when)
    return ReturnBatch.objects.get(pk=batch.pk)


def personal(batch) -> tuple:
    batch = ReturnBatch.objects.get(pk=batch.pk)
    return (batch.contact_person, batch.contact_phone, batch.note)


@pytest.mark.clause("IV.8")
def test_a_batch_shipped_183_days_ago_is_kept(agent_a_clerk, platform_staff):
    batch = shipped_back(agent_a_clerk, platform_staff, when=KEPT)
    original = personal(batch)
    report = purge()["batches"]
    assert report.anonymised == 0
    assert personal(batch) == original
    assert original[0] == "Wang Fang" and original[2] == "Ask for Mr Zhang, 13900001111"
    assert all(u.photo and u.evidence for u in batch.units.all())
    assert ReturnBatch.objects.get(pk=batch.pk).anonymised_at is None


@pytest.mark.clause("IV.8")
def test_a_batch_shipped_more_than_six_months_ago_is_purged_and_its_statistics_stay(
    agent_a_clerk, platform_staff
):
    batch = shipped_back(agent_a_clerk, platform_staff)
    before = ReturnBatch.objects.get(pk=batch.pk)
    units_before = list(
        batch.units.order_by("seq").values_list(
            "model__code", "serial_in", "result", "disposition", "tested_at", "disposed_at"
        )
    )
    report = purge()["batches"]
    assert (report.anonymised, report.files, report.held, report.batches) == (1, 2, 0, 1)
    after = ReturnBatch.objects.get(pk=batch.pk)
    assert personal(after) == ("", "", "")
    assert after.anonymised_at == NOW
    for unit in after.units.all():
        assert (unit.evidence, unit.photo.name, unit.disposition_note) == ("", "", "")
    # What statistics need stays: status, counts, dates, models, results, dispositions.
    kept = ("status", "declared_units", "received_units", "received_on", "shipped_at", "due_on")
    assert [getattr(after, f) for f in kept] == [getattr(before, f) for f in kept]
    assert after.lines.count() == 2 and after.lines.first().model.code == "PB10K"
    assert (
        list(
            after.units.order_by("seq").values_list(
                "model__code", "serial_in", "result", "disposition", "tested_at", "disposed_at"
            )
        )
        == units_before
    )
    event = AuditEvent.objects.get(action=PURGED_ACTION, target_type="returns.returnbatch")
    assert event.data["ids"] == [batch.pk] and event.data["files"] == 2


@pytest.mark.clause("IV.8")
@pytest.mark.parametrize("status", ["submitted", "receiving", "on_hold", "testing", "delayed"])
def test_an_open_batch_is_never_purged_whatever_its_age(agent_a_clerk, status):
    batch = closed_draft(agent_a_clerk, NOW - dt.timedelta(days=2000), status=status)
    original = personal(batch)
    assert purge()["batches"].anonymised == 0
    assert personal(batch) == original
    assert original[0] == "Wang Fang" and original[2] == "Call Wang Fang"


@pytest.mark.clause("IV.8")
def test_a_batch_on_hold_is_kept_until_the_hold_is_released(agent_a_clerk, platform_manager):
    batch = closed_draft(agent_a_clerk)
    hold = hold_set(
        actor=platform_manager, kind="batches", reference=batch.number, reason="Dispute 7"
    )
    report = purge()["batches"]
    assert (report.anonymised, report.held) == (0, 1)
    assert personal(batch)[0] == "Wang Fang"
    hold_release(actor=platform_manager, hold=hold)
    assert purge()["batches"].anonymised == 1
    assert personal(batch) == ("", "", "")


@pytest.mark.clause("IV.8")
def test_every_record_of_a_return_unit_on_hold_is_kept_and_the_others_are_purged(
    agent_a_clerk, agent_b_clerk, platform_manager, platform_staff
):
    mine = closed_draft(agent_a_clerk)
    theirs = closed_draft(agent_b_clerk)
    hold_set(actor=platform_manager, kind="organisation", reference="AG-A", reason="Audit 2026")
    report = purge()["batches"]
    assert (report.anonymised, report.held) == (1, 1)
    assert personal(mine)[0] == "Wang Fang"
    assert personal(theirs) == ("", "", "")


@pytest.mark.clause("IV.8")
def test_a_second_run_changes_nothing(agent_a_clerk, platform_staff):
    batch = shipped_back(agent_a_clerk, platform_staff, units=1)
    purge()
    rows = list(ReturnBatch.objects.filter(pk=batch.pk).values())
    units = list(ReturnedUnit.objects.filter(batch=batch).values())
    events = AuditEvent.objects.count()
    report = purge()["batches"]
    assert (report.anonymised, report.files, report.batches) == (0, 0, 0)
    assert list(ReturnBatch.objects.filter(pk=batch.pk).values()) == rows
    assert list(ReturnedUnit.objects.filter(batch=batch).values()) == units
    assert AuditEvent.objects.count() == events


@pytest.mark.clause("IV.8")
def test_a_shipment_keeps_its_waybill_and_loses_its_note(agent_a_clerk, platform_staff):
    batch = shipped_back(agent_a_clerk, platform_staff, when=KEPT, units=1)
    shipment = Shipment.objects.get(units__batch=batch)
    Shipment.objects.filter(pk=shipment.pk).update(note="Leave with Mrs Chen", shipped_at=KEPT)
    assert purge()["shipments"].anonymised == 0
    Shipment.objects.filter(pk=shipment.pk).update(shipped_at=GONE)
    assert purge()["shipments"].anonymised == 1
    shipment.refresh_from_db()
    assert (shipment.note, shipment.waybill_no, shipment.status) == ("", "SF9000000001", "shipped")


def files_in(root: Path) -> set[str]:
    return {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}


@pytest.mark.clause("IV.8")
def test_the_files_of_purged_records_are_gone_from_storage_and_nothing_else(
    agent_a_clerk, platform_staff, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path
    gone = shipped_back(agent_a_clerk, platform_staff)
    kept = shipped_back(agent_a_clerk, platform_staff, when=KEPT, units=1)
    (tmp_path / "unrelated.pdf").write_bytes(b"%PDF-1.4")
    purged = {u.photo.name for u in gone.units.all()}
    before = files_in(tmp_path)
    assert len(before) == 4 and purged <= before
    with django_capture_on_commit_callbacks(execute=True):
        assert purge()["batches"].files == 2
    assert files_in(tmp_path) == before - purged
    assert kept.units.get().photo.storage.exists(kept.units.get().photo.name)


@pytest.mark.clause("IV.8")
def test_a_dry_run_changes_nothing_and_reports_what_would_go(
    agent_a_clerk, agent_b_clerk, platform_staff, platform_manager, capsys
):
    batch = shipped_back(agent_a_clerk, platform_staff)
    held = closed_draft(agent_b_clerk)
    hold_set(actor=platform_manager, kind="batches", reference=held.number, reason="Case 9")
    call_command("purge_expired", "--dry-run", "--kind", "batches")
    out = capsys.readouterr().out
    assert "batches: would anonymise 1, would delete 2 files, skipped held 1" in out
    assert personal(batch)[0] == "Wang Fang" and personal(held)[0] == "Wang Fang"
    assert not AuditEvent.objects.filter(action=PURGED_ACTION).exists()
    call_command("purge_expired", "--kind", "batches")
    assert "batches: anonymised 1, deleted 2 files, skipped held 1" in capsys.readouterr().out


@pytest.mark.clause("IV.8")
def test_the_purge_works_in_batches_of_bounded_size_each_with_its_audit_event(agent_a_clerk):
    batches = [closed_draft(agent_a_clerk) for _ in range(5)]
    with CaptureQueriesContext(connection) as ctx:
        report = purge(batch_size=2)["batches"]
    assert report.anonymised == 5
    assert report.batches == math.ceil(5 / 2)
    events = AuditEvent.objects.filter(action=PURGED_ACTION, target_type="returns.returnbatch")
    assert sorted(len(e.data["ids"]) for e in events) == [1, 2, 2]
    assert sorted(i for e in events for i in e.data["ids"]) == sorted(b.pk for b in batches)
    # Every UPDATE names at most one batch's ids; none touches the whole table.
    updates = [q["sql"] for q in ctx.captured_queries if q["sql"].startswith("UPDATE")]
    assert updates
    for sql in updates:
        lists = re.findall(r" IN \(([^)]*)\)", sql)
        assert lists and all(len(ids.split(",")) <= 2 for ids in lists), sql
    # The audit events are only ever added to.
    assert not [
        q
        for q in ctx.captured_queries
        if "core_auditevent" in q["sql"].split(" SET")[0]
        and q["sql"].startswith(("UPDATE", "DELETE"))
    ]


@pytest.mark.clause("IV.8")
def test_the_purge_is_one_of_the_daily_jobs(agent_a_clerk):
    from sanbao.core.jobs import run_daily

    closed_draft(agent_a_clerk, NOW - dt.timedelta(days=400))
    reports = run_daily(["retention_purge"])["retention_purge"]
    assert {r.kind: r.anonymised for r in reports}["batches"] == 1


@pytest.mark.clause("IV.8")
def test_a_delay_note_stays_on_the_unit_and_out_of_the_audit_trail(agent_a_clerk, platform_staff):
    from sanbao.returns.services import unit_delay

    batch = under_test(agent_a_clerk, platform_staff, pb_lines(1))
    unit = batch.units.get()
    unit_delay(unit=unit, actor=platform_staff, reason="parts_shortage", note="Tell Li Lei")
    event = AuditEvent.objects.for_target(unit).get(action="returned_unit.delayed")
    assert event.data == {"batch": batch.number, "reason": "parts_shortage", "noted": True}
    assert "Li Lei" not in str(AuditEvent.objects.values_list("data", flat=True))
