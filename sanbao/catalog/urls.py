from sanbao.catalog import views
from sanbao.core.routes import routes

urlpatterns = routes(
    {
        "categories/": views.category_list,
        "models/": views.model_list,
        "models/<str:code>/": views.model_detail,
        "models/<str:code>/replacement-check/": views.model_replacement_check,
        # The import lives outside units/ so that no serial number can shadow it.
        "import/": views.unit_import,
        "import/template.csv": views.unit_import_template,
        "units/": views.unit_list,
        # Serials may contain "/" (see importing.SERIAL_RE).
        "units/<path:serial>/": views.unit_detail,
    }
)

app_name = "catalog"
