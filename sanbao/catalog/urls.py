from django.urls import path  # noqa: F401 - pages are added by the catalog UI

app_name = "catalog"

urlpatterns: list = []
