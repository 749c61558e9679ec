"""The consumers API: a production lot's sheet of warranty cards (PDF), beside
the other document downloads."""

from __future__ import annotations

from functools import partial

from ninja import Router

from sanbao.consumers import selectors
from sanbao.core.api import COMMON_ERRORS, ErrorOut, download_route
from sanbao.core.web import PDF
from sanbao.documents import registry

router = Router(tags=["consumers"])


def _lot(request, number: str):
    return selectors.lot_get(actor=request.auth, number=number)


download_route(
    router,
    "/lots/{number}/warranty-cards.pdf",
    "get_warranty_cards",
    PDF,
    "The warranty cards of a production lot, ten an A4 page, each with its signed QR code",
    fetch=_lot,
    file_of=partial(registry.file, "consumers.warranty_cards_pdf"),
    errors={400: ErrorOut, **COMMON_ERRORS},
)
