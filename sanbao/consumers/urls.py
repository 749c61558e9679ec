"""The staff's pages of the consumers app, mounted under /catalog/lots/: a
production lot's sheet of warranty cards."""

from django.urls import path

from sanbao.consumers import views

app_name = "lots"

urlpatterns = [
    path("<str:number>/warranty-cards.pdf", views.warranty_cards_pdf, name="warranty_cards_pdf"),
]
