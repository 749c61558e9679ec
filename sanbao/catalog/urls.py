from django.urls import path

from sanbao.catalog import views

app_name = "catalog"

urlpatterns = [
    path("categories/", views.category_list, name="category_list"),
    path("models/", views.model_list, name="model_list"),
    path("models/<str:code>/", views.model_detail, name="model_detail"),
    path(
        "models/<str:code>/replacement-check/",
        views.model_replacement_check,
        name="model_replacement_check",
    ),
    # The import lives outside units/ so that no serial number can shadow it.
    path("import/", views.unit_import, name="unit_import"),
    path("import/template.csv", views.unit_import_template, name="unit_import_template"),
    path("units/", views.unit_list, name="unit_list"),
    # Serials may contain "/" (see importing.SERIAL_RE).
    path("units/<path:serial>/", views.unit_detail, name="unit_detail"),
]
