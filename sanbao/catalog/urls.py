from sanbao.catalog import views
from sanbao.core.routes import routes

urlpatterns = routes(
    {
        "categories/": views.category_list,
        "categories/export.xlsx": (views.category_list_xlsx, "category_list_xlsx"),
        "models/": views.model_list,
        "models/export.xlsx": (views.model_list_xlsx, "model_list_xlsx"),
        "models/<str:code>/": views.model_detail,
        "models/<str:code>/replacement-check/": views.model_replacement_check,
        # The import lives outside units/ so that no serial number can shadow it.
        "import/": views.unit_import,
        "import/template.csv": views.unit_import_template,
        "units/": views.unit_list,
        # No serial ends in ".xlsx" without a slash after it: units/<path:serial>/ ends in one.
        "units/export.xlsx": (views.unit_list_xlsx, "unit_list_xlsx"),
        # Serials may contain "/" (see importing.SERIAL_RE).
        "units/<path:serial>/": views.unit_detail,
    }
)

app_name = "catalog"
