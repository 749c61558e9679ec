"""The project's URLs plus one deliberately open view, for the walk to catch:
it answers any claim by its number, to anyone, without asking who they are."""

from django.http import HttpResponse
from django.urls import include, path

from config.urls import urlpatterns as project_urlpatterns
from sanbao.claims.models import Claim


def open_claim(request, number: str):
    claim = Claim.objects.get(number=number)
    return HttpResponse(f"Claim {claim.number}, unit {claim.serial}")


dummy_patterns = ([path("open/<str:number>/", open_claim, name="open_claim")], "dummy")

urlpatterns = [*project_urlpatterns, path("dummy/", include(dummy_patterns))]
