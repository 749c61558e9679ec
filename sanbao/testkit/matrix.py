"""The permission matrix, and the error envelope every refusal comes in.

Declare each endpoint once as a :class:`Case` and let :func:`matrix` generate one
test per endpoint × {anonymous, each cast member}. The expected answer of each
member follows from the declaration:

* anonymous: 401 with the error envelope for ``/api/`` URLs, a redirect to the
  login page for UI URLs;
* a role outside ``allowed_roles``: 403;
* a right role in an organisation other than ``owner_org`` (unless the role is
  one of ``cross_org_roles``, by default the platform's): 404 — never 403, so a
  record's existence does not leak;
* otherwise ``expect_ok``.

Usage, in ``sanbao/<app>/tests/test_api.py``::

    from sanbao.testkit.matrix import Case, check, matrix

    def unit_of_agent_a(cast):
        return f"/api/v1/units/{cast.unit_of_agent_a.serial}"

    CASES = [
        Case("list_units", "GET", "/api/v1/units", allowed_roles=UNITS_VIEW),
        Case("get_unit", "GET", unit_of_agent_a, UNITS_VIEW, owner_org="agent_a"),
        Case("create_organisation", "POST", "/api/v1/organisations", {Role.ADMINISTRATOR},
             expect_ok=201, body=new_organisation),  # body: a dict, or a function of the cast
    ]

    @pytest.mark.parametrize("row", matrix(CASES))
    def test_each_endpoint_answers_each_member_of_the_cast_as_declared(cast, row):
        check(cast, row)

UI pages are declared the same way with their URL (``lambda cast:
reverse("claims:detail", args=[cast.claim_of_agent_a.pk])``); they are requested
with a session client and form-encoded bodies, and :func:`form_post` declares a
page's form, which answers a success with a redirect. ``assert_every_operation_has_a_case``
makes an app's test fail when an API operation is added without a case, and
:func:`declared_url_names` lets an app's test check that every page has one.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.conf import settings
from django.shortcuts import resolve_url
from django.test import Client
from django.urls import resolve, reverse

from config.api import api
from sanbao.accounts.roles import PLATFORM_ROLES
from sanbao.testkit.cast import CAST_USERS, Cast, anonymous_client, api_client_for, login_client_for

# ---------------------------------------------------------------------------
# Error envelope

ENVELOPE_KEYS = {"code", "message", "fields", "params"}


def assert_envelope(response, status: int, code: str | None = None) -> dict:
    """``response`` is ``status`` with the JSON error envelope (and ``code``, if
    given); returns the body."""
    assert response.status_code == status, (
        f"expected {status}, got {response.status_code}: {response.content[:500]!r}"
    )
    body = response.json()
    assert set(body) >= ENVELOPE_KEYS, f"not the error envelope: {body}"
    assert isinstance(body["code"], str) and re.fullmatch(r"[a-z_]+\.[a-z0-9_]+", body["code"])
    assert isinstance(body["message"], str) and body["message"]
    assert isinstance(body["fields"], dict)
    assert isinstance(body["params"], dict)
    if code is not None:
        assert body["code"] == code, f"expected code {code}, got {body}"
    return body


def is_login_redirect(response) -> bool:
    login = resolve_url(settings.LOGIN_URL)
    return response.status_code == 302 and response.url.split("?")[0] == login


# ---------------------------------------------------------------------------
# The permission matrix


@dataclass(frozen=True)
class Case:
    """One endpoint, declared for the permission matrix.

    ``url`` is a string or a callable taking the :class:`Cast`. ``owner_org`` is
    the fixture name of the organisation owning the record the URL touches, or
    None for global or self-scoped endpoints (lists are None: they filter rather
    than refuse). ``body`` is a dict or a callable taking the cast (return fresh
    upload objects on each call). ``via`` forces the client: "token" or
    "session"; by default /api/ URLs use a token, the others a session.
    ``body_format`` is "json", "multipart" or "form" (default json for the API,
    form for pages). ``cross_org_roles`` see every organisation's records.
    ``on_ok`` is called with (response, cast) after a success, for extra checks.
    """

    name: str
    method: str
    url: str | Callable[[Cast], str]
    allowed_roles: Iterable[str]
    owner_org: str | None = None
    expect_ok: int = 200
    body: Any = None
    cross_org_roles: Iterable[str] = PLATFORM_ROLES
    via: str | None = None
    body_format: str | None = None
    on_ok: Callable[[Any, Cast], None] | None = field(default=None, compare=False)

    def expected(self, who: str | None) -> int | None:
        """The status ``who`` (a cast user name; None is anonymous) must get;
        None for anonymous, whose answer depends on the URL's kind."""
        if who is None:
            return None
        member = CAST_USERS[who]
        if member.role not in set(self.allowed_roles):
            return 403
        if (
            self.owner_org is not None
            and member.org != self.owner_org
            and member.role not in set(self.cross_org_roles)
        ):
            return 404
        return self.expect_ok

    def resolve_url(self, cast: Cast) -> str:
        return self.url(cast) if callable(self.url) else self.url

    def resolve_body(self, cast: Cast) -> Any:
        return self.body(cast) if callable(self.body) else self.body


@dataclass(frozen=True)
class Row:
    case: Case
    who: str | None  # a CAST_USERS name, None for anonymous

    @property
    def expected(self) -> int | None:
        return self.case.expected(self.who)


def matrix(cases: Iterable[Case], users: Iterable[str] | None = None) -> list:
    """pytest params: every case × (anonymous + every cast user), with readable ids
    such as ``get_unit-agent_b_clerk-404``."""
    names = list(users) if users is not None else list(CAST_USERS)
    params = []
    seen = set()
    for case in cases:
        if case.name in seen:
            raise ValueError(f"two matrix cases are named {case.name!r}")
        seen.add(case.name)
        if not set(case.allowed_roles):
            raise ValueError(f"{case.name}: no role is allowed, so nothing is proved")
        params.append(pytest.param(Row(case, None), id=f"{case.name}-anonymous"))
        for who in names:
            row = Row(case, who)
            params.append(pytest.param(row, id=f"{case.name}-{who}-{row.expected}"))
    return params


def page_url(app: str, name: str, fixture: str | None = None, *, query="", extra=None):
    """A case's URL: the page ``app:name`` of the record (by its number) that the
    cast's ``fixture`` makes, if any, then ``extra`` (a value, or a function of
    the cast), then ``query``."""

    def build(cast: Cast) -> str:
        args = [getattr(cast, fixture).number] if fixture else []
        if extra is not None:
            args.append(extra(cast) if callable(extra) else extra)
        return reverse(f"{app}:{name}", args=args) + query

    return build


def needs(*fixtures: str, then: Callable[[Cast], str]):
    """A case's URL that has the cast make ``fixtures`` first (the rows a page
    shows or acts on), then is ``then(cast)``."""

    def build(cast: Cast) -> str:
        for fixture in fixtures:
            getattr(cast, fixture)
        return then(cast)

    return build


def form_post(name: str, url, allowed_roles: Iterable[str], **options) -> Case:
    """A page's form, declared for the matrix: POSTed with a session, it answers a
    success with a redirect (302) to the page the person goes to next. ``options``
    are the other fields of :class:`Case`."""
    return Case(name, "POST", url, allowed_roles, expect_ok=302, **options)


def declared_url_names(cases: Iterable[Case], cast) -> set[str]:
    """The URL names the ``cases`` request (their query strings aside), to compare
    with an app's ``urlpatterns``."""
    return {resolve(case.resolve_url(cast).split("?")[0]).url_name for case in cases}


def _send(client: Client, case: Case, url: str, body: Any, api: bool):
    method = case.method.lower()
    if method in ("get", "head", "delete") and body is None:
        return getattr(client, method)(url)
    fmt = case.body_format or ("json" if api else "form")
    if fmt == "json":
        return getattr(client, method)(
            url, data=json.dumps(body or {}), content_type="application/json"
        )
    # multipart and form: the test client encodes a dict as multipart/form-data
    return getattr(client, method)(url, data=body or {})


def check(cast: Cast, row: Row) -> Any:
    """Send the row's request as its cast member and assert the declared answer.
    Returns the response."""
    case = row.case
    url = case.resolve_url(cast)
    api = url.startswith("/api/")
    via = case.via or ("token" if api else "session")
    if row.who is None:
        client = anonymous_client()
    else:
        user = getattr(cast, row.who)
        client = api_client_for(user) if via == "token" else login_client_for(user)
    response = _send(client, case, url, case.resolve_body(cast), api)
    where = f"{case.name} ({case.method} {url}) as {row.who or 'anonymous'}"
    if row.who is None:
        if api:
            assert response.status_code == 401, f"{where}: got {response.status_code}"
            assert_envelope(response, 401, "core.not_authenticated")
        else:
            assert is_login_redirect(response), (
                f"{where}: expected a redirect to the login page, got {response.status_code}"
            )
        return response
    expected = row.expected
    assert response.status_code == expected, (
        f"{where}: expected {expected}, got {response.status_code}: {response.content[:300]!r}"
    )
    if api and expected >= 400:
        body = assert_envelope(response, expected)
        if expected == 403:
            assert body["code"] == "core.permission_denied", f"{where}: {body}"
        if expected == 404:
            assert body["code"].endswith("not_found"), f"{where}: {body}"
    if expected == case.expect_ok and case.on_ok is not None:
        case.on_ok(response, cast)
    return response


def _template_regex(path: str) -> re.Pattern:
    parts = re.split(r"(\{[^}]+\})", path)
    return re.compile(
        "^" + "".join("[^/]+" if p.startswith("{") else re.escape(p) for p in parts) + "$"
    )


def uncovered_operations(cases: Iterable[Case], cast: Cast, *, tags: Iterable[str]) -> list[str]:
    """API operations carrying one of ``tags`` that no case requests."""
    requested = {(c.method.upper(), c.resolve_url(cast).split("?")[0]) for c in cases}
    wanted = set(tags)
    missing = []
    for path, operations in api.get_openapi_schema()["paths"].items():
        pattern = _template_regex(path)
        for method, operation in operations.items():
            if not wanted & set(operation.get("tags", [])):
                continue
            if not any(m == method.upper() and pattern.match(u) for m, u in requested):
                missing.append(f"{method.upper()} {path}")
    return sorted(missing)


def assert_every_operation_has_a_case(cases: Iterable[Case], cast: Cast, *, tags) -> None:
    missing = uncovered_operations(list(cases), cast, tags=tags)
    assert not missing, f"API operations without a permission-matrix case: {missing}"
