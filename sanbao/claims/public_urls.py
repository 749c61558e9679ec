"""The public pages of claims, mounted at /status/ without a login."""

from django.urls import path

from sanbao.claims import public

app_name = "public"

urlpatterns = [
    path("", public.claim_status, name="claim_status"),
]
