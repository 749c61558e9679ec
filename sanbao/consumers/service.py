"""A consumer asks for service from their phone (issue 16 item 3): what remedies
are open to their unit today and why (I.2, in plain words), where the unit can
be brought or posted, the claim itself, and what they are told once it is made.

The claim is made by ``claims.services.claim_create`` with a
``ConsumerActor`` (the number a one-time code confirmed): the same intake, the
same evaluation and the same reasons as a claim taken in at an outlet. Nothing
here restates a rule: the remedies open are ``claims.policy.open_remedies`` of
the unit's category terms, the verdict is the one stored on the claim, worded
by ``claims.reasons`` as the staff's claim page words it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.apps import apps
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from sanbao.accounts.models import Organisation
from sanbao.accounts.roles import OrgKind
from sanbao.catalog import selectors as catalog_selectors
from sanbao.catalog.exclusions import RULE_TITLES
from sanbao.catalog.models import Unit
from sanbao.claims import policy
from sanbao.claims.models import Claim, Remedy
from sanbao.claims.public import NEXT_STEPS
from sanbao.claims.reasons import OUTCOME_LABELS, VERDICTS, reason_text
from sanbao.claims.services import ConsumerActor, claim_create
from sanbao.claims.warranty import days_in_repair_before
from sanbao.consumers import consent

POST = "post"  # the way to service that is not an outlet: by post to the after-sales centre


# --- Which unit ---------------------------------------------------------------------


def unit_for_request(*, serial: str, card_no: str) -> Unit | None:
    """The unit whose serial and warranty-card number are both those typed, or None
    whichever of the two is wrong (the answer never says which)."""
    unit = catalog_selectors.unit_find(serial=serial)
    if (
        unit is None
        or not unit.warranty_card_no
        or not policy.same_card_no(unit.warranty_card_no, card_no or "")
    ):
        return None
    return unit


# --- What is open today, and why ----------------------------------------------------


@dataclass(frozen=True)
class RemedyLine:
    code: str
    label: str
    open: bool
    why: str


@dataclass(frozen=True)
class Options:
    """The remedies the consumer may choose today and the reasons, in the active
    language; ``in_scope`` False: sold outside mainland China (I.1)."""

    delivered_on: dt.date | None
    delivered_source: str  # "given", "registration", "sale" or ""
    warranty_end: dt.date | None
    in_scope: bool
    lines: list[RemedyLine] = field(default_factory=list)

    @property
    def open_codes(self) -> list[str]:
        return [line.code for line in self.lines if line.open]


def registered_delivery(unit: Unit, phone: str) -> dt.date | None:
    """The delivery date the consumer recorded when registering the purchase, when
    the registration exists (issue 16 item 2, built elsewhere: read only if its
    model is installed and has the fields this looks for)."""
    try:
        model = apps.get_model("consumers", "Registration")
    except LookupError:
        return None
    names = {f.name for f in model._meta.get_fields()}
    if not {"unit", "delivered_on"} <= names:
        return None
    rows = model.objects.filter(unit=unit)
    if "phone" in names:
        rows = rows.filter(phone=phone)
    return rows.order_by("-pk").values_list("delivered_on", flat=True).first()


def options_for(
    unit: Unit, *, delivered_on: dt.date | None, phone: str = "", today: dt.date | None = None
) -> Options:
    """I.2 in plain words: the remedies ``policy.open_remedies`` opens today for
    ``unit`` under its category's terms, counted from the delivery date the
    consumer gives, else the one they registered, else the registry's sale date."""
    today = today or timezone.localdate()
    source = "given" if delivered_on else ""
    if delivered_on is None:
        delivered_on = registered_delivery(unit, phone)
        source = "registration" if delivered_on else ""
    if delivered_on is None and unit.sale_date:
        delivered_on, source = unit.sale_date, "sale"
    category = unit.model.category
    if delivered_on is None:
        return Options(None, "", None, unit.in_scope)
    start = unit.warranty_starts_on or delivered_on
    end = policy.warranty_end(start, category.warranty_months, days_in_repair_before(unit))
    window = policy.RemedyWindow(
        delivered_on=delivered_on,
        on=today,
        return_days=category.return_window_days,
        exchange_days=category.exchange_window_days,
        warranty_end=end,
        claimed_on=today,
    )
    open_ = set(policy.open_remedies(window)) if unit.in_scope else set()
    return_until = delivered_on + dt.timedelta(days=category.return_window_days)
    exchange_until = delivered_on + dt.timedelta(days=category.exchange_window_days)
    words = {
        "days": category.return_window_days,
        "until": return_until.isoformat(),
    }
    lines = [
        RemedyLine(
            Remedy.RETURN,
            str(Remedy.RETURN.label),
            Remedy.RETURN in open_,
            _(
                "Open until %(until)s: a faulty unit may be returned within %(days)s days "
                "of delivery."
            )
            % words
            if Remedy.RETURN in open_
            else _("Closed: the %(days)s days after delivery for a return ended on %(until)s.")
            % words,
        ),
        RemedyLine(
            Remedy.REPLACEMENT,
            str(Remedy.REPLACEMENT.label),
            Remedy.REPLACEMENT in open_,
            _(
                "Open until %(until)s: a faulty unit may be replaced within %(days)s days "
                "of delivery."
            )
            % {"days": category.exchange_window_days, "until": exchange_until.isoformat()}
            if Remedy.REPLACEMENT in open_
            else _(
                "Not open today: the %(days)s days after delivery for a replacement ended on "
                "%(until)s. Later, a replacement is due when the outlet finds the unit cannot "
                "be repaired, or after repeated repairs of the same fault."
            )
            % {"days": category.exchange_window_days, "until": exchange_until.isoformat()},
        ),
        RemedyLine(
            Remedy.REPAIR,
            str(Remedy.REPAIR.label),
            Remedy.REPAIR in open_,
            _("Open: free repair within the warranty period, which ends on %(end)s.")
            % {"end": end.isoformat() if end else "—"}
            if Remedy.REPAIR in open_
            else _(
                "Closed: the warranty period ended on %(end)s. The outlet can still quote a "
                "paid repair."
            )
            % {"end": end.isoformat() if end else "—"},
        ),
    ]
    return Options(delivered_on, source, end, unit.in_scope, lines)


# --- Where the unit goes -----------------------------------------------------------


@dataclass(frozen=True)
class Place:
    """Where the unit reaches service: an outlet (``code``) or the after-sales
    centre by post (``code`` is ``POST``), in the active language."""

    code: str
    name: str
    address: str
    phone: str
    hours: str


def outlets() -> list[Place]:
    """The active authorised service outlets, with address, telephone and hours."""
    rows = Organisation.objects.filter(kind=OrgKind.SERVICE_OUTLET, is_active=True).order_by("code")
    return [Place(o.code, o.display_name, o.address, o.phone, o.opening_hours) for o in rows]


def after_sales_centre() -> Place | None:
    """The after-sales department's address, where posted units go."""
    org = Organisation.objects.filter(kind=OrgKind.PLATFORM, is_active=True).order_by("pk").first()
    if org is None:
        return None
    return Place(POST, org.display_name, org.address, org.phone, org.opening_hours)


def packing_for(category) -> str:
    """How to pack a unit of ``category`` to post it (the category's own words,
    else the general advice)."""
    return category.packing_instructions or _(
        "Pack the unit in its box or in bubble wrap inside a sturdy carton, with its "
        "accessories, a copy of the claim number and your telephone."
    )


# --- The claim ---------------------------------------------------------------------


def consumer_claim_submit(
    *,
    unit: Unit,
    phone: str,
    consumer_name: str,
    fault_kind: str,
    fault_description: str,
    fault_files: list,
    warranty_card_scan,
    proof_of_purchase_scan,
    proof_of_purchase_no: str = "",
    proof_of_purchase_date: dt.date | None = None,
    remedy_requested: str = "",
    route: str = POST,
) -> Claim:
    """The consumer's claim for ``unit``, made through ``claims.services.claim_create``
    as a ``ConsumerActor`` holding the confirmed ``phone`` (II.2: the card and the
    proof presented together; III.1, III.3 checked against the registry at once).
    The card is the unit's registered one (the consumer reached it through the
    card's signed URL, or by typing its number with the serial). ``route`` is an
    active outlet's code, or ``POST`` for the after-sales department. Without a
    delivery date on the proof, the one the consumer registered counts, else the
    registry's sale date. The claim enters the outlet's or the department's
    queue like any other; a refusal is the intake's ``DomainError``."""
    delivered_on = proof_of_purchase_date or registered_delivery(unit, phone)
    return claim_create(
        actor=ConsumerActor(phone=phone),
        fault_kind=fault_kind,
        fault_description=fault_description,
        proof_of_purchase_date=delivered_on,
        remedy_requested=remedy_requested,
        serial=unit.serial,
        consumer_name=consumer_name,
        proof_of_purchase_no=proof_of_purchase_no,
        proof_of_purchase_scan=proof_of_purchase_scan,
        warranty_card_no=unit.warranty_card_no,
        warranty_card_scan=warranty_card_scan,
        handling_org_code="" if route == POST else route,
        fault_files=fault_files,
        consent_version=consent.VERSION,
    )


# --- What the consumer is told -----------------------------------------------------


@dataclass(frozen=True)
class RuleRow:
    rule: str
    title: str
    outcome: str
    outcome_label: str
    reason: str


@dataclass(frozen=True)
class Submitted:
    """The answer to a request for service: the claim number, its verdict and the
    reasons as the staff's claim page words them, what happens next, and where
    the unit goes (the outlet, or the after-sales centre with the packing)."""

    number: str
    verdict: str
    verdict_label: str
    rows: list[RuleRow]
    next_step: str
    remedy_label: str
    place: Place | None
    by_post: bool
    packing: str
    follow_url: str


def claim_for_consumer(*, number: str, phone: str) -> Claim | None:
    """The claim ``number`` when it is this consumer's (the confirmed ``phone``)."""
    if not phone:
        return None
    return (
        Claim.objects.select_related("model__category", "handling_org", "unit__model__category")
        .filter(number=number, consumer_phone=phone)
        .first()
    )


def submitted(claim: Claim) -> Submitted:
    """What the consumer sees once the claim is made (in the active language)."""
    org = claim.handling_org
    by_post = org.kind != OrgKind.SERVICE_OUTLET
    if by_post:
        place = after_sales_centre()
    else:
        place = Place(org.code, org.display_name, org.address, org.phone, org.opening_hours)
    packing = packing_for(claim.model.category) if by_post else ""
    return Submitted(
        number=claim.number,
        verdict=claim.verdict,
        verdict_label=str(VERDICTS.get(claim.verdict, claim.verdict)),
        rows=[
            RuleRow(
                rule=r.get("rule", ""),
                title=str(RULE_TITLES.get(r.get("rule", ""), r.get("rule", ""))),
                outcome=r.get("outcome", ""),
                outcome_label=str(OUTCOME_LABELS.get(r.get("outcome"), r.get("outcome"))),
                reason=reason_text(r),
            )
            for r in claim.verdict_results
        ],
        next_step=str(NEXT_STEPS[claim.status]) if claim.status in NEXT_STEPS else "",
        remedy_label=str(claim.get_remedy_requested_display()) if claim.remedy_requested else "",
        place=place,
        by_post=by_post,
        packing=packing,
        # The claim's page for the consumer (issue 16 item 4, built elsewhere): by
        # its path, so this page does not depend on that URL's name.
        follow_url=f"/service/claims/{claim.number}/",
    )


def settings_note() -> dict:
    """The limits the form states (video size, number of files)."""
    return {
        "video_mb": settings.SANBAO_VIDEO_MAX_MB,
        "photo_mb": settings.SANBAO_UPLOAD_MAX_MB,
        "files_max": settings.SANBAO_FAULT_FILES_MAX,
    }
