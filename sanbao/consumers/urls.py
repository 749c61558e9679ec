"""The staff's pages of the consumers app, mounted under /catalog/lots/: a
production lot's sheet of warranty cards."""

from django.urls import path

from sanbao.consumers import register_views, views

app_name = "lots"

urlpatterns = [
    path("<str:number>/warranty-cards.pdf", views.warranty_cards_pdf, name="warranty_cards_pdf"),
    # The photo of a unit's registered proof of purchase, for staff who may see the unit.
    path(
        "units/<path:serial>/proof-of-purchase/",
        register_views.registration_proof,
        name="registration_proof",
    ),
]
