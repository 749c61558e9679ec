"""Tenant-scoped reads of return batches and their anomalies."""

from __future__ import annotations

from django.db.models import QuerySet

from sanbao.accounts.roles import require
from sanbao.core.tenancy import get_visible
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
