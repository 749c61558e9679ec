"""The test cast and the clients that act as its members.

The cast
--------
The root ``conftest.py`` turns the tables below into named pytest fixtures:
organisations ``platform_org``, ``agent_a``, ``agent_b``, ``enterprise_c``,
``outlet_d`` and one user per role (``platform_staff``, ``platform_manager``,
``administrator``, ``commercial_commissioner``, ``cs_commissioner``,
``agent_a_clerk``, ``agent_b_clerk``, ``enterprise_clerk``, ``outlet_tech``). Users
are created through ``sanbao.accounts.services.user_create`` so a cast member is a
user the application itself could have made. The ``cast`` fixture gives attribute
access to any fixture by name (``cast.agent_a_clerk``, ``cast.unit_of_agent_a``),
created on first use.

Clients
-------
``api_client_for(user)`` is a ``django.test.Client`` that authenticates every
request with a real API token (``Authorization: Bearer sbk_…``);
``login_client_for(user)`` is one with a logged-in browser session. Both take
``language="zh-hans"`` to send an ``Accept-Language`` header.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client

from sanbao.accounts.roles import OrgKind, Role
from sanbao.accounts.services import token_create, user_create
from sanbao.accounts.tests.factories import OrganisationFactory

CAST_PASSWORD = "cast-password-2026"

# fixture name -> fields of the organisation
CAST_ORGS: dict[str, dict[str, str]] = {
    "platform_org": {
        "code": "SB-PLATFORM",
        "kind": OrgKind.PLATFORM,
        "name_en": "Sanbao After-Sales Service Centre",
        "name_zh": "三宝售后服务中心",
    },
    "agent_a": {
        "code": "AG-A",
        "kind": OrgKind.AGENT,
        "name_en": "Agent A Digital Trading",
        "name_zh": "甲数码贸易",
    },
    "agent_b": {
        "code": "AG-B",
        "kind": OrgKind.AGENT,
        "name_en": "Agent B Electronics",
        "name_zh": "乙电子",
    },
    "enterprise_c": {
        "code": "EN-C",
        "kind": OrgKind.ENTERPRISE,
        "name_en": "Enterprise C Logistics",
        "name_zh": "丙物流",
    },
    "outlet_d": {
        "code": "SO-D",
        "kind": OrgKind.SERVICE_OUTLET,
        "name_en": "Service Outlet D",
        "name_zh": "丁维修网点",
    },
}


@dataclass(frozen=True)
class CastUser:
    org: str  # fixture name of the organisation
    role: str


# fixture name (also the username) -> organisation and role
CAST_USERS: dict[str, CastUser] = {
    "platform_staff": CastUser("platform_org", Role.AFTERSALES_STAFF),
    "platform_manager": CastUser("platform_org", Role.AFTERSALES_MANAGER),
    "administrator": CastUser("platform_org", Role.ADMINISTRATOR),
    "commercial_commissioner": CastUser("platform_org", Role.COMMERCIAL_COMMISSIONER),
    "cs_commissioner": CastUser("platform_org", Role.CS_COMMISSIONER),
    "agent_a_clerk": CastUser("agent_a", Role.AGENT_CLERK),
    "agent_b_clerk": CastUser("agent_b", Role.AGENT_CLERK),
    "enterprise_clerk": CastUser("enterprise_c", Role.ENTERPRISE_CLERK),
    "outlet_tech": CastUser("outlet_d", Role.OUTLET_TECHNICIAN),
}


def make_cast_org(name: str):
    return OrganisationFactory(**CAST_ORGS[name])


def make_cast_user(name: str, organisation):
    member = CAST_USERS[name]
    return user_create(
        actor=None,
        organisation=organisation,
        username=name,
        password=CAST_PASSWORD,
        role=member.role,
        first_name=name.replace("_", " ").title(),
        email=f"{name}@sanbao.test",
    )


class Cast:
    """Attribute access to fixtures by name, created on first use: ``cast.agent_a``."""

    def __init__(self, request: pytest.FixtureRequest) -> None:
        self._request = request

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        return self._request.getfixturevalue(name)


# ---------------------------------------------------------------------------
# Clients


def _headers(language: str | None) -> dict[str, str]:
    return {"Accept-Language": language} if language else {}


def api_client_for(user, *, language: str | None = None) -> Client:
    """A client sending ``Authorization: Bearer <token>`` with a fresh real API
    token of ``user`` (made by ``accounts.services.token_create``). The token row
    is ``client.api_token``."""
    token, raw = token_create(actor=user, name=f"test-{uuid.uuid4().hex[:12]}")
    client = Client(headers={"Authorization": f"Bearer {raw}", **_headers(language)})
    client.api_token = token
    client.raw_token = raw
    return client


def login_client_for(user, *, language: str | None = None) -> Client:
    """A client with a logged-in session (``force_login``), as a browser has."""
    client = Client(headers=_headers(language))
    client.force_login(user)
    return client


def anonymous_client(*, language: str | None = None) -> Client:
    return Client(headers=_headers(language))
