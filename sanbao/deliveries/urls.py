from sanbao.core.routes import routes
from sanbao.deliveries import views

app_name = "deliveries"

urlpatterns = routes(
    {
        "": views.delivery_list,
        "export.xlsx": (views.delivery_list_xlsx, "delivery_list_xlsx"),
        "new/": views.delivery_create,
        "import/": views.delivery_import,
        "import/template.csv": views.delivery_import_template,
        "declarations/": views.declaration_list,
        "declarations/export.xlsx": (views.declaration_list_xlsx, "declaration_list_xlsx"),
        # Declaration numbers start with U, delivery numbers with D.
        "declarations/<str:number>/": views.declaration_detail,
        "declarations/<str:number>/upload/": views.declaration_upload,
        "declarations/<str:number>/submit/": views.declaration_submit,
        "declarations/<str:number>/decide/": views.declaration_decide,
        "declarations/<str:number>/files/<int:pk>/": views.evidence_file,
        "declarations/<str:number>/application.pdf": (views.application_pdf, "application_pdf"),
        "declarations/<str:number>/credit-note.pdf": (views.credit_note_pdf, "credit_note_pdf"),
        "<str:number>/": views.delivery_detail,
        "<str:number>/declare/": views.declaration_create,
    }
)
