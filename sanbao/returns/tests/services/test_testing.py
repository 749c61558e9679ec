"""Testing each unit received and dealing with it: one returned unit per unit that
physically arrived (IV.1); a test result with the exclusion rule, evidence and
photo; a confirmed fault repaired or replaced by a model not lower (II.3) with
what was taken in kept in the retained-parts ledger (II.4); a unit that does not
meet the requirements returned as is or charged with an amount and a reason
(IV.P2); the batch ready once every unit is dealt with or delayed."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile

from sanbao.catalog.models import RetainedPart, Unit
from sanbao.core.errors import Conflict, NotFound, PermissionDenied, PolicyRefused, ValidationFailed
from sanbao.returns import services
from sanbao.returns.models import BatchStatus, ReturnedUnit, ScanKind
from sanbao.returns.services import LineIn
from sanbao.returns.services import workshop as workshop_module
from sanbao.returns.tests.conftest import (
    called,
    dispose,
    events,
    labels,
    pb_lines,
    photo,
    receiving,
    record_test,
    reload,
    scan,
    under_test,
)


def units(batch):
    return list(batch.units.order_by("seq"))


def closed_then_testing(batch, staff, *, received_boxes, note):
    """Close the receipt of ``batch``, call the return unit and resolve each anomaly
    with ``note`` (IV.4), then start testing."""
    batch = services.receipt_close(batch=batch, actor=staff, received_boxes=received_boxes)
    called(batch, staff)
    for anomaly in batch.anomalies.all():
        services.anomaly_resolve(anomaly=anomaly, actor=staff, note=note)
    return services.testing_start(batch=reload(batch), actor=staff)


def test_testing_makes_one_unit_for_every_unit_that_physically_arrived(
    agent_a_clerk, platform_staff, pb10k, pb20k
):
    lines = [
        LineIn(
            model_code="PB10K", quantity=3, fault="No output", box_no=1, accessories=["data cable"]
        ),
        LineIn(
            model_code="PB10K", quantity=2, fault="Swollen", box_no=1, accessories=["data cable"]
        ),
    ]
    batch = receiving(agent_a_clerk, platform_staff, lines)
    codes = labels(batch)
    scan(batch, platform_staff, codes[:2])  # two of line 1 scanned ...
    services.receipt_set_count(batch=batch, actor=platform_staff, line_no=1, counted=3)  # ... 3
    services.receipt_set_count(batch=batch, actor=platform_staff, line_no=2, counted=1)
    services.receipt_record_unit(
        batch=batch, actor=platform_staff, kind=ScanKind.UNLISTED, box_no=1, model_code="PB20K"
    )
    batch = closed_then_testing(batch, platform_staff, received_boxes=1, note="Agreed by phone")

    made = units(batch)
    assert reload(batch).status == BatchStatus.TESTING
    assert len(made) == reload(batch).received_units == 5
    assert [(u.seq, u.line.line_no if u.line else None) for u in made] == [
        (1, 1), (2, 1), (3, 1), (4, 2), (5, None),
    ]  # fmt: skip
    # The label not scanned on line 1 is the one the hand-counted unit carries.
    assert [u.code for u in made[:3]] == codes[:3]
    assert made[4].model.code == "PB20K"
    assert "return_batch.testing_started" in events(batch)


def test_only_a_received_batch_goes_to_testing_and_only_once(agent_a_clerk, platform_staff, pb10k):
    batch = under_test(agent_a_clerk, platform_staff, pb_lines(2))
    with pytest.raises(Conflict):
        services.testing_start(batch=batch, actor=platform_staff)
    assert batch.units.count() == 2


def test_a_return_unit_cannot_test_its_own_units_and_another_cannot_see_them(
    agent_a_clerk, agent_b_clerk, platform_staff, pb10k
):
    unit = units(under_test(agent_a_clerk, platform_staff, pb_lines(1)))[0]
    with pytest.raises(PermissionDenied):
        record_test(unit, agent_a_clerk, "fault_confirmed")
    with pytest.raises(NotFound):
        from sanbao.returns import selectors

        selectors.returned_unit_get(actor=agent_b_clerk, pk=unit.pk)


@pytest.mark.clause("IV.P2")
def test_an_exclusion_names_its_rule_of_section_iii_and_the_evidence(
    agent_a_clerk, platform_staff, pb10k
):
    unit = units(under_test(agent_a_clerk, platform_staff, pb_lines(1)))[0]
    with pytest.raises(ValidationFailed) as refused:
        record_test(unit, platform_staff, "excluded", excluded_rule="I.1")
    assert set(refused.value.fields) == {"excluded_rule", "evidence"}
    record_test(
        unit,
        platform_staff,
        "excluded",
        excluded_rule="III.9",
        evidence="Sold 2023-01-05: the 12-month warranty ended.",
    )
    unit.refresh_from_db()
    assert (unit.result, unit.excluded_rule, unit.tested_by) == (
        "excluded",
        "III.9",
        platform_staff,
    )


@pytest.mark.clause("IV.P2")
def test_an_exclusion_the_unit_shows_is_proved_by_a_photo(agent_a_clerk, platform_staff, pb10k):
    unit = units(under_test(agent_a_clerk, platform_staff, pb_lines(1)))[0]
    kwargs = {"result": "excluded", "excluded_rule": "III.6", "evidence": "Liquid marks inside"}
    with pytest.raises(ValidationFailed) as refused:
        services.unit_test(unit=unit, actor=platform_staff, **kwargs)
    assert refused.value.code == "returns.unit_test_invalid"
    assert list(refused.value.fields) == ["photo"]
    bad = SimpleUploadedFile("notes.txt", b"hello", content_type="text/plain")
    with pytest.raises(ValidationFailed) as refused:
        services.unit_test(unit=unit, actor=platform_staff, photo=bad, **kwargs)
    assert list(refused.value.fields) == ["photo"]
    services.unit_test(unit=unit, actor=platform_staff, photo=photo(), **kwargs)
    unit.refresh_from_db()
    assert unit.photo.name.startswith("returns/tests/") and "swollen" not in unit.photo.name


@pytest.mark.clause("IV.P2")
def test_a_unit_without_a_fault_is_returned_or_charged_never_repaired(
    agent_a_clerk, platform_staff, pb10k
):
    unit = units(under_test(agent_a_clerk, platform_staff, pb_lines(1)))[0]
    with pytest.raises(PolicyRefused) as refused:
        dispose(unit, platform_staff, "returned_as_is")
    assert refused.value.code == "returns.unit_not_tested"
    record_test(unit, platform_staff, "no_fault_found", evidence="Charges and discharges")
    with pytest.raises(PolicyRefused) as refused:
        dispose(unit, platform_staff, "repaired")
    assert refused.value.code == "returns.disposition_not_open"
    assert list(refused.value.fields) == ["disposition"]


@pytest.mark.clause("IV.P2")
def test_a_unit_sent_back_untested_that_meets_no_requirement_is_charged_with_amount_and_reason(
    agent_a_clerk, platform_staff, pb10k
):
    batch = under_test(agent_a_clerk, platform_staff, pb_lines(1))
    unit = units(batch)[0]
    record_test(unit, platform_staff, "no_fault_found", evidence="Works on the bench")
    with pytest.raises(ValidationFailed) as refused:
        dispose(unit, platform_staff, "charged")
    assert list(refused.value.fields) == ["charge_amount"]
    with pytest.raises(ValidationFailed) as refused:
        dispose(unit, platform_staff, "charged", charge_amount="15")
    assert list(refused.value.fields) == ["charge_reason"]
    dispose(
        unit,
        platform_staff,
        "charged",
        charge_amount="15.5",
        charge_reason="Test fee: no fault found (IV.P2)",
    )
    unit.refresh_from_db()
    assert (unit.disposition, unit.charge_amount) == ("charged", Decimal("15.50"))
    assert unit.serial_out == unit.serial_in
    assert reload(batch).status == BatchStatus.READY
    with pytest.raises(Conflict):
        dispose(unit, platform_staff, "returned_as_is")


@pytest.mark.clause("IV.P2")
def test_a_charge_must_be_a_positive_amount_in_yuan(agent_a_clerk, platform_staff, pb10k):
    unit = units(under_test(agent_a_clerk, platform_staff, pb_lines(1)))[0]
    record_test(unit, platform_staff, "no_fault_found", evidence="OK")
    for amount in ("0", "-3", "abc", "100000", None):
        with pytest.raises(ValidationFailed):
            dispose(unit, platform_staff, "charged", charge_amount=amount, charge_reason="Test fee")


@pytest.mark.clause("II.4")
def test_a_repair_keeps_the_faulty_parts_replaced_in_the_retained_parts_ledger(
    agent_a_clerk, platform_staff, pb10k
):
    unit = units(under_test(agent_a_clerk, platform_staff, pb_lines(1)))[0]
    record_test(unit, platform_staff, "fault_confirmed")
    with pytest.raises(PolicyRefused) as refused:
        dispose(unit, platform_staff, "repaired", parts_used=["USB-C port"])
    assert list(refused.value.fields) == ["retained_location"]
    dispose(
        unit,
        platform_staff,
        "repaired",
        parts_used=["USB-C port", "Charge controller"],
        retained_location="Shelf B-3",
    )
    kept = RetainedPart.objects.filter(source_id=str(unit.pk)).order_by("id")
    assert [(p.kind, p.description, p.location) for p in kept] == [
        ("part", "USB-C port", "Shelf B-3"),
        ("part", "Charge controller", "Shelf B-3"),
    ]
    assert all(p.source_type == "returns.returnedunit" and unit.code in p.source_repr for p in kept)
    assert "retained_part.taken_in" in events(kept[0])


@pytest.mark.clause("II.4")
def test_a_replacement_registers_the_new_serial_and_keeps_the_old_unit(
    agent_a_clerk, platform_staff, pb10k, unit_of_agent_a
):
    lines = [LineIn(model_code="PB10K", quantity=1, fault="Dead", box_no=1,
                    serial=unit_of_agent_a.serial, accessories=["data cable"])]  # fmt: skip
    unit = units(under_test(agent_a_clerk, platform_staff, lines))[0]
    assert unit.serial_in == unit_of_agent_a.serial
    record_test(unit, platform_staff, "fault_confirmed")
    dispose(
        unit, platform_staff, "replaced", replacement_serial="SBR900001", retained_location="Cage 1"
    )
    unit.refresh_from_db()
    assert (unit.serial_out, unit.replacement_model.code) == ("SBR900001", "PB10K")
    new = Unit.objects.get(serial="SBR900001")
    assert (new.replaces, new.model.code, new.channel_org) == (
        unit_of_agent_a,
        "PB10K",
        unit_of_agent_a.channel_org,
    )
    kept = RetainedPart.objects.get(source_id=str(unit.pk))
    assert (kept.kind, kept.serial, kept.location) == ("unit", unit_of_agent_a.serial, "Cage 1")


@pytest.mark.clause("II.4")
def test_a_replacement_is_the_same_model_or_one_not_lower(
    agent_a_clerk, platform_staff, pb10k, pb5k, pb20k, ad65
):
    unit = units(under_test(agent_a_clerk, platform_staff, pb_lines(1)))[0]
    record_test(unit, platform_staff, "fault_confirmed")
    for code, error in (("PB5K", "returns.replacement_lower"),
                        ("AD65", "returns.replacement_other_category")):  # fmt: skip
        with pytest.raises(PolicyRefused) as refused:
            dispose(
                unit,
                platform_staff,
                "replaced",
                replacement_model_code=code,
                replacement_serial="SBR900002",
                retained_location="Cage 1",
            )
        assert refused.value.code == error
        assert list(refused.value.fields) == ["replacement_model_code"]
    assert not Unit.objects.filter(serial="SBR900002").exists()
    dispose(
        unit,
        platform_staff,
        "replaced",
        replacement_model_code="PB20K",
        replacement_serial="SBR900002",
        retained_location="Cage 1",
    )
    assert Unit.objects.get(serial="SBR900002").model == pb20k


def test_a_replacement_serial_already_registered_is_refused_and_nothing_is_written(
    agent_a_clerk, platform_staff, pb10k, unit_of_agent_b
):
    taken = unit_of_agent_b.serial
    unit = units(under_test(agent_a_clerk, platform_staff, pb_lines(1)))[0]
    record_test(unit, platform_staff, "fault_confirmed")
    with pytest.raises(ValidationFailed) as refused:
        dispose(
            unit, platform_staff, "replaced", replacement_serial=taken, retained_location="Cage 1"
        )
    assert refused.value.code == "catalog.serial_taken"
    unit.refresh_from_db()
    assert unit.disposition == ""
    assert not RetainedPart.objects.exists()


def test_the_test_of_a_unit_may_be_corrected_until_it_is_dealt_with(
    agent_a_clerk, platform_staff, pb10k
):
    unit = units(under_test(agent_a_clerk, platform_staff, pb_lines(1)))[0]
    record_test(unit, platform_staff, "no_fault_found", evidence="OK")
    record_test(unit, platform_staff, "fault_confirmed")
    dispose(unit, platform_staff, "repaired")
    with pytest.raises(Conflict) as refused:
        record_test(unit, platform_staff, "no_fault_found", evidence="x")
    assert refused.value.code == "returns.unit_disposed_already"


def test_a_unit_loaded_with_its_batch_before_the_batch_became_ready_is_still_dealt_with(
    agent_a_clerk, platform_staff, pb10k
):
    batch = under_test(agent_a_clerk, platform_staff, pb_lines(2))
    first, second = units(batch)
    assert first.batch.status == BatchStatus.TESTING  # its copy of the batch, loaded now
    record_test(second, platform_staff, "no_fault_found", evidence="OK")
    services.unit_delay(unit=first, actor=platform_staff, reason="parts_shortage")
    dispose(second, platform_staff, "returned_as_is")
    assert reload(batch).status == BatchStatus.READY
    # The first unit's copy of its batch still says "testing": the database decides.
    record_test(first, platform_staff, "fault_confirmed")
    dispose(first, platform_staff, "repaired")
    assert reload(batch).status == BatchStatus.READY
    assert first.disposition == "repaired"


def test_a_unit_not_on_the_list_is_tested_once_its_model_is_known(
    agent_a_clerk, platform_staff, pb10k, pb20k
):
    batch = receiving(agent_a_clerk, platform_staff, pb_lines(1))
    scan(batch, platform_staff, labels(batch))
    services.receipt_record_unit(batch=batch, actor=platform_staff, kind=ScanKind.UNLISTED)
    batch = services.receipt_close(batch=batch, actor=platform_staff, received_boxes=1)
    called(batch, platform_staff)
    services.anomaly_resolve(anomaly=batch.anomalies.get(), actor=platform_staff, note="Kept")
    stranger = units(services.testing_start(batch=reload(batch), actor=platform_staff))[1]
    assert stranger.model is None
    with pytest.raises(ValidationFailed) as refused:
        record_test(stranger, platform_staff, "fault_confirmed")
    assert list(refused.value.fields) == ["model_code"]
    record_test(stranger, platform_staff, "fault_confirmed", model_code="pb20k", serial_in="SBU777")
    stranger.refresh_from_db()
    assert (stranger.model, stranger.serial_in) == (pb20k, "SBU777")


def excluded(unit, staff, picture=None):
    record_test(
        unit,
        staff,
        "excluded",
        excluded_rule="III.6",
        evidence="Liquid marks",
        photo=picture or photo(),
    )
    return ReturnedUnit.objects.get(pk=unit.pk)


@pytest.mark.clause("IV.P2")
def test_a_disposition_chosen_for_a_test_corrected_meanwhile_is_a_conflict(
    agent_a_clerk, platform_staff, pb10k
):
    unit = under_test(agent_a_clerk, platform_staff, pb_lines(1)).units.get()
    record_test(unit, platform_staff, "fault_confirmed")
    seen_by_a = ReturnedUnit.objects.get(pk=unit.pk)  # fault confirmed: repair is open
    corrected_by_b = ReturnedUnit.objects.get(pk=unit.pk)
    record_test(corrected_by_b, platform_staff, "no_fault_found", evidence="Works")
    with pytest.raises(Conflict):
        dispose(seen_by_a, platform_staff, "repaired")
    assert ReturnedUnit.objects.get(pk=unit.pk).disposition == ""


def test_a_batch_of_which_nothing_arrived_is_closed_when_testing_would_start(
    agent_a_clerk, platform_staff, pb10k
):
    batch = receiving(agent_a_clerk, platform_staff, pb_lines(1))
    batch = closed_then_testing(batch, platform_staff, received_boxes=0, note="Lost in transit")
    batch = reload(batch)
    assert (batch.status, batch.received_units, batch.units.count()) == (BatchStatus.CLOSED, 0, 0)


def test_the_photo_of_a_refused_test_leaves_no_file(
    agent_a_clerk, platform_staff, pb10k, monkeypatch
):
    unit = under_test(agent_a_clerk, platform_staff, pb_lines(1)).units.get()
    saved = []
    real_save = unit.photo.storage.save

    def spy(name, content, **kwargs):
        saved.append(real_save(name, content, **kwargs))
        return saved[-1]

    monkeypatch.setattr(unit.photo.storage, "save", spy)

    def failing_audit(**kwargs):
        raise RuntimeError("the audit trail is down")

    monkeypatch.setattr(workshop_module.audit, "record", failing_audit)
    with pytest.raises(RuntimeError):
        excluded(unit, platform_staff)
    assert saved and not default_storage.exists(saved[0])
    assert not ReturnedUnit.objects.get(pk=unit.pk).photo


def test_a_photo_replaced_by_a_new_test_is_removed_once_it_commits(
    agent_a_clerk, platform_staff, pb10k, django_capture_on_commit_callbacks
):
    unit = under_test(agent_a_clerk, platform_staff, pb_lines(1)).units.get()
    first = excluded(unit, platform_staff, photo("first.png")).photo.name
    with django_capture_on_commit_callbacks(execute=True):
        second = excluded(
            ReturnedUnit.objects.get(pk=unit.pk), platform_staff, photo("second.png")
        ).photo.name
    assert default_storage.exists(second)
    assert not default_storage.exists(first)


def test_a_file_that_is_not_an_image_or_pdf_is_refused_whatever_its_name_says(
    agent_a_clerk, platform_staff, pb10k
):
    unit = under_test(agent_a_clerk, platform_staff, pb_lines(1)).units.get()
    fake = SimpleUploadedFile("x.png", b"<html><script>alert(1)</script>", content_type="image/png")
    with pytest.raises(ValidationFailed) as refused:
        excluded(unit, platform_staff, fake)
    assert list(refused.value.fields) == ["photo"]
