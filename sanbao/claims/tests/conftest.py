"""Claim fixtures shared by the claims tests.

``intake(actor, **overrides)`` takes in a consumer claim through the service with
complete, matching documents for ``unit_of_agent_a`` (a 10,000 mAh power bank
delivered three days ago); ``ALL_CLEAR`` answers every checklist question "not
found". ``covered_claim`` is such a claim taken in by platform staff: covered.
"""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from sanbao.accounts.roles import can
from sanbao.claims.policy import CHECKLIST_RULES
from sanbao.claims.services import FindingIn, claim_create, claim_judge, claim_resolve
from sanbao.testkit.uploads import pdf_bytes

CONSUMER_PHONE = "13800138000"


def scan(name="scan.pdf"):
    """A small upload accepted as a document scan."""
    kind = "application/pdf" if name.endswith(".pdf") else "image/png"
    return SimpleUploadedFile(name, pdf_bytes(), content_type=kind)


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(buffer, "PNG")
    return buffer.getvalue()


# A tiny PNG that is an image by its content (Pillow reads it, as the page's form does).
PNG = _png()


def photo(name="seen.png"):
    """A photo upload (``PNG``): what an exclusion found at inspection is shown by."""
    return SimpleUploadedFile(name, PNG, content_type="image/png")


def all_clear():
    return [FindingIn(rule=r, found=False, note="") for r in CHECKLIST_RULES]


ALL_CLEAR = all_clear


def intake(actor, unit=None, **overrides):
    """A claim taken in through ``claim_create`` with sensible, complete defaults."""
    data = {
        "serial": unit.serial if unit is not None else "",
        "model_code": "" if unit is not None else "PB10K",
        "region": "" if unit is not None else "mainland",
        "delivered_on": timezone.localdate() - dt.timedelta(days=3),
        "claimant_kind": "consumer",
        "consumer_name": "Li Na",
        "consumer_phone": CONSUMER_PHONE,
        "proof_of_purchase_no": "INV-2026-0001",
        "proof_of_purchase_scan": scan("invoice.pdf"),
        "warranty_card_no": f"WC{unit.serial}" if unit is not None else "WC-UNKNOWN",
        "warranty_card_scan": scan("card.png"),
        "fault_kind": "not_charging",
        "fault_description": "Does not charge any phone since yesterday.",
        # Only the person judging records the checklist (SPEC III).
        "findings": all_clear() if can(actor, "claims.judge") else None,
    }
    data.update(overrides)
    return claim_create(actor=actor, **data)


def approve_replacement(claim, actor, model, **extra):
    """Judge the failure confirmed, to be remedied by a replacement of ``model``."""
    claim_judge(
        claim=claim,
        actor=actor,
        failure_confirmed=True,
        remedy="replacement",
        replacement_model=model,
        **extra,
    )


def resolve_replaced(claim, actor, serial, location, **extra):
    """Resolve the claim by a replacement unit ``serial``, the old unit kept at ``location``."""
    claim_resolve(
        claim=claim,
        actor=actor,
        outcome="replaced",
        replacement_serial=serial,
        retained_location=location,
        **extra,
    )


@pytest.fixture
def covered_claim(platform_staff, unit_of_agent_a):
    return intake(platform_staff, unit_of_agent_a)


@pytest.fixture
def outlet_claim(outlet_tech, unit_of_agent_b):
    """A covered consumer claim taken in (and handled) by outlet D."""
    return intake(outlet_tech, unit_of_agent_b)


@pytest.fixture
def agent_claim(agent_a_clerk, unit_of_agent_a, platform_org):
    """A covered claim agent A makes for one of its units (handled by the
    after-sales department, which must exist). It is on another unit of agent A
    than ``covered_claim``: a unit has at most one live claim (I.2)."""
    from sanbao.claims.tests.factories import another_unit

    unit = another_unit(unit_of_agent_a, "SBA000002")
    return intake(agent_a_clerk, unit, consumer_name="", consumer_phone="")
