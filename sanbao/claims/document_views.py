"""Downloads of a claim's papers: the receipt and the service report (PDF). (The
claim list's workbook is its page's export: ``views.claim_list_xlsx``.)

Each answers a document of the registry (``sanbao.documents.registry``): the same
bytes and file name as the API's. The selectors check the role and the tenancy
(another organisation's claim is a 404, as if it did not exist) and
DomainErrorMiddleware turns their refusals into error pages. The papers hold
personal data: never cached.
"""

from __future__ import annotations

from functools import partial

from sanbao.claims import selectors
from sanbao.core.web import download_view
from sanbao.documents import registry

claim_receipt_pdf = download_view(
    selectors.claim_get, partial(registry.file, "claims.claim_receipt_pdf")
)
claim_report_pdf = download_view(
    selectors.claim_get, partial(registry.file, "claims.claim_service_report_pdf")
)
