from django.contrib import admin
from django.urls import include, path

from config.api import api
from sanbao.home import search_views
from sanbao.home import views as home_views

urlpatterns = [
    path("", home_views.home, name="home"),
    path("search/", search_views.search, name="search"),
    path("accounts/", include("sanbao.accounts.urls")),
    path("catalog/", include("sanbao.catalog.urls")),
    # A production lot's sheet of warranty cards (the consumers app: it signs the URLs).
    path("catalog/lots/", include("sanbao.consumers.urls")),
    path("calendar/", include("sanbao.workdays.urls")),
    path("claims/", include("sanbao.claims.urls")),
    path("returns/", include("sanbao.returns.urls")),
    path("deliveries/", include("sanbao.deliveries.urls")),
    path("statements/", include("sanbao.statements.urls")),
    path("audit/", include("sanbao.audit_trail.urls")),
    path("dashboard/", include("sanbao.insights.urls")),
    path("status/", include("sanbao.claims.public_urls")),
    # The electronic warranty card's page (issue 16): no login, a signed URL.
    path("w/", include("sanbao.consumers.public_urls")),
    # The consumer's service pages (issue 16): the confirmed phone, requests, claims.
    path("service/", include("sanbao.consumers.service_urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
]

# Uploaded files (claim scans, photos) are never served from MEDIA_URL, not even with
# DEBUG on: the claims views serve each one after checking who may see its claim.
