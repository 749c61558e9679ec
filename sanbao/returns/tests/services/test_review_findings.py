"""What the review of issue 5 found, each now a test: a disposition checked against
a test corrected meanwhile, a unit delayed while a shipment is prepared, the clock
counted from the day the parcel arrived, a batch of which nothing arrived, photo
files of refused or replaced tests, odd unit ids and charges, and spreadsheet
text that looks like a formula."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile

from sanbao.core import numbers
from sanbao.core.errors import Conflict, ValidationFailed
from sanbao.returns import services
from sanbao.returns.documents import delivery_list_xlsx
from sanbao.returns.models import BatchStatus, ReturnedUnit
from sanbao.returns.services import workshop as workshop_module
from sanbao.returns.tests.conftest import (
    labels,
    pb_lines,
    receiving,
    reload,
    scan,
    settle_all,
    shipped,
    under_test,
)
from sanbao.returns.tests.services.test_testing import PNG
from sanbao.testkit.cast import api_client_for, login_client_for


def photo(name="marks.png"):
    return SimpleUploadedFile(name, PNG, content_type="image/png")


def excluded(unit, staff, picture=None):
    services.unit_test(
        unit=unit,
        actor=staff,
        result="excluded",
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
    services.unit_test(unit=unit, actor=platform_staff, result="fault_confirmed")
    seen_by_a = ReturnedUnit.objects.get(pk=unit.pk)  # fault confirmed: repair is open
    corrected_by_b = ReturnedUnit.objects.get(pk=unit.pk)
    services.unit_test(
        unit=corrected_by_b, actor=platform_staff, result="no_fault_found", evidence="Works"
    )
    with pytest.raises(Conflict):
        services.unit_dispose(unit=seen_by_a, actor=platform_staff, disposition="repaired")
    assert ReturnedUnit.objects.get(pk=unit.pk).disposition == ""


@pytest.mark.clause("IV.6")
def test_a_unit_delayed_while_a_shipment_without_an_order_is_prepared_stays_behind(
    agent_a_clerk, platform_staff, pb10k, monkeypatch
):
    batch = settle_all(under_test(agent_a_clerk, platform_staff, pb_lines(2)), platform_staff)
    first, second = batch.units.order_by("seq")
    numbering = numbers.new_number

    def delayed_meanwhile(prefix):
        if not ReturnedUnit.objects.get(pk=second.pk).delay_reason:
            services.unit_delay(
                unit=ReturnedUnit.objects.get(pk=second.pk),
                actor=platform_staff,
                reason="parts_shortage",
            )
        return numbering(prefix)

    # The delay lands between the shipment's checks and its write (while its
    # number is drawn), as a concurrent request's would.
    monkeypatch.setattr(numbers, "new_number", delayed_meanwhile)
    with pytest.raises(Conflict):
        services.shipment_create(
            actor=platform_staff, return_org_code="AG-A", unit_ids=[first.pk, second.pk]
        )
    assert not ReturnedUnit.objects.filter(shipment__isnull=False).exists()


@pytest.mark.clause("IV.5")
def test_the_clock_counts_from_the_day_the_parcel_arrived_not_the_day_counting_ended(
    clock, agent_a_clerk, platform_staff, pb10k
):
    clock.set("2026-03-06 09:00")  # Friday: the parcel arrives, receipt opened
    batch = receiving(agent_a_clerk, platform_staff, pb_lines(2))
    scan(batch, platform_staff, labels(batch))
    clock.set("2026-03-09 17:00")  # Monday: counting finished
    batch = services.receipt_close(batch=batch, actor=platform_staff, received_boxes=1)
    assert (batch.clock_started_on, batch.due_on) == (dt.date(2026, 3, 6), dt.date(2026, 3, 11))


def test_a_batch_of_which_nothing_arrived_is_closed_when_testing_would_start(
    agent_a_clerk, platform_staff, pb10k
):
    batch = receiving(agent_a_clerk, platform_staff, pb_lines(1))
    batch = services.receipt_close(batch=batch, actor=platform_staff, received_boxes=0)
    for anomaly in batch.anomalies.all():
        services.anomaly_resolve(anomaly=anomaly, actor=platform_staff, note="Lost in transit")
    batch = services.testing_start(batch=reload(batch), actor=platform_staff)
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


@pytest.mark.parametrize("value", [10**30, -5, 0, "²", "12a", ""])
def test_a_unit_id_that_is_no_unit_number_is_refused_by_its_field(
    agent_a_clerk, platform_staff, pb10k, value
):
    batch = settle_all(under_test(agent_a_clerk, platform_staff, pb_lines(1)), platform_staff)
    unit = batch.units.get()
    with pytest.raises(ValidationFailed) as refused:
        services.shipment_create(
            actor=platform_staff, return_org_code="AG-A", unit_ids=[unit.pk, value]
        )
    assert list(refused.value.fields) == ["unit_ids"]
    assert not ReturnedUnit.objects.filter(shipment__isnull=False).exists()


def test_odd_unit_ids_answer_400_through_the_api_and_the_page(agent_a_clerk, platform_staff, pb10k):
    settle_all(under_test(agent_a_clerk, platform_staff, pb_lines(1)), platform_staff)
    response = api_client_for(platform_staff).post(
        "/api/v1/shipments",
        data={"return_org_code": "AG-A", "unit_ids": [10**30]},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["unit_ids"]
    page = login_client_for(platform_staff).post(
        "/returns/shipments/new/", {"return_org_code": "AG-A", "unit_ids": ["²", "9" * 30]}
    )
    assert page.status_code == 400


@pytest.mark.parametrize("amount", ["NaN", "Infinity", "-Infinity", "sNaN"])
def test_a_charge_that_is_not_a_number_answers_400_on_the_page(
    agent_a_clerk, platform_staff, pb10k, amount
):
    batch = under_test(agent_a_clerk, platform_staff, pb_lines(1))
    unit = batch.units.get()
    services.unit_test(unit=unit, actor=platform_staff, result="no_fault_found", evidence="OK")
    response = login_client_for(platform_staff).post(
        f"/returns/{batch.number}/units/1/dispose/",
        {"disposition": "charged", "charge_amount": amount, "charge_reason": "Test fee"},
    )
    assert response.status_code == 400
    assert ReturnedUnit.objects.get(pk=unit.pk).disposition == ""


def test_text_that_looks_like_a_formula_stays_text_in_every_sheet_of_the_delivery_list(
    agent_a_clerk, platform_staff, pb10k
):
    batch = under_test(agent_a_clerk, platform_staff, pb_lines(2))
    first, second = batch.units.order_by("seq")
    services.unit_delay(
        unit=second,
        actor=platform_staff,
        reason="parts_shortage",
        note='=HYPERLINK("http://example.invalid","click")',
    )
    settle_all(batch, platform_staff, units=[first])
    shipment = shipped(batch, platform_staff, units=[first])
    book = openpyxl.load_workbook(io.BytesIO(delivery_list_xlsx(shipment)))
    cells = [c for sheet in book.worksheets for row in sheet.iter_rows() for c in row]
    suspicious = [c for c in cells if isinstance(c.value, str) and c.value.startswith("=")]
    assert suspicious, "the note is in the workbook"
    assert all(c.data_type == "s" for c in suspicious)
