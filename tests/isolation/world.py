"""Agent A's world for the isolation walk: one record of each kind, made through
the services as the app makes them, and the strings that identify them.

Everything here belongs to agent A (``AG-A``) or is a claim, batch, shipment,
delivery or declaration about it. ``World.values`` names each by the key the
walk's lookup table uses (``claim``, ``batch``, ``evidence``…); ``World.markers``
are the numbers, serials and names that must never reach agent B, in a list or
anywhere else.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.core.files.base import ContentFile

from sanbao.accounts.holds import hold_set
from sanbao.accounts.services import token_create
from sanbao.catalog.models import RetainedPart
from sanbao.claims.models import FaultFile
from sanbao.claims.policy import CHECKLIST_RULES
from sanbao.claims.services import FindingIn
from sanbao.claims.tests.conftest import intake
from sanbao.claims.tests.conftest import photo as claim_photo
from sanbao.claims.tests.factories import another_unit
from sanbao.consumers import consent
from sanbao.consumers.registration import registration_create
from sanbao.deliveries.models import CreditNote
from sanbao.deliveries.services import declarations
from sanbao.deliveries.tests.conftest import arrive, new_delivery, open_declaration, upload_all
from sanbao.notifications.models import ContactTask
from sanbao.returns import services
from sanbao.returns.tests.conftest import (
    called,
    dispose,
    labels,
    pb_lines,
    receiving,
    record_test,
    reload,
    scan,
    settle_all,
    shipped,
)
from sanbao.returns.tests.conftest import photo as unit_photo
from sanbao.statements.tests.conftest import Clock

# The number of the consumer who registered agent A's unit.
CONSUMER_PHONE = "13700137000"

# The rule of section III whose finding carries a photo on ``photo_claim``.
PHOTO_RULE = CHECKLIST_RULES[0]


@dataclass
class World:
    values: dict[str, str] = field(default_factory=dict)
    markers: list[str] = field(default_factory=list)


def build(cast, monkeypatch) -> World:
    """Agent A's records, one of each kind, through the services, in September 2026
    (the services' clock set as the statements' tests set it)."""
    clock = Clock(monkeypatch)
    clock.set("2026-09-01 09:00")
    clerk, staff = cast.agent_a_clerk, cast.platform_staff
    cast.pb10k, cast.pb20k, cast.ad65  # the models the records name  # noqa: B018
    world = World()
    v = world.values

    # Claims: one agent A makes (the pages' and API's default), one taken in by the
    # platform for another of A's units with a finding photographed.
    unit = cast.unit_of_agent_a
    # The lot its warranty cards are printed in (issue 16): the platform's to print.
    type(unit).objects.filter(pk=unit.pk).update(production_lot="LA-2606")
    claim = intake(clerk, another_unit(unit, "SBA000002"), consumer_name="", consumer_phone="")
    findings = [FindingIn(rule=r, found=False, note="") for r in CHECKLIST_RULES]
    findings[0] = FindingIn(rule=PHOTO_RULE, found=True, note="Seen", photo=claim_photo())
    photo_claim = intake(staff, another_unit(unit, "SBA000003"), findings=findings)
    # A consumer registered the purchase of A's unit (issue 16): its proof of purchase.
    registration_create(
        unit=unit,
        phone=CONSUMER_PHONE,
        delivered_on=unit.sale_date,
        proof_photo=claim_photo("receipt.png"),
        consent_version=consent.VERSION,
    )
    # A photo of the fault on A's claim (a consumer's claim has no organisation: its
    # file is stored on one of A's so that the page's scoping is walked).
    fault_file = FaultFile(claim=claim, kind="photo", media_type="image/jpeg", size=4)
    fault_file.file.save("fault.jpg", ContentFile(b"\xff\xd8\xff\xe0"), save=True)
    v |= {
        "claim": claim.number,
        "fault_file": str(fault_file.pk),
        "photo_claim": photo_claim.number,
        "unit_serial": unit.serial,
        "lot": "LA-2606",
        "scan_document": "proof-of-purchase",
        "rule": PHOTO_RULE,
    }

    # A batch received with one unit missing (an anomaly and its contact task,
    # called and agreed), its units tested: one repaired with a photo (its part
    # kept in the ledger), one charged, one delayed, the rest returned and shipped.
    batch = receiving(clerk, staff, pb_lines(6))
    scan(batch, staff, labels(batch)[:5])
    batch = services.receipt_close(batch=batch, actor=staff, received_boxes=1)
    called(batch, staff)
    anomaly = batch.anomalies.get()
    task = ContactTask.objects.filter(target_id=str(batch.pk)).order_by("id").first()
    services.anomaly_resolve(anomaly=anomaly, actor=staff, note="Agreed: five.")
    batch = services.testing_start(batch=reload(batch), actor=staff)
    repaired, charged, delayed, *rest = list(batch.units.order_by("seq"))
    record_test(repaired, staff, "fault_confirmed", evidence="No output", photo=unit_photo())
    dispose(repaired, staff, "repaired", parts_used=["Battery cell"], retained_location="B-3")
    record_test(charged, staff, "no_fault_found", evidence="Bench test")
    dispose(charged, staff, "charged", charge_amount=Decimal("35.00"), charge_reason="Bench fee")
    services.unit_delay(unit=delayed, actor=staff, reason="parts_shortage", note="On order")
    settle_all(batch, staff, units=rest)
    shipment = shipped(reload(batch), staff, units=rest)
    batch = reload(batch)
    part = RetainedPart.objects.order_by("id").last()
    v |= {
        "batch": batch.number,
        "anomaly": str(anomaly.pk),
        "contact_task": str(task.pk),
        "unit_seq": str(repaired.seq),
        "returned_unit": str(repaired.pk),
        "line_no": "1",
        "shipment": shipment.number,
        "retained_part": str(part.pk),
    }

    # A delivery to agent A, arrived, with a declaration settled by a credit note.
    delivery = new_delivery(staff, agent_code="AG-A")
    clock.set("2026-09-01 12:00")
    arrive(delivery, clerk, "2026-09-01 11:30")
    clock.set("2026-09-01 13:00")
    declaration = open_declaration(delivery, clerk)
    upload_all(declaration, clerk)
    declarations.declaration_submit(actor=clerk, declaration=declaration, department="after_sales")
    clock.set("2026-09-02 10:00")
    declarations.declaration_decide(
        actor=cast.cs_commissioner,
        declaration=declaration,
        accept=True,
        outcome="credited",
        settled={"PB10K": 1},
    )
    credit_note = CreditNote.objects.get(declaration=declaration)
    v |= {
        "delivery": delivery.number,
        "declaration": declaration.number,
        "evidence": str(declaration.evidence.order_by("id").first().pk),
    }

    # Agent A's own: its code, an API token of its clerk, a legal hold on a claim.
    token, _raw = token_create(actor=clerk, name="agent A's integration")
    hold = hold_set(
        actor=cast.platform_manager, kind="claims", reference=claim.number, reason="Dispute"
    )
    v |= {"org_code": cast.agent_a.code, "token": str(token.pk), "legal_hold": str(hold.pk)}

    world.markers = [
        claim.number,
        photo_claim.number,
        "SBA000001",
        "SBA000002",
        "SBA000003",
        batch.number,
        shipment.number,
        delivery.number,
        declaration.number,
        credit_note.number,
        cast.agent_a.name_en,
        cast.agent_a.name_zh,
        CONSUMER_PHONE,
    ]
    monkeypatch.undo()
    return world
