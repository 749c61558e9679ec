"""Tenant-scoped reads of return batches and their anomalies."""

from __future__ import annotations

from django.db.models import QuerySet

from sanbao.accounts.roles import require
from sanbao.core.tenancy import get_visible
from sanbao.notifications.models import ContactTask
from sanbao.returns.models import ReceiptAnomaly, ReturnBatch


def batch_list(
    *, actor, status: str | None = None, return_org: str | None = None, number: str | None = None
) -> QuerySet[ReturnBatch]:
    require(actor, "returns.view")
    qs = ReturnBatch.objects.visible_to(actor).select_related("return_org")
    if status:
        qs = qs.filter(status=status)
    if return_org:
        qs = qs.filter(return_org__code=return_org)
    if number:
        qs = qs.filter(number__istartswith=number.strip())
    return qs


def batch_get(*, actor, number: str) -> ReturnBatch:
    require(actor, "returns.view")
    return get_visible(
        ReturnBatch.objects.select_related("return_org", "created_by", "received_by"),
        actor,
        error_code="returns.batch_not_found",
        number=(number or "").strip().upper(),
    )


def anomaly_get(*, actor, pk: int) -> ReceiptAnomaly:
    require(actor, "returns.view")
    return get_visible(
        ReceiptAnomaly.objects.select_related("batch", "batch__return_org", "line"),
        actor,
        error_code="returns.anomaly_not_found",
        pk=pk,
    )


def anomaly_list(
    *, actor, batch: ReturnBatch | None = None, open_only: bool = False
) -> QuerySet[ReceiptAnomaly]:
    """IV.4: receipt anomalies; a return unit sees those of its own batches."""
    require(actor, "returns.view")
    qs = ReceiptAnomaly.objects.visible_to(actor).select_related(
        "batch", "batch__return_org", "line", "resolved_by"
    )
    if batch is not None:
        qs = qs.filter(batch=batch)
    if open_only:
        qs = qs.filter(resolved_at__isnull=True)
    return qs


def batch_contact_tasks(*, actor, batch: ReturnBatch) -> QuerySet[ContactTask]:
    """IV.4: the contact tasks (notices) about a batch and their attempts, for
    platform staff and for the return unit the batch belongs to."""
    require(actor, "returns.view")
    if not ReturnBatch.objects.visible_to(actor).filter(pk=batch.pk).exists():
        return ContactTask.objects.none()
    return (
        ContactTask.objects.visible_to(actor)
        .filter(target_type=ReturnBatch._meta.label_lower, target_id=str(batch.pk))
        .prefetch_related("attempts")
        .order_by("created_at", "id")
    )
