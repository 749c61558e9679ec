"""Password hashing (issue 13 item 3): Argon2 for every new password in production;
a password stored with PBKDF2 before the switch still logs in and is rehashed with
Argon2 at that login. (The suite itself hashes with MD5 to stay fast, see
config/settings_test.py; these tests put production's list back.)"""

from __future__ import annotations

import pytest
from django.contrib.auth.hashers import identify_hasher, make_password
from django.test import Client
from django.urls import reverse

import config.settings as production
from sanbao.accounts.models import User

PASSWORD = "a-long-enough-password-2026"


@pytest.fixture
def production_hashers(settings):
    settings.PASSWORD_HASHERS = production.PASSWORD_HASHERS


def algorithm(user) -> str:
    user.refresh_from_db()
    return identify_hasher(user.password).algorithm


def test_production_hashes_with_argon2_first_and_keeps_pbkdf2_to_verify_old_hashes():
    assert production.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    assert "django.contrib.auth.hashers.PBKDF2PasswordHasher" in production.PASSWORD_HASHERS[1:]
    assert not any("MD5" in hasher for hasher in production.PASSWORD_HASHERS)


@pytest.mark.django_db
def test_a_new_password_is_stored_with_argon2(production_hashers, agent_a_clerk):
    agent_a_clerk.set_password(PASSWORD)
    agent_a_clerk.save()
    assert algorithm(agent_a_clerk) == "argon2"
    assert agent_a_clerk.password.startswith("argon2$argon2id$")


@pytest.mark.django_db
def test_a_pbkdf2_password_still_logs_in_and_is_rehashed_with_argon2(
    production_hashers, agent_a_clerk
):
    stored = make_password(PASSWORD, hasher="pbkdf2_sha256")
    User.objects.filter(pk=agent_a_clerk.pk).update(password=stored)
    assert algorithm(agent_a_clerk) == "pbkdf2_sha256"

    client = Client()
    response = client.post(
        reverse("accounts:login"), {"username": agent_a_clerk.username, "password": PASSWORD}
    )
    assert response.status_code == 302
    assert algorithm(agent_a_clerk) == "argon2"
    agent_a_clerk.refresh_from_db()
    assert agent_a_clerk.check_password(PASSWORD)


@pytest.mark.django_db
def test_a_wrong_password_leaves_an_old_hash_as_it_was(production_hashers, agent_a_clerk):
    stored = make_password(PASSWORD, hasher="pbkdf2_sha256")
    User.objects.filter(pk=agent_a_clerk.pk).update(password=stored)
    Client().post(
        reverse("accounts:login"), {"username": agent_a_clerk.username, "password": "wrong"}
    )
    agent_a_clerk.refresh_from_db()
    assert agent_a_clerk.password == stored
