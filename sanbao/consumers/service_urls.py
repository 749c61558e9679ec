"""The consumer's service pages, mounted at /service/ without a login (issue 16):
confirming a mobile number by a one-time code, asking for service, and following
a claim. A card's own pages (the card, registering the purchase, asking for
service from it) are under its signed URL (``public_urls``)."""

from django.urls import path

from sanbao.consumers import follow_views, phone_views, service_views

app_name = "service"

urlpatterns = [
    path("phone/", phone_views.phone, name="phone"),
    path("claims/", follow_views.claims, name="claims"),
    path("claims/<str:number>/", follow_views.claim_detail, name="claim_detail"),
    path("request/", service_views.request_lookup, name="request"),
    path("submitted/<str:number>/", service_views.submitted, name="submitted"),
]
