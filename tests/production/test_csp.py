"""The Content-Security-Policy (issue 13 item 8): every HTML page carries the header,
the policy allows no inline code, and no page Sanbao renders holds any: no inline
``<script>``, no ``on…=`` handler, no ``style`` attribute and no ``<style>`` block,
which the browser would refuse (tests/production/test_csp_browser.py watches a real
one). The walk renders every page of the URL resolver (tests/isolation/walk.py)
with agent A's records (tests/isolation/world.py), as agent A's clerk and as the
platform's staff, so a page added tomorrow is checked the day it is added."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from sanbao.testkit.cast import anonymous_client, login_client_for
from tests.isolation import walk
from tests.isolation import world as agent_a_world

POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "font-src": "'self' data:",
    "connect-src": "'self'",
    "frame-ancestors": "'none'",
    "form-action": "'self'",
    "base-uri": "'self'",
    "object-src": "'none'",
}

# What a policy without 'unsafe-inline' refuses, as it appears in a page's source.
INLINE = [
    ("a style attribute", re.compile(r"""\sstyle\s*=\s*["']""", re.I)),
    ("a <style> block", re.compile(r"<style[\s>]", re.I)),
    ("an on…= handler", re.compile(r"""\son[a-z]+\s*=\s*["']""", re.I)),
    ("a javascript: URL", re.compile(r"""=\s*["']\s*javascript:""", re.I)),
]
SCRIPT_TAG = re.compile(r"<script\b([^>]*)>", re.I)
# A data block (the API documentation's settings) is never run, so it is allowed.
DATA_BLOCK = re.compile(r"""type\s*=\s*["']application/(ld\+)?json["']""", re.I)


def directives(header: str) -> dict[str, str]:
    parts = [p.strip() for p in header.split(";") if p.strip()]
    return {p.split(None, 1)[0]: [*p.split(None, 1), ""][1] for p in parts}


def inline_code(body: str) -> list[str]:
    """What in ``body`` a policy without 'unsafe-inline' would refuse, each with the
    text around it."""
    found = []
    for what, pattern in INLINE:
        for m in pattern.finditer(body):
            found.append(f"{what}: …{body[max(0, m.start() - 60) : m.end() + 40]!r}…")
    for m in SCRIPT_TAG.finditer(body):
        attrs = m.group(1)
        if "src=" not in attrs and not DATA_BLOCK.search(attrs):
            found.append(f"an inline <script>: …{body[m.start() : m.end() + 60]!r}…")
    return found


def is_page(response) -> bool:
    return response.get("Content-Type", "").startswith("text/html")


def test_the_login_page_carries_the_policy(db):
    response = anonymous_client().get(reverse("accounts:login"))
    assert response.status_code == 200
    assert directives(response["Content-Security-Policy"]) == POLICY


def test_a_logged_in_page_carries_the_policy(cast):
    response = login_client_for(cast.agent_a_clerk).get(reverse("claims:claim_list"))
    assert response.status_code == 200
    assert directives(response["Content-Security-Policy"]) == POLICY


def test_the_policy_allows_no_inline_or_evaluated_code(cast):
    header = login_client_for(cast.platform_staff).get(reverse("home"))["Content-Security-Policy"]
    assert "unsafe-inline" not in header
    assert "unsafe-eval" not in header
    assert "unsafe-hashes" not in header
    assert "*" not in header


def test_an_error_page_carries_the_policy_too(cast):
    response = login_client_for(cast.agent_a_clerk).get("/claims/NO-SUCH-CLAIM/")
    assert response.status_code == 404
    assert "Content-Security-Policy" in response


def test_the_inline_check_finds_each_kind_of_inline_code():
    # The check that the walk relies on is itself checked: each of these is refused.
    page = (
        '<div style="color:red"></div><style>p{}</style>'
        '<button onclick="go()"></button><a href="javascript:go()"></a>'
        "<script>go()</script>"
        '<script type="application/json">{}</script><script src="/static/x.js"></script>'
    )
    kinds = sorted(f.split(":")[0] for f in inline_code(page))
    assert kinds == sorted(
        [
            "a style attribute",
            "a <style> block",
            "an on…= handler",
            "a javascript",
            "an inline <script>",
        ]
    )


@pytest.fixture
def world(cast, monkeypatch):
    return agent_a_world.build(cast, monkeypatch)


def test_no_page_holds_inline_code_or_style(cast, world):
    found = walk.endpoints()
    pages = [e for e in found.walked if e.kind == "page"]
    people = {
        "agent_a_clerk": login_client_for(cast.agent_a_clerk),
        "platform_staff": login_client_for(cast.platform_staff),
    }
    for client in people.values():
        client.raise_request_exception = False
    requests = [(who, client, e) for e in pages for who, client in people.items()]
    # The public pages, as their visitors see them.
    anonymous = anonymous_client()
    for name in ("accounts:login", "public:claim_status", "admin:login", "api:openapi-view"):
        requests.append(("anonymous", anonymous, walk.Endpoint("page", name, "", ())))
    failures, rendered = [], 0
    for who, client, endpoint in requests:
        try:
            url, _ = walk.build_url(world, endpoint)
        except LookupError as missing:
            failures.append(f"{endpoint}: nothing fills {missing}")
            continue
        response = client.get(url)
        if response.status_code >= 500:
            failures.append(f"{who}: GET {url} -> {response.status_code}")
            continue
        if not is_page(response) or response.status_code in (301, 302):
            continue
        rendered += 1
        if "Content-Security-Policy" not in response:
            failures.append(f"{who}: GET {url} has no Content-Security-Policy header")
        body = response.content.decode()
        failures += [f"{who}: GET {url}: {f}" for f in inline_code(body)]
    # The walk really rendered pages (a broken world would render only refusals).
    assert rendered > 60, rendered
    assert not failures, "\n".join(failures)


def test_no_admin_page_holds_inline_code_or_style(cast):
    # Django's admin, as a superuser sees it: its index, and each registered model's
    # list and (where adding is allowed) its add form.
    from django.contrib import admin

    from sanbao.accounts.models import User

    user = cast.administrator
    User.objects.filter(pk=user.pk).update(is_staff=True, is_superuser=True)
    client = login_client_for(User.objects.get(pk=user.pk))
    client.raise_request_exception = False
    urls = [reverse("admin:index")]
    for model in admin.site._registry:
        meta = model._meta
        urls += [
            reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist"),
            reverse(f"admin:{meta.app_label}_{meta.model_name}_add"),
        ]
    failures, rendered = [], 0
    for url in urls:
        response = client.get(url)
        if response.status_code == 403:  # a model nobody adds by hand
            continue
        assert response.status_code == 200, (url, response.status_code)
        rendered += 1
        assert "Content-Security-Policy" in response, url
        failures += [f"GET {url}: {f}" for f in inline_code(response.content.decode())]
    assert rendered > 20, rendered
    assert not failures, "\n".join(failures)
