"""Downloads of a return batch's papers: the packing list, the repair list, the
fault labels and the anomaly notice (PDF), the packing list as a workbook, and
the template for importing batch lines (XLSX); and a shipment's delivery list
(PDF and XLSX, IV.7).

Each answers a document of the registry (``sanbao.documents.registry``): the same
bytes and file name as the API's. The selectors check the role and the tenancy
(another organisation's batch or shipment is a 404, as if it did not exist) and
DomainErrorMiddleware turns refusals into error pages. The papers name people and
telephone numbers: never cached.
"""

from __future__ import annotations

from functools import partial

from django.contrib.auth.decorators import login_required
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from sanbao.accounts.roles import require
from sanbao.core.web import download, download_view
from sanbao.documents import registry
from sanbao.returns import selectors


def _paper(fetch, name: str):
    """The page that downloads the registered paper ``returns.<name>``."""
    return download_view(fetch, partial(registry.file, f"returns.{name}"))


packing_list_pdf = _paper(selectors.batch_get, "packing_list_pdf")
repair_list_pdf = _paper(selectors.batch_get, "repair_list_pdf")
anomaly_notice_pdf = _paper(selectors.batch_get, "anomaly_notice_pdf")
packing_list_xlsx = _paper(selectors.batch_get, "packing_list_xlsx")
# The delivery list of a shipment (IV.7), by the shipment's number.
delivery_list_pdf = _paper(selectors.shipment_get, "delivery_list_pdf")
delivery_list_xlsx = _paper(selectors.shipment_get, "delivery_list_xlsx")


@never_cache
@login_required
@require_GET
def labels_pdf(request, number: str):
    """?layout=60x40 (one label a page, for label printers; the default) or a4."""
    batch = selectors.batch_get(actor=request.user, number=number)
    layout = request.GET.get("layout") or "60x40"
    return download(registry.file("returns.labels_pdf", batch, layout))


@login_required
@require_GET
def lines_template_xlsx(request):
    """The workbook an agent fills in with batch lines, for whoever may create a
    batch (its lines are imported into a batch)."""
    require(request.user, "returns.create")
    return download(registry.file("returns.lines_template_xlsx"))
