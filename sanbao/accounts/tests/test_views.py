"""Accounts pages: tokens, organisations, the language switch."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.urls import reverse

from sanbao.accounts.models import ApiToken, User
from sanbao.accounts.roles import PLATFORM_ROLES, Role
from sanbao.accounts.services import token_create
from sanbao.testkit.cast import anonymous_client, login_client_for
from sanbao.testkit.matrix import Case, check, matrix

EVERYONE = set(Role.values)
PLATFORM = PLATFORM_ROLES


@pytest.fixture
def token_of_agent_a_clerk(agent_a_clerk):
    return token_create(actor=agent_a_clerk, name="ERP")[0]


def _revoked(response, cast):
    cast.token_of_agent_a_clerk.refresh_from_db()
    assert cast.token_of_agent_a_clerk.revoked_at is not None


def _page(name, *fixtures):
    """The URL of the accounts page ``name`` for the records the cast ``fixtures`` name."""
    return lambda cast: reverse(f"accounts:{name}", args=[getattr(cast, f).pk for f in fixtures])


CASES = [
    Case("token_list", "GET", _page("token_list"), EVERYONE),
    Case("token_create", "POST", _page("token_list"), EVERYONE, body={"name": "Nightly sync"}),
    Case("preferences", "GET", _page("preferences"), EVERYONE),
    Case("organisation_list", "GET", _page("organisation_list"), PLATFORM),
    # A token belongs to one user: everyone else, platform included, gets 404.
    Case(
        "token_revoke",
        "POST",
        _page("token_revoke", "token_of_agent_a_clerk"),
        EVERYONE,
        owner_org="agent_a",
        cross_org_roles=set(),
        expect_ok=302,
        on_ok=_revoked,
    ),
]


@pytest.mark.parametrize("row", matrix(CASES))
def test_each_page_answers_each_member_of_the_cast_as_declared(cast, row):
    check(cast, row)


def test_the_token_page_shows_a_new_token_once(agent_a_clerk):
    client = login_client_for(agent_a_clerk)
    response = client.post(reverse("accounts:token_list"), {"name": "ERP"})
    assert response.status_code == 200
    raw = response.context["new_token"]
    assert raw.startswith("sbk_")
    assert raw in response.content.decode()
    again = client.get(reverse("accounts:token_list"))
    assert raw not in again.content.decode()


def test_the_token_page_refuses_a_taken_name_with_a_400_and_a_field_error(agent_a_clerk):
    token_create(actor=agent_a_clerk, name="ERP")
    response = login_client_for(agent_a_clerk).post(reverse("accounts:token_list"), {"name": "ERP"})
    assert response.status_code == 400
    assert response.context["form"].has_error("name")
    assert ApiToken.objects.filter(user=agent_a_clerk).count() == 1


def test_the_token_page_lists_only_the_users_own_tokens(agent_a_clerk, agent_b_clerk):
    token_create(actor=agent_b_clerk, name="Theirs")
    mine, _raw = token_create(actor=agent_a_clerk, name="Mine")
    response = login_client_for(agent_a_clerk).get(reverse("accounts:token_list"))
    assert list(response.context["tokens"]) == [mine]


def test_another_agents_clerk_cannot_revoke_a_token_and_it_stays_active(
    agent_b_clerk, token_of_agent_a_clerk
):
    url = reverse("accounts:token_revoke", args=[token_of_agent_a_clerk.pk])
    response = login_client_for(agent_b_clerk).post(url)
    assert response.status_code == 404
    token_of_agent_a_clerk.refresh_from_db()
    assert token_of_agent_a_clerk.revoked_at is None


def test_revoking_a_token_twice_from_the_page_is_a_409(agent_a_clerk, token_of_agent_a_clerk):
    client = login_client_for(agent_a_clerk)
    url = reverse("accounts:token_revoke", args=[token_of_agent_a_clerk.pk])
    assert client.post(url).status_code == 302
    assert client.post(url).status_code == 409


def test_the_language_switch_remembers_the_choice_on_the_user(agent_a_clerk):
    client = login_client_for(agent_a_clerk)
    response = client.post(reverse("accounts:set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    assert User.objects.get(pk=agent_a_clerk.pk).language == "en"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"


def test_the_language_switch_never_redirects_off_site(agent_a_clerk):
    response = login_client_for(agent_a_clerk).post(
        reverse("accounts:set_language"), {"language": "en", "next": "https://evil.example/"}
    )
    assert response.url == reverse("home")


def test_the_language_switch_works_before_login_with_a_cookie(db):
    response = anonymous_client().post(reverse("accounts:set_language"), {"language": "zh-hans"})
    assert response.status_code == 302
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "zh-hans"


def test_a_refused_page_shows_the_error_code_with_its_status(agent_a_clerk):
    response = login_client_for(agent_a_clerk).get(reverse("accounts:organisation_list"))
    assert response.status_code == 403
    assert 'data-error-code="core.permission_denied"' in response.content.decode()
