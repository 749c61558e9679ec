"""Downloads of a return batch's papers: the packing list, the repair list, the
fault labels and the anomaly notice (PDF), the packing list as a workbook, and
the template for importing batch lines (XLSX); and a shipment's delivery list
(PDF and XLSX, IV.7).

Thin views: ``selectors.batch_get`` (``selectors.shipment_get``) checks the role
and the tenancy (another organisation's batch or shipment is a 404, as if it did
not exist) and DomainErrorMiddleware
turns refusals into error pages. The papers name people and telephone numbers:
never cached.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from sanbao.accounts.roles import require
from sanbao.core.web import PDF, XLSX, download
from sanbao.returns import documents, importing, selectors


@never_cache
@login_required
@require_GET
def packing_list_pdf(request, number: str):
    batch = selectors.batch_get(actor=request.user, number=number)
    return download(
        documents.packing_list_pdf(batch), PDF, f"packing-list-{batch.number}.pdf", attachment=False
    )


@never_cache
@login_required
@require_GET
def repair_list_pdf(request, number: str):
    batch = selectors.batch_get(actor=request.user, number=number)
    return download(
        documents.repair_list_pdf(batch), PDF, f"repair-list-{batch.number}.pdf", attachment=False
    )


@never_cache
@login_required
@require_GET
def labels_pdf(request, number: str):
    """?layout=60x40 (one label a page, for label printers; the default) or a4."""
    batch = selectors.batch_get(actor=request.user, number=number)
    layout = request.GET.get("layout") or "60x40"
    return download(
        documents.labels_pdf(batch, layout),
        PDF,
        f"fault-labels-{batch.number}-{layout}.pdf",
        attachment=False,
    )


@never_cache
@login_required
@require_GET
def anomaly_notice_pdf(request, number: str):
    batch = selectors.batch_get(actor=request.user, number=number)
    return download(
        documents.anomaly_notice_pdf(batch),
        PDF,
        f"anomaly-notice-{batch.number}.pdf",
        attachment=False,
    )


@never_cache
@login_required
@require_GET
def packing_list_xlsx(request, number: str):
    batch = selectors.batch_get(actor=request.user, number=number)
    return download(
        documents.packing_list_xlsx(batch),
        XLSX,
        f"packing-list-{batch.number}.xlsx",
        attachment=True,
    )


@never_cache
@login_required
@require_GET
def delivery_list_pdf(request, number: str):
    """The delivery list of a shipment (IV.7), by the shipment's number."""
    shipment = selectors.shipment_get(actor=request.user, number=number)
    return download(
        documents.delivery_list_pdf(shipment),
        PDF,
        f"delivery-list-{shipment.number}.pdf",
        attachment=False,
    )


@never_cache
@login_required
@require_GET
def delivery_list_xlsx(request, number: str):
    shipment = selectors.shipment_get(actor=request.user, number=number)
    return download(
        documents.delivery_list_xlsx(shipment),
        XLSX,
        f"delivery-list-{shipment.number}.xlsx",
        attachment=True,
    )


@login_required
@require_GET
def lines_template_xlsx(request):
    """The workbook an agent fills in with batch lines, for whoever may create a
    batch (its lines are imported into a batch)."""
    require(request.user, "returns.create")
    return download(
        importing.lines_template_xlsx(), XLSX, "return-batch-lines.xlsx", attachment=True
    )
