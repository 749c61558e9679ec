"""The transition check trusts a record's visibility only for the actor it was read
for (``core.tenancy.seen_by``, issue 14): a record read in one user's scope and
handed to a service with another user is checked against the database again."""

from __future__ import annotations

import pytest

from sanbao.core.errors import NotFound
from sanbao.core.tenancy import seen_by
from sanbao.returns import selectors
from sanbao.returns.models import ReturnBatch
from sanbao.returns.states import BATCH


def test_a_record_read_for_one_user_is_checked_again_for_another(
    platform_staff, agent_a_clerk, agent_b_clerk, draft_of_agent_a
):
    batch = selectors.batch_get(actor=platform_staff, number=draft_of_agent_a.number)
    assert seen_by(batch, platform_staff) and not seen_by(batch, agent_b_clerk)
    with pytest.raises(NotFound):
        BATCH.check(batch, agent_b_clerk, "submit")  # agent B submits its own only
    BATCH.check(batch, agent_a_clerk, "submit")  # asked again, and in agent A's scope


def test_a_record_from_anywhere_else_is_always_checked(agent_b_clerk, draft_of_agent_a):
    batch = ReturnBatch.objects.get(pk=draft_of_agent_a.pk)
    assert not seen_by(batch, agent_b_clerk)
    with pytest.raises(NotFound):
        BATCH.check(batch, agent_b_clerk, "submit")
