from django.urls import path  # noqa: F401 - pages are added by the returns UI

app_name = "returns"

urlpatterns: list = []
