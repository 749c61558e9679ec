from django.urls import path

from sanbao.claims import document_views, views

app_name = "claims"

urlpatterns = [
    path("", views.claim_list, name="claim_list"),
    path("new/", views.claim_create, name="claim_create"),
    path("new/serial-hint/", views.claim_serial_hint, name="claim_serial_hint"),
    path("export.xlsx", document_views.claim_list_xlsx, name="claim_list_xlsx"),
    path("retained-parts/", views.retained_part_list, name="retained_part_list"),
    path(
        "retained-parts/<int:pk>/dispose/",
        views.retained_part_dispose,
        name="retained_part_dispose",
    ),
    # Claim numbers (C2605-K7M2QX) never collide with the fixed paths above.
    path("<str:number>/", views.claim_detail, name="claim_detail"),
    path("<str:number>/receipt.pdf", document_views.claim_receipt_pdf, name="claim_receipt_pdf"),
    path("<str:number>/report.pdf", document_views.claim_report_pdf, name="claim_report_pdf"),
    path("<str:number>/scans/<str:document>/", views.claim_scan, name="claim_scan"),
    path(
        "<str:number>/findings/<str:rule>/photo/",
        views.claim_finding_photo,
        name="claim_finding_photo",
    ),
    path(
        "<str:number>/start-judgement/",
        views.claim_start_judgement,
        name="claim_start_judgement",
    ),
    path("<str:number>/findings/", views.claim_record_findings, name="claim_record_findings"),
    path("<str:number>/scans/", views.claim_attach_scans, name="claim_attach_scans"),
    path(
        "<str:number>/warranty-card-no/",
        views.claim_correct_card_no,
        name="claim_correct_card_no",
    ),
    path("<str:number>/judge/", views.claim_judge, name="claim_judge"),
    path("<str:number>/start-service/", views.claim_start_service, name="claim_start_service"),
    path("<str:number>/resolve/", views.claim_resolve, name="claim_resolve"),
    path("<str:number>/close/", views.claim_close, name="claim_close"),
]
