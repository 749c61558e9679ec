from django.urls import path  # noqa: F401 - the public status page is added here

app_name = "public"

urlpatterns: list = []
