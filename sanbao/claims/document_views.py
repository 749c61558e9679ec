"""Downloads of a claim's papers: the receipt and the service report (PDF), and
the claim list as a workbook (XLSX).

Each answers a document of the registry (``sanbao.documents.registry``): the same
bytes and file name as the API's. The selectors check the role and the tenancy
(another organisation's claim is a 404, as if it did not exist) and
DomainErrorMiddleware turns their refusals into error pages. The papers hold
personal data: never cached.
"""

from __future__ import annotations

from functools import partial

from django.contrib.auth.decorators import login_required
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from sanbao.accounts import selectors as account_selectors
from sanbao.accounts.roles import OrgKind
from sanbao.catalog import selectors as catalog_selectors
from sanbao.claims import selectors
from sanbao.claims.forms import ClaimFilterForm
from sanbao.core.web import download, download_view
from sanbao.documents import registry


def _filter_form(request) -> ClaimFilterForm:
    """The claim list page's filter form, so the export lists what the page lists."""
    user = request.user
    outlets = None
    if user.is_platform:
        outlets = account_selectors.organisation_list(actor=user).filter(
            kind__in=[OrgKind.PLATFORM, OrgKind.SERVICE_OUTLET], is_active=True
        )
    return ClaimFilterForm(
        request.GET, models=catalog_selectors.product_model_list(actor=user), outlets=outlets
    )


claim_receipt_pdf = download_view(
    selectors.claim_get, partial(registry.file, "claims.claim_receipt_pdf")
)
claim_report_pdf = download_view(
    selectors.claim_get, partial(registry.file, "claims.claim_service_report_pdf")
)


@never_cache
@login_required
@require_GET
def claim_list_xlsx(request):
    filters = _filter_form(request).filters()
    claims = selectors.claim_list(actor=request.user, **filters)
    return download(registry.file("claims.claims_xlsx", claims))
