"""Unpacking-damage declarations (V.1) and their applications (V.2): opened,
given their evidence and submitted within the window after receipt, routed to a
commissioner, who accepts (a replacement delivery or a credit) or rejects."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone, translation
from django.utils.translation import gettext, gettext_noop

from sanbao.accounts.models import User
from sanbao.accounts.roles import RETURN_UNIT_ROLES
from sanbao.catalog.models import ProductModel
from sanbao.core import audit
from sanbao.core.numbers import save_numbered
from sanbao.core.uploads import UploadRefused, check_upload
from sanbao.deliveries import policy
from sanbao.deliveries.errors import ERRORS
from sanbao.deliveries.models import (
    COMMISSIONER_OF,
    DEPARTMENT_OF,
    QUANTITY_MAX,
    AgentCommissioner,
    CreditLine,
    CreditNote,
    Declaration,
    DeclarationLine,
    DeclarationOutcome,
    DeclarationStatus,
    Delivery,
    DeliveryBox,
    DeliveryItem,
    DeliverySource,
    Department,
    Evidence,
    EvidenceKind,
)
from sanbao.deliveries.services.deliveries import when
from sanbao.deliveries.states import DECLARATION, DELIVERY
from sanbao.notifications import services as notifications

__all__ = [
    "declaration_decide",
    "declaration_open",
    "declaration_submit",
    "evidence_upload",
    "missing_evidence",
]


def _in_window(delivery: Delivery) -> None:
    """V.1: refused once the window after receipt has closed, saying when it did in
    the reader's language and time zone, the zone named; the API's ``params`` carry
    the moment as ISO 8601 with its offset (``closed_at``) and the zone."""
    if delivery.received_at is None:
        raise ERRORS.refused("deliveries.not_received")
    if not policy.within_window(delivery.received_at, timezone.now()):
        closes = policy.window_closes(delivery.received_at)
        raise ERRORS.refused(
            "deliveries.window_closed",
            hours=settings.SANBAO_DECLARATION_WINDOW_HOURS,
            closed=when(closes),
            closed_at=timezone.localtime(closes).isoformat(),
            time_zone=timezone.get_current_timezone_name(),
        )


def declaration_open(
    *, actor, delivery: Delivery, description: str, lines: list[dict]
) -> Declaration:
    """V.1: the agent declares damage found on unpacking: which products, how many
    (no more than were delivered) and what was found. Within the window only."""
    DELIVERY.check(delivery, actor, "declare")
    _in_window(delivery)
    errors = ERRORS.collect()
    text = (description or "").strip()
    if not text:
        errors.add("description", "deliveries.description_required")
    elif len(text) > 4000:
        errors.add("description", "deliveries.value_too_long", limit=4000)
    delivered = dict(
        DeliveryItem.objects.filter(delivery=delivery)
        .values("model__code")
        .annotate(total=Sum("quantity"))
        .values_list("model__code", "total")
    )
    models = {m.code: m for m in ProductModel.objects.filter(code__in=delivered)}
    chosen: dict[str, int] = {}
    for index, line in enumerate(lines or []):
        code = str(line.get("model_code") or "").strip()
        qty = line.get("quantity")
        qty = qty if isinstance(qty, int) and not isinstance(qty, bool) else None
        if code not in delivered:
            errors.add(f"lines.{index}.model_code", "deliveries.model_not_delivered", model=code)
        elif code in chosen:
            errors.add(f"lines.{index}.model_code", "deliveries.model_repeated", model=code)
        elif qty is None or not 1 <= qty <= QUANTITY_MAX:
            errors.add(f"lines.{index}.quantity", "deliveries.quantity_invalid", high=QUANTITY_MAX)
        elif qty > delivered[code]:
            errors.add(
                f"lines.{index}.quantity",
                "deliveries.more_than_delivered",
                model=code,
                quantity=qty,
                delivered=delivered[code],
            )
        else:
            chosen[code] = qty
    if not lines:
        errors.add("lines", "deliveries.no_damaged_lines")
    errors.raise_if_any("deliveries.declaration_invalid")
    with transaction.atomic():
        declaration = Declaration(
            delivery=delivery, description=text, opened_by=actor, opened_at=timezone.now()
        )
        save_numbered(declaration, "U")
        DeclarationLine.objects.bulk_create(
            DeclarationLine(declaration=declaration, model=models[code], quantity=qty)
            for code, qty in chosen.items()
        )
        audit.record(
            actor=actor,
            action="declaration.opened",
            target=declaration,
            data={"delivery": delivery.number, "lines": chosen},
        )
    return declaration


def evidence_upload(*, actor, declaration: Declaration, kind: str, upload) -> Evidence:
    """V.2: one photo of the damaged parts, the scan of the stamped application
    form or the scan of the delivery note signed by the courier. Checked by its
    content, kept under a random name, and only within the window."""
    DECLARATION.check(declaration, actor, "upload")
    if kind not in EvidenceKind.values:
        raise ERRORS.invalid("deliveries.evidence_kind_invalid", "kind")
    if upload is None:
        raise ERRORS.invalid("deliveries.file_required", "file")
    _in_window(declaration.delivery)
    checked = _checked(upload, photo=kind == EvidenceKind.PHOTO)
    stored = ""
    try:
        with transaction.atomic():
            DECLARATION.hold(declaration, "upload")
            evidence = Evidence(
                declaration=declaration,
                kind=kind,
                media_type=checked.media_type,
                uploaded_by=actor,
                uploaded_at=timezone.now(),
            )
            evidence.file.save(upload.name, upload, save=False)
            stored = evidence.file.name
            evidence.save()
            audit.record(
                actor=actor,
                action="declaration.evidence_uploaded",
                target=declaration,
                data={"kind": kind, "type": checked.media_type},
            )
    except BaseException:
        # Nothing of a refused upload stays behind, not even its file.
        if stored:
            evidence.file.storage.delete(stored)
        raise
    return evidence


def _checked(upload, *, photo: bool):
    """``core.uploads.check_upload``'s answer, or its refusal as a 400 on ``file``."""
    try:
        return check_upload(upload, photo=photo)
    except UploadRefused as refused:
        if refused.too_large:
            raise ERRORS.invalid(
                "deliveries.image_too_large", "file", limit=f"{refused.limit:,}"
            ) from None
        raise ERRORS.invalid(
            "deliveries.file_not_accepted", "file", mb=settings.SANBAO_UPLOAD_MAX_MB
        ) from None


def missing_evidence(declaration: Declaration) -> list[str]:
    """The kinds of evidence still to upload before the application is complete."""
    present = set(declaration.evidence.values_list("kind", flat=True))
    return [kind for kind in EvidenceKind.values if kind not in present]


def declaration_submit(*, actor, declaration: Declaration, department: str = "") -> Declaration:
    """V.2: the complete application (photos, stamped form, signed delivery note)
    goes to a commissioner within the window: the agent's assigned commissioner
    when routing is by assignment and one is assigned, otherwise the department
    the agent chooses. The commissioners concerned are notified."""
    DECLARATION.check(declaration, actor, "submit")
    _in_window(declaration.delivery)
    missing = missing_evidence(declaration)
    if missing:
        labels = dict(EvidenceKind.choices)
        raise ERRORS.invalid(
            "deliveries.evidence_missing",
            "evidence",
            missing=", ".join(str(labels[k]) for k in missing),
        )
    commissioner = None
    if settings.SANBAO_DECLARATION_ROUTING == "assigned":
        assigned = (
            AgentCommissioner.objects.filter(agent_id=declaration.delivery.agent_id)
            .select_related("commissioner")
            .first()
        )
        # Only an active commissioner of one of the two departments takes it.
        if (
            assigned is not None
            and assigned.commissioner.is_active
            and assigned.commissioner.role in DEPARTMENT_OF
        ):
            commissioner = assigned.commissioner
    if commissioner is not None:
        department = DEPARTMENT_OF[commissioner.role]
    elif department not in Department.values:
        raise ERRORS.invalid("deliveries.department_required", "department")
    with transaction.atomic():
        DECLARATION.move(
            declaration,
            "submit",
            submitted_at=timezone.now(),
            department=department,
            commissioner=commissioner,
        )
        audit.record(
            actor=actor,
            action="declaration.submitted",
            target=declaration,
            data={"department": department, "commissioner": getattr(commissioner, "pk", None)},
        )
        recipients = (
            [commissioner]
            if commissioner is not None
            else User.objects.filter(role=COMMISSIONER_OF[department], is_active=True)
        )
        for user in recipients:
            _notify(
                user,
                declaration,
                "submitted",
                gettext_noop("Unpacking-damage declaration %(number)s to review"),
            )
    return declaration


def declaration_decide(
    *,
    actor,
    declaration: Declaration,
    accept: bool,
    outcome: str = "",
    settled: dict[str, int] | None = None,
    reason: str = "",
) -> Declaration:
    """The commissioner accepts, recording how many of each damaged product are
    replaced (a delivery to the agent) or credited (a credit note), or rejects
    with a reason. The agent's clerks are notified either way."""
    DECLARATION.check(declaration, actor, "decide")
    reason = (reason or "").strip()[:1000]
    lines = list(declaration.lines.select_related("model"))
    counts: dict[int, int] = {}
    if accept:
        if outcome not in DeclarationOutcome.values:
            raise ERRORS.invalid("deliveries.outcome_invalid", "outcome")
        settled = settled or {}
        for line in lines:
            qty = settled.get(line.model.code, line.quantity)
            if not isinstance(qty, int) or isinstance(qty, bool) or not 0 <= qty <= line.quantity:
                raise ERRORS.invalid("deliveries.settled_invalid", "settled")
            counts[line.pk] = qty
        if not any(counts.values()) or set(settled) - {line.model.code for line in lines}:
            raise ERRORS.invalid("deliveries.settled_invalid", "settled")
    elif not reason:
        raise ERRORS.invalid("deliveries.reason_required", "reason")
    now = timezone.now()
    with transaction.atomic():
        values = {"decided_by": actor, "decided_at": now, "reason": reason}
        if accept:
            for line in lines:
                DeclarationLine.objects.filter(pk=line.pk).update(settled_quantity=counts[line.pk])
            if outcome == DeclarationOutcome.REPLACED:
                values["replacement"] = _replacement(declaration, lines, counts, actor)
            else:
                _credit_note(declaration, lines, counts, actor, now)
            status = DeclarationStatus.ACCEPTED
        else:
            status = DeclarationStatus.REJECTED
        DECLARATION.move(declaration, "decide", status=status, outcome=outcome, **values)
        audit.record(
            actor=actor,
            action=f"declaration.{status}",
            target=declaration,
            data={"outcome": outcome or None, "reason": reason or None},
        )
        subject = (
            gettext_noop("Unpacking-damage declaration %(number)s accepted")
            if accept
            else gettext_noop("Unpacking-damage declaration %(number)s rejected")
        )
        for user in User.objects.filter(
            organisation_id=declaration.delivery.agent_id,
            role__in=RETURN_UNIT_ROLES,
            is_active=True,
        ):
            _notify(user, declaration, status, subject)
    return declaration


def _replacement(declaration, lines, counts, actor) -> Delivery:
    """The replacement for an accepted declaration: a delivery to the agent."""
    original = declaration.delivery
    delivery = Delivery(
        agent_id=original.agent_id,
        source=DeliverySource.REPLACEMENT,
        note_no=declaration.number,
        shipped_at=timezone.now(),
        created_by=actor,
    )
    save_numbered(delivery, "D")
    box = DeliveryBox.objects.create(delivery=delivery, box_no=1)
    DeliveryItem.objects.bulk_create(
        DeliveryItem(delivery=delivery, box=box, model=line.model, quantity=counts[line.pk])
        for line in lines
        if counts[line.pk]
    )
    audit.record(
        actor=actor,
        action="delivery.created",
        target=delivery,
        data={"source": DeliverySource.REPLACEMENT, "declaration": declaration.number},
    )
    return delivery


def _credit_note(declaration, lines, counts, actor, now) -> CreditNote:
    """V.2: the credit for an accepted declaration: a numbered credit note (K…)
    to the agent, one line per product credited."""
    note = CreditNote(
        declaration=declaration,
        agent_id=declaration.delivery.agent_id,
        issued_at=now,
        issued_by=actor,
    )
    save_numbered(note, "K")
    credited = {line.model.code: counts[line.pk] for line in lines if counts[line.pk]}
    CreditLine.objects.bulk_create(
        CreditLine(
            note=note,
            declaration=declaration,
            agent_id=declaration.delivery.agent_id,
            model=line.model,
            quantity=counts[line.pk],
        )
        for line in lines
        if counts[line.pk]
    )
    audit.record(
        actor=actor,
        action="credit_note.created",
        target=note,
        data={"declaration": declaration.number, "lines": credited},
    )
    return note


def _notify(user, declaration, event: str, subject: str) -> None:
    """A message to ``user`` in their own language, once per event."""
    with translation.override(user.language or settings.LANGUAGE_CODE):
        text = gettext(subject) % {"number": declaration.number}
    notifications.message_send(
        recipient=user,
        key=f"declaration:{declaration.pk}:{event}:{user.pk}",
        subject=text,
        body=text,
    )
