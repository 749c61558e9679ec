"""What the pages and the API read: deliveries and declarations in the actor's
scope (404 outside it)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet, Sum
from django.utils.translation import gettext_lazy as _

from sanbao.accounts.roles import require
from sanbao.core.sorting import Sorting, SortKey
from sanbao.core.tenancy import get_numbered, get_visible, typed_number
from sanbao.deliveries.models import (
    CreditNote,
    Declaration,
    DeclarationStatus,
    Delivery,
    Evidence,
)

DELIVERY_SORTS = Sorting(
    SortKey("shipped", _("Shipped"), "shipped_at"),
    SortKey("number", _("Delivery"), "number", unique=True),
    default="-shipped",
)
DECLARATION_SORTS = Sorting(
    SortKey("opened", _("Opened"), "opened_at"),
    SortKey("number", _("Declaration"), "number", unique=True),
    default="-opened",
)


def delivery_list(
    *, actor, status: str | None = None, sort: str | None = None
) -> QuerySet[Delivery]:
    require(actor, "deliveries.view")
    qs = Delivery.objects.visible_to(actor).select_related("agent")
    return DELIVERY_SORTS.apply(qs.filter(status=status) if status else qs, sort)


def delivery_get(*, actor, number: str) -> Delivery:
    require(actor, "deliveries.view")
    qs = Delivery.objects.select_related("agent").prefetch_related("boxes", "items__model")
    return get_numbered(qs, actor, number, error_code="deliveries.delivery_not_found")


def declaration_list(
    *, actor, status: str | None = None, sort: str | None = None
) -> QuerySet[Declaration]:
    require(actor, "deliveries.view")
    qs = Declaration.objects.visible_to(actor).select_related("delivery", "delivery__agent")
    return DECLARATION_SORTS.apply(qs.filter(status=status) if status else qs, sort)


@dataclass(frozen=True)
class DeclarationsWork:
    """What a home page counts of the declarations the actor sees."""

    draft: int  # being prepared by the agent (evidence to upload, then submit)
    submitted: int  # with a commissioner, waiting for the decision (V.2)


def declarations_work(*, actor) -> DeclarationsWork:
    """The home page's counts of unpacking-damage declarations in the actor's
    scope: an agent's own being prepared and waiting for a decision; for a
    commissioner, those submitted to their department, which any commissioner of
    it may decide (``DECLARATION``'s "decide"; drafts are not theirs to see). One
    query."""
    require(actor, "deliveries.view")
    figures = (
        Declaration.objects.visible_to(actor)
        .order_by()
        .aggregate(
            draft=Count("pk", filter=Q(status=DeclarationStatus.DRAFT)),
            submitted=Count("pk", filter=Q(status=DeclarationStatus.SUBMITTED)),
        )
    )
    return DeclarationsWork(**figures)


def declaration_get(*, actor, number: str) -> Declaration:
    require(actor, "deliveries.view")
    qs = Declaration.objects.select_related("delivery", "delivery__agent").prefetch_related(
        "lines__model", "evidence", "delivery__boxes"
    )
    return get_numbered(qs, actor, number, error_code="deliveries.declaration_not_found")


def evidence_get(*, actor, number: str, pk: int) -> Evidence:
    """One file of a declaration the actor may see; 404 for anyone else."""
    require(actor, "deliveries.view")
    return get_visible(
        Evidence.objects.select_related("declaration"),
        actor,
        error_code="deliveries.evidence_not_found",
        pk=pk,
        declaration__number=typed_number(number),
    )


def credit_note_get(*, actor, number: str) -> CreditNote:
    """The credit note of the declaration numbered ``number``, to whoever may see
    that declaration (V.2); 404 for anyone else, and for a declaration without one."""
    require(actor, "deliveries.view")
    return get_visible(
        CreditNote.objects.select_related("agent", "issued_by", "declaration__delivery"),
        actor,
        error_code="deliveries.credit_note_not_found",
        declaration__number=typed_number(number),
    )


# --- What happened in a period, for one agent (IV.8) -----------------------------------


def deliveries_shipped_between(*, actor, agent, start, end, shipments=None) -> QuerySet[Delivery]:
    """IV.8: the deliveries shipped to an agent in the local days ``start``..``end``,
    with the quantity they carried; ``shipments``: only those made from these
    returns shipments (ids)."""
    require(actor, "deliveries.view")
    qs = Delivery.objects.visible_to(actor).filter(
        agent=agent, shipped_at__date__range=(start, end)
    )
    if shipments is not None:
        qs = qs.filter(shipment_id__in=shipments)
    return qs.annotate(quantity=Sum("items__quantity")).order_by("shipped_at", "number")


def declarations_opened_between(*, actor, agent, start, end) -> QuerySet[Declaration]:
    """IV.8: the unpacking-damage declarations an agent made (submitted, not drafts)
    on deliveries, opened in the period, with the quantities declared and settled."""
    require(actor, "deliveries.view")
    return (
        Declaration.objects.visible_to(actor)
        .filter(delivery__agent=agent, opened_at__date__range=(start, end))
        .exclude(status=DeclarationStatus.DRAFT)
        .select_related("delivery")
        .annotate(damaged=Sum("lines__quantity"), settled=Sum("lines__settled_quantity"))
        .order_by("opened_at", "number")
    )
