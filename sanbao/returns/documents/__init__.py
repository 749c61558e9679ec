"""A return batch's papers (SPEC IV), one module a paper: the packing list and the
repair list that travel with the parcel (IV.1, IV.2), the fault labels stuck on
each unit (IV.3), the notice faxed to the return unit when what arrived differs
(IV.4), the packing list as a workbook; the delays marked on the reprinted
packing list (IV.6); and the delivery list that goes back with each shipment of
good products (IV.7), as a PDF and a workbook. ``text`` holds the words they
print, ``layout`` and ``delays`` the pieces they share.

The PDFs are printed in Chinese and English whatever the reader's language, in
the embedded Noto Sans SC (see ``sanbao.documents.pdf``). The batch or shipment
passed in is already visible to the reader (``selectors.batch_get``,
``selectors.shipment_get``).

Each paper is registered here in the document registry, with its one file name
(``<paper>-<number>``), for the pages and the API alike.
"""

from __future__ import annotations

from sanbao.core.web import PDF, XLSX
from sanbao.documents.registry import numbered, register
from sanbao.returns.documents.anomaly_notice import anomaly_notice_pdf
from sanbao.returns.documents.delivery_list import delivery_list_pdf
from sanbao.returns.documents.delivery_list_xlsx import delivery_list_xlsx
from sanbao.returns.documents.labels import LABEL_LAYOUTS, labels_of, labels_pdf
from sanbao.returns.documents.packing_list import packing_list_pdf
from sanbao.returns.documents.packing_list_xlsx import packing_list_xlsx
from sanbao.returns.documents.repair_list import repair_list_pdf
from sanbao.returns.importing import lines_template_xlsx

__all__ = [
    "LABEL_LAYOUTS",
    "anomaly_notice_pdf",
    "delivery_list_pdf",
    "delivery_list_xlsx",
    "labels_of",
    "labels_pdf",
    "packing_list_pdf",
    "packing_list_xlsx",
    "repair_list_pdf",
]

# name, renderer, media type, file name (the batch's or shipment's number in it)
for name, render, media_type, filename in (
    ("packing_list_pdf", packing_list_pdf, PDF, numbered("packing-list.pdf")),
    ("packing_list_xlsx", packing_list_xlsx, XLSX, numbered("packing-list.xlsx")),
    ("repair_list_pdf", repair_list_pdf, PDF, numbered("repair-list.pdf")),
    ("anomaly_notice_pdf", anomaly_notice_pdf, PDF, numbered("anomaly-notice.pdf")),
    ("delivery_list_pdf", delivery_list_pdf, PDF, numbered("delivery-list.pdf")),
    ("delivery_list_xlsx", delivery_list_xlsx, XLSX, numbered("delivery-list.xlsx")),
    # One file a layout: a sheet of labels and a roll of them are different prints.
    (
        "labels_pdf",
        labels_pdf,
        PDF,
        lambda batch, layout="60x40": f"fault-labels-{batch.number}-{layout}.pdf",
    ),
    # The workbook an agent fills in with batch lines: no record, one name.
    ("lines_template_xlsx", lines_template_xlsx, XLSX, lambda: "return-batch-lines.xlsx"),
):
    register(f"returns.{name}", render=render, filename=filename, media_type=media_type)

# The list pages' workbooks register themselves (their "Export as XLSX" links).
from sanbao.returns.documents import lists  # noqa: E402, F401
