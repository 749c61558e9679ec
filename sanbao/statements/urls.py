from sanbao.core.routes import routes
from sanbao.statements import views

urlpatterns = routes(
    {
        "": views.statement,
        "records/": views.records,
        "<str:code>/statement.pdf": (views.statement_pdf, "statement_pdf"),
        "<str:code>/statement.xlsx": (views.statement_xlsx, "statement_xlsx"),
        "<str:code>/records.xlsx": (views.records_xlsx, "records_xlsx"),
        "<str:code>/records.csv": (views.records_csv, "records_csv"),
    }
)

app_name = "statements"
