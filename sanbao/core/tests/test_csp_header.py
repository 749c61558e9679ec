"""core.middleware.CSPMiddleware: django-csp's policy, built once (issue 14)."""

from __future__ import annotations

from csp.utils import build_policy
from django.http import HttpResponse
from django.test import RequestFactory, override_settings

from sanbao.core.middleware import CSPMiddleware

HEADER = "Content-Security-Policy"


def respond(response=None, path="/"):
    middleware = CSPMiddleware(lambda request: response or HttpResponse("ok"))
    return middleware(RequestFactory().get(path))


def test_every_response_carries_the_policy_django_csp_builds(client, db):
    assert respond()[HEADER] == build_policy()
    assert "'unsafe-inline'" not in respond()[HEADER]
    assert client.get("/accounts/login/")[HEADER] == build_policy()
    assert client.get("/api/v1/batches")[HEADER] == build_policy()


def test_a_changed_setting_is_the_policy_sent_next():
    before = respond()[HEADER]
    policy = {"DIRECTIVES": {"default-src": ["'none'"]}, "EXCLUDE_URL_PREFIXES": ["/open/"]}
    with override_settings(CONTENT_SECURITY_POLICY=policy):
        assert respond()[HEADER] == "default-src 'none'"
        assert HEADER not in respond(path="/open/file")
    assert respond()[HEADER] == before


def test_a_response_with_its_own_policy_or_header_keeps_it():
    widened = HttpResponse("ok")
    widened._csp_update = {"img-src": ["https://maps.example"]}
    assert "https://maps.example" in respond(widened)[HEADER]
    exempt = HttpResponse("ok")
    exempt._csp_exempt = True
    assert HEADER not in respond(exempt)
    sandboxed = HttpResponse("ok")
    sandboxed[HEADER] = "sandbox"
    assert respond(sandboxed)[HEADER] == "sandbox"
