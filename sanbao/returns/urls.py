from sanbao.core.routes import routes
from sanbao.returns.views import (
    batches,
    documents,
    packing_list,
    queue,
    receipt,
    shipments,
    workshop,
)

urlpatterns = routes(
    {
        "": batches.batch_list,
        "export.xlsx": (batches.batch_list_xlsx, "batch_list_xlsx"),
        "new/": packing_list.batch_create,
        "anomalies/": receipt.anomaly_list,
        "anomalies/export.xlsx": (receipt.anomaly_list_xlsx, "anomaly_list_xlsx"),
        "lines-template.xlsx": documents.lines_template_xlsx,
        "queue/": queue.queue,
        "queue/export.xlsx": (queue.queue_xlsx, "queue_xlsx"),
        "to-follow/": queue.to_follow,
        "to-follow/export.xlsx": (queue.to_follow_xlsx, "to_follow_xlsx"),
        "shipments/": shipments.shipment_list,
        "shipments/export.xlsx": (shipments.shipment_list_xlsx, "shipment_list_xlsx"),
        "shipments/new/": shipments.shipment_create,
        # Shipment numbers start with S (S2605-K7M2QX), batch numbers with R.
        "shipments/<str:number>/": shipments.shipment_detail,
        "shipments/<str:number>/dispatch/": shipments.shipment_dispatch,
        "shipments/<str:number>/cancel/": shipments.shipment_cancel,
        "shipments/<str:number>/delivery-list.pdf": (
            documents.delivery_list_pdf,
            "delivery_list_pdf",
        ),
        "shipments/<str:number>/delivery-list.xlsx": (
            documents.delivery_list_xlsx,
            "delivery_list_xlsx",
        ),
        # Batch numbers (R2605-K7M2QX) never collide with the fixed paths above.
        "<str:number>/": (batches.batch_detail, "batch_detail"),
        "<str:number>/edit/": packing_list.batch_edit,
        "<str:number>/packing-list.pdf": (documents.packing_list_pdf, "packing_list_pdf"),
        "<str:number>/repair-list.pdf": (documents.repair_list_pdf, "repair_list_pdf"),
        "<str:number>/labels.pdf": documents.labels_pdf,
        "<str:number>/anomaly-notice.pdf": (documents.anomaly_notice_pdf, "anomaly_notice_pdf"),
        "<str:number>/packing-list.xlsx": (documents.packing_list_xlsx, "packing_list_xlsx"),
        "<str:number>/submit/": (batches.batch_submit, "batch_submit"),
        "<str:number>/refuse/": (batches.batch_refuse, "batch_refuse"),
        "<str:number>/receipt/": receipt.receipt,
        "<str:number>/receipt/open/": (receipt.receipt_open, "receipt_open"),
        "<str:number>/receipt/scan/": (receipt.receipt_scan, "receipt_scan"),
        "<str:number>/receipt/unit/": (receipt.receipt_record_unit, "receipt_record_unit"),
        "<str:number>/receipt/count/": (receipt.receipt_set_count, "receipt_set_count"),
        "<str:number>/receipt/close/": receipt.receipt_close,
        "<str:number>/anomalies/<int:pk>/resolve/": receipt.anomaly_resolve,
        "<str:number>/contacts/<int:pk>/attempt/": receipt.contact_attempt,
        "<str:number>/contacts/<int:pk>/email/": receipt.contact_email,
        "<str:number>/testing/start/": (workshop.testing_start, "testing_start"),
        "<str:number>/delay/": (workshop.batch_delay, "batch_delay"),
        "<str:number>/close/": (batches.batch_close, "batch_close"),
        "<str:number>/units/<int:seq>/": workshop.unit_detail,
        "<str:number>/units/<int:seq>/photo": workshop.unit_photo,
        "<str:number>/units/<int:seq>/test/": workshop.unit_test,
        "<str:number>/units/<int:seq>/dispose/": workshop.unit_dispose,
        "<str:number>/units/<int:seq>/delay/": workshop.unit_delay,
    }
)

app_name = "returns"
