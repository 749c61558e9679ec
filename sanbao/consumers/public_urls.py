"""The consumer's warranty-card page, mounted at /w/ without a login. Anything
under /w/ that is not a signed card URL reaches the same view and its one
not-found answer (serials may contain "/": the signature is the last segment)."""

from django.urls import path, re_path

from sanbao.consumers import register_views, service_views, views

app_name = "cards"

urlpatterns = [
    # A card's sub-pages, each before the card itself and the catch-all.
    path("<path:serial>/<str:signature>/register/", register_views.register, name="register"),
    path(
        "<path:serial>/<str:signature>/service/",
        service_views.card_service,
        name="card_service",
    ),
    path("<path:serial>/<str:signature>/", views.card, name="card"),
    re_path(r"^(?P<serial>.*)$", views.card, name="card_unsigned"),
]
