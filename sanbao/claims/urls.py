from django.urls import path  # noqa: F401 - pages are added by the claims UI

app_name = "claims"

urlpatterns: list = []
