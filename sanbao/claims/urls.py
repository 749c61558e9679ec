from sanbao.claims import document_views, views
from sanbao.core.routes import routes

urlpatterns = routes(
    {
        "": views.claim_list,
        "new/": views.claim_create,
        "new/serial-hint/": views.claim_serial_hint,
        "export.xlsx": (views.claim_list_xlsx, "claim_list_xlsx"),
        "retained-parts/": views.retained_part_list,
        "retained-parts/export.xlsx": (views.retained_part_list_xlsx, "retained_part_list_xlsx"),
        "retained-parts/<int:pk>/dispose/": views.retained_part_dispose,
        # Claim numbers (C2605-K7M2QX) never collide with the fixed paths above.
        "<str:number>/": (views.claim_detail, "claim_detail"),
        "<str:number>/scans/<str:document>/": views.claim_scan,
        "<str:number>/findings/<str:rule>/photo/": views.claim_finding_photo,
        "<str:number>/fault-files/<int:pk>/": views.claim_fault_file,
        "<str:number>/start-judgement/": (views.claim_start_judgement, "claim_start_judgement"),
        "<str:number>/findings/": (views.claim_record_findings, "claim_record_findings"),
        "<str:number>/scans/": (views.claim_attach_scans, "claim_attach_scans"),
        "<str:number>/warranty-card-no/": (views.claim_correct_card_no, "claim_correct_card_no"),
        "<str:number>/judge/": (views.claim_judge, "claim_judge"),
        "<str:number>/start-service/": (views.claim_start_service, "claim_start_service"),
        "<str:number>/resolve/": (views.claim_resolve, "claim_resolve"),
        "<str:number>/close/": (views.claim_close, "claim_close"),
        # The claim's papers, made by core.web.download_view.
        "<str:number>/receipt.pdf": (document_views.claim_receipt_pdf, "claim_receipt_pdf"),
        "<str:number>/report.pdf": (document_views.claim_report_pdf, "claim_report_pdf"),
    }
)

app_name = "claims"
