"""The interface language is remembered on the user."""

from __future__ import annotations

import pytest

from sanbao.accounts.models import User
from sanbao.accounts.services import user_set_language
from sanbao.core.errors import ValidationFailed


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_user_set_language_remembers_a_supported_language(agent_a_clerk, language):
    user_set_language(user=agent_a_clerk, language=language)
    assert User.objects.get(pk=agent_a_clerk.pk).language == language
    assert agent_a_clerk.language == language


@pytest.mark.parametrize("language", ["fr", "zh-hant", "", "EN"])
def test_user_set_language_refuses_an_unsupported_language(agent_a_clerk, language):
    before = agent_a_clerk.language
    with pytest.raises(ValidationFailed) as caught:
        user_set_language(user=agent_a_clerk, language=language)
    assert caught.value.code == "accounts.language_unknown"
    assert list(caught.value.fields) == ["language"]
    assert User.objects.get(pk=agent_a_clerk.pk).language == before
