from django.urls import path

from sanbao.returns.views import (
    batches,
    documents,
    packing_list,
    queue,
    receipt,
    shipments,
    workshop,
)

app_name = "returns"

urlpatterns = [
    path("", batches.batch_list, name="batch_list"),
    path("new/", packing_list.batch_create, name="batch_create"),
    path("anomalies/", receipt.anomaly_list, name="anomaly_list"),
    path("lines-template.xlsx", documents.lines_template_xlsx, name="lines_template_xlsx"),
    path("queue/", queue.queue, name="queue"),
    path("to-follow/", queue.to_follow, name="to_follow"),
    path("shipments/", shipments.shipment_list, name="shipment_list"),
    path("shipments/new/", shipments.shipment_create, name="shipment_create"),
    # Shipment numbers start with S (S2605-K7M2QX), batch numbers with R.
    path("shipments/<str:number>/", shipments.shipment_detail, name="shipment_detail"),
    path("shipments/<str:number>/dispatch/", shipments.shipment_dispatch, name="shipment_dispatch"),
    path("shipments/<str:number>/cancel/", shipments.shipment_cancel, name="shipment_cancel"),
    path(
        "shipments/<str:number>/delivery-list.pdf",
        documents.delivery_list_pdf,
        name="delivery_list_pdf",
    ),
    path(
        "shipments/<str:number>/delivery-list.xlsx",
        documents.delivery_list_xlsx,
        name="delivery_list_xlsx",
    ),
    # Batch numbers (R2605-K7M2QX) never collide with the fixed paths above.
    path("<str:number>/", batches.batch_detail, name="batch_detail"),
    path("<str:number>/edit/", packing_list.batch_edit, name="batch_edit"),
    path("<str:number>/packing-list.pdf", documents.packing_list_pdf, name="packing_list_pdf"),
    path("<str:number>/repair-list.pdf", documents.repair_list_pdf, name="repair_list_pdf"),
    path("<str:number>/labels.pdf", documents.labels_pdf, name="labels_pdf"),
    path(
        "<str:number>/anomaly-notice.pdf",
        documents.anomaly_notice_pdf,
        name="anomaly_notice_pdf",
    ),
    path(
        "<str:number>/packing-list.xlsx",
        documents.packing_list_xlsx,
        name="packing_list_xlsx",
    ),
    path("<str:number>/submit/", batches.batch_submit, name="batch_submit"),
    path("<str:number>/refuse/", batches.batch_refuse, name="batch_refuse"),
    path("<str:number>/receipt/", receipt.receipt, name="receipt"),
    path("<str:number>/receipt/open/", receipt.receipt_open, name="receipt_open"),
    path("<str:number>/receipt/scan/", receipt.receipt_scan, name="receipt_scan"),
    path("<str:number>/receipt/unit/", receipt.receipt_record_unit, name="receipt_record_unit"),
    path("<str:number>/receipt/count/", receipt.receipt_set_count, name="receipt_set_count"),
    path("<str:number>/receipt/close/", receipt.receipt_close, name="receipt_close"),
    path(
        "<str:number>/anomalies/<int:pk>/resolve/",
        receipt.anomaly_resolve,
        name="anomaly_resolve",
    ),
    path(
        "<str:number>/contacts/<int:pk>/attempt/",
        receipt.contact_attempt,
        name="contact_attempt",
    ),
    path("<str:number>/contacts/<int:pk>/email/", receipt.contact_email, name="contact_email"),
    path("<str:number>/testing/start/", workshop.testing_start, name="testing_start"),
    path("<str:number>/delay/", workshop.batch_delay, name="batch_delay"),
    path("<str:number>/close/", batches.batch_close, name="batch_close"),
    path("<str:number>/units/<int:seq>/", workshop.unit_detail, name="unit_detail"),
    path("<str:number>/units/<int:seq>/photo", workshop.unit_photo, name="unit_photo"),
    path("<str:number>/units/<int:seq>/test/", workshop.unit_test, name="unit_test"),
    path("<str:number>/units/<int:seq>/dispose/", workshop.unit_dispose, name="unit_dispose"),
    path("<str:number>/units/<int:seq>/delay/", workshop.unit_delay, name="unit_delay"),
]
