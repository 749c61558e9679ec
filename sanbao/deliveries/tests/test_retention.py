"""IV.8: deliveries and unpacking-damage declarations are kept half a year after
arrival and decision, then purged of the courier's data, the description and the
evidence files; their statistics stay."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from sanbao.accounts.holds import hold_set
from sanbao.core.retention import purge_expired
from sanbao.deliveries.models import Declaration, Delivery, Evidence
from sanbao.deliveries.services import declarations
from sanbao.deliveries.tests.conftest import arrive, at, new_delivery

NOW = at("2027-06-01 12:00")
KEPT = NOW - dt.timedelta(days=183)
GONE = NOW - dt.timedelta(days=184)
KINDS = ["deliveries", "declarations"]


def purge():
    return {r.kind: r for r in purge_expired(now=NOW, kinds=KINDS)}


def received_on(delivery, when):
    Delivery.objects.filter(pk=delivery.pk).update(received_at=when)


def rejected_on(declaration, commissioner, when):
    declarations.declaration_decide(
        actor=commissioner,
        declaration=declaration,
        accept=False,
        reason="The photos show wear, not transport damage.",
    )
    Declaration.objects.filter(pk=declaration.pk).update(decided_at=when)
    received_on(declaration.delivery, when)


def courier(delivery) -> tuple:
    d = Delivery.objects.get(pk=delivery.pk)
    return (d.courier_name, d.courier_work_no, d.courier_phone)


def files_in(root: Path) -> set[str]:
    return {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.mark.clause("IV.8")
def test_a_declaration_decided_and_a_delivery_received_over_six_months_ago_are_purged(
    media, submitted, cs_commissioner, django_capture_on_commit_callbacks
):
    rejected_on(submitted, cs_commissioner, GONE)
    evidence = set(Evidence.objects.values_list("file", flat=True))
    before = files_in(media)
    assert len(evidence) == 3 and evidence <= before
    with django_capture_on_commit_callbacks(execute=True):
        report = purge()
    assert report["declarations"].anonymised == 1
    assert report["declarations"].files == 3
    assert report["deliveries"].anonymised == 1
    assert files_in(media) == before - evidence
    assert courier(submitted.delivery) == ("", "", "")
    declaration = Declaration.objects.get(pk=submitted.pk)
    assert declaration.description == ""
    # What statistics need stays: status, reason, dates, lines, kinds of evidence, boxes.
    assert (declaration.status, declaration.decided_at) == ("rejected", GONE)
    assert declaration.reason.startswith("The photos show wear")
    assert list(declaration.lines.values_list("model__code", "quantity")) == [("PB10K", 2)]
    assert sorted(declaration.evidence.values_list("kind", flat=True)) == ["form", "note", "photo"]
    delivery = Delivery.objects.get(pk=submitted.delivery_id)
    assert (delivery.status, delivery.waybill_no, delivery.boxes.count()) == (
        "arrived",
        "SF1234567890",
        2,
    )
    assert sum(delivery.items.values_list("quantity", flat=True)) == 10


@pytest.mark.clause("IV.8")
def test_a_delivery_received_183_days_ago_is_kept_and_a_rerun_changes_nothing(
    clock, platform_staff, agent_a_clerk, pb10k
):
    kept = arrive(new_delivery(platform_staff, note_no="DN-1"), agent_a_clerk, "2026-09-01 09:00")
    gone = arrive(new_delivery(platform_staff, note_no="DN-2"), agent_a_clerk, "2026-09-01 09:00")
    received_on(kept, KEPT)
    received_on(gone, GONE)
    assert purge()["deliveries"].anonymised == 1
    assert courier(kept) == ("Wang Wei", "SF-0427", "13800138000")
    assert courier(gone) == ("", "", "")
    rows = list(Delivery.objects.order_by("pk").values())
    assert purge()["deliveries"].anonymised == 0
    assert list(Delivery.objects.order_by("pk").values()) == rows


@pytest.mark.clause("IV.8")
def test_an_open_declaration_keeps_itself_and_its_delivery_whatever_their_age(
    media, submitted, cs_commissioner
):
    received_on(submitted.delivery, GONE)
    Declaration.objects.filter(pk=submitted.pk).update(opened_at=GONE)
    report = purge()
    assert report["deliveries"].anonymised == 0
    assert report["declarations"].anonymised == 0
    assert courier(submitted.delivery)[0] == "Wang Wei"
    assert Declaration.objects.get(pk=submitted.pk).description


@pytest.mark.clause("IV.8")
@pytest.mark.parametrize("what", ["record", "return unit"])
def test_a_held_declaration_or_one_of_a_held_return_unit_is_kept(
    media, submitted, cs_commissioner, platform_manager, what
):
    rejected_on(submitted, cs_commissioner, GONE)
    if what == "record":
        hold_set(
            actor=platform_manager,
            kind="declarations",
            reference=submitted.number,
            reason="The agent appealed",
        )
    else:
        hold_set(actor=platform_manager, kind="organisation", reference="AG-A", reason="Audit")
    reports = purge()
    assert (reports["declarations"].anonymised, reports["declarations"].held) == (0, 1)
    assert Declaration.objects.get(pk=submitted.pk).description
    # The courier's data on the delivery is the held declaration's evidence: kept too.
    assert courier(submitted.delivery)[0] == "Wang Wei"
    assert all(e.file and e.file.storage.exists(e.file.name) for e in Evidence.objects.all())
