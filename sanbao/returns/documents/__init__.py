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
from sanbao.documents.registry import register
from sanbao.returns.documents.anomaly_notice import anomaly_notice_pdf
from sanbao.returns.documents.delivery_list import delivery_list_pdf
from sanbao.returns.documents.delivery_list_xlsx import delivery_list_xlsx
from sanbao.returns.documents.labels import LABEL_LAYOUTS, labels_of, labels_pdf
from sanbao.returns.documents.packing_list import packing_list_pdf
from sanbao.returns.documents.packing_list_xlsx import packing_list_xlsx
from sanbao.returns.documents.repair_list import repair_list_pdf
from sanbao.returns.importing import lines_template_xlsx

__all__ = [
    "ANOMALY_NOTICE",
    "DELIVERY_LIST_PDF",
    "DELIVERY_LIST_XLSX",
    "FAULT_LABELS",
    "LABEL_LAYOUTS",
    "LINES_TEMPLATE",
    "PACKING_LIST_PDF",
    "PACKING_LIST_XLSX",
    "REPAIR_LIST",
    "anomaly_notice_pdf",
    "delivery_list_pdf",
    "delivery_list_xlsx",
    "labels_of",
    "labels_pdf",
    "packing_list_pdf",
    "packing_list_xlsx",
    "repair_list_pdf",
]

PACKING_LIST_PDF = register(
    "returns.packing_list_pdf",
    render=packing_list_pdf,
    filename=lambda batch: f"packing-list-{batch.number}.pdf",
    media_type=PDF,
)
PACKING_LIST_XLSX = register(
    "returns.packing_list_xlsx",
    render=packing_list_xlsx,
    filename=lambda batch: f"packing-list-{batch.number}.xlsx",
    media_type=XLSX,
)
REPAIR_LIST = register(
    "returns.repair_list_pdf",
    render=repair_list_pdf,
    filename=lambda batch: f"repair-list-{batch.number}.pdf",
    media_type=PDF,
)
FAULT_LABELS = register(
    "returns.labels_pdf",
    render=labels_pdf,
    filename=lambda batch, layout="60x40": f"fault-labels-{batch.number}-{layout}.pdf",
    media_type=PDF,
)
ANOMALY_NOTICE = register(
    "returns.anomaly_notice_pdf",
    render=anomaly_notice_pdf,
    filename=lambda batch: f"anomaly-notice-{batch.number}.pdf",
    media_type=PDF,
)
DELIVERY_LIST_PDF = register(
    "returns.delivery_list_pdf",
    render=delivery_list_pdf,
    filename=lambda shipment: f"delivery-list-{shipment.number}.pdf",
    media_type=PDF,
)
DELIVERY_LIST_XLSX = register(
    "returns.delivery_list_xlsx",
    render=delivery_list_xlsx,
    filename=lambda shipment: f"delivery-list-{shipment.number}.xlsx",
    media_type=XLSX,
)
# The workbook an agent fills in with batch lines: no record, one name.
LINES_TEMPLATE = register(
    "returns.lines_template_xlsx",
    render=lines_template_xlsx,
    filename=lambda: "return-batch-lines.xlsx",
    media_type=XLSX,
)
