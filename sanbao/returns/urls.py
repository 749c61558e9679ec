from django.urls import path

from sanbao.returns import document_views, views

app_name = "returns"

urlpatterns = [
    path("", views.batch_list, name="batch_list"),
    path("new/", views.batch_create, name="batch_create"),
    path("anomalies/", views.anomaly_list, name="anomaly_list"),
    path("lines-template.xlsx", document_views.lines_template_xlsx, name="lines_template_xlsx"),
    path("queue/", views.queue, name="queue"),
    path("shipments/", views.shipment_list, name="shipment_list"),
    path("shipments/new/", views.shipment_create, name="shipment_create"),
    # Shipment numbers start with S (S2605-K7M2QX), batch numbers with R.
    path("shipments/<str:number>/", views.shipment_detail, name="shipment_detail"),
    path("shipments/<str:number>/dispatch/", views.shipment_dispatch, name="shipment_dispatch"),
    path("shipments/<str:number>/cancel/", views.shipment_cancel, name="shipment_cancel"),
    path(
        "shipments/<str:number>/delivery-list.pdf",
        document_views.delivery_list_pdf,
        name="delivery_list_pdf",
    ),
    path(
        "shipments/<str:number>/delivery-list.xlsx",
        document_views.delivery_list_xlsx,
        name="delivery_list_xlsx",
    ),
    # Batch numbers (R2605-K7M2QX) never collide with the fixed paths above.
    path("<str:number>/", views.batch_detail, name="batch_detail"),
    path("<str:number>/edit/", views.batch_edit, name="batch_edit"),
    path("<str:number>/packing-list.pdf", document_views.packing_list_pdf, name="packing_list_pdf"),
    path("<str:number>/repair-list.pdf", document_views.repair_list_pdf, name="repair_list_pdf"),
    path("<str:number>/labels.pdf", document_views.labels_pdf, name="labels_pdf"),
    path(
        "<str:number>/anomaly-notice.pdf",
        document_views.anomaly_notice_pdf,
        name="anomaly_notice_pdf",
    ),
    path(
        "<str:number>/packing-list.xlsx",
        document_views.packing_list_xlsx,
        name="packing_list_xlsx",
    ),
    path("<str:number>/submit/", views.batch_submit, name="batch_submit"),
    path("<str:number>/refuse/", views.batch_refuse, name="batch_refuse"),
    path("<str:number>/receipt/", views.receipt, name="receipt"),
    path("<str:number>/receipt/open/", views.receipt_open, name="receipt_open"),
    path("<str:number>/receipt/scan/", views.receipt_scan, name="receipt_scan"),
    path("<str:number>/receipt/unit/", views.receipt_record_unit, name="receipt_record_unit"),
    path("<str:number>/receipt/count/", views.receipt_set_count, name="receipt_set_count"),
    path("<str:number>/receipt/close/", views.receipt_close, name="receipt_close"),
    path(
        "<str:number>/anomalies/<int:pk>/resolve/",
        views.anomaly_resolve,
        name="anomaly_resolve",
    ),
    path(
        "<str:number>/contacts/<int:pk>/attempt/",
        views.contact_attempt,
        name="contact_attempt",
    ),
    path("<str:number>/contacts/<int:pk>/email/", views.contact_email, name="contact_email"),
    path("<str:number>/testing/start/", views.testing_start, name="testing_start"),
    path("<str:number>/delay/", views.batch_delay, name="batch_delay"),
    path("<str:number>/close/", views.batch_close, name="batch_close"),
    path("<str:number>/units/<int:seq>/", views.unit_detail, name="unit_detail"),
    path("<str:number>/units/<int:seq>/photo", views.unit_photo, name="unit_photo"),
    path("<str:number>/units/<int:seq>/test/", views.unit_test, name="unit_test"),
    path("<str:number>/units/<int:seq>/dispose/", views.unit_dispose, name="unit_dispose"),
    path("<str:number>/units/<int:seq>/delay/", views.unit_delay, name="unit_delay"),
]
