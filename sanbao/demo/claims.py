"""The demo's eight warranty claims, each taken in by the demo user named in its
spec and moved to its state through the claims services, and the one a newcomer
can look up on the public status page."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw

from sanbao.accounts.models import User
from sanbao.accounts.roles import can
from sanbao.catalog.selectors import unit_list
from sanbao.claims import services as claim_services
from sanbao.claims.policy import CHECKLIST_RULES
from sanbao.claims.selectors import claim_list
from sanbao.claims.services import FindingIn, claim_create
from sanbao.demo.result import DemoResult


@dataclass(frozen=True)
class UnitPick:
    """Which registered unit a demo claim is about: the first (by serial) that
    fits and has no demo claim yet. ``sold_days`` bounds the days since its sale."""

    category: str
    sold_days: tuple[int, int]
    region: str = "mainland"
    channel_org: str | None = None


@dataclass(frozen=True)
class DemoClaim:
    """One demo claim, taken in by ``taken_in_by`` and then moved through
    ``steps`` (names of ``_STEPS``) by the user handling it. The fault
    description is unique among the demo claims: it is what makes loading
    idempotent."""

    name: str
    taken_in_by: str
    unit: UnitPick
    fault_kind: str
    fault_description: str
    consumer: tuple[str, str] | None = None  # name, telephone as written down
    documents: str = "complete"  # complete, no_card, wrong_card, no_scans
    found: tuple[tuple[str, str], ...] = ()  # (rule, note) found on inspection
    steps: tuple[str, ...] = ()


DEMO_CLAIMS = [
    DemoClaim(
        name="repair_in_service",
        taken_in_by="outlet",
        consumer=("黄晓明 Huang Xiaoming", "139-2000-0001"),
        unit=UnitPick(category="power-bank", sold_days=(30, 200)),
        fault_kind="not_charging",
        fault_description="Stops charging a phone after a few minutes; the light keeps blinking.",
        steps=("start_judgement", "judge_repair", "start_service"),
    ),
    DemoClaim(
        name="replaced",
        taken_in_by="staff",
        consumer=("李娜 Li Na", "138 0013 8000"),
        unit=UnitPick(category="power-bank", sold_days=(20, 200)),
        fault_kind="battery",
        fault_description="The case has swollen and a full charge lasts less than an hour.",
        steps=("start_judgement", "judge_replacement", "start_service", "resolve_replaced"),
    ),
    DemoClaim(
        name="hong_kong",
        taken_in_by="staff",
        consumer=("陈美玲 Chan Mei-ling", "+852 9123 4567"),
        unit=UnitPick(category="power-bank", sold_days=(20, 300), region="hong_kong"),
        fault_kind="no_output",
        fault_description="No output on either USB port; bought in a shop in Mong Kok.",
        steps=("start_judgement", "judge_reject"),
    ),
    DemoClaim(
        name="no_warranty_card",
        taken_in_by="agent_sz",
        unit=UnitPick(category="adapter", sold_days=(20, 300), channel_org="AG-SZ01"),
        fault_kind="overheating",
        fault_description="Too hot to touch after ten minutes of charging a laptop; "
        "the shop customer lost the warranty card.",
        documents="no_card",
    ),
    DemoClaim(
        name="mismatched_card",
        taken_in_by="outlet",
        consumer=("王磊 Wang Lei", "137 1234 5678"),
        unit=UnitPick(category="headphones", sold_days=(20, 300)),
        fault_kind="no_sound",
        fault_description="The left earbud gives no sound at all.",
        documents="wrong_card",
    ),
    DemoClaim(
        name="past_warranty",
        taken_in_by="staff",
        consumer=("刘芳 Liu Fang", "136 5555 0101"),
        unit=UnitPick(category="power-bank", sold_days=(400, 540)),
        fault_kind="battery",
        fault_description="Holds only half of its charge since last month.",
    ),
    DemoClaim(
        name="liquid",
        taken_in_by="outlet",
        consumer=("赵强 Zhao Qiang", "135 0000 8888"),
        unit=UnitPick(category="headphones", sold_days=(20, 300)),
        fault_kind="connection",
        fault_description="The earbuds drop the Bluetooth connection every few seconds.",
        found=(("III.6", "Corrosion on the charging contacts; the liquid indicator is red."),),
        steps=("start_judgement",),
    ),
    DemoClaim(
        name="needs_judgement",
        taken_in_by="agent_cd",
        unit=UnitPick(category="data-cable", sold_days=(20, 150), channel_org="AG-CD01"),
        fault_kind="connector",
        fault_description="Charges only when the cable is bent at the USB-C plug.",
        documents="no_scans",
    ),
]
# The claim a newcomer can look up on the public status page (print_demo_logins).
STATUS_EXAMPLE = "replaced"


def _scan(name: str, title: str):
    """A small PNG standing for a scanned document."""
    image = Image.new("RGB", (360, 200), "white")
    draw = ImageDraw.Draw(image)
    draw.rectangle((4, 4, 355, 195), outline="black", width=2)
    draw.text((20, 20), title, fill="black")
    draw.text((20, 60), "Sanbao demo data - not a real document", fill="gray")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def _documents(spec: DemoClaim, unit) -> dict:
    """The proof of purchase and warranty card the claimant presents."""
    proof_no = f"INV-{unit.serial[-6:]}-{unit.sale_date:%Y%m%d}"
    cards = {"no_card": "", "wrong_card": "WC000000000"}
    card_no = cards.get(spec.documents, unit.warranty_card_no)
    with_scans = spec.documents != "no_scans"
    return {
        "proof_of_purchase_no": proof_no,
        "proof_of_purchase_scan": _scan("invoice.png", f"Invoice {proof_no}")
        if with_scans
        else None,
        "warranty_card_no": card_no,
        "warranty_card_scan": _scan("warranty-card.png", f"Warranty card {card_no}")
        if with_scans and card_no
        else None,
    }


def _pick_unit(admin, pick: UnitPick, today: dt.date, used: set[str]):
    low, high = pick.sold_days
    return (
        unit_list(
            actor=admin,
            category=pick.category,
            region=pick.region,
            channel_org=pick.channel_org,
            authorised=True,
            sold_from=today - dt.timedelta(days=high),
            sold_to=today - dt.timedelta(days=low),
        )
        .exclude(serial__in=used)
        .first()
    )


def _move(service):
    """A step that takes nothing but the claim and the actor."""
    return lambda claim, actor: service(claim=claim, actor=actor)


def _judge(**decision):
    """A step that judges the claim as ``decision`` says (II.3)."""
    return lambda claim, actor: claim_services.claim_judge(claim=claim, actor=actor, **decision)


def _step_judge_replacement(claim, actor):
    claim_services.claim_judge(
        claim=claim,
        actor=actor,
        failure_confirmed=True,
        remedy="replacement",
        replacement_model=claim.model,
        repair_impossible=True,
        note="Swollen cell: a repair is not safe. Replaced by the same model.",
    )


def _step_resolve_replaced(claim, actor):
    claim_services.claim_resolve(
        claim=claim,
        actor=actor,
        outcome="replaced",
        replacement_serial=f"RPL-{claim.unit.serial}",
        replacement_card_no=f"WC-RPL-{claim.unit.serial}",  # its own card (I.2)
        retained_location="Shenzhen service centre, retained-parts shelf R-03",
        note="Replacement handed over at the counter.",
    )


_STEPS = {
    "start_judgement": _move(claim_services.claim_start_judgement),
    "judge_repair": _judge(
        failure_confirmed=True,
        remedy="repair",
        note="Charging circuit fault confirmed on the bench; the board will be repaired.",
    ),
    "judge_replacement": _step_judge_replacement,
    "judge_reject": _judge(
        failure_confirmed=True,
        note="Sold in Hong Kong: outside the scope of this policy (I.1).",
    ),
    "start_service": _move(claim_services.claim_start_service),
    "resolve_replaced": _step_resolve_replaced,
}


def _handler(spec: DemoClaim, users: dict) -> object:
    """Who moves the claim on: the outlet judges what it took in, the after-sales
    staff everything else (agents' claims are handled by the platform)."""
    return users["outlet"] if spec.taken_in_by == "outlet" else users["staff"]


def _demo_claims(admin, specs=None) -> dict[str, object]:
    """The demo claims already in the database, by spec name."""
    specs = specs or DEMO_CLAIMS
    by_text = {spec.fault_description: spec.name for spec in specs}
    # Whole claims (the list leaves out its JSON fields): the demo moves them on.
    found = claim_list(actor=admin).defer(None).filter(fault_description__in=list(by_text))
    return {by_text[claim.fault_description]: claim for claim in found}


def ensure_claims(result: DemoResult, today: dt.date) -> None:
    """Take in each demo claim that is missing and move it to its state, through
    the claims services as the demo user named in its spec."""
    names = {spec.taken_in_by for spec in DEMO_CLAIMS} | {"admin", "staff", "outlet"}
    users = {u.username: u for u in User.objects.filter(username__in=names)}
    admin = users["admin"]
    present = _demo_claims(admin)
    used = {claim.unit.serial for claim in present.values() if claim.unit_id}
    for spec in DEMO_CLAIMS:
        if spec.name in present:
            continue
        unit = _pick_unit(admin, spec.unit, today, used)
        if unit is None:  # pragma: no cover - the demo units cover every pick
            result.claims_skipped.append(spec.name)
            continue
        used.add(unit.serial)
        found = dict(spec.found)
        taker = users[spec.taken_in_by]
        # Only the person judging records the checklist; an agent's claim waits for it.
        findings = (
            [
                # An exclusion found is recorded with its note and a photo (issue 10 item 7).
                FindingIn(
                    rule=rule,
                    found=True,
                    note=found[rule],
                    photo=_scan(f"finding-{rule}.png", f"Photo of the unit: {rule}"),
                )
                if rule in found
                else FindingIn(rule=rule, found=False)
                for rule in CHECKLIST_RULES
            ]
            if can(taker, "claims.judge")
            else None
        )
        name, phone = spec.consumer or ("", "")
        claim = claim_create(
            actor=taker,
            claimant_kind="consumer" if spec.consumer else "organisation",
            consumer_name=name,
            consumer_phone=phone,
            serial=unit.serial,
            delivered_on=unit.sale_date,
            fault_kind=spec.fault_kind,
            fault_description=spec.fault_description,
            findings=findings,
            **_documents(spec, unit),
        )
        handler = _handler(spec, users)
        for step in spec.steps:
            _STEPS[step](claim, handler)
        result.claims_created.append(claim.number)


@dataclass(frozen=True)
class StatusExample:
    number: str
    phone: str  # as the consumer wrote it down
    status: str


def status_example() -> StatusExample | None:
    """A consumer claim of the demo to try on the public status page, or None
    before ``load_demo`` has run."""
    admin = User.objects.filter(username="admin").first()
    if admin is None:
        return None
    spec = next(s for s in DEMO_CLAIMS if s.name == STATUS_EXAMPLE)
    claim = _demo_claims(admin, [spec]).get(spec.name)
    if claim is None:
        return None
    return StatusExample(claim.number, spec.consumer[1], str(claim.get_status_display()))
