"""Declarations of unpacking damage (V.1), their evidence (V.2), routing and the
commissioner's decision, through the services and the real database."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from sanbao.core.errors import NotFound, PermissionDenied, PolicyRefused, ValidationFailed
from sanbao.deliveries.models import (
    AgentCommissioner,
    CreditLine,
    Declaration,
    DeclarationStatus,
    Delivery,
    DeliverySource,
    Evidence,
)
from sanbao.deliveries.services import declarations
from sanbao.deliveries.tests.conftest import (
    at,
    open_declaration,
    pdf,
    png,
    upload_all,
)
from sanbao.notifications.models import Message
from sanbao.testkit.uploads import png_header

pytestmark = pytest.mark.django_db

RECEIVED = at("2026-09-02 09:30")


@pytest.mark.clause("V.1")
def test_a_declaration_at_23_59_59_after_receipt_is_accepted(
    clock, arrived_delivery, agent_a_clerk
):
    clock.set(RECEIVED + dt.timedelta(hours=23, minutes=59, seconds=59))
    declaration = open_declaration(arrived_delivery, agent_a_clerk)
    assert declaration.status == DeclarationStatus.DRAFT
    assert list(declaration.lines.values_list("model__code", "quantity")) == [("PB10K", 2)]


@pytest.mark.clause("V.1")
@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "the window for this delivery closed on Sept. 3, 2026, 9:30 a.m. (Asia/Shanghai)"),
        ("zh-hans", "2026年9月3日 09:30 (Asia/Shanghai)"),
    ],
)
def test_a_declaration_at_24_00_01_after_receipt_is_refused_saying_when_the_window_closed(
    clock, arrived_delivery, agent_a_clerk, language, expected
):
    clock.set(RECEIVED + dt.timedelta(hours=24, seconds=1))
    with translation.override(language), pytest.raises(PolicyRefused) as caught:
        open_declaration(arrived_delivery, agent_a_clerk)
    assert caught.value.code == "deliveries.window_closed"
    with translation.override(language):
        assert expected in caught.value.message
    assert not Declaration.objects.exists()


@pytest.mark.clause("V.1")
def test_the_window_is_a_setting(clock, arrived_delivery, agent_a_clerk, settings):
    settings.SANBAO_DECLARATION_WINDOW_HOURS = 48
    clock.set(RECEIVED + dt.timedelta(hours=47))
    assert open_declaration(arrived_delivery, agent_a_clerk).pk


@pytest.mark.clause("V.1")
def test_no_declaration_before_the_arrival_is_recorded(clock, shipped_delivery, agent_a_clerk):
    from sanbao.core.errors import Conflict

    with pytest.raises(Conflict):
        open_declaration(shipped_delivery, agent_a_clerk)


@pytest.mark.clause("V.1")
def test_a_declaration_names_delivered_products_no_more_than_delivered_and_a_description(
    clock, arrived_delivery, agent_a_clerk, ad65
):
    clock.set("2026-09-02 11:00")
    with pytest.raises(ValidationFailed) as caught:
        declarations.declaration_open(
            actor=agent_a_clerk,
            delivery=arrived_delivery,
            description=" ",
            lines=[{"model_code": "PB10K", "quantity": 11}, {"model_code": "AD65", "quantity": 1}],
        )
    assert set(caught.value.fields) == {"description", "lines.0.quantity", "lines.1.model_code"}


@pytest.mark.clause("V.2")
@pytest.mark.parametrize("left_out", ["form", "note", "photo"])
def test_a_declaration_missing_a_piece_of_evidence_cannot_be_submitted(
    declared, agent_a_clerk, left_out
):
    upload_all(declared, agent_a_clerk, [k for k in ("photo", "form", "note") if k != left_out])
    with pytest.raises(ValidationFailed) as caught:
        declarations.declaration_submit(
            actor=agent_a_clerk, declaration=declared, department="after_sales"
        )
    assert caught.value.code == "deliveries.evidence_missing"
    assert Declaration.objects.get(pk=declared.pk).status == DeclarationStatus.DRAFT


@pytest.mark.clause("V.2")
def test_a_file_that_claims_to_be_a_jpeg_but_is_not_is_refused(declared, agent_a_clerk):
    fake = SimpleUploadedFile(
        "photo.jpg", b"\xff\xd8\xff\xe0" + b"not really a jpeg" * 20, content_type="image/jpeg"
    )
    with pytest.raises(ValidationFailed) as caught:
        declarations.evidence_upload(
            actor=agent_a_clerk, declaration=declared, kind="photo", upload=fake
        )
    assert caught.value.code == "deliveries.file_not_accepted"
    assert not Evidence.objects.exists()


@pytest.mark.clause("V.2")
def test_an_image_of_30000_by_30000_pixels_is_refused(declared, agent_a_clerk):
    huge = SimpleUploadedFile("huge.png", png_header(30_000, 30_000), content_type="image/png")
    with pytest.raises(ValidationFailed) as caught:
        declarations.evidence_upload(
            actor=agent_a_clerk, declaration=declared, kind="photo", upload=huge
        )
    assert caught.value.code == "deliveries.image_too_large"
    assert not Evidence.objects.exists()


@pytest.mark.clause("V.2")
def test_a_pdf_that_does_not_parse_is_refused_and_a_photo_is_not_a_pdf(declared, agent_a_clerk):
    broken = SimpleUploadedFile("form.pdf", b"%PDF-1.4\ngarbage", content_type="application/pdf")
    with pytest.raises(ValidationFailed):
        declarations.evidence_upload(
            actor=agent_a_clerk, declaration=declared, kind="form", upload=broken
        )
    with pytest.raises(ValidationFailed):
        declarations.evidence_upload(
            actor=agent_a_clerk, declaration=declared, kind="photo", upload=pdf()
        )
    assert not Evidence.objects.exists()


@pytest.mark.clause("V.2")
def test_evidence_is_stored_under_a_random_name(declared, agent_a_clerk):
    evidence = declarations.evidence_upload(
        actor=agent_a_clerk, declaration=declared, kind="form", upload=pdf("stamped-form.pdf")
    )
    assert evidence.media_type == "application/pdf"
    assert evidence.file.name.startswith("deliveries/evidence/")
    assert "stamped" not in evidence.file.name


@pytest.mark.clause("V.2")
def test_evidence_after_the_window_is_refused(clock, declared, agent_a_clerk):
    clock.set(RECEIVED + dt.timedelta(hours=24, seconds=1))
    with pytest.raises(PolicyRefused) as caught:
        declarations.evidence_upload(
            actor=agent_a_clerk, declaration=declared, kind="photo", upload=png()
        )
    assert caught.value.code == "deliveries.window_closed"


@pytest.mark.clause("V.2")
def test_a_complete_application_goes_to_the_chosen_department_whose_commissioner_is_notified(
    complete, agent_a_clerk, cs_commissioner, commercial_commissioner
):
    declarations.declaration_submit(
        actor=agent_a_clerk, declaration=complete, department="after_sales"
    )
    declaration = Declaration.objects.get(pk=complete.pk)
    assert (declaration.status, declaration.department) == ("submitted", "after_sales")
    assert list(Message.objects.values_list("recipient", flat=True)) == [cs_commissioner.pk]
    visible = Declaration.objects.visible_to
    assert visible(cs_commissioner).filter(pk=complete.pk).exists()
    assert not visible(commercial_commissioner).filter(pk=complete.pk).exists()


@pytest.mark.clause("V.2")
def test_an_assigned_commissioner_receives_the_application_whatever_the_agent_chose(
    complete, agent_a, agent_a_clerk, commercial_commissioner
):
    AgentCommissioner.objects.create(agent=agent_a, commissioner=commercial_commissioner)
    declarations.declaration_submit(
        actor=agent_a_clerk, declaration=complete, department="after_sales"
    )
    declaration = Declaration.objects.get(pk=complete.pk)
    assert declaration.commissioner == commercial_commissioner
    assert declaration.department == "marketing"


@pytest.mark.clause("V.2")
def test_without_an_assignment_the_agent_must_choose_a_department(complete, agent_a_clerk):
    with pytest.raises(ValidationFailed) as caught:
        declarations.declaration_submit(actor=agent_a_clerk, declaration=complete)
    assert caught.value.code == "deliveries.department_required"


@pytest.mark.clause("V.2")
def test_accepting_with_a_replacement_creates_a_delivery_and_notifies_the_agent(
    submitted, cs_commissioner, agent_a_clerk
):
    declarations.declaration_decide(
        actor=cs_commissioner, declaration=submitted, accept=True, outcome="replaced"
    )
    declaration = Declaration.objects.get(pk=submitted.pk)
    assert (declaration.status, declaration.outcome) == ("accepted", "replaced")
    replacement = Delivery.objects.get(pk=declaration.replacement_id)
    assert replacement.source == DeliverySource.REPLACEMENT
    assert replacement.agent_id == submitted.delivery.agent_id
    assert list(replacement.items.values_list("model__code", "quantity")) == [("PB10K", 2)]
    assert Message.objects.filter(recipient=agent_a_clerk).count() == 1


@pytest.mark.clause("V.2")
def test_accepting_with_a_credit_writes_credit_note_lines(submitted, cs_commissioner):
    declarations.declaration_decide(
        actor=cs_commissioner,
        declaration=submitted,
        accept=True,
        outcome="credited",
        settled={"PB10K": 1},
    )
    assert list(CreditLine.objects.values_list("model__code", "quantity")) == [("PB10K", 1)]
    assert submitted.lines.get().settled_quantity == 1


@pytest.mark.clause("V.2")
def test_rejecting_needs_a_reason_and_notifies_the_agent(submitted, cs_commissioner, agent_a_clerk):
    with pytest.raises(ValidationFailed):
        declarations.declaration_decide(actor=cs_commissioner, declaration=submitted, accept=False)
    declarations.declaration_decide(
        actor=cs_commissioner,
        declaration=submitted,
        accept=False,
        reason="The photos show wear, not transport damage.",
    )
    assert Declaration.objects.get(pk=submitted.pk).status == DeclarationStatus.REJECTED
    assert Message.objects.filter(recipient=agent_a_clerk).exists()


def test_the_other_departments_commissioner_cannot_decide_and_an_agent_never_can(
    submitted, commercial_commissioner, agent_a_clerk
):
    with pytest.raises(NotFound):
        declarations.declaration_decide(
            actor=commercial_commissioner, declaration=submitted, accept=False, reason="x"
        )
    with pytest.raises(PermissionDenied):
        declarations.declaration_decide(
            actor=agent_a_clerk, declaration=submitted, accept=False, reason="x"
        )


def test_another_agent_cannot_open_a_declaration_on_the_delivery(
    clock, arrived_delivery, agent_b_clerk
):
    clock.set("2026-09-02 11:00")
    with pytest.raises(NotFound):
        open_declaration(arrived_delivery, agent_b_clerk)


def test_an_assigned_user_who_is_no_commissioner_is_refused_and_ignored(
    complete, agent_a, agent_a_clerk, platform_staff
):
    from django.core.exceptions import ValidationError

    assignment = AgentCommissioner(agent=agent_a, commissioner=platform_staff)
    with pytest.raises(ValidationError):
        assignment.full_clean()
    assignment.save()
    declarations.declaration_submit(
        actor=agent_a_clerk, declaration=complete, department="after_sales"
    )
    declaration = Declaration.objects.get(pk=complete.pk)
    assert (declaration.commissioner, declaration.department) == (None, "after_sales")
